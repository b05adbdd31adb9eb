"""Cleaning what people type into the chat: plain text only.

Nothing typed is ever interpreted: templates escape it and the script inserts it as text.
On top of that, characters that can disguise text are removed before it is stored: control
characters (except line breaks) and the bidirectional controls that can make a message read
differently from what it says ("Trojan Source"). Other invisible formatting characters go
too, except the zero-width joiner that emoji sequences need; unusual spaces become plain ones.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_JOINER = "\u200d"
BLANK_LINES = re.compile(r"\n{3,}")
MAX_NICKNAME = 40


class TooLong(ValueError):
    """The cleaned text is longer than allowed; the caller keeps it and asks to shorten it."""


def _plain(char: str) -> str:
    """The character as plain text: unusual spaces and line separators become ordinary ones."""
    if char == "\n":
        return char
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category in ("Zl", "Zp"):
        return "\n"
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char != ZERO_WIDTH_JOINER):
        return ""
    return char


def clean_message(raw: str, max_chars: int) -> str:
    """The message as it will be shown: no hidden characters, trimmed, at most 2 blank lines."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = unicodedata.normalize("NFC", text)
    text = "".join(_plain(char) for char in text)
    text = BLANK_LINES.sub("\n\n", text).strip()
    if len(text) > max_chars:
        raise TooLong(max_chars)
    return text


def clean_nickname(raw: str) -> str:
    """A one-line name, or "" for none."""
    name = " ".join(clean_message(raw, max_chars=10_000).split())
    if len(name) > MAX_NICKNAME:
        raise TooLong(MAX_NICKNAME)
    return name
