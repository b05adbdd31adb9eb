"""The visitor blueprint.

No view here touches `session`, `request.remote_addr`, a logger or a CSRF token: visitors are
not identified in any way. `app/privacy.py` enforces the cookie part for every response.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)

from app.public import (  # noqa: E402,F401  (registers the views on bp)
    assessment,
    chat_feedback,
    chat_updates,
    chat_views,
    hours,
    message_views,
    routes,
)
