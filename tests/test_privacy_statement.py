"""Promise 8: the privacy statement is tested against what the code does.

Each section of the statement (by its id) is paired with a check of the code or configuration
that keeps that promise. A section without a check, or a check without a section, fails: the
statement cannot promise more, or less, than the tests prove. The end-to-end proofs live in
test_privacy_server.py (real gunicorn), test_headers.py and tests/browser/.
"""

from __future__ import annotations

import inspect
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.privacy import CONTENT_SECURITY_POLICY, GunicornLogger
from tests.address_readers import client_address_readers
from tests.test_headers import assert_strict_csp

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = (ROOT / "deploy/gunicorn.conf.py").read_text()
NGINX_CONF = "\n".join(p.read_text() for p in sorted((ROOT / "deploy/nginx").glob("*.conf")))
TEMPLATES = {p: p.read_text() for p in (ROOT / "templates").rglob("*.html")}


def no_logs(app: Flask, client: FlaskClient) -> None:
    assert re.search(r"^accesslog = None$", GUNICORN_CONF, re.M)
    assert 'logger_class = "app.privacy.GunicornLogger"' in GUNICORN_CONF
    assert GunicornLogger.error_fmt.find("asctime") == -1  # no time of a visit
    assert "access_log off;" in NGINX_CONF
    assert "error_log /dev/null crit;" in NGINX_CONF
    assert (
        re.search(r"^\s*(access_log|error_log) (?!off;|/dev/null crit;)", NGINX_CONF, re.M) is None
    )
    assert "X-Forwarded-For" in NGINX_CONF  # ...and it is blanked, see the comment there
    assert re.search(r'proxy_set_header X-Forwarded-For "";', NGINX_CONF)


def no_cookies(app: Flask, client: FlaskClient) -> None:
    assert app.config["SESSION_COOKIE_PATH"] == "/staff"
    for url in ("/nl/", "/en/contact", "/api/status", "/nl/no-such-page"):
        assert "Set-Cookie" not in client.get(url).headers, url


def no_third_parties(app: Flask, client: FlaskClient) -> None:
    assert_strict_csp(CONTENT_SECURITY_POLICY)  # the browser may load from our origin only
    for path, text in TEMPLATES.items():
        # Links to other sites are fine (the visitor chooses to go); loading from them is not.
        assert not re.search(r'(src|action)="(https?:)?//', text), path
        assert not re.search(r'<link[^>]+href="(https?:)?//', text), path


def no_javascript_needed(app: Flask, client: FlaskClient) -> None:
    for path, text in TEMPLATES.items():
        assert "javascript:" not in text, path
        assert 'href="#"' not in text, path
        assert not re.search(r"\son[a-z]+=", text), path  # no inline handlers
    home = client.get("/nl/").get_data(as_text=True)
    assert re.search(r'<a id="quick-exit"[^>]*href="https://', home)


def reflection_answers(app: Flask, client: FlaskClient) -> None:
    page = client.get("/nl/even-nadenken-over-jezelf").get_data(as_text=True)
    assert re.search(r'<form id="assessment-form"[^>]*method="post"', page)
    result = client.post("/nl/even-nadenken-over-jezelf", data={"child_danger": "yes"})
    assert result.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in result.headers


def chat(app: Flask, client: FlaskClient) -> None:
    from app.chat.store import Limits

    limits = Limits(**app.config["CHAT_LIMITS"])
    page = client.get("/en/privacy").get_data(as_text=True)
    assert f"after {limits.idle_seconds // 60} minutes without messages" in page  # configured
    store_url = app.config["CHAT_STORE_URL"]
    assert store_url.startswith(("sqlite:///", "redis"))  # its own store...
    assert store_url != app.config["SQLALCHEMY_DATABASE_URI"]  # ...never the database
    # "works for about a minute only": the frames' and the stream's view pass
    assert "works for about a minute only" in page
    assert limits.view_seconds <= 60
    # "a small calculation ... we do not need to know who or where you are ... fewer places"
    assert "your browser does a small calculation" in page
    assert limits.unproven_waiting <= limits.max_waiting // 4
    assert client_address_readers() == []
    # "If that stops for N seconds while you wait, you leave the queue": the configured limit
    assert f"If that stops for {limits.waiting_gone_seconds} seconds while you wait" in page
    # "The counsellor can see that you are typing, but not what": `typing` has no place for text
    from app.chat.store import ChatStore

    assert "typing, but not what" in page
    signature = inspect.signature(ChatStore.typing).parameters
    assert list(signature) == ["self", "chat_id", "who", "now", "by"]
    with tempfile.TemporaryDirectory() as folder:
        chat_keeps_only_the_hash_and_gives_unproven_starts_fewer_places(Path(folder))


def chat_keeps_only_the_hash_and_gives_unproven_starts_fewer_places(folder: Path) -> None:
    """A real start through the views: the store finds the chat by the token's hash, its file
    holds no token, no address the page links to carries it, no cookie is set, and a start
    without the proof of work gets one of the few places kept for those."""
    from app.chat.tokens import token_hash
    from tests.chat.web import TOKEN_FIELD, open_chat_app, start_form, view_pass_in

    chat_app = open_chat_app(folder, unproven_waiting=1)
    store = chat_app.extensions["chat_store"]
    store.set_available(1, True, time.time())
    visitor = chat_app.test_client()
    started = visitor.post("/en/chat/start", data=start_form(visitor))
    assert started.status_code == 200
    assert "Set-Cookie" not in started.headers
    room = started.get_data(as_text=True)
    token = TOKEN_FIELD.search(room)
    assert token
    assert store.find(token_hash(token.group(1)), time.time()) is not None
    stored = b"".join(path.read_bytes() for path in folder.glob("chat.sqlite3*"))
    assert token.group(1).encode() not in stored
    addresses = re.findall(r'(?:href|src|action)="([^"]*)"', room)
    assert addresses
    assert not any(token.group(1) in address for address in addresses)
    frame = visitor.get(f"/en/chat/{view_pass_in(room)}/frame")
    assert frame.status_code == 200
    assert "Set-Cookie" not in frame.headers
    unproven = chat_app.test_client()
    refused = unproven.post("/en/chat/start", data=start_form(unproven))
    assert refused.status_code == 503
    assert TOKEN_FIELD.search(refused.get_data(as_text=True)) is None


def messages(app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import Date, LargeBinary

    from app.messages.models import Conversation, ConversationMessage
    from app.messages.store import Limits

    days = Limits(**app.config["MESSAGES_LIMITS"]).retention_days
    page = client.get("/en/privacy").get_data(as_text=True)
    assert f"for good {days} days after its last message" in page  # the configured retention
    # What is stored: the texts and the first name only as ciphertext, days only, the code's HMAC.
    message, conversation = ConversationMessage.__table__.c, Conversation.__table__.c
    assert isinstance(message.text.type, LargeBinary)
    assert isinstance(conversation.first_name.type, LargeBinary)
    assert isinstance(message.sent_on.type, Date)
    assert set(message.keys()) == {"conversation_id", "position", "author", "sent_on", "text"}
    assert set(conversation.keys()) == {
        "id", "lookup", "state", "first_name", "waiting_since", "last_message_on", "taken_by",
        "version",
    }  # fmt: skip
    assert app.config["MESSAGES_KEYS"]  # the key comes from outside the database
    # Codes and texts come from POST bodies only, never from the address, and set no cookie.
    from tests.messages.conftest import leave

    left = leave(client, "A message for the statement check")
    assert left.status_code == 200
    assert "Set-Cookie" not in left.headers
    code = re.search(r'id="pickup-code">([^<]+)<', left.get_data(as_text=True))
    assert code
    read = client.post("/nl/message/read", data={"code": code.group(1)})
    assert "A message for the statement check" in read.get_data(as_text=True)
    assert "Set-Cookie" not in read.headers
    for by_address in (
        client.get(f"/nl/message/read?code={code.group(1)}"),
        client.post(f"/nl/message/read?code={code.group(1)}", data={}),
    ):
        assert "A message for the statement check" not in by_address.get_data(as_text=True)


def counting(app: Flask, client: FlaskClient) -> None:
    """Every metric of app/counters/metrics.py is named in the statement, and nothing else;
    the table can hold only a day, listed names and a number (tests/counters/test_store.py
    proves it of the database itself)."""
    from app.counters.metrics import Metric
    from app.counters.store import DailyCounter
    from app.counters.web import SHAREABLE_STEP, shareable

    for lang in ("nl", "en"):
        page = client.get(f"/{lang}/privacy").get_data(as_text=True)
        section = page.split('<h2 id="counting">', 1)[1].split("<h2", 1)[0]
        named = [
            m for group in re.findall(r'data-metrics="([a-z_ ]+)"', section) for m in group.split()
        ]
        assert sorted(named) == sorted(m.value for m in Metric), lang
    assert set(DailyCounter.__table__.columns.keys()) == {"day", "metric", "bucket", "count"}
    assert SHAREABLE_STEP == 5
    assert shareable(4) == "< 5"


def no_referrer(app: Flask, client: FlaskClient) -> None:
    assert client.get("/en/").headers["Referrer-Policy"] == "no-referrer"
    macro = TEMPLATES[ROOT / "templates/partials/contacts.html"]
    assert 'rel="noreferrer noopener"' in macro


def quick_exit_privacy(app: Flask, client: FlaskClient) -> None:
    page = client.get("/en/privacy").get_data(as_text=True)
    assert 'rel="noreferrer nofollow"' in page
    assert f'href="{app.config["QUICK_EXIT_URL"]}"' in page


def staff_changes(app: Flask, client: FlaskClient) -> None:
    from app.staff.audit import AuditEntry

    columns = set(AuditEntry.__table__.columns.keys())
    assert columns == {"id", "at", "actor", "action", "target", "before", "after"}


CHECKS: dict[str, Callable[[Flask, FlaskClient], None]] = {
    "no-logs": no_logs,
    "no-cookies": no_cookies,
    "no-third-parties": no_third_parties,
    "no-javascript-needed": no_javascript_needed,
    "reflection-answers": reflection_answers,
    "chat": chat,
    "messages": messages,
    "counting": counting,
    "no-referrer": no_referrer,
    "quick-exit-privacy": quick_exit_privacy,
    "staff-changes": staff_changes,
}
# How to ask us something, and the help block every page ends with: nothing to check.
NOT_PROMISES = {"privacy-questions", "helpline-box-title"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_promise_in_the_statement_has_a_check(client: FlaskClient, lang: str) -> None:
    page = client.get(f"/{lang}/privacy").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    sections = set(re.findall(r'<h2 id="([a-z-]+)"', main)) - NOT_PROMISES
    assert sections == set(CHECKS)


@pytest.mark.parametrize("promise", sorted(CHECKS))
def test_the_code_keeps_the_promise(app: Flask, client: FlaskClient, promise: str) -> None:
    CHECKS[promise](app, client)
