"""The visitor blueprint.

No view here touches `session`, `request.remote_addr`, a logger or a CSRF token: visitors are
not identified in any way. `app/privacy/` (cookies.py) enforces the cookie part for every response.
"""

from app.public import (  # noqa: F401  (registers the views on bp)
    assessment,
    chat_feedback,
    chat_updates,
    chat_views,
    hours,
    message_views,
    page_table,
    routes,
)
from app.public.blueprint import bp

__all__ = ["bp"]
