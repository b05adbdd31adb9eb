"""The chat's entry page and the helpline box while the chat is closed (issue 11).

A closed chat gets no start button: the page says when the chat opens, offers the phone when
the phone is open now ("Call now"), and otherwise what can be done now. It never talks like a
developer ("this chat also works without JavaScript").
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient

from tests.clock import freeze

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
# Placeholder hours (app/hours/seed.py): phone Tue 09-17 and 19-21; chat Tue 19-22.
TUESDAY_MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)  # phone open, chat closed
TUESDAY_LATE = dt.datetime(2026, 12, 1, 23, 30, tzinfo=AMSTERDAM)  # both closed
START_WORDS = ("Start the chat", "Start a chat", 'name="start_key"', "<form")


def at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    freeze(monkeypatch, moment)


def main_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]


def test_closed_chat_with_the_phone_open_offers_call_now(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_MORNING)
    main = main_of(client, "/en/chat")
    assert not [words for words in START_WORDS if words in main]
    assert "Closed · open again today at 19:00" in main  # when the chat opens
    assert "Call now:" in main
    call_now = main.split('id="call-now-title"', 1)[1]
    assert 'href="tel:08002666436"' in call_now.split("</section>", 1)[0]
    assert "Open now · until 17:00" in call_now
    assert "JavaScript" not in main


def test_closed_chat_with_the_phone_closed_offers_what_can_be_done_now(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, TUESDAY_LATE)
    main = main_of(client, "/nl/chat")
    assert not [words for words in START_WORDS if words in main]
    assert "Bel nu" not in main  # no "call now" to a closed line
    assert "call-now" not in main
    assert "/nl/nu-iets-doen" in main  # something to do right now
    assert 'href="tel:113"' in main
    assert 'href="tel:112"' in main


@pytest.mark.parametrize("url", ["/en/", "/en/contact", "/en/worried-about-yourself"])
def test_the_helpline_box_has_no_start_button_while_the_chat_is_closed(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    at(monkeypatch, TUESDAY_MORNING)
    main = main_of(client, url)
    assert "Start a chat" not in main
    assert 'href="/en/chat">About the chat</a>' in main
