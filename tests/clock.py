"""The site's one clock (app/clock.py), frozen for a test and moved by hand.

Every part of the app asks `app.clock.now()`, so patching that one function freezes opening
hours, the notice, staff sessions and TOTP steps, the chat's rules and the page cache's minute
together; no test patches a module's own clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import app.clock


class Clock:
    """A stopped clock: `set` it to a moment, `advance` it (TOTP steps, idle timeouts)."""

    def __init__(self, moment: datetime | None = None) -> None:
        self.moment = (moment or datetime.now(UTC)).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def freeze(patch: pytest.MonkeyPatch, moment: datetime | None = None) -> Clock:
    """Stop the site's clock at `moment` (now by default) until `patch` is undone."""
    stopped = Clock(moment)
    patch.setattr(app.clock, "now", stopped)
    return stopped
