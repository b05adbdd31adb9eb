"""The names staff read for each metric and bucket (web layer: translated with Flask-Babel).

Every member of metrics.py has a label here; tests/counters/test_figures.py checks none is
missing, so a new counter cannot appear on the figures page as a bare code.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.counters.metrics import BUCKETS as BUCKETS_OF
from app.counters.metrics import Metric

METRICS: dict[str, LazyString] = {
    Metric.CHAT_REQUESTED: _l("Chat: asked to start"),
    Metric.CHAT_STARTED: _l("Chat: in the queue"),
    Metric.CHAT_TURNED_AWAY: _l("Chat: turned away"),
    Metric.CHAT_ANSWERED: _l("Chat: answered by a counsellor"),
    Metric.CHAT_GAVE_UP: _l("Chat: left while waiting"),
    Metric.CHAT_ENDED: _l("Chat: ended by"),
    Metric.CHAT_LENGTH: _l("Chat: length"),
    Metric.MESSAGE_LEFT: _l("Message: left"),
    Metric.MESSAGE_ANSWERED: _l("Message: answered, after"),
    Metric.MESSAGE_COLLECTED: _l("Message: answer read"),
    Metric.MESSAGE_DELETED: _l("Message: deleted by the visitor"),
    Metric.MESSAGE_EXPIRED: _l("Message: deleted after the retention period"),
    Metric.ASSESSMENT_RESULT: _l("Self-test: result without JavaScript"),
    Metric.WRAPUP_WHO: _l("Wrap-up: who"),
    Metric.WRAPUP_TOPIC: _l("Wrap-up: topic"),
    Metric.WRAPUP_REFERRAL: _l("Wrap-up: referral"),
    Metric.FEEDBACK_HELPED: _l("Feedback: did it help?"),
    Metric.FEEDBACK_AGAIN: _l("Feedback: would contact us again?"),
}

BUCKETS: dict[str, LazyString] = {
    "all": _l("all"),
    "queue_full": _l("queue full"),
    "no_counsellor": _l("no counsellor free"),
    "closed": _l("outside opening hours"),
    "under_2_min": _l("under 2 minutes"),
    "2_to_5_min": _l("2 to 5 minutes"),
    "5_to_15_min": _l("5 to 15 minutes"),
    "over_15_min": _l("over 15 minutes"),
    "under_5_min": _l("under 5 minutes"),
    "15_to_30_min": _l("15 to 30 minutes"),
    "over_30_min": _l("over 30 minutes"),
    "visitor": _l("the visitor"),
    "counsellor": _l("the counsellor"),
    "idle": _l("no message for too long"),
    "quick_exit": _l("quick exit"),
    "blocked": _l("blocked"),
    "0_days": _l("the same day"),
    "1_day": _l("1 day"),
    "2_to_3_days": _l("2 to 3 days"),
    "over_3_days": _l("more than 3 days"),
    "self": _l("about yourself"),
    "other": _l("other"),
    "themselves": _l("about themselves"),
    "relative_or_friend": _l("a relative or friend"),
    "young_person": _l("a young person"),
    "professional": _l("a professional"),
    "unclear": _l("unclear"),
    "thoughts": _l("thoughts and feelings"),
    "online_images": _l("images online"),
    "behaviour": _l("behaviour"),
    "worry_about_someone": _l("worry about someone"),
    "police_or_court": _l("police or court"),
    "treatment": _l("treatment"),
    "none": _l("none"),
    "gp": _l("GP"),
    "veilig_thuis": _l("Veilig Thuis"),
    "suicide_prevention": _l("113 Suicide Prevention"),
    "victim_support": _l("victim support"),
    "police": _l("police"),
    "yes": _l("yes"),
    "a_little": _l("a little"),
    "no": _l("no"),
}


def metric_label(metric: str) -> str:
    return str(METRICS[metric])


def bucket_label(metric: str, bucket: str) -> str:
    """The bucket's name; "other" of the self-test is "about someone else"."""
    if metric == Metric.ASSESSMENT_RESULT and bucket == "other":
        return str(_l("about someone else"))
    return str(BUCKETS[bucket])


# The counsellor's wrap-up: (field name, metric, several answers allowed).
WRAPUP_FIELDS = (
    ("who", Metric.WRAPUP_WHO, False),
    ("topic", Metric.WRAPUP_TOPIC, True),
    ("referral", Metric.WRAPUP_REFERRAL, True),
)
WRAPUP_QUESTIONS = {
    "who": _l("Who was the chat about?"),
    "topic": _l("Main topics"),
    "referral": _l("Referral given"),
}


def wrapup_choices() -> list[tuple[str, str, bool, list[tuple[str, str]]]]:
    """(field, question, several, [(value, label)]) for the wrap-up form."""
    return [
        (
            name,
            str(WRAPUP_QUESTIONS[name]),
            several,
            [(b.value, bucket_label(metric, b.value)) for b in BUCKETS_OF[metric]],
        )
        for name, metric, several in WRAPUP_FIELDS
    ]
