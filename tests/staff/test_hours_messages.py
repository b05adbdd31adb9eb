"""The validator's codes through gettext: every code has a msgid with the parameters the
validator gives, and a wording in Dutch and in English (app/staff/hours/messages.py)."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask_babel import force_locale

from app.hours.errors import ENGLISH, Code, FieldError
from app.staff.hours.messages import MESSAGES, explain
from tests.hours.test_errors import placeholders, sample
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import page_text
from tests.staff.hours_pages import upload


def test_every_code_has_a_gettext_wording() -> None:
    assert set(MESSAGES) == set(Code)


@pytest.mark.parametrize("code", list(Code))
def test_each_msgid_uses_the_parameters_the_validator_gives(app: Flask, code: Code) -> None:
    with app.test_request_context("/staff/"), force_locale("en"):
        msgid = str(MESSAGES[code])  # no English catalog: the msgid itself
    assert placeholders(msgid) == placeholders(ENGLISH[code])


@pytest.mark.parametrize("code", list(Code))
def test_each_code_is_worded_in_dutch_and_in_english(app: Flask, code: Code) -> None:
    error = sample(code)
    with app.test_request_context("/staff/"):
        with force_locale("nl"):
            dutch = explain(error)
        with force_locale("en"):
            english = explain(error)
    assert "%(" not in dutch
    assert "%(" not in english
    assert dutch != english


def test_a_weekday_and_an_overlapping_row_are_named_for_the_reader(app: Flask) -> None:
    night = FieldError("x", Code.OVERLAPS_NIGHT, {"day": "fri", "hours": "22:00-03:00"})
    other = FieldError("x", Code.OVERLAPS_EXCEPTION, {"other": "exceptions[1]"})
    with app.test_request_context("/staff/"), force_locale("nl"):
        assert explain(night) == "overlapt met de late tijden van vrijdag (22:00-03:00)."
        described = explain(other, {"exceptions[1]": "2026-12-24 (alle kanalen)"}.get)
        assert described == "Deze datums overlappen met 2026-12-24 (alle kanalen)."
        assert explain(other) == "Deze datums overlappen met exceptions[1]."


def test_a_problem_only_a_hand_edited_file_has_is_shown_in_dutch(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    """Before, the regex table knew only the editor's problems: a file with holidays "maybe"
    showed the validator's English sentence on the Dutch upload page."""
    export = logged_in_admin.client.get("/staff/hours/export").get_json()
    export["channels"]["chat"]["holidays"] = "maybe"
    response = upload(logged_in_admin, json.dumps(export).encode())
    problems = page_text(response).split('id="import-problems"', 1)[1].split("</div>", 1)[0]
    assert 'verwacht "closed" of "normal"' in problems
    assert 'expected "closed" or "normal"' not in problems
