"""The counsellors' message inbox: read, take, answer, release, close, delete.

Behind the staff gate like every staff page (login, CSRF). A counsellor sees the texts and the
day each was sent, nothing else: there is nothing else. Two counsellors never both answer
unknowingly: "I'm answering this" takes the conversation (one conditional UPDATE), a colleague
then sees who has it, and every send is compare-and-set on the version the page showed, so a
stale send is refused with the typed text kept (app/messages/store.py).

The audit trail records who answered, closed or deleted which conversation (a short part of
its random id), never a text.
"""

from __future__ import annotations

from http import HTTPStatus

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.chat.canned import CannedResponse
from app.chat.web import whole_number
from app.counters.metrics import Metric, answer_days_bucket
from app.counters.web import count
from app.db import db
from app.messages import answer_time, store, web
from app.messages.crypto import WrongKey
from app.messages.inbox import inbox
from app.staff.accounts import StaffUser
from app.staff.audit import record, record_change
from app.staff.auth import current_user
from app.staff.blueprint import MENU, bp
from app.staff.forms import parse_version
from app.versioned import Stale

CONVERSATION = "/messages/<conversation_id>"


def me() -> int:
    user = current_user()
    assert user is not None  # the staff gate ran first  # noqa: S101
    return user.id


def target(conversation_id: str) -> str:
    """How the audit trail names a conversation: enough to tell entries apart, nothing more."""
    return f"message {conversation_id[:8]}"


def names() -> dict[int, str]:
    return {user.id: user.username for user in db.session.scalars(select(StaffUser))}


@bp.errorhandler(WrongKey)
def unreadable(_error: WrongKey) -> ResponseReturnValue:
    """Texts stored under another key (a database restored next to a new MESSAGES_KEY)."""
    db.session.rollback()
    return render_template("staff/message_unreadable.html"), HTTPStatus.SERVICE_UNAVAILABLE


@bp.get("/messages")
def messages_inbox() -> ResponseReturnValue:
    """Waiting conversations, oldest first with the days they waited; the others below."""
    web.require_enabled()
    web.sweep_if_due()
    waiting, rest = inbox(db.session, web.keys())
    return render_template(
        "staff/messages.html",
        waiting=waiting,
        rest=rest,
        today=web.today(),
        names=names(),
        unreadable=[s for s in waiting + rest if not s.readable],
        answer_time_nl=answer_time.answer_time(db.session, "nl"),
        answer_time_en=answer_time.answer_time(db.session, "en"),
        settings_version=answer_time.settings_version(db.session),
        retention_days=web.limits().retention_days,
    )


def render_conversation(
    conversation_id: str, *, error: str = "", draft: str = "", status: int = 200
) -> ResponseReturnValue:
    view = store.read(db.session, web.keys(), conversation_id)
    if view is None:
        if draft:
            body = render_template("staff/message_gone.html", draft=draft)
            return body, HTTPStatus.NOT_FOUND
        abort(404)
    replies = db.session.scalars(select(CannedResponse).order_by(CannedResponse.title)).all()
    body = render_template(
        "staff/message.html",
        conversation=view,
        error=error,
        draft=draft,
        replies=replies,
        names=names(),
        me=me(),
        max_chars=web.limits().text_max_chars,
    )
    return body, status


@bp.get(CONVERSATION)
def message_conversation(conversation_id: str) -> ResponseReturnValue:
    web.require_enabled()
    return render_conversation(conversation_id)


@bp.post(f"{CONVERSATION}/reply")
def message_answer(conversation_id: str) -> ResponseReturnValue:
    """Send the answer, or (action=insert) put a ready-made reply into the box first."""
    web.require_enabled()
    raw = request.form.get("text", "")
    if request.form.get("action") == "insert":
        number = whole_number(request.form.get("reply"))
        reply = db.session.get(CannedResponse, number) if number is not None else None
        draft = f"{raw.rstrip()}\n\n{reply.body}".strip() if reply else raw
        return render_conversation(conversation_id, draft=draft)
    try:
        text = store.clean_text(raw, web.limits().text_max_chars)
    except store.TooLong:
        error = _("The answer is too long. Please make it shorter.")
        return render_conversation(conversation_id, error=error, draft=raw, status=400)
    if not text:
        error = _("Write an answer first.")
        return render_conversation(conversation_id, error=error, draft=raw, status=400)
    try:
        waited = store.staff_reply(
            web.desk(),
            conversation_id,
            version=parse_version(request.form.get("version")),
            staff_id=me(),
            text=text,
        )
    except Stale:
        db.session.rollback()
        error = _(
            "Your answer was not sent: the conversation changed since you opened it (a new "
            "message, or a colleague answered or took it). Read it again; your text is kept below."
        )
        return render_conversation(conversation_id, error=error, draft=raw, status=409)
    record("message answered", target(conversation_id))
    db.session.commit()
    if waited is not None:
        count(Metric.MESSAGE_ANSWERED, answer_days_bucket(waited))
    flash(_("Your answer is sent. The visitor reads it with their pick-up code."))
    return redirect(url_for("staff.messages_inbox"))


def _step(conversation_id: str, step: str) -> ResponseReturnValue:
    """Take, release or close: one conditional UPDATE each, then the conversation again."""
    web.require_enabled()
    try:
        if step == "take":
            store.take(db.session, conversation_id, me())
        elif step == "release":
            store.release(db.session, conversation_id)
        else:
            store.close(db.session, conversation_id)
    except Stale:
        db.session.rollback()
        error = _("This did not work: the conversation changed just now. Here it is as it is now.")
        return render_conversation(conversation_id, error=error, status=409)
    record(f"message {step}", target(conversation_id))
    db.session.commit()
    return redirect(url_for("staff.message_conversation", conversation_id=conversation_id))


@bp.post(f"{CONVERSATION}/take")
def message_take(conversation_id: str) -> ResponseReturnValue:
    """ "I'm answering this": colleagues see that, and cannot send an answer meanwhile."""
    return _step(conversation_id, "take")


@bp.post(f"{CONVERSATION}/release")
def message_release(conversation_id: str) -> ResponseReturnValue:
    """Leave it for a colleague (also someone else's hold, e.g. after their shift)."""
    return _step(conversation_id, "release")


@bp.post(f"{CONVERSATION}/close")
def message_close(conversation_id: str) -> ResponseReturnValue:
    return _step(conversation_id, "close")


@bp.post(f"{CONVERSATION}/delete")
def message_delete(conversation_id: str) -> ResponseReturnValue:
    web.require_enabled()
    if not store.delete_conversation(db.session, conversation_id):
        abort(404)
    record("message deleted", target(conversation_id))
    db.session.commit()
    flash(_("The conversation is deleted for good."))
    return redirect(url_for("staff.messages_inbox"))


MAX_ANSWER_TIME = answer_time.MAX_ANSWER_TIME


def one_line(raw: str) -> str:
    """Typed text as one line of plain text. NUL goes too: PostgreSQL cannot store it in text
    (found by tests/fuzz/test_message_forms.py on PostgreSQL: a 503 instead of a clear answer)."""
    return " ".join(raw.replace("\x00", "").split())


@bp.post("/messages/answer-time")
def messages_answer_time() -> ResponseReturnValue:
    """The line visitors read: "We answer within 3 working days"."""
    web.require_enabled()
    dutch, english = (
        one_line(request.form.get(f"answer_time_{lang}", "")) for lang in ("nl", "en")
    )
    if not dutch or not english or len(dutch) > MAX_ANSWER_TIME or len(english) > MAX_ANSWER_TIME:
        flash(_("Write the line in Dutch and in English, each at most 200 characters."))
        return redirect(url_for("staff.messages_inbox"))
    version = parse_version(request.form.get("version"))
    try:
        answer_time.save_answer_time(db.session, dutch, english, version, audit=record_change)
    except Stale:
        flash(_("Someone else changed this line just now. Yours was not saved: please try again."))
        return redirect(url_for("staff.messages_inbox"))
    flash(_("The line is saved."))
    return redirect(url_for("staff.messages_inbox"))


MENU.append(("staff.messages_inbox", _l("Messages")))
