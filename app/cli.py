"""Command-line tasks for operators: `flask --app app seed`, `flask --app app fallback-pages`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app, g, render_template

from app.db import db
from app.i18n import LANGUAGES
from app.seed import seed_all

# The status nginx gives with a fallback page: the site, not the helpline, is unavailable.
SITE_DOWN = 502


@click.command("seed")
def seed_command() -> None:
    """Fill empty tables with first data; tables that have rows are left alone."""
    for table, added in seed_all(db.session).items():
        click.echo(f"{table}: {added} added" if added else f"{table}: kept as they are")


def render_fallback_page(lang: str) -> str:
    """The page nginx shows when the app cannot answer: helpline, 112 and crisis lines.

    Rendered from the app's own templates and contact directory, so the numbers are the ones
    staff maintain. It is a static file, shown at any time later, so it says nothing about
    whether phone or chat is open now: it is rendered as if the hours were unknown ("call to
    check"), and the chat, which the app serves, as unavailable.
    """
    with current_app.test_request_context(f"/{lang}/"):
        g.lang = lang
        g.schedule = None
        g.chat_staffed = False
        return render_template("error.html", code=SITE_DOWN)


@click.command("fallback-pages")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def fallback_pages_command(folder: Path) -> None:
    """Write FOLDER/nl.html and FOLDER/en.html for nginx to show while the app is down."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        (folder / f"{lang}.html").write_text(render_fallback_page(lang), encoding="utf-8")
        click.echo(f"{folder / lang}.html")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(fallback_pages_command)
