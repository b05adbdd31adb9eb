"""The counsellor's wrap-up: fixed lists, counted once, nothing linked to the chat."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.chat.web import open_chat_app, start_chat
from tests.counters.helpers import counted
from tests.staff.conftest import StaffLogin


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    return open_chat_app(tmp_path)


def ended_chat(app: Flask, counsellor: StaffLogin) -> str:
    start_chat(app.test_client())
    taken = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    chat_id = taken.headers["Location"].rsplit("/", 1)[1]
    ended = counsellor.post(f"/staff/chat/{chat_id}/end", {}, f"/staff/chat/{chat_id}")
    assert ended.headers["Location"].endswith(f"/staff/chat/{chat_id}")  # to the wrap-up
    return chat_id


def test_a_wrapup_counts_each_pick_once_and_then_the_chat_is_gone(
    app: Flask, counsellor: StaffLogin
) -> None:
    chat_id = ended_chat(app, counsellor)
    page = counsellor.client.get(f"/staff/chat/{chat_id}").get_data(as_text=True)
    assert 'name="who" value="relative_or_friend"' in page
    data = {"who": "relative_or_friend", "topic": ["thoughts", "treatment"], "referral": "gp"}
    saved = counsellor.post(f"/staff/chat/{chat_id}/wrapup", data, f"/staff/chat/{chat_id}")
    assert saved.status_code == 302
    again = counsellor.post(f"/staff/chat/{chat_id}/wrapup", data, "/staff/chat")
    assert again.status_code == 404  # the tombstone went with the first save
    found = {key: n for key, n in counted(app).items() if key[0].startswith("wrapup")}
    assert found == {
        ("wrapup_who", "relative_or_friend"): 1,
        ("wrapup_topic", "thoughts"): 1,
        ("wrapup_topic", "treatment"): 1,
        ("wrapup_referral", "gp"): 1,
    }


def test_a_value_not_in_the_lists_is_refused_and_nothing_counted(
    app: Flask, counsellor: StaffLogin
) -> None:
    chat_id = ended_chat(app, counsellor)
    data = {"who": "young_person", "topic": "a name and an address"}
    refused = counsellor.post(f"/staff/chat/{chat_id}/wrapup", data, f"/staff/chat/{chat_id}")
    assert refused.status_code == 400
    assert "a name and an address" not in refused.get_data(as_text=True)
    assert not any(metric.startswith("wrapup") for metric, _ in counted(app))


def test_a_running_chat_cannot_be_wrapped_up(app: Flask, counsellor: StaffLogin) -> None:
    start_chat(app.test_client())
    taken = counsellor.post("/staff/chat/take", {}, form_url="/staff/chat")
    chat_id = taken.headers["Location"].rsplit("/", 1)[1]
    response = counsellor.post(f"/staff/chat/{chat_id}/wrapup", {"who": "unclear"}, "/staff/chat")
    assert response.status_code == 409
