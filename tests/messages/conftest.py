"""Message fixtures: a visitor who leaves messages the way a browser does (form key, POST)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CODE = re.compile(r'id="pickup-code">([^<]+)<')


def form_key(client: FlaskClient, lang: str = "nl") -> str:
    page = client.get("/nl/bericht" if lang == "nl" else "/en/message").get_data(as_text=True)
    match = re.search(r'name="form_key" value="([^"]+)"', page)
    assert match, "no form key on the message page"
    return match.group(1)


def leave(client: FlaskClient, text: str, first_name: str = "") -> TestResponse:
    data = {"form_key": form_key(client), "text": text, "first_name": first_name}
    return client.post("/nl/message/send", data=data)


def leave_message(client: FlaskClient, text: str, first_name: str = "") -> str:
    """Leave a message; the pick-up code shown."""
    response = leave(client, text, first_name)
    assert response.status_code == 200, response.get_data(as_text=True)[:1000]
    match = CODE.search(response.get_data(as_text=True))
    assert match
    return match.group(1)
