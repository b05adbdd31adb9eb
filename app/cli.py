"""Command-line tasks for operators: `flask --app app seed`."""

from __future__ import annotations

import click
from flask import Flask

from app.seed import seed_contacts


@click.command("seed")
def seed_command() -> None:
    """Fill empty tables with first data; tables that have rows are left alone."""
    added = seed_contacts()
    click.echo(f"contacts: {added} added" if added else "contacts: kept as they are")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
