"""The proof of work a browser does to start a chat: the queue's defence that needs no address.

One client must not fill the queue (issue 16), and we do not know, and do not want to know,
who a client is: no address is read, nothing about a visitor is stored, and Tor users all
arrive from one local address anyway. So a start costs work instead. The browser (with
JavaScript, static/js/chat-start.js) finds a number `nonce` such that the SHA-256 of
"{start key}:{nonce}" begins with Limits.proof_bits zero bits: about 65,000 tries, a second or
two. The start key is signed and used once (app/public/chat_views.py), so a proof buys exactly
one start. Starts without a proof (no JavaScript) still work, within a small gate of their
own (Limits.unproven_waiting), so a script that does no work holds only those few places.

What this does not stop: someone who computes proofs at scale pays about as much per place as
a browser, just faster; docs/threat-model.md says so. This module imports nothing from Flask.
"""

from __future__ import annotations

import hashlib

MAX_NONCE_DIGITS = 12  # far more tries than any browser makes; keeps the input small


def holds(challenge: str, nonce: str, bits: int) -> bool:
    """True if `nonce` (decimal digits) proves `bits` bits of work on `challenge`."""
    if not (0 < len(nonce) <= MAX_NONCE_DIGITS and nonce.isascii() and nonce.isdigit()):
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0
