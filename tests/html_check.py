"""The W3C Nu HTML checker (npm's vnu-jar, run with the machine's Java) for the tests.

Skips with a loud reason without Java or vnu.jar on a developer's machine; fails in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def require_checker() -> str:
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return java
    reason = "NO HTML CHECK: needs Java and node_modules/vnu-jar (run `npm install`)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def html_errors(pages: dict[str, bytes]) -> list[str]:
    """The checker's errors for each named page, as 'name:line: message'."""
    java = require_checker()
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, body) in enumerate(pages.items()):
            path = Path(folder) / f"page{index}.html"
            path.write_bytes(body)
            names[path.name] = name
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *sorted(names)],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{names[m.get('url', '').rsplit('/', 1)[-1]]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
