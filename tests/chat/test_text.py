"""Cleaning typed text: hidden characters go, line breaks and emoji stay, limits hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.chat.text import MAX_NICKNAME, TooLong, clean_message, clean_nickname


def test_plain_text_is_kept() -> None:
    assert clean_message("  Hallo,\r\nik wil praten.  ", 100) == "Hallo,\nik wil praten."


def test_markup_is_kept_as_text() -> None:
    # Escaping is the templates' job; cleaning must not mangle what someone wrote.
    assert clean_message("<script>alert(1)</script>", 100) == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "hidden", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c", "\x00", "\x1b", "\ufeff"]
)
def test_bidi_and_control_characters_are_removed(hidden: str) -> None:
    assert clean_message(f"ab{hidden}cd", 100) == "abcd"


def test_emoji_sequences_survive() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_message(family, 100) == family


def test_many_blank_lines_are_collapsed() -> None:
    assert clean_message("a\n\n\n\n\nb", 100) == "a\n\nb"


def test_too_long_is_refused_not_cut() -> None:
    assert clean_message("x" * 10, 10) == "x" * 10
    with pytest.raises(TooLong):
        clean_message("x" * 11, 10)


def test_nickname_is_one_line() -> None:
    assert clean_nickname(" Sam \n de\tVries ") == "Sam de Vries"
    assert clean_nickname("") == ""
    with pytest.raises(TooLong):
        clean_nickname("n" * (MAX_NICKNAME + 1))


@given(st.text())
def test_cleaned_text_has_no_hidden_characters(raw: str) -> None:
    try:
        text = clean_message(raw, 10_000)
    except TooLong:
        return
    assert "\r" not in text
    assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert all(c == "\n" or c.isprintable() or c == "\u200d" for c in text)
