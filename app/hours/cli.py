"""`flask --app app hours export|import FILE|status [--at INSTANT]`."""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

import click
from flask import Flask
from flask.cli import AppGroup

from app import clock
from app.db import db
from app.hours.engine import parse_instant, status_json
from app.hours.errors import ScheduleError, english
from app.hours.model import Schedule
from app.hours.schedule_json import dump_schedule, parse_schedule
from app.hours.store import load_schedule, save_schedule

hours_cli = AppGroup("hours", help="Opening hours: export, import and status.")


def _stored() -> tuple[Schedule, int]:
    loaded = load_schedule(db.session)
    if loaded is None:
        raise click.ClickException("no opening hours stored yet: run `flask --app app seed`")
    return loaded


@hours_cli.command("export")
def export_command() -> None:
    """Print all hours as JSON (the import format)."""
    schedule, _version = _stored()
    click.echo(json.dumps(dump_schedule(schedule), ensure_ascii=False, indent=2))


@hours_cli.command("import")
@click.argument("file", type=click.File("rb"))
def import_command(file: BinaryIO) -> None:
    """Replace all hours with FILE, after validating everything; nothing changes on any error."""
    try:
        data = json.loads(file.read())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"not a JSON file: {error}") from error
    try:
        schedule = parse_schedule(data)
    except ScheduleError as error:
        for problem in error.errors:
            click.echo(f"{problem.path or '(file)'}: {english(problem)}", err=True)
        raise click.ClickException(f"{len(error.errors)} problem(s); nothing was changed") from None
    version = save_schedule(db.session, schedule, expected_version=None)
    click.echo(f"imported {len(schedule.channels)} channel(s); hours version {version}")


@hours_cli.command("status")
@click.option("--at", "at_text", help="ISO 8601 instant with offset (default: now)")
def status_command(at_text: str | None) -> None:
    """Print the status JSON of /api/status."""
    try:
        at = parse_instant(at_text) if at_text else clock.now().replace(microsecond=0)
    except ValueError:
        raise click.BadParameter(
            "use an ISO 8601 instant with an offset", param_hint="--at"
        ) from None
    schedule, _version = _stored()
    json.dump(status_json(schedule, at), sys.stdout, ensure_ascii=False, indent=2)
    click.echo()


def init_app(app: Flask) -> None:
    app.cli.add_command(hours_cli)
