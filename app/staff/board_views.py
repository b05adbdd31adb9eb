"""The shift lead's board (/staff/board): the queue, the counsellors' loads, the message inbox
and today's counters, at a glance and updating itself.

Behind two gates: the staff login, and `lead_bp`'s own (shift leads and admins,
app/staff/blueprint.py). Like the counsellor's console it works without JavaScript: the numbers
come in a frame that long-polls, answered again only when they change (or after
CHAT_LONG_POLL_SECONDS), so the page needs no script and no timed reload.

Privacy: the board shows numbers only, never a chat's content, nickname or id (but for links
to the side threads that ask this shift lead for help, as the console lists them), and no time
of day (the longest wait is in whole minutes). It reads, and writes nothing of its own: no
row (only the staff gate's once-a-minute "last seen"), no audit entry, no log line. Opening it
does not make the shift lead available for chats (the console's frame does that; this one
must not).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from app import clock
from app.chat.board import ChatBoard, chat_board
from app.chat.side_threads import SideThread
from app.chat.web import chat_store
from app.counters.figures import DayRow, day_rows
from app.counters.labels import bucket_label, metric_label
from app.counters.store import totals
from app.counters.web import today
from app.db import db
from app.messages import web as messages_web
from app.messages.store import Conversation
from app.privacy import widen_csp
from app.staff.accounts import StaffUser
from app.staff.auth import current_user
from app.staff.blueprint import lead_bp
from app.staff.side_panel import asks_of

POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Board:
    chat: ChatBoard
    messages_waiting: int | None  # None while anonymous messages are switched off
    counters: list[DayRow]
    # Side threads asking this shift lead for help, with the asking counsellor's name: links
    # for them alone (app/staff/side_panel.py), like the console's list.
    asks: list[tuple[SideThread, str]]


def me() -> int:
    user = current_user()
    assert user is not None  # the staff gate ran first  # noqa: S101
    return user.id


def current_board() -> Board:
    staff = db.session.execute(
        select(StaffUser.id, StaffUser.username).where(StaffUser.is_active)
    ).all()
    waiting = None
    if messages_web.enabled():
        query = select(func.count()).select_from(Conversation)
        waiting = int(db.session.scalar(query.where(Conversation.state == "waiting")) or 0)
    day = today()
    return Board(
        chat=chat_board(chat_store(), [(user, name) for user, name in staff], clock.seconds()),
        messages_waiting=waiting,
        counters=day_rows(totals(db.session, day, day)),
        asks=asks_of(me()),
    )


def fingerprint(board: Board) -> str:
    """What the board shows, in short: the frame is answered again only when this changes."""
    return hashlib.sha256(repr(board).encode()).hexdigest()[:16]


@lead_bp.get("")
def board() -> ResponseReturnValue:
    """The board's page: the numbers are in a self-updating frame."""
    widen_csp(frame_src="'self'")
    return render_template("staff/board.html")


@lead_bp.get("/frame")
def board_frame() -> ResponseReturnValue:
    """The numbers, long-polled: with `?seen=`, the answer waits until they differ from what
    the frame showed, or CHAT_LONG_POLL_SECONDS pass (a timed reload would fail WCAG 2.2.1)."""
    widen_csp(frame_ancestors="'self'")
    seen = request.args.get("seen")
    deadline = time.monotonic() + current_app.config["CHAT_LONG_POLL_SECONDS"]
    while True:
        shown = current_board()
        if seen != fingerprint(shown) or time.monotonic() >= deadline:
            break
        # End the read transaction while waiting: the next look sees what others saved, and
        # no database connection sits idle inside a transaction.
        db.session.commit()
        time.sleep(POLL_SECONDS)
    return render_template(
        "staff/board_frame.html",
        board=shown,
        shown=fingerprint(shown),
        metric_label=metric_label,
        bucket_label=bucket_label,
    )
