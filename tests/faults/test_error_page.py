"""Anything that reaches the database-error handler gets a 503 that still shows the helpline."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from tests.conftest import make_app
from tests.faults.conftest import EMERGENCY_TEL, HELPLINE_TEL


def failing() -> str:
    raise OperationalError("SELECT secret FROM somewhere", {"param": "typed-by-someone"}, None)


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = make_app(tmp_path)
    app.add_url_rule("/en/failing", view_func=failing)
    app.add_url_rule("/api/failing", view_func=failing, endpoint="api_failing")
    return app


def test_a_public_page_gets_a_503_with_the_helpline(app: Flask) -> None:
    response = app.test_client().get("/en/failing")
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "temporarily unavailable" in body
    assert HELPLINE_TEL in body
    assert EMERGENCY_TEL in body
    assert "typed-by-someone" not in body
    assert "SELECT" not in body


def test_the_api_gets_json(app: Flask) -> None:
    response = app.test_client().get("/api/failing")
    assert response.status_code == 503
    assert response.get_json() == {"error": "unavailable", "code": 503}


def test_the_log_names_the_error_type_but_no_input(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    app.test_client().get("/en/failing")
    logged = caplog.text
    assert "database unavailable (OperationalError)" in logged
    assert "typed-by-someone" not in logged
    assert "SELECT" not in logged
