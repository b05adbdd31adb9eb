"""The helpline site: `create_app()` for gunicorn (`app:create_app()`) and `flask --app app`.

This file imports nothing at the top on purpose. Python runs a package's `__init__` before any
module in it, so whatever it imports, every `import app.hours.engine` would load too: the
domain modules (app/hours/, app/assessment/, app/chat/ stores and rules, ...) stay plain Python
only because this file defers the web wiring (app/factory.py) until an app is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from app.factory import create_app as build

    return build(test_config)
