"""The start's proof of work (app/chat/proof.py): what counts as done, and what never does."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from app.chat.proof import holds


def solve(challenge: str, bits: int) -> str:
    """What static/js/chat-start.js does: the first number whose hash has `bits` zero bits."""
    for nonce in itertools.count():
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return str(nonce)
    raise AssertionError("unreachable")


def test_a_solved_proof_holds_for_its_challenge_only() -> None:
    nonce = solve("key-one", 12)
    assert holds("key-one", nonce, 12)
    assert not holds("key-two", nonce, 12)  # a proof buys the one start key it was made for


def test_more_bits_ask_for_more_work() -> None:
    easy, hard = solve("key", 4), solve("key", 14)
    assert holds("key", hard, 4)
    assert int(easy) < int(hard)
    assert not holds("key", easy, 14)


@pytest.mark.parametrize("nonce", ["", "-1", "1e3", "²", "٣", " 1", "1" * 13, "0x1"])
def test_junk_is_never_a_proof(nonce: str) -> None:
    assert not holds("key", nonce, 1)
