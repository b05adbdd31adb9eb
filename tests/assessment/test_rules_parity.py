"""The browser's rules engine (in static/js/site.js) gives exactly what Python gives.

With JavaScript on, the next steps are computed in the browser; without it, on the server.
Both must show the same steps for the same answers, so every combination of answers to both
sets (and a set of hostile inputs) goes through `next_steps` and through `computeSteps` in
node, and the results must be identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from app.assessment import SETS, rules_as_json
from app.assessment.rules import Option, Question, QuestionSet, Step, rules_data, steps_for
from tests.assessment import count_answer_sets, every_answer_set

HERE = Path(__file__).resolve().parent
HARNESS = HERE / "rules_harness.js"
SCRIPT = HERE.parent.parent / "static" / "js" / "site.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None,
    reason="NODE IS MISSING: the browser's rules were NOT checked against Python. "
    "Install node (v18+) to run the parity test.",
)

HOSTILE: list[dict[str, Any]] = [
    {"__proto__": "yes"},
    {"constructor": "yes", "toString": "yes", "hasOwnProperty": "yes"},
    {"child_danger": "YES"},
    {"child_danger": " yes"},
    {"child_danger": ""},
    {"child_danger": None},
    {"child_danger": 1},
    {"child_danger": True},
    {"child_danger": ["yes"]},
    {"child_danger": {"value": "yes"}},
    {"child_danger": "toString"},
    {"child_danger": "__proto__"},
    {"mood": "suicidal", "wellbeing": "suicidal", "no_such_question": "suicidal"},
    {"child_danger": "yes", "": "", "x" * 1000: "y" * 1000},
]

# Rules that use every kind of condition, so the parity covers `none_of` even while the real
# sets do not use it.
SYNTHETIC = QuestionSet(
    id="synthetic",
    questions=(
        Question("a", "a", (Option("1", "1", frozenset({"f"})), Option("2", "2"))),
        Question(
            "b", "b", (Option("1", "1", frozenset({"g"})), Option("2", "2", frozenset({"h"})))
        ),
        Question("c", "c", (Option("1", "1", frozenset({"f", "h"})), Option("skip", "skip"))),
    ),
    steps=(
        Step("any_f", any_of=frozenset({"f"})),
        Step("any_g_or_h", any_of=frozenset({"g", "h"})),
        Step("not_f", none_of=frozenset({"f"})),
        Step("g_not_h", any_of=frozenset({"g"}), none_of=frozenset({"h"})),
        Step("always"),
    ),
)


def run_node(rules: dict[str, Any], cases: list[tuple[str, dict[str, Any]]]) -> list[list[str]]:
    assert NODE is not None
    completed = subprocess.run(
        [NODE, str(HARNESS)],
        input=json.dumps({"rules": rules, "cases": cases}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results: list[list[str]] = json.loads(completed.stdout)
    assert len(results) == len(cases)
    return results


def assert_same(
    cases: list[tuple[str, dict[str, Any]]], expected: list[list[str]], got: list[list[str]]
) -> None:
    mismatches = [
        (case, want, have)
        for case, want, have in zip(cases, expected, got, strict=True)
        if want != have
    ]
    assert not mismatches, f"{len(mismatches)} differ, for example {mismatches[:3]}"


@pytest.mark.parametrize("set_id", sorted(SETS))
def test_every_combination_gives_the_same_steps_in_the_browser(set_id: str) -> None:
    cases = [(set_id, answers) for answers in every_answer_set(set_id)]
    assert len(cases) == count_answer_sets(set_id)
    expected = [steps_for(SETS[set_id], answers) for _, answers in cases]
    got = run_node({set_id: rules_as_json(set_id)}, cases)
    assert_same(cases, expected, got)


def test_hostile_answers_give_the_same_steps_in_the_browser() -> None:
    cases = [(set_id, answers) for set_id in sorted(SETS) for answers in HOSTILE]
    expected = [steps_for(SETS[set_id], answers) for set_id, answers in cases]
    got = run_node({set_id: rules_as_json(set_id) for set_id in SETS}, cases)
    assert_same(cases, expected, got)


def test_every_kind_of_condition_gives_the_same_steps_in_the_browser() -> None:
    choices = [[None, *(o.value for o in q.options)] for q in SYNTHETIC.questions]
    cases = [
        ("synthetic", {q.id: v for q, v in zip(SYNTHETIC.questions, combo, strict=True) if v})
        for combo in product(*choices)
    ]
    expected = [steps_for(SYNTHETIC, answers) for _, answers in cases]
    assert {step for steps in expected for step in steps} == {s.id for s in SYNTHETIC.steps}
    got = run_node({"synthetic": rules_data(SYNTHETIC)}, cases)
    assert_same(cases, expected, got)


FORBIDDEN_IN_SCRIPT = (
    "fetch(",
    "XMLHttpRequest",
    "sendBeacon",
    "WebSocket",
    "EventSource",
    "localStorage",
    "sessionStorage",
    "indexedDB",
    "document.cookie",
    "caches.",
    "serviceWorker",
    ".submit(",
    "location",
    "innerHTML",
    "eval(",
    "new Function",
)


# Quick exit's ways out: the browser replaces this page with the quick-exit link's own address
# (rendered by the server), or, inside a chat, sends the quick-exit form (which ends the chat)
# in the background and replaces the page with the button's data-leave-to address, or submits
# that form when it cannot. Nothing else in the script may send anything or leave the page.
QUICK_EXIT_NAVIGATIONS = (
    "window.location.replace(button.href);",
    "window.fetch(form.action, {",
    "window.location.replace(target);",
    "button.form.submit();",
)


def test_the_script_sends_nothing_and_stores_nothing() -> None:
    """No request and no storage, by construction: none of the APIs for them is used.

    This holds for the whole of site.js (quick exit and the reflection prompts), with one
    exception: quick exit's ways out, once each, in the quick-exit part, before the rules engine.
    """
    source = SCRIPT.read_text(encoding="utf-8")
    rest = source
    for navigation in QUICK_EXIT_NAVIGATIONS:
        assert source.count(navigation) == 1
        assert source.index(navigation) < source.index("function computeSteps(")
        rest = rest.replace(navigation, "")
    found = [name for name in FORBIDDEN_IN_SCRIPT if name in rest]
    assert not found, f"static/js/site.js uses {found}"
