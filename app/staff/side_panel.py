"""Who a counsellor may ask for help inside a chat, and what the pages show of a side thread.

Kept apart from the views (app/staff/colleague_views.py) so the console's own pages
(app/staff/console_views.py) can show a side thread without importing those views.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app import clock
from app.chat.side_backends import side_threads_of
from app.chat.side_threads import SideThread
from app.chat.store import ChatInfo
from app.chat.web import chat_store
from app.db import db
from app.staff.accounts import StaffSession, StaffUser

# A staff session seen this recently counts as on duty (sessions are touched once a minute).
ON_DUTY = timedelta(minutes=3)


def who_can_be_asked(counsellor: int) -> list[StaffUser]:
    """The one rule of who can be asked: any other active staff member who is available for
    chats now (their console is open), or who leads shifts and is on duty: has a staff page
    open within ON_DUTY (the shift board's frame polls, so watching it counts). Either sees
    the request within seconds, in the console or on the board.
    """
    store, moment = chat_store(), clock.seconds()
    on_duty = set(
        db.session.scalars(
            select(StaffSession.user_id).where(
                StaffSession.stage == "active", StaffSession.last_seen >= clock.now() - ON_DUTY
            )
        )
    )
    return [
        user
        for user in db.session.scalars(select(StaffUser).where(StaffUser.is_active))
        if user.id != counsellor
        and (store.is_available(user.id, moment) or (user.leads_shifts and user.id in on_duty))
    ]


def name_of(user_id: int) -> str:
    user = db.session.get(StaffUser, user_id)
    return user.username if user else ""


def side_context(info: ChatInfo, counsellor: int) -> dict[str, Any]:
    """For the counsellor's chat page: the side thread and its colleague's name, or whom the
    counsellor may ask."""
    thread = side_threads_of(chat_store()).find(info.chat_id) if info.state == "active" else None
    return {
        "side": thread,
        "side_colleague": name_of(thread.colleague) if thread else "",
        "askable": who_can_be_asked(counsellor) if info.state == "active" and not thread else [],
    }


def asks_of(colleague: int) -> list[tuple[SideThread, str]]:
    """The side threads that ask `colleague`, with the name of the counsellor asking."""
    threads = side_threads_of(chat_store()).asked(colleague)
    return [(thread, name_of(thread.counsellor)) for thread in threads]
