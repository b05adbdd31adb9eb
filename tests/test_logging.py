"""Promise 1 inside the process: neither the app's nor gunicorn's log can hold request data."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from gunicorn.config import Config

from app.privacy import GunicornLogger
from tests.conftest import make_app


def test_an_unhandled_exception_is_logged_without_the_request(
    tmp_path: Path, marker: str, capfd: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.get("/nl/broken")
    def broken() -> str:
        raise ValueError(f"bad value {marker}")

    response = app.test_client().get(
        f"/nl/broken?q={marker}", headers={"User-Agent": marker, "X-Forwarded-For": marker}
    )
    assert response.status_code == 500
    assert marker not in response.get_data(as_text=True)
    err = capfd.readouterr().err
    assert "unhandled exception" in err
    assert "ValueError [message withheld]" in err
    assert marker not in err
    assert "/nl/broken" not in err


def test_werkzeug_request_log_is_off(tmp_path: Path) -> None:
    make_app(tmp_path)
    assert logging.getLogger("werkzeug").disabled


@pytest.fixture
def gunicorn_logger(tmp_path: Path) -> GunicornLogger:
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("loglevel", "debug")
    config.set("accesslog", str(tmp_path / "access.log"))
    return GunicornLogger(config)


def test_gunicorn_logger_withholds_addresses_uris_and_messages(
    gunicorn_logger: GunicornLogger, tmp_path: Path, marker: str
) -> None:
    gunicorn_logger.warning(f"Invalid request from ip=203.0.113.9: Invalid line '{marker}'")
    gunicorn_logger.warning(f"Unexpected detail: '{marker}'")
    gunicorn_logger.info("Booting worker with pid: %s", 4242)
    try:
        raise RuntimeError(marker)
    except RuntimeError:
        gunicorn_logger.exception("Error handling request %s %s", "GET", f"/{marker}")
    gunicorn_logger.access(None, None, {"PATH_INFO": marker}, 0)
    for handler in gunicorn_logger.error_log.handlers:
        handler.flush()

    text = (tmp_path / "error.log").read_text()
    assert marker not in text
    assert "203.0.113.9" not in text
    assert "Invalid request" not in text  # a malformed request leaves no line at all
    assert "Unexpected detail: [withheld]" in text
    assert "Booting worker with pid: 4242" in text
    assert "RuntimeError [message withheld]" in text
    assert (
        not (tmp_path / "access.log").exists()
        or marker not in (tmp_path / "access.log").read_text()
    )
