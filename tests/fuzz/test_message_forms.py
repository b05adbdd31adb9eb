"""Fuzzing every message form, visitor and staff: never a 5xx or a stack trace, and whatever
the visitor typed comes back on every error (except a code, which is never echoed)."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import make_app
from tests.fuzz.conftest import STACK_TRACE_SIGNS
from tests.messages.conftest import form_key, leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account

MESSAGE_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JUNK = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6000),
    st.sampled_from(["", " ", "\x00", "\u202e", "A" * 16, "-" * 40, "²", "٣", "<b>x</b>"]),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Flask, str]:
    limits = {"new_per_minute": 100000, "lookups_per_minute": 100000, "max_open": 100000}
    app = make_app(tmp_path_factory.mktemp("messages-fuzz"), TESTING=False, MESSAGES_LIMITS=limits)
    return app, leave_message(app.test_client(), "a live conversation")


def assert_clear(status: int, body: str) -> None:
    assert status < 500, body[:2000]
    assert not any(sign in body for sign in STACK_TRACE_SIGNS)


def kept(text: str, body: str) -> bool:
    """The text is in the page as a browser would show it (a textarea drops one leading
    newline; the page escapes markup)."""
    shown = html.unescape(body)
    return not text.strip() or text.replace("\r\n", "\n").strip("\n") in shown.replace("\r\n", "\n")


@MESSAGE_SETTINGS
@given(text=JUNK, first_name=JUNK, key=st.one_of(st.none(), JUNK))
def test_the_leave_form(
    site: tuple[Flask, str], text: str, first_name: str, key: str | None
) -> None:
    app, _code = site
    client = app.test_client()
    data = {"text": text, "first_name": first_name, "form_key": key or form_key(client)}
    response = client.post("/nl/message/send", data=data)
    body = response.get_data(as_text=True)
    assert_clear(response.status_code, body)
    if response.status_code != 200:
        assert response.status_code in {400, 409, 503}
        if response.status_code != 409:  # a replay shows nothing of what it carried
            assert kept(text, body)


@MESSAGE_SETTINGS
@given(
    action=st.sampled_from(["read", "reply", "delete"]), code=JUNK, text=JUNK, live=st.booleans()
)
def test_the_code_forms(
    site: tuple[Flask, str], action: str, code: str, text: str, live: bool
) -> None:
    app, live_code = site
    if action == "delete" and live:
        live = False  # keep the live conversation for the other examples
    data = {"code": live_code if live else code, "text": text}
    response = app.test_client().post(f"/nl/message/{action}", data=data)
    body = response.get_data(as_text=True)
    assert_clear(response.status_code, body)
    assert response.status_code in {200, 400, 404, 409, 503}
    if action == "reply" and response.status_code != 200:
        assert kept(text, body)


@pytest.fixture(scope="module")
def counsellor(site: tuple[Flask, str]) -> StaffLogin:
    app, _code = site
    login = StaffLogin(app.test_client(), Clock())
    login.login(create_account(app, "fuzz.counsellor"))
    return login


@MESSAGE_SETTINGS
@given(
    action=st.sampled_from(["reply", "take", "release", "close"]),
    fields=st.dictionaries(st.sampled_from(["text", "version", "reply", "action"]), JUNK),
)
def test_the_staff_forms(
    site: tuple[Flask, str], counsellor: StaffLogin, action: str, fields: dict[str, str]
) -> None:
    app, _code = site
    inbox = counsellor.client.get("/staff/messages").get_data(as_text=True)
    found = re.search(r"/staff/messages/([0-9a-f]{32})", inbox)
    assert found
    page = f"/staff/messages/{found.group(1)}"
    response = counsellor.post(f"{page}/{action}", dict(fields), form_url=page)
    body = response.get_data(as_text=True)
    assert_clear(response.status_code, body)
    text = fields.get("text", "")
    if action == "reply" and response.status_code in {400, 409}:
        assert kept(text, body)


@MESSAGE_SETTINGS
@given(nl=JUNK, en=JUNK, version=JUNK)
@example(nl="\x00", en="a", version="1")  # PostgreSQL refuses NUL in text: was a 503 there
def test_the_answer_time_form(counsellor: StaffLogin, nl: str, en: str, version: str) -> None:
    fields = {"answer_time_nl": nl, "answer_time_en": en, "version": version}
    response = counsellor.post("/staff/messages/answer-time", fields, form_url="/staff/messages")
    assert_clear(response.status_code, response.get_data(as_text=True))
