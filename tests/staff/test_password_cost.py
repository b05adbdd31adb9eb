"""Passwords are hashed at argon2id's production cost, whatever a test app is allowed.

The suite's apps hash at the smallest cost (tests/conftest.py, FAST_PASSWORD_HASHES) to stay
quick; these apps do not, and the real-gunicorn login tests (tests/staff/test_throttle.py,
test_load.py) run with the production cost too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from app.staff.auth import hash_password
from tests.conftest import SECRET

PRODUCTION = "$argon2id$v=19$m=65536,t=3,p=4$"


@pytest.mark.parametrize(
    "config",
    [{}, {"FAST_PASSWORD_HASHES": True}, {"TESTING": True}],
    ids=["deployed", "fast-without-testing", "testing-without-fast"],
)
def test_passwords_are_hashed_at_the_production_cost(
    tmp_path: Path, config: dict[str, bool]
) -> None:
    app = create_app(
        {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db'}", **config}
    )
    with app.app_context():
        assert hash_password("a long enough password").startswith(PRODUCTION)


def test_the_suites_apps_hash_at_the_smallest_cost(app: object) -> None:
    with app.app_context():  # type: ignore[attr-defined]
        assert hash_password("a long enough password").startswith("$argon2id$v=19$m=8,t=1,p=1$")
