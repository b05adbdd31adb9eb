"""Limits without knowing anyone, retention with the sweep, and the key the app needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app.config import ConfigError, load_config
from app.db import db
from app.messages import web
from app.messages.limits import MessageLimit
from app.messages.models import Conversation
from tests.conftest import make_app
from tests.messages.conftest import form_key, leave, leave_message

KEY = {"SECRET_KEY": "k" * 40}


def test_the_open_conversation_cap_says_busy_and_keeps_the_text(tmp_path: Path) -> None:
    client = make_app(tmp_path, MESSAGES_LIMITS={"max_open": 1}).test_client()
    leave_message(client, "first")
    response = leave(client, "second words")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    body = response.get_data(as_text=True)
    assert "second words" in body
    assert "tel:" in body  # please call


def test_new_messages_per_minute_are_capped_site_wide(tmp_path: Path) -> None:
    client = make_app(tmp_path, MESSAGES_LIMITS={"new_per_minute": 2}).test_client()
    code = leave_message(client, "one")
    assert client.post("/nl/message/reply", data={"code": code, "text": "two"}).status_code == 200
    third = client.post("/nl/message/reply", data={"code": code, "text": "three words"})
    assert third.status_code == 503
    assert "three words" in third.get_data(as_text=True)


def test_code_look_ups_are_capped_site_wide(tmp_path: Path) -> None:
    app = make_app(tmp_path, MESSAGES_LIMITS={"lookups_per_minute": 3})
    client = app.test_client()
    code = leave_message(client, "hello")
    for _ in range(3):
        assert client.post("/nl/message/read", data={"code": "wrong"}).status_code == 404
    blocked = client.post("/nl/message/read", data={"code": code})
    assert blocked.status_code == 503
    assert code not in blocked.get_data(as_text=True)


def test_the_limiter_stores_no_time(app: Flask, client: FlaskClient) -> None:
    leave_message(client, "hello")
    with app.app_context():
        rows = db.session.scalars(select(MessageLimit)).all()
    assert rows
    for row in rows:
        assert not row.window.isdigit()  # a keyed tag, not a minute number
        assert len(row.window) == 32


def age(app: Flask, days: int) -> None:
    with app.app_context():
        old = web.today() - dt.timedelta(days=days)
        db.session.execute(update(Conversation).values(last_message_on=old))
        db.session.commit()


def conversations(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Conversation)).all())


def test_the_sweep_command_deletes_after_the_retention_days(
    app: Flask, client: FlaskClient
) -> None:
    leave_message(client, "hello")
    age(app, 29)
    result = app.test_cli_runner().invoke(args=["messages", "sweep"])
    assert "0 conversation(s) deleted" in result.output
    assert conversations(app) == 1
    age(app, 30)
    result = app.test_cli_runner().invoke(args=["messages", "sweep"])
    assert "1 conversation(s) deleted" in result.output
    assert conversations(app) == 0


def test_the_message_page_sweeps_once_an_hour(app: Flask, client: FlaskClient) -> None:
    leave_message(client, "hello")  # the page this loaded swept (nothing yet)
    age(app, 31)
    client.get("/nl/bericht")
    assert conversations(app) == 1  # swept less than an hour ago: not again
    app.extensions["messages_swept"] -= web.SWEEP_EVERY_SECONDS
    client.get("/nl/bericht")
    assert conversations(app) == 0


def test_the_app_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MESSAGES_KEY"):
        load_config(KEY, tmp_path)
    with pytest.raises(ConfigError, match="MESSAGES_KEY"):
        load_config({**KEY, "MESSAGES_KEY": "too short"}, tmp_path)
    (tmp_path / "messages_key").write_text("dGVzdC1tZXNzYWdlcy1rZXktMzItYnl0ZXMtbG9uZyE=\n")
    assert len(load_config(KEY, tmp_path)["MESSAGES_KEYS"]) == 1


def test_messages_can_be_switched_off(tmp_path: Path) -> None:
    config = load_config({**KEY, "MESSAGES_ENABLED": "false"}, tmp_path)
    assert config["MESSAGES_KEYS"] == []
    client = make_app(tmp_path, MESSAGES_ENABLED=False).test_client()
    assert client.get("/nl/bericht").status_code == 404
    assert client.post("/nl/message/read", data={"code": "x"}).status_code == 404
    assert "/nl/bericht" not in client.get("/nl/").get_data(as_text=True)


def test_a_busy_answer_offers_the_same_form_again(tmp_path: Path) -> None:
    app = make_app(tmp_path, MESSAGES_LIMITS={"max_open": 1})
    client = app.test_client()
    leave_message(client, "first")
    key = form_key(client)
    busy = client.post("/nl/message/send", data={"form_key": key, "text": "again"})
    assert busy.status_code == 503
    assert 'name="form_key"' in busy.get_data(as_text=True)


def test_the_shipped_timer_runs_the_sweep_daily() -> None:
    deploy = Path(__file__).resolve().parent.parent.parent / "deploy"
    service = (deploy / "helpline-messages-sweep.service").read_text()
    timer = (deploy / "helpline-messages-sweep.timer").read_text()
    assert "ExecStart=/srv/helpline/.venv/bin/flask --app app messages sweep" in service
    assert "Type=oneshot" in service
    assert "OnCalendar=*-*-* 03:15:00" in timer
    assert "Persistent=true" in timer  # a missed day (machine off) runs at the next boot
