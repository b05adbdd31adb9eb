"""Ready-made chat replies: staff write them here, counsellors pick one in a chat."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.chat.canned import CannedResponse
from app.db import db
from app.staff.audit import record
from app.staff.blueprint import bp

MAX_TITLE, MAX_BODY = 80, 2000


class ReplyForm(FlaskForm):
    title = StringField(
        _l("Short name (only counsellors see it)"), [DataRequired(), Length(max=MAX_TITLE)]
    )
    body = TextAreaField(_l("Reply text"), [DataRequired(), Length(max=MAX_BODY)])


@bp.route("/chat/replies", methods=["GET", "POST"])
def replies() -> ResponseReturnValue:
    form = ReplyForm()
    if form.validate_on_submit():
        reply = CannedResponse(title=form.title.data.strip(), body=form.body.data.strip())
        db.session.add(reply)
        record("reply.add", reply.title)
        db.session.commit()
        flash(_("The reply is saved."))
        return redirect(url_for("staff.replies"))
    listed = db.session.scalars(select(CannedResponse).order_by(CannedResponse.title)).all()
    status = 400 if form.errors else 200
    return render_template("staff/chat_replies.html", form=form, replies=listed), status


@bp.post("/chat/replies/<int(max=2147483647):reply_id>/delete")
def delete_reply(reply_id: int) -> ResponseReturnValue:
    reply = db.session.get(CannedResponse, reply_id) or abort(404)
    record("reply.delete", reply.title)
    db.session.delete(reply)
    db.session.commit()
    flash(_("The reply is deleted."))
    return redirect(url_for("staff.replies"))
