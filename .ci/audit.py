"""Audit the lock files with pip-audit, strictly, without failing when nothing can be checked.

pip-audit alone is no use here: without --strict it exits 0 when its vulnerability database
answers nothing ("Dependency not found ... could not be audited" for every package), having
checked nothing; with --strict it also exits 1 then, so an unreachable database would fail
every CI run. This script reads pip-audit's JSON report instead and decides:

- any known vulnerability: fail (exit 1), listing them;
- some packages audited, others skipped: fail, as --strict would (a hole in the audit);
- every package skipped, or pip-audit could not reach its database at all: say so loudly and
  exit 0, since no answer is not a vulnerability;
- everything audited, nothing found: exit 0.

Usage: python .ci/audit.py requirements.lock requirements-dev.lock
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
FOUND, UNCHECKED = 1, 0


def decide(report: dict[str, Any], lock: str) -> tuple[int, str]:
    """The exit code and message for one pip-audit JSON report."""
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions'])})"
            for d in vulnerable
            for v in d["vulns"]
        ]
        return FOUND, f"{lock}: known vulnerabilities:\n" + "\n".join(lines)
    if dependencies and len(skipped) == len(dependencies):
        return UNCHECKED, (
            f"{lock}: NOT AUDITED: the vulnerability database answered for no package "
            "(unreachable from here); run `make audit` where it is reachable"
        )
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        return FOUND, f"{lock}: could not be audited (strict): {names}"
    return 0, f"{lock}: {len(dependencies)} packages audited, no known vulnerability"


def audit(lock: str) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        result = subprocess.run(  # noqa: S603 (our own venv's pip-audit, fixed arguments)
            [
                str(PIP_AUDIT),
                "--disable-pip",  # the lock is complete and hashed: nothing to resolve
                "--requirement",
                lock,
                "--format",
                "json",
                "--output",
                str(output),
                "--progress-spinner",
                "off",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not output.exists():  # pip-audit stopped before its report: no database reached
            last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
            return UNCHECKED, f"{lock}: NOT AUDITED: pip-audit could not run: {last}"
        return decide(json.loads(output.read_text()), lock)


def main(locks: list[str]) -> int:
    worst = 0
    for lock in locks:
        code, message = audit(lock)
        print(message)
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
