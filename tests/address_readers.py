"""Where the app's code reads the client's address: it must be nowhere (docs/privacy.md)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
ADDRESS_ATTRIBUTES = {"remote_addr", "access_route"}
ADDRESS_NAMES = {"remote_addr", "http_x_forwarded_for", "x-forwarded-for", "x-real-ip", "forwarded"}


def client_address_readers() -> list[str]:
    """Each place in app/ that reads the client's address: the attributes, and header or
    environ names. Walks the code itself (not comments), so a mention in a docstring is fine."""
    readers = []
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in ADDRESS_ATTRIBUTES:
                readers.append(f"{path}:{node.lineno}")
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and value.lower() in ADDRESS_NAMES:
                readers.append(f"{path}:{node.lineno}")
    return readers
