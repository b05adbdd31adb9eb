"""The pick-up code: the only thing that leads back to a conversation.

16 symbols from an alphabet without look-alikes (no 0/O, 1/I/L), drawn with `secrets`: 31^16 is
about 2^79 codes, so guessing one is hopeless even without the site-wide limit on look-ups.
Shown in groups of four ("K7QM-3XPA-9RTD-H2WE"); read back case-insensitively with spaces and
dashes ignored, because people copy it from paper onto a phone.

The database keeps only an HMAC-SHA256 of the normalised code under a server secret (crypto.py
derives it from the messages key). A plain hash would let someone with a copy of the database
test codes offline; with the HMAC they would need the key too. The stored form decrypts
nothing: the texts are encrypted under a different derived key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4
_IGNORED = str.maketrans("", "", " -\t\r\n\u00a0")


def new_code() -> str:
    """A fresh code as it is shown: four groups of four."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(symbols[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed: str) -> str | None:
    """The code as stored before hashing, or None when it cannot be a code at all."""
    code = typed.translate(_IGNORED).upper()
    if len(code) != LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def lookup_hash(lookup_key: bytes, code: str) -> str:
    """The stored form of a normalised code (64 hex characters)."""
    return hmac.new(lookup_key, code.encode("ascii"), hashlib.sha256).hexdigest()
