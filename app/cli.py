"""Command-line tasks for operators: `flask --app app seed`."""

from __future__ import annotations

import click
from flask import Flask

from app.seed import seed_all


@click.command("seed")
def seed_command() -> None:
    """Fill empty tables with first data; tables that have rows are left alone."""
    for table, added in seed_all().items():
        click.echo(f"{table}: {added} added" if added else f"{table}: kept as they are")


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_command)
