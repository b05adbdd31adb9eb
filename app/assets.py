"""Static files served under URLs that carry a hash of their content.

A new version gets a new URL, so browsers may cache each for a year (see
app/privacy/headers.py) and never run a stale script or stylesheet.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, url_for


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    folder = Path(current_app.static_folder or "static")
    return url_for("static", filename=filename, v=_digest(folder / filename))
