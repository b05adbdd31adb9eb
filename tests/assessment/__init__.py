"""Tests of the reflection prompts: the rules, their JavaScript twin, and the views."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product

from app.assessment import question_set


def every_answer_set(set_id: str) -> Iterator[dict[str, str]]:
    """Every combination of answers to a set, each question also left unanswered."""
    questions = question_set(set_id).questions
    choices = [[None, *(option.value for option in q.options)] for q in questions]
    for combination in product(*choices):
        yield {q.id: value for q, value in zip(questions, combination, strict=True) if value}


def count_answer_sets(set_id: str) -> int:
    total = 1
    for question in question_set(set_id).questions:
        total *= len(question.options) + 1
    return total
