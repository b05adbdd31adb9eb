"""The layers: the domain is plain Python, the two blueprints never import each other.

Each domain module is imported in a fresh interpreter, so nothing the test run loaded before
can hide an import of Flask or of the web layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = [
    "app.config",
    "app.hours.model",
    "app.hours.day_rules",
    "app.hours.engine",
    "app.hours.errors",
    "app.hours.intervals_json",
    "app.hours.exceptions_json",
    "app.hours.schedule_json",
    "app.assessment.rules",
    "app.chat.store",
    "app.chat.sqlite_store",
    "app.chat.sqlite_file",
    "app.chat.sqlite_gate",
    "app.chat.redis_store",
    "app.chat.redis_scripts",
    "app.chat.tokens",
    "app.chat.text",
    "app.chat.proof",
    "app.chat.streams",
    "app.chat.availability",
    "app.chat.canned",
    "app.chat.board",
    "app.chat.side_threads",
    "app.chat.sqlite_side",
    "app.chat.redis_side",
    "app.chat.side_backends",
    "app.hours.store",
    "app.contacts",
    "app.contact_seed",
    "app.seed",
    "app.notice.text",
    "app.notice.store",
    "app.revision",
    "app.versioned",
    "app.messages.codes",
    "app.messages.crypto",
    "app.messages.limits",
    "app.messages.models",
    "app.messages.store",
    "app.messages.answer_time",
    "app.messages.inbox",
    "app.counters.metrics",
    "app.counters.store",
    "app.counters.figures",
    "app.schema",
    "app.clock",
]
WEB = ("flask", "flask_babel", "flask_wtf", "werkzeug", "app.public", "app.staff", "app.factory")


@pytest.mark.parametrize("module", DOMAIN)
def test_a_domain_module_loads_nothing_of_the_web(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"print(sorted(n for n in sys.modules if n.split('.')[0] in {WEB!r} or "
        f"n.startswith({WEB!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]", f"{module} loads {result.stdout.strip()}"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(("package", "other"), [("public", "staff"), ("staff", "public")])
def test_the_blueprints_never_import_each_other(package: str, other: str) -> None:
    offenders = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "app" / package).rglob("*.py")
        if any(name.startswith(f"app.{other}") for name in imports_of(path))
    }
    assert offenders == set()


def import_graph() -> dict[str, set[str]]:
    """Each module of app/ and the modules of app/ it imports, inside functions too.

    `from package import name` counts as importing the submodule when `name` is one, else the
    package itself; a module's own package running first is not counted (Python's, not ours).
    """
    modules = {}
    for path in (ROOT / "app").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [
                    f"{node.module}.{alias.name}"
                    if f"{node.module}.{alias.name}" in modules
                    else node.module
                    for alias in node.names
                ]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def test_no_import_circle_in_the_app() -> None:
    graph = import_graph()
    circles = []
    for start in graph:
        seen, path = set(), [start]
        stack = [(start, iter(sorted(graph[start])))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
            elif child == start:
                circles.append([*path, start])
            elif child not in seen:
                seen.add(child)
                path.append(child)
                stack.append((child, iter(sorted(graph[child]))))
    assert circles == []


CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}


def clock_reads_of(path: Path) -> list[str]:
    """Where a file reads the wall clock itself, or takes `now` out of app.clock (a copy the
    tests' frozen clock would not reach)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if (owner, node.attr) in CLOCK_READS:
                found.append(f"{path.name}:{node.lineno} {owner}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "app.clock":
            found.append(f"{path.name}:{node.lineno} from app.clock import ...")
        if isinstance(node, ast.FunctionDef) and node.name in ("now", "_aware", "aware"):
            found.append(f"{path.name}:{node.lineno} def {node.name}")
    return found


def test_the_site_has_one_clock() -> None:
    """Issue 14: four `now()` and two `_aware` lived in four modules, and tests froze each
    separately. Every part asks app/clock.py, so `tests/clock.py` freezes them all at once."""
    clock = ROOT / "app" / "clock.py"
    reads = [
        read
        for path in sorted((ROOT / "app").rglob("*.py"))
        if path != clock
        for read in clock_reads_of(path)
    ]
    assert reads == []
    assert len(clock_reads_of(clock)) == 3  # def now, def aware, and its one datetime.now


MAX_MODULE_LINES = 400


def test_no_module_of_the_app_is_over_400_lines() -> None:
    """Issue 14: a module that grows past 400 lines gets split by concern,
    so the tree keeps reading like a table of contents."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "app").rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
