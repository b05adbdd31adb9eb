"""Staff forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

USERNAME = Regexp(r"^[A-Za-z0-9._-]{3,64}$", message=_l("3-64 letters, digits, '.', '_' or '-'."))


MAX_DB_INTEGER = 2**31 - 1  # fits every database's integer column


def parse_version(raw: str | None) -> int:
    """The version an editor started from; -1 (always stale) if unreadable or out of range.

    A version outside the column's range would make the database driver fail (a 500) before
    the compare-and-set could answer "someone else saved".
    """
    try:
        version = int(raw or "")
    except ValueError:
        return -1
    return version if 0 <= version <= MAX_DB_INTEGER else -1


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        _l("Recovery code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class NewPasswordForm(FlaskForm):
    """The password chosen right after logging in with a one-time password."""

    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    repeat = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new", message=_l("The two passwords differ."))],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    repeat = PasswordField(
        _l("New password again"),
        validators=[EqualTo("new", message=_l("The two passwords differ."))],
    )


class NewUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), USERNAME])
    password = PasswordField(_l("First password"), validators=[DataRequired(), Length(max=1024)])
    is_admin = BooleanField(_l("Administrator"))
    is_shift_lead = BooleanField(_l("Shift lead (sees the shift board; administrators do anyway)"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
