"""The application factory: the whole wiring of the site, readable in one screen.

Called through `app.create_app` (app/__init__.py), which imports this module only when an app
is made, so importing a domain module (hours, assessment, chat store) loads no Flask.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import StrictUndefined

from app import content_cache, errors, faults, i18n, page_cache, privacy
from app.config import load_config
from app.db import csrf, db, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = privacy.PrivateFlask(
        "app",  # the package's name, as before the factory moved here (logger, CLI)
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if test_config:
        env.update({k: str(v) for k, v in test_config.items() if isinstance(v, str)})
    app.config.from_mapping(load_config(env, instance))
    if test_config:
        app.config.from_mapping(test_config)

    app.json.sort_keys = False  # type: ignore[attr-defined]  # channels keep their order
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.globals.pop("config", None)  # templates get what they need, not every secret
    app.jinja_env.add_extension("jinja2.ext.i18n")

    privacy.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    faults.init_app(app)
    db.init_app(app)
    content_cache.init_app(app)
    page_cache.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))

    from app import backup, cli, templating
    from app.counters import web as counters_web
    from app.hours import cli as hours_cli
    from app.messages import cli as messages_cli
    from app.public import bp as public_bp
    from app.staff import bp as staff_bp
    from app.staff import cli as staff_cli

    templating.init_app(app)
    cli.init_app(app)
    backup.init_app(app)
    counters_web.init_app(app)
    hours_cli.init_app(app)
    messages_cli.init_app(app)
    staff_cli.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    csrf.init_app(app)
    # Visitors never get a CSRF token: it would need a session cookie. Their only form (the
    # self-assessment) changes nothing on the server.
    csrf.exempt(public_bp)
    return app
