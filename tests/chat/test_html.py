"""Every chat page and frame, the visitor's and the counsellor's, is valid HTML (Nu checker)."""

from __future__ import annotations

from pathlib import Path

from app import clock as site_clock
from app.chat.web import chat_store
from tests.chat.web import chat_address, open_chat_app, start_chat
from tests.html_check import html_errors
from tests.staff.conftest import Clock, StaffLogin, create_account


def test_chat_pages_are_valid_html(tmp_path: Path) -> None:
    app = open_chat_app(tmp_path)
    visitor = app.test_client()
    counsellor = StaffLogin(app.test_client(), Clock())
    counsellor.login(create_account(app, "counsellor.html"))
    counsellor.post("/staff/chat/available", {"available": "1"}, form_url="/staff/chat")
    pages: dict[str, bytes] = {"entry": visitor.get("/en/chat").data}
    token = start_chat(visitor, nickname="Sam", message="hello")
    frame = f"{chat_address(visitor, token, 'en')}/frame"
    pages["waiting room"] = visitor.post("/en/chat/view", data={"token": token}).data
    pages["frame, waiting"] = visitor.get(f"{frame}?queue=1").data
    pages["console"] = counsellor.client.get("/staff/chat").data
    pages["console frame"] = counsellor.client.get("/staff/chat/overview").data
    with app.app_context():
        [chat] = chat_store().queue(site_clock.seconds())
    counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    pages["frame, joined"] = visitor.get(f"{frame}?queue=1").data
    pages["conversation"] = visitor.post("/en/chat/view", data={"token": token}).data
    pages["frame, paused"] = visitor.get(f"{frame}?auto=0").data
    pages["counsellor's chat"] = counsellor.client.get(f"/staff/chat/{chat.chat_id}").data
    pages["counsellor's frame"] = counsellor.client.get(f"/staff/chat/{chat.chat_id}/frame").data
    pages["replies"] = counsellor.client.get("/staff/chat/replies").data
    pages["ended"] = visitor.post("/en/chat/end", data={"token": token}).data
    pages["gone"] = visitor.post("/en/chat/view", data={"token": token}).data
    pages["frame, gone"] = visitor.get(frame).data
    pages["counsellor's ended chat, wrap-up"] = counsellor.client.get(
        f"/staff/chat/{chat.chat_id}"
    ).data
    pages["console frame, wrap-up link"] = counsellor.client.get("/staff/chat/overview").data
    pages["feedback thanks"] = visitor.post("/en/chat/feedback", data={"helped": "yes"}).data
    assert html_errors(pages) == []
