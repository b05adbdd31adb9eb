"""`flask --app app staff create-admin`: the first administrator account."""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import AppGroup

from app import clock
from app.db import db
from app.staff.accounts import StaffUser
from app.staff.auth import find_user, hash_password, password_problems

staff_cli = AppGroup("staff", help="Staff accounts.")


@staff_cli.command("create-admin")
@click.argument("username")
def create_admin(username: str) -> None:
    """Create an administrator. The password is asked for, or read from STAFF_ADMIN_PASSWORD."""
    password = os.environ.get("STAFF_ADMIN_PASSWORD") or click.prompt(
        "Password (14-128 characters)", hide_input=True, confirmation_prompt=True
    )
    problems = password_problems(password, username)
    if find_user(username):
        problems.append("This username is taken.")
    if problems:
        raise click.ClickException(" ".join(problems))
    db.session.add(
        StaffUser(
            username=username,
            password_hash=hash_password(password),
            is_admin=True,
            created_at=clock.now(),
        )
    )
    db.session.commit()
    click.echo(f"administrator {username} created; set up 2FA at first login on /staff/login")


def init_app(app: Flask) -> None:
    app.cli.add_command(staff_cli)
