"""`flask --app app messages sweep`: delete conversations past their retention, now.

Run daily by deploy/helpline-messages-sweep.timer. Prints only a count: never a text.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.messages import web

messages_cli = AppGroup("messages", help="Anonymous messages.")


@messages_cli.command("sweep")
def sweep_command() -> None:
    """Delete every conversation whose last message is older than MESSAGES_RETENTION_DAYS."""
    removed = web.sweep_now()
    click.echo(f"messages: {removed} conversation(s) deleted")


def init_app(app: Flask) -> None:
    app.cli.add_command(messages_cli)
