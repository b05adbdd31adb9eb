"""`.ci/audit.py`: pip-audit's report decides CI, strictly, and an unreachable database (no
answer for any package) is said loudly without failing (issue 16, item 12)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


audit = load_audit()
CLEAN = {"name": "flask", "version": "3.1.3", "vulns": []}
SKIPPED = {"name": "bleach", "skip_reason": "Dependency not found on PyPI and could not be audited"}
VULNERABLE = {
    "name": "werkzeug",
    "version": "2.0.0",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.0.6"], "aliases": [], "description": ""}],
}


def test_a_known_vulnerability_fails() -> None:
    code, message = audit.decide({"dependencies": [CLEAN, VULNERABLE]}, "requirements.lock")
    assert code == 1
    assert "werkzeug 2.0.0: GHSA-xxxx (fixed in 3.0.6)" in message


def test_a_package_the_database_does_not_know_fails_like_strict() -> None:
    code, message = audit.decide({"dependencies": [CLEAN, SKIPPED]}, "requirements.lock")
    assert code == 1
    assert "bleach" in message


def test_no_answer_for_any_package_is_reported_but_does_not_fail() -> None:
    code, message = audit.decide({"dependencies": [SKIPPED, SKIPPED]}, "requirements.lock")
    assert code == 0
    assert "NOT AUDITED" in message


def test_everything_audited_and_clean_passes() -> None:
    code, message = audit.decide({"dependencies": [CLEAN]}, "requirements.lock")
    assert code == 0
    assert "1 packages audited" in message


def test_pip_audit_that_cannot_connect_at_all_is_not_a_failure(tmp_path: Path) -> None:
    """The real pip-audit, its database behind a proxy that refuses every connection."""
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    env.update({"NO_PROXY": "", "no_proxy": "", "https_proxy": env["HTTPS_PROXY"]})
    lock = tmp_path / "one.lock"
    lock.write_text(
        (ROOT / "requirements.lock").read_text().split("\n\n")[0].split("    # via")[0] + "\n"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit.py"), str(lock)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOT AUDITED" in result.stdout
