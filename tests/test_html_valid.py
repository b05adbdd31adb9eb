"""Every public page is valid HTML according to the W3C Nu HTML checker (npm's vnu-jar).

Skips with a loud reason without Java or vnu.jar on a developer's machine; fails in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"


def require_checker() -> str:
    java = shutil.which("java")
    if java and VNU_JAR.exists():
        return java
    reason = "NO HTML CHECK: needs Java and node_modules/vnu-jar (run `npm install`)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def test_every_page_is_valid_html(
    client: FlaskClient, public_urls: list[str], tmp_path: Path
) -> None:
    java = require_checker()
    files = {}
    paths = []
    for index, url in enumerate([*public_urls, "/nl/no-such-page", "/en/no-such-page"]):
        path = tmp_path / f"page{index}.html"
        path.write_bytes(client.get(url).data)
        files[path.as_uri()] = url
        paths.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{files.get(m.get('url', ''), m.get('url'))}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
