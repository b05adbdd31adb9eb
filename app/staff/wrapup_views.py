"""The counsellor's wrap-up after a chat: who it was about, the main topics, the referral given.

Optional and a few taps from fixed lists (app/counters/metrics.py: Who, Topic, Referral),
never free text. Saving only adds one to today's counters per answer: nothing links it to the
chat, the counsellor or the time. The chat's id in the address serves only to check that the
counsellor is wrapping up one of their own ended chats, and to remove its tombstone after
saving, so one chat's wrap-up cannot be counted twice.
"""

from __future__ import annotations

from http import HTTPStatus

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.chat.web import chat_store
from app.counters.labels import WRAPUP_FIELDS
from app.counters.metrics import BUCKETS
from app.counters.web import count
from app.staff.blueprint import bp
from app.staff.console_views import me, own_chat, render_chat


@bp.post("/chat/<chat_id>/wrapup")
def wrapup(chat_id: str) -> ResponseReturnValue:
    info = own_chat(chat_id)  # 404 for anyone else's, and once saved (the tombstone is gone)
    if info.state != "ended":
        abort(HTTPStatus.CONFLICT)
    picked = {
        name: request.form.getlist(name) if several else request.form.getlist(name)[:1]
        for name, _metric, several in WRAPUP_FIELDS
    }
    allowed = {name: {b.value for b in BUCKETS[metric]} for name, metric, _ in WRAPUP_FIELDS}
    if any(not set(values) <= allowed[name] for name, values in picked.items()):
        error = _("Please pick from the lists only. Nothing was counted.")
        return render_chat(info, wrapup_error=error), HTTPStatus.BAD_REQUEST
    for name, metric, _several in WRAPUP_FIELDS:
        for value in dict.fromkeys(picked[name]):  # a value sent twice counts once
            count(metric, value)
    chat_store().dismiss(chat_id, me())
    flash(_("Thank you. The wrap-up is counted; nothing links it to this chat."))
    return redirect(url_for("staff.console"))
