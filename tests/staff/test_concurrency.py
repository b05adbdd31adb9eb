"""Two staff members edit the same thing at once: the first save wins, the second gets a clear
message with the saved version in the form and their own changes still in view, and a second
try from there saves without undoing the first."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.contacts import Contact
from app.db import db
from app.hours.schedule_json import dump_schedule
from app.hours.store import load_schedule
from app.notice.store import load_notice
from tests.staff.conftest import Account, Clock, StaffLogin
from tests.staff.helpers import form_fields, page_text


@pytest.fixture
def second(app: Flask, clock: Clock, staff_member: Account) -> StaffLogin:
    other = StaffLogin(app.test_client(), clock)
    other.login(staff_member)
    return other


def both_load(first: FlaskClient, second: FlaskClient, url: str) -> tuple[dict[str, str], ...]:
    return form_fields(first.get(url)), form_fields(second.get(url))


def test_hours(app: Flask, logged_in_admin: StaffLogin, second: StaffLogin) -> None:
    url = "/staff/hours"
    mine, theirs = both_load(logged_in_admin.client, second.client, url)
    first = logged_in_admin.client.post(url, data={**mine, "channel_chat-mon": "08:00-09:00"})
    assert first.status_code == 302
    late = second.client.post(url, data={**theirs, "channel_chat-tue": "10:00-11:00"})
    assert late.status_code == 409
    page = page_text(late)
    assert 'id="conflict"' in page
    assert form_fields(page)["channel_chat-mon"] == "08:00-09:00"  # the saved version
    assert '"10:00-11:00"' in page.split('id="conflict"', 1)[1]  # and what they tried
    with app.app_context():
        loaded = load_schedule(db.session)
        assert loaded is not None
        weekly = dump_schedule(loaded[0])["channels"]["chat"]["weekly"]  # type: ignore[index]
    assert weekly["mon"] == ["08:00-09:00"]
    assert weekly["tue"] == ["19:00-22:00"]
    again = second.client.post(url, data={**form_fields(page), "channel_chat-tue": "10:00-11:00"})
    assert again.status_code == 302


def test_notice(app: Flask, logged_in_admin: StaffLogin, second: StaffLogin) -> None:
    url = "/staff/notice"
    mine, theirs = both_load(logged_in_admin.client, second.client, url)
    first = logged_in_admin.client.post(url, data={**mine, "text_nl": "Eerst", "text_en": "First"})
    assert first.status_code == 302
    late = second.client.post(url, data={**theirs, "text_nl": "Later", "text_en": "Later on"})
    assert late.status_code == 409
    page = page_text(late)
    assert form_fields(page)["text_nl"] == "Eerst"
    assert "Later on" in page.split('id="conflict"', 1)[1]
    with app.app_context():
        assert (
            load_notice(db.session).html_en == "<p>First</p>"
        )  # stored as the HTML made from the text
    again = second.client.post(url, data={**form_fields(page), "text_en": "Later on"})
    assert again.status_code == 302


def test_first_notice_ever(app: Flask, logged_in_admin: StaffLogin, second: StaffLogin) -> None:
    """No notice row yet: the two first saves collide on the row itself."""
    url = "/staff/notice"
    mine, theirs = both_load(logged_in_admin.client, second.client, url)
    assert mine["version"] == theirs["version"] == "0"
    assert (
        logged_in_admin.client.post(url, data={**mine, "text_nl": "a", "text_en": "b"}).status_code
        == 302
    )
    assert (
        second.client.post(url, data={**theirs, "text_nl": "c", "text_en": "d"}).status_code == 409
    )
    with app.app_context():
        assert load_notice(db.session).html_nl == "<p>a</p>"


def test_contact(app: Flask, logged_in_admin: StaffLogin, second: StaffLogin) -> None:
    url = "/staff/directory/police"
    mine, theirs = both_load(logged_in_admin.client, second.client, url)
    first = logged_in_admin.client.post(url, data={**mine, "phone": "0900 8844"})
    assert first.status_code == 302
    late = second.client.post(url, data={**theirs, "description_en": "Changed later."})
    assert late.status_code == 409
    page = page_text(late)
    assert form_fields(page)["phone"] == "0900 8844"
    assert "Changed later." in page.split('id="conflict"', 1)[1]
    with app.app_context():
        police = db.session.get(Contact, "police")
        assert police is not None
        assert police.phone == "0900 8844"
        assert police.description_en != "Changed later."
    again = second.client.post(url, data={**form_fields(page), "description_en": "Changed later."})
    assert again.status_code == 302
    with app.app_context():
        police = db.session.get(Contact, "police")
        assert police is not None
        assert (police.phone, police.description_en) == ("0900 8844", "Changed later.")
