"""The messages domain on its own: codes, encryption, and that it needs no Flask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.messages import codes
from app.messages.crypto import BadKey, Keys, WrongKey, new_key, parse_keys

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_domain_imports_no_flask() -> None:
    """Imported without app/__init__.py (which wires Flask): codes, crypto, limits, the tables,
    store, inbox and the answer-time line."""
    script = f"""
import sys, types
package = types.ModuleType("app")
package.__path__ = [{str(ROOT / "app")!r}]
sys.modules["app"] = package
import app.messages.codes, app.messages.crypto, app.messages.limits, app.messages.store
import app.messages.models, app.messages.inbox, app.messages.answer_time
assert "flask" not in sys.modules, sorted(m for m in sys.modules if m.startswith("flask"))
"""
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_a_code_has_at_least_64_bits_and_no_look_alikes() -> None:
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**64
    assert not set("0O1IL") & set(codes.ALPHABET)
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    code = made.pop()
    assert [len(group) for group in code.split("-")] == [4, 4, 4, 4]


def test_a_code_is_read_back_without_case_spaces_or_dashes() -> None:
    code = codes.new_code()
    plain = code.replace("-", "")
    for typed in (code, code.lower(), " ".join(code.split("-")), f"  {plain.lower()}\n"):
        assert codes.normalise(typed) == plain
    assert codes.normalise(plain[:-1]) is None
    assert codes.normalise(plain[:-1] + "0") is None  # not in the alphabet


def test_the_stored_form_of_a_code_is_a_keyed_hash() -> None:
    keys = Keys(parse_keys(new_key()))
    other = Keys(parse_keys(new_key()))
    code = codes.normalise(codes.new_code()) or ""
    stored = codes.lookup_hash(keys.lookup_keys[0], code)
    assert code not in stored
    assert stored != codes.lookup_hash(other.lookup_keys[0], code)


def test_a_text_is_bound_to_its_place() -> None:
    keys = Keys(parse_keys(new_key()))
    sealed = keys.encrypt("hello", "message/a/0/visitor")
    assert b"hello" not in sealed
    assert keys.decrypt(sealed, "message/a/0/visitor") == "hello"
    for elsewhere in ("message/b/0/visitor", "message/a/1/visitor", "message/a/0/helpline"):
        with pytest.raises(WrongKey):
            keys.decrypt(sealed, elsewhere)


def test_another_key_cannot_read_and_an_old_key_still_can() -> None:
    old, new = new_key(), new_key()
    sealed = Keys(parse_keys(old)).encrypt("hello", "x")
    assert not Keys(parse_keys(new)).can_read(sealed)
    with pytest.raises(WrongKey):
        Keys(parse_keys(new)).decrypt(sealed, "x")
    rotated = Keys(parse_keys(f"{new},{old}"))
    assert rotated.decrypt(sealed, "x") == "hello"
    assert Keys(parse_keys(new)).can_read(rotated.encrypt("new", "y"))


@pytest.mark.parametrize("raw", ["", "short", "a" * 44, "dGVzdA==", f"{new_key()},"])
def test_a_bad_key_is_refused(raw: str) -> None:
    with pytest.raises(BadKey):
        parse_keys(raw)
