"""Reflection prompts and the rules from answers to next steps: pure data, no Flask.

Two question sets: for someone worried about themselves (`self`) and for someone worried about
another person (`other`). Each option may raise *flags*; each step has a condition on flags.
`next_steps` keeps the steps whose condition holds, in the set's order. That order is the
guarantee the site makes: a child in danger now comes first (112), thoughts of suicide next
(113), then the helpline, what happens when you get in touch, the page that fits, and
something to do right now.

The questions start gently: someone who has just found the courage to look is not first asked
whether a child is in danger because of them. That question comes later in the set; its
answer still puts 112 first in the steps, wherever the question stands.

The browser gets the same rules as data (`rules_as_json`) and `static/js/site.js`
applies them with the same logic; tests/assessment/test_rules_parity.py runs every
combination of answers through both. Texts are message ids marked with `N_` (extracted by
babel, translated when a template renders them): there is no score and no label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def N_(message: str) -> str:  # noqa: N802 (the gettext marker's conventional name)
    """Mark a message for extraction; it is translated later, when a template shows it."""
    return message


SKIP = "skip"  # "I'd rather not say": an answer that raises no flag, like no answer at all

# Flags: what an answer tells the rules. Names only: the steps' texts live in
# templates/public/assessment/steps.html.
CHILD_DANGER = "child_danger"
CHILD_WORRY = "child_worry"
SUICIDAL = "suicidal"
LOW_MOOD = "low_mood"
CONTACT_NOW = "contact_now"
IMAGES = "images"
POLICE = "police"
YOUNG = "young"
YOUNG_PERSON = "young_person"
FOUND_MATERIAL = "found_material"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)


@dataclass(frozen=True)
class Step:
    """A next step, shown when any flag in `any_of` is raised (always, if `any_of` is empty)
    and none in `none_of` is."""

    id: str
    any_of: frozenset[str] = frozenset()
    none_of: frozenset[str] = frozenset()

    def applies(self, flags: frozenset[str]) -> bool:
        if self.any_of and not (self.any_of & flags):
            return False
        return not (self.none_of & flags)


@dataclass(frozen=True)
class QuestionSet:
    id: str
    questions: tuple[Question, ...]
    steps: tuple[Step, ...]


class UnknownSet(KeyError):
    """No question set has this id."""


def _skip() -> Option:
    return Option(SKIP, N_("I'd rather not say"))


def _flag(*names: str) -> frozenset[str]:
    return frozenset(names)


# Steps both sets share. Each set lists its steps in the order they are shown; a step's id
# names its macro in templates/public/assessment/steps.html.
EMERGENCY = Step("emergency", any_of=_flag(CHILD_DANGER))
SUICIDE_PREVENTION = Step("suicide_prevention", any_of=_flag(SUICIDAL))
CHILD_WORRY_STEP = Step("child_worry", any_of=_flag(CHILD_WORRY))
HELPLINE = Step("helpline")
WHAT_HAPPENS = Step("what_happens")
RIGHT_NOW = Step("right_now")
LOOK_AFTER_YOURSELF = Step("look_after_yourself", any_of=_flag(LOW_MOOD))

SELF = QuestionSet(
    id="self",
    questions=(
        Question(
            "thoughts",
            N_(
                "Do you have sexual thoughts or feelings about children or young people "
                "that worry you?"
            ),
            (
                Option("yes", N_("Yes")),
                Option("sometimes", N_("Sometimes")),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "images",
            N_("Do you look at sexual images of people under 18, or did you in the past?"),
            (
                Option("now", N_("Yes, I still do"), _flag(IMAGES)),
                Option("past", N_("Yes, in the past"), _flag(IMAGES)),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "online_contact",
            N_("Have you had sexual chats or contact online with someone under 18?"),
            (
                Option("now", N_("Yes, and it is still going on"), _flag(CONTACT_NOW)),
                Option("past", N_("Yes, in the past")),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "child_danger",
            N_("Could a child be in danger right now, because of you or someone else?"),
            (
                Option("yes", N_("Yes"), _flag(CHILD_DANGER)),
                Option("not_sure", N_("I am not sure"), _flag(CHILD_WORRY)),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "police",
            N_("Have you had a warning or a visit from the police about this?"),
            (
                Option("yes", N_("Yes"), _flag(POLICE)),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "hard_to_stop",
            N_("Do you find it hard to stop, even when you want to?"),
            (
                Option("yes", N_("Yes")),
                Option("sometimes", N_("Sometimes")),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "mood",
            N_("How are you doing yourself at the moment?"),
            (
                Option("ok", N_("Quite well")),
                Option("low", N_("Not so well: I feel low, anxious or ashamed"), _flag(LOW_MOOD)),
                Option(
                    "suicidal",
                    N_("I have thoughts of hurting myself or ending my life"),
                    _flag(SUICIDAL, LOW_MOOD),
                ),
                _skip(),
            ),
        ),
        Question(
            "age",
            N_("How old are you?"),
            (
                Option("under_18", N_("Younger than 18"), _flag(YOUNG)),
                Option("adult", N_("18 or older")),
                _skip(),
            ),
        ),
    ),
    steps=(
        EMERGENCY,
        SUICIDE_PREVENTION,
        CHILD_WORRY_STEP,
        Step("stop_contact", any_of=_flag(CONTACT_NOW)),
        HELPLINE,
        WHAT_HAPPENS,
        Step("route_police_visit", any_of=_flag(POLICE)),
        Step("route_young_people", any_of=_flag(YOUNG)),
        Step("route_images", any_of=_flag(IMAGES)),
        # The general page for this set: after the ones that fit more closely.
        Step("route_self"),
        LOOK_AFTER_YOURSELF,
        RIGHT_NOW,
    ),
)

OTHER = QuestionSet(
    id="other",
    questions=(
        Question(
            "relationship",
            N_("Who is the person you are worried about?"),
            (
                Option("partner", N_("My partner")),
                Option(
                    "young_person",
                    N_("My child, or another young person under 18"),
                    _flag(YOUNG_PERSON),
                ),
                Option("family", N_("Someone else in my family")),
                Option("known", N_("A friend, colleague or someone else I know")),
                _skip(),
            ),
        ),
        Question(
            "noticed",
            N_("What worries you most?"),
            (
                Option("behaviour", N_("How they behave with children or young people")),
                Option("online", N_("What they look at or do online")),
                Option(
                    "found",
                    N_("Something I saw myself on a phone, computer or online"),
                    _flag(FOUND_MATERIAL),
                ),
                Option("feeling", N_("A feeling that is hard to explain")),
                _skip(),
            ),
        ),
        Question(
            "child_danger",
            N_("Do you think a child is in danger right now?"),
            (
                Option("yes", N_("Yes, right now"), _flag(CHILD_DANGER)),
                Option(
                    "worried",
                    N_("I am worried about a child, but it is not happening right now"),
                    _flag(CHILD_WORRY),
                ),
                Option("not_sure", N_("I don't know"), _flag(CHILD_WORRY)),
                Option("no", N_("No")),
                _skip(),
            ),
        ),
        Question(
            "police",
            N_("Have the police been involved?"),
            (
                Option("yes", N_("Yes"), _flag(POLICE)),
                Option("no", N_("No")),
                Option("not_sure", N_("I don't know")),
                _skip(),
            ),
        ),
        Question(
            "wellbeing",
            N_("How are you doing yourself?"),
            (
                Option("ok", N_("Quite well")),
                Option("heavy", N_("It weighs on me"), _flag(LOW_MOOD)),
                Option(
                    "suicidal",
                    N_("I have thoughts of hurting myself or ending my life"),
                    _flag(SUICIDAL, LOW_MOOD),
                ),
                _skip(),
            ),
        ),
    ),
    steps=(
        EMERGENCY,
        SUICIDE_PREVENTION,
        CHILD_WORRY_STEP,
        HELPLINE,
        WHAT_HAPPENS,
        Step("for_relatives"),
        Step("route_someone_else"),
        Step("route_report", any_of=_flag(FOUND_MATERIAL)),
        Step("route_police_visit", any_of=_flag(POLICE)),
        Step("route_young_people", any_of=_flag(YOUNG_PERSON)),
        LOOK_AFTER_YOURSELF,
        RIGHT_NOW,
    ),
)

SETS: dict[str, QuestionSet] = {question_set.id: question_set for question_set in (SELF, OTHER)}


def question_set(set_id: str) -> QuestionSet:
    try:
        return SETS[set_id]
    except KeyError:
        raise UnknownSet(set_id) from None


def flags_for(set_id: str, answers: Mapping[str, object]) -> frozenset[str]:
    """The flags raised by `answers` (question id -> option value).

    Anything the set does not know is ignored: an unknown question, an unknown option, a value
    that is not a string. A missing answer and "I'd rather not say" raise nothing.
    """
    return _flags(question_set(set_id), answers)


def _flags(rules: QuestionSet, answers: Mapping[str, object]) -> frozenset[str]:
    found: set[str] = set()
    for question in rules.questions:
        value = answers.get(question.id)
        if not isinstance(value, str):
            continue
        option = question.option(value)
        if option is not None:
            found |= option.flags
    return frozenset(found)


def next_steps(set_id: str, answers: Mapping[str, object]) -> list[str]:
    """The ids of the steps to show, most important first. The helpline is always there."""
    return steps_for(question_set(set_id), answers)


def steps_for(rules: QuestionSet, answers: Mapping[str, object]) -> list[str]:
    """`next_steps` for a question set given as data."""
    flags = _flags(rules, answers)
    return [step.id for step in rules.steps if step.applies(flags)]


def step_ids(set_id: str) -> list[str]:
    """Every step this set can show, in order (the page renders a template for each)."""
    return [step.id for step in question_set(set_id).steps]


def rules_as_json(set_id: str) -> dict[str, Any]:
    """The rules as plain data for the browser: ids and flags only, no text.

    `static/js/site.js` (`computeSteps`) applies them exactly as `next_steps` does.
    """
    return rules_data(question_set(set_id))


def rules_data(rules: QuestionSet) -> dict[str, Any]:
    """`rules_as_json` for a question set given as data."""
    return {
        "set": rules.id,
        "questions": [
            {
                "id": question.id,
                "options": [
                    {"value": option.value, "flags": sorted(option.flags)}
                    for option in question.options
                ],
            }
            for question in rules.questions
        ],
        "steps": [
            {"id": step.id, "any_of": sorted(step.any_of), "none_of": sorted(step.none_of)}
            for step in rules.steps
        ],
    }
