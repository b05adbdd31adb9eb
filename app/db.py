"""Extensions shared by every feature package: the database, migrations, CSRF protection."""

import sqlite3

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.schema import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _secure_delete(dbapi_connection: object, _record: object) -> None:
    """SQLite overwrites deleted rows with zeros (`secure_delete`), so a deleted message's
    ciphertext does not linger in the database file's free pages. PostgreSQL has no such
    setting: a deleted row stays in its table file until VACUUM reuses the space
    (docs/privacy.md)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
