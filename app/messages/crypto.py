"""Every message text, and the optional first name, encrypted at rest (AES-256-GCM).

The key lives outside the database (MESSAGES_KEY, or instance/messages_key), so a copy of the
database, a backup or the PostgreSQL server alone reveals no text. From each 32-byte key HKDF
derives separate keys: one encrypts texts, one makes the lookup HMAC of pick-up codes, one
tags the rate limiter's windows; and a short key id stored with each ciphertext, so that a
database restored next to another key is told apart from a damaged one (WrongKey).

The associated data binds each ciphertext to its conversation, position and author: a text
cannot be moved to another conversation, reordered, or passed off as the other side's words
by someone who can write to the database but has no key.

Several keys may be given (newest first) to rotate: new texts use the first, old texts are
read with whichever key made them, and codes are looked up under each.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
KEY_ID_BYTES = 4
NONCE_BYTES = 12


class BadKey(ValueError):
    """The configured key is not 32 bytes of urlsafe base64."""


class WrongKey(Exception):
    """A ciphertext was made with a key we do not have, or was changed."""


def _derive(key: bytes, purpose: str, length: int = KEY_BYTES) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode())
    return hkdf.derive(key)


@dataclass(frozen=True)
class _Key:
    key_id: bytes
    text: AESGCM
    lookup: bytes
    window: bytes


def _expand(key: bytes) -> _Key:
    return _Key(
        key_id=_derive(key, "helpline messages key id", KEY_ID_BYTES),
        text=AESGCM(_derive(key, "helpline messages text")),
        lookup=_derive(key, "helpline messages lookup"),
        window=_derive(key, "helpline messages limiter window"),
    )


def new_key() -> str:
    """A fresh key as it is written to instance/messages_key."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def parse_keys(raw: str) -> list[bytes]:
    """Comma-separated keys, newest first; BadKey if any is not 32 bytes of base64."""
    keys = []
    for part in raw.split(","):
        try:
            key = base64.urlsafe_b64decode(part.strip().encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError) as error:
            raise BadKey from error
        if len(key) != KEY_BYTES:
            raise BadKey
        keys.append(key)
    if not keys:
        raise BadKey
    return keys


class Keys:
    """The messages key(s) of this deployment, with everything derived from them."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise BadKey
        self._keys = [_expand(key) for key in keys]
        self._by_id = {key.key_id: key for key in reversed(self._keys)}

    @property
    def lookup_keys(self) -> list[bytes]:
        return [key.lookup for key in self._keys]

    @property
    def window_key(self) -> bytes:
        return self._keys[0].window

    def can_read(self, ciphertext: bytes) -> bool:
        return ciphertext[:KEY_ID_BYTES] in self._by_id

    def encrypt(self, text: str, context: str) -> bytes:
        key = self._keys[0]
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = key.text.encrypt(nonce, text.encode("utf-8"), context.encode("utf-8"))
        return key.key_id + nonce + sealed

    def decrypt(self, ciphertext: bytes, context: str) -> str:
        key = self._by_id.get(ciphertext[:KEY_ID_BYTES])
        if key is None:
            raise WrongKey
        nonce = ciphertext[KEY_ID_BYTES : KEY_ID_BYTES + NONCE_BYTES]
        try:
            plain = key.text.decrypt(
                nonce, ciphertext[KEY_ID_BYTES + NONCE_BYTES :], context.encode("utf-8")
            )
        except InvalidTag as error:
            raise WrongKey from error
        return plain.decode("utf-8")
