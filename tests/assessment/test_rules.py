"""The rules from answers to next steps (app/assessment/rules.py), for every combination.

The order of the steps is the promise: a child in danger now comes first (112), thoughts of
suicide next (113), and the helpline is always there.
"""

from __future__ import annotations

import json

import pytest

from app.assessment import SETS, SKIP, UnknownSet, flags_for, next_steps, rules_as_json, step_ids
from app.assessment.rules import N_
from tests.assessment import count_answer_sets, every_answer_set

SET_IDS = sorted(SETS)
ROUTES = {
    "self": {"route_self", "route_images", "route_police_visit", "route_young_people"},
    "other": {"route_someone_else", "route_report", "route_police_visit", "route_young_people"},
}
MOOD_QUESTION = {"self": "mood", "other": "wellbeing"}


@pytest.mark.parametrize("set_id", SET_IDS)
def test_the_sets_are_well_formed(set_id: str) -> None:
    questions = SETS[set_id].questions
    assert 5 <= len(questions) <= 8
    assert len({q.id for q in questions}) == len(questions)
    for question in questions:
        values = [option.value for option in question.options]
        assert len(set(values)) == len(values), question.id
        assert values[-1] == SKIP, f"{question.id}: every question offers 'I'd rather not say'"
        assert question.options[-1].flags == frozenset()
        assert question.text.strip()
        assert all(option.label.strip() for option in question.options)
    assert step_ids(set_id)[-1] == "right_now"
    assert len(set(step_ids(set_id))) == len(step_ids(set_id))


@pytest.mark.parametrize("set_id", SET_IDS)
def test_the_questions_start_gently_and_still_ask_about_a_child_in_danger(set_id: str) -> None:
    """Not first "is a child in danger because of you?", but the question is kept, later on."""
    questions = SETS[set_id].questions
    ids = [question.id for question in questions]
    assert "child_danger" in ids
    assert ids.index("child_danger") >= 2, ids
    assert not any("child_danger" in option.flags for option in questions[0].options)
    assert next_steps(set_id, {"child_danger": "yes"})[0] == "emergency"


@pytest.mark.parametrize("set_id", SET_IDS)
def test_every_flag_is_raised_and_used(set_id: str) -> None:
    """No dead rule: each flag an option raises changes a step, and each condition can hold."""
    raised = {flag for q in SETS[set_id].questions for o in q.options for flag in o.flags}
    used = {flag for step in SETS[set_id].steps for flag in step.any_of | step.none_of}
    assert raised == used


@pytest.mark.parametrize("set_id", SET_IDS)
def test_every_combination_keeps_the_order_promises(set_id: str) -> None:
    mood = MOOD_QUESTION[set_id]
    seen = 0
    reachable: set[str] = set()
    for answers in every_answer_set(set_id):
        steps = next_steps(set_id, answers)
        seen += 1
        reachable.update(steps)
        assert len(steps) == len(set(steps)), (answers, steps)
        assert "helpline" in steps, answers
        assert steps[-1] == "right_now", answers
        assert ROUTES[set_id] & set(steps), f"no page that fits: {answers}"

        child_in_danger = answers.get("child_danger") == "yes"
        assert ("emergency" in steps) == child_in_danger, answers
        if child_in_danger:
            assert steps[0] == "emergency", answers

        suicidal = answers.get(mood) == "suicidal"
        assert ("suicide_prevention" in steps) == suicidal, answers
        if suicidal:
            assert steps.index("suicide_prevention") == (1 if child_in_danger else 0), answers

        urgent = {"emergency", "suicide_prevention", "child_worry", "stop_contact"}
        helpline_at = steps.index("helpline")
        assert all(steps.index(s) < helpline_at for s in urgent & set(steps)), answers
        assert all(step not in urgent for step in steps[helpline_at:]), answers
        assert steps[helpline_at + 1] == "what_happens", answers
        if set_id == "other":
            assert steps[helpline_at + 2] == "for_relatives", answers
    assert seen == count_answer_sets(set_id)
    assert reachable == set(step_ids(set_id)), "every step is shown for some answers"


@pytest.mark.parametrize("set_id", SET_IDS)
def test_rather_not_say_is_the_same_as_no_answer(set_id: str) -> None:
    for question in SETS[set_id].questions:
        assert next_steps(set_id, {question.id: SKIP}) == next_steps(set_id, {})


@pytest.mark.parametrize("set_id", SET_IDS)
def test_unknown_questions_and_values_are_ignored(set_id: str) -> None:
    baseline = next_steps(set_id, {"child_danger": "yes"})
    junk: dict[str, object] = {
        "child_danger": "yes",
        "no_such_question": "yes",
        "__proto__": "yes",
        "constructor": "x",
        "": "",
    }
    assert next_steps(set_id, junk) == baseline
    for question in SETS[set_id].questions:
        for value in ("", "YES", " yes", "yes ", "null", "undefined", "x" * 10_000):
            if question.option(value) is None:
                assert next_steps(set_id, {question.id: value}) == next_steps(set_id, {})
        for not_a_string in (None, 1, True, ["yes"], {"yes": 1}):
            assert next_steps(set_id, {question.id: not_a_string}) == next_steps(set_id, {})


def test_the_default_steps() -> None:
    assert next_steps("self", {}) == ["helpline", "what_happens", "route_self", "right_now"]
    assert next_steps("other", {}) == [
        "helpline",
        "what_happens",
        "for_relatives",
        "route_someone_else",
        "right_now",
    ]


def test_worries_that_are_not_acute_come_before_the_helpline() -> None:
    steps = next_steps("other", {"child_danger": "not_sure", "noticed": "found"})
    assert steps[:2] == ["child_worry", "helpline"]
    assert "route_report" in steps
    steps = next_steps("self", {"online_contact": "now", "police": "yes", "age": "under_18"})
    assert steps[:2] == ["stop_contact", "helpline"]
    routes = [step for step in steps if step.startswith("route_")]
    assert routes == ["route_police_visit", "route_young_people", "route_self"]


def test_flags_for_reports_what_the_answers_raise() -> None:
    assert flags_for("self", {"mood": "suicidal"}) == {"suicidal", "low_mood"}
    assert flags_for("self", {"mood": SKIP}) == frozenset()


def test_an_unknown_set_is_a_clear_error() -> None:
    with pytest.raises(UnknownSet):
        next_steps("nobody", {})
    with pytest.raises(UnknownSet):
        rules_as_json("nobody")


@pytest.mark.parametrize("set_id", SET_IDS)
def test_the_rules_for_the_browser_hold_no_text(set_id: str) -> None:
    data = rules_as_json(set_id)
    assert json.loads(json.dumps(data)) == data
    texts = {q.text for q in SETS[set_id].questions}
    texts |= {o.label for q in SETS[set_id].questions for o in q.options}
    dumped = json.dumps(data)
    assert not any(text in dumped for text in texts)
    assert [step["id"] for step in data["steps"]] == step_ids(set_id)


def test_the_message_marker_changes_nothing() -> None:
    assert N_("Hello") == "Hello"
