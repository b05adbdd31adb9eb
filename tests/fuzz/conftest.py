"""One app per fuzz module (hypothesis runs many examples per test; a fresh app each would
cost more than the examples), run as in production: TESTING off, so an error becomes a 500
response, which the tests then look for."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import make_app

# Bounded: the whole fuzz suite stays well under a minute on a 2-core machine.
FUZZ_SETTINGS = {"max_examples": 150, "deadline": None}
STACK_TRACE_SIGNS = ("Traceback", 'File "', "werkzeug.debug", "sqlalchemy.exc")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return make_app(tmp_path_factory.mktemp("fuzz"), TESTING=False)


def assert_handled(app: Flask, what: object, path: str, **request: Any) -> None:
    """Request `path`: never a server error, never a stack trace to the client."""
    with app.test_client().open(path, **request) as response:
        status, body = response.status_code, response.get_data(as_text=True)
    assert status < 500, f"{status} for {what!r}:\n{body[:2000]}"
    for sign in STACK_TRACE_SIGNS:
        assert sign not in body, f"{sign!r} shown for {what!r}"
