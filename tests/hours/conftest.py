"""Fixtures shared by the opening-hours tests."""

import os
import time
from collections.abc import Callable, Iterator

import pytest


@pytest.fixture(scope="module")
def process_tz() -> Iterator[Callable[[str], None]]:
    """Switch the process time zone (TZ + tzset); restores the original afterwards.

    Module scope because hypothesis runs many examples per test function."""
    original = os.environ.get("TZ")

    def switch(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield switch
    if original is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = original
    time.tzset()
