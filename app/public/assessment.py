"""The reflection prompts' views: the form (through the generic page view) and its result.

With JavaScript on, the browser computes the result from the rules in the page and nothing is
sent. Without it, the form is POSTed here: the answers live only in this request's memory.
They are never stored, logged, put in a URL or echoed back; the response is `no-store`
(app/privacy/headers.py). There is no CSRF token on purpose: the form changes nothing, and a
token would need a cookie.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, render_template, request
from werkzeug.datastructures import MultiDict

from app.assessment import next_steps, question_set, rules_as_json, step_ids
from app.counters.metrics import Metric, QuestionSet
from app.counters.web import count
from app.public.blueprint import bp
from app.public.pages import PAGES_BY_SLUG, Page
from app.public.routes import LANG

# Page key -> question set id.
ASSESSMENT_PAGES = {"check-self": "self", "check-other": "other"}

# A real submission is a few hundred bytes; anything far bigger is not a browser filling in
# this form, and gets a 413 page before it is read.
MAX_BODY_BYTES = 4096


def form_context(set_id: str) -> dict[str, Any]:
    """What the form template needs: the questions, the rules as data, every step's id."""
    return {
        "set_id": set_id,
        "questions": question_set(set_id).questions,
        "rules": rules_as_json(set_id),
        "step_ids": step_ids(set_id),
        "problem": False,
    }


def read_answers(set_id: str, form: MultiDict[str, str]) -> dict[str, str] | None:
    """The answers to this set's questions; None if a question was answered more than once.

    A browser sends at most one value per radio group, so a repeated field is not an answer we
    can trust: guessing could drop the one that says a child is in danger. Unknown fields are
    ignored, and so are unknown values (by the rules).
    """
    answers: dict[str, str] = {}
    for question in question_set(set_id).questions:
        values = form.getlist(question.id)
        if len(values) > 1:
            return None
        if values:
            answers[question.id] = values[0]
    return answers


@bp.post(f"/{LANG}/<slug>")
def assessment_result(slug: str) -> tuple[str, int]:
    """The next steps for the answers in the POST body (the path for JavaScript off)."""
    page = PAGES_BY_SLUG.get((g.lang, slug))
    if page is None or page.key not in ASSESSMENT_PAGES:
        abort(404)
    set_id = ASSESSMENT_PAGES[page.key]
    request.max_content_length = MAX_BODY_BYTES
    answers = read_answers(set_id, request.form)
    if answers is None:
        context = {**form_context(set_id), "problem": True}
        return render_template(page.template, page=page, **context), 400
    steps = next_steps(set_id, answers)
    # Only that a result page was served, and for which set: never an answer (docs/privacy.md).
    count(Metric.ASSESSMENT_RESULT, QuestionSet(set_id))
    return render_result(page, set_id, steps), 200


def render_result(page: Page, set_id: str, steps: list[str]) -> str:
    return render_template(
        "public/assessment/result.html", page=page, set_id=set_id, next_steps=steps
    )
