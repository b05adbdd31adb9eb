"""Every message page, the visitor's in both languages and the counsellor's, is valid HTML
(Nu checker)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import make_app
from tests.html_check import html_errors
from tests.messages.conftest import form_key, leave, leave_message
from tests.staff.conftest import Clock, StaffLogin, create_account


def test_message_pages_are_valid_html(tmp_path: Path) -> None:
    app = make_app(tmp_path, MESSAGES_LIMITS={"max_open": 2})
    visitor = app.test_client()
    pages: dict[str, bytes] = {}
    for lang, path in (("nl", "/nl/bericht"), ("en", "/en/message")):
        pages[f"page {lang}"] = visitor.get(path).data
        pages[f"not found {lang}"] = visitor.post(f"/{lang}/message/read", data={"code": "x"}).data
    pages["code"] = leave(visitor, "hello").data
    code = leave_message(visitor, "second")
    pages["busy"] = leave(visitor, "third").data
    pages["too long"] = visitor.post(
        "/nl/message/send", data={"form_key": form_key(visitor), "text": "x" * 6000}
    ).data
    key = re.search(rb'name="form_key" value="([^"]+)"', pages["busy"])
    assert key
    pages["conversation"] = visitor.post("/nl/message/read", data={"code": code}).data
    pages["reply error"] = visitor.post("/nl/message/reply", data={"code": code, "text": ""}).data
    counsellor = StaffLogin(app.test_client(), Clock())
    counsellor.login(create_account(app, "counsellor.html"))
    inbox = counsellor.client.get("/staff/messages")
    pages["inbox"] = inbox.data
    conversation = re.search(r"/staff/messages/[0-9a-f]{32}", inbox.get_data(as_text=True))
    assert conversation
    pages["staff conversation"] = counsellor.client.get(conversation.group(0)).data
    counsellor.post(f"{conversation.group(0)}/take", {}, form_url=conversation.group(0))
    pages["staff conversation, taken"] = counsellor.client.get(conversation.group(0)).data
    pages["deleted"] = visitor.post("/nl/message/delete", data={"code": code}).data
    first = visitor.get("/nl/bericht")
    replay_key = re.search(rb'name="form_key" value="([^"]+)"', first.data)
    assert replay_key
    visitor.post("/nl/message/send", data={"form_key": replay_key.group(1), "text": "a"})
    pages["replayed"] = visitor.post(
        "/nl/message/send", data={"form_key": replay_key.group(1), "text": "a"}
    ).data
    assert html_errors(pages) == []
