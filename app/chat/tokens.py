"""The visitor's capability token: the only thing that ties a browser to its chat.

256 random bits, sent in hidden form fields only: never in an address (the frames and the
event stream get a short-lived view pass instead, app/chat/web.py), never a cookie. The
store keeps only its SHA-256: someone who reads the store cannot act as the visitor. A slow
hash is not needed, because the token is random and too long to guess.
"""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_well_formed(token: str) -> bool:
    return TOKEN_PATTERN.fullmatch(token) is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()
