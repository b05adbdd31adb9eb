"""Reflection prompts: question sets and the rules from answers to next steps (pure Python).

The public views in app/public/assessment.py render them; static/js/site.js applies the
same rules in the browser, so with JavaScript on no answer ever leaves the device.
"""

from app.assessment.rules import (
    SETS,
    SKIP,
    Option,
    Question,
    QuestionSet,
    Step,
    UnknownSet,
    flags_for,
    next_steps,
    question_set,
    rules_as_json,
    step_ids,
)

__all__ = [
    "SETS",
    "SKIP",
    "Option",
    "Question",
    "QuestionSet",
    "Step",
    "UnknownSet",
    "flags_for",
    "next_steps",
    "question_set",
    "rules_as_json",
    "step_ids",
]
