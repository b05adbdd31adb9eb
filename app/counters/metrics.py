"""What is counted: the only source of metric and bucket names (brief.md, promise 11).

Each metric has a fixed enumeration of buckets; a metric without a breakdown has the single
bucket `ALL`. Nothing else can be written: store.increment refuses a name that is not here,
so a counter can never hold free text, a page address, a source or anything about a visitor.
The privacy statement names every metric (tests/test_privacy_statement.py), so the list and
the public promise cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class Metric(StrEnum):
    CHAT_REQUESTED = "chat_requested"  # a visitor asked to start a chat
    CHAT_STARTED = "chat_started"  # the chat was admitted to the queue
    CHAT_TURNED_AWAY = "chat_turned_away"  # not admitted: Refusal
    CHAT_ANSWERED = "chat_answered"  # a counsellor took it from the queue
    CHAT_GAVE_UP = "chat_gave_up"  # ended while waiting, by the visitor: Wait
    CHAT_ENDED = "chat_ended"  # an answered chat ended: EndedBy
    CHAT_LENGTH = "chat_length"  # an answered chat's length, start request to end: Length
    MESSAGE_LEFT = "message_left"
    MESSAGE_ANSWERED = "message_answered"  # the helpline's first answer: AnswerDays
    MESSAGE_COLLECTED = "message_collected"  # a visitor opened an answer with the code
    MESSAGE_DELETED = "message_deleted"  # the visitor deleted the conversation
    MESSAGE_EXPIRED = "message_expired"  # deleted after the retention period
    ASSESSMENT_RESULT = "assessment_result"  # a result page served without JavaScript: QuestionSet
    WRAPUP_WHO = "wrapup_who"  # the counsellor's wrap-up: Who
    WRAPUP_TOPIC = "wrapup_topic"  # Topic, one count per topic picked
    WRAPUP_REFERRAL = "wrapup_referral"  # Referral, one count per referral picked
    FEEDBACK_HELPED = "feedback_helped"  # the visitor's answer: Answer
    FEEDBACK_AGAIN = "feedback_again"  # Answer


class All(StrEnum):
    ALL = "all"


class Refusal(StrEnum):
    QUEUE_FULL = "queue_full"
    NO_COUNSELLOR = "no_counsellor"
    CLOSED = "closed"


class Wait(StrEnum):
    UNDER_2 = "under_2_min"
    FROM_2_TO_5 = "2_to_5_min"
    FROM_5_TO_15 = "5_to_15_min"
    OVER_15 = "over_15_min"


class EndedBy(StrEnum):
    VISITOR = "visitor"
    COUNSELLOR = "counsellor"
    IDLE = "idle"
    QUICK_EXIT = "quick_exit"
    BLOCKED = "blocked"


class Length(StrEnum):
    UNDER_5 = "under_5_min"
    FROM_5_TO_15 = "5_to_15_min"
    FROM_15_TO_30 = "15_to_30_min"
    OVER_30 = "over_30_min"


class AnswerDays(StrEnum):
    SAME_DAY = "0_days"
    ONE = "1_day"
    TWO_TO_THREE = "2_to_3_days"
    OVER_3 = "over_3_days"


class QuestionSet(StrEnum):
    SELF = "self"
    OTHER = "other"


class Who(StrEnum):
    THEMSELVES = "themselves"
    RELATIVE_OR_FRIEND = "relative_or_friend"
    YOUNG_PERSON = "young_person"
    PROFESSIONAL = "professional"
    UNCLEAR = "unclear"


class Topic(StrEnum):
    THOUGHTS = "thoughts"
    ONLINE_IMAGES = "online_images"
    BEHAVIOUR = "behaviour"
    WORRY_ABOUT_SOMEONE = "worry_about_someone"
    POLICE_OR_COURT = "police_or_court"
    TREATMENT = "treatment"
    OTHER = "other"


class Referral(StrEnum):
    NONE = "none"
    TREATMENT = "treatment"
    GP = "gp"
    VEILIG_THUIS = "veilig_thuis"
    SUICIDE_PREVENTION = "suicide_prevention"
    VICTIM_SUPPORT = "victim_support"
    POLICE = "police"
    OTHER = "other"


class Answer(StrEnum):
    YES = "yes"
    A_LITTLE = "a_little"
    NO = "no"


BUCKETS: dict[Metric, type[StrEnum]] = {
    Metric.CHAT_REQUESTED: All,
    Metric.CHAT_STARTED: All,
    Metric.CHAT_TURNED_AWAY: Refusal,
    Metric.CHAT_ANSWERED: All,
    Metric.CHAT_GAVE_UP: Wait,
    Metric.CHAT_ENDED: EndedBy,
    Metric.CHAT_LENGTH: Length,
    Metric.MESSAGE_LEFT: All,
    Metric.MESSAGE_ANSWERED: AnswerDays,
    Metric.MESSAGE_COLLECTED: All,
    Metric.MESSAGE_DELETED: All,
    Metric.MESSAGE_EXPIRED: All,
    Metric.ASSESSMENT_RESULT: QuestionSet,
    Metric.WRAPUP_WHO: Who,
    Metric.WRAPUP_TOPIC: Topic,
    Metric.WRAPUP_REFERRAL: Referral,
    Metric.FEEDBACK_HELPED: Answer,
    Metric.FEEDBACK_AGAIN: Answer,
}


class UnknownCounter(ValueError):
    """A metric or bucket that is not in the enumerations above."""


def checked(metric: str, bucket: str) -> tuple[Metric, str]:
    """The metric and bucket if both are in the lists, else UnknownCounter."""
    try:
        known = Metric(metric)
        return known, BUCKETS[known](bucket).value
    except ValueError as error:
        raise UnknownCounter(f"not a counter: {metric!r} / {bucket!r}") from error


B = TypeVar("B", bound=StrEnum)

# Each bucket with the upper bound (exclusive) of what it holds; the last bucket has none.
WAIT_MINUTES = ((2, Wait.UNDER_2), (5, Wait.FROM_2_TO_5), (15, Wait.FROM_5_TO_15))
LENGTH_MINUTES = ((5, Length.UNDER_5), (15, Length.FROM_5_TO_15), (30, Length.FROM_15_TO_30))
ANSWER_DAYS = ((1, AnswerDays.SAME_DAY), (2, AnswerDays.ONE), (4, AnswerDays.TWO_TO_THREE))


def _bucket(value: float, bounds: tuple[tuple[int, B], ...], last: B) -> B:
    return next((bucket for bound, bucket in bounds if value < bound), last)


def wait_bucket(seconds: float) -> Wait:
    return _bucket(seconds / 60, WAIT_MINUTES, Wait.OVER_15)


def length_bucket(seconds: float) -> Length:
    return _bucket(seconds / 60, LENGTH_MINUTES, Length.OVER_30)


def answer_days_bucket(days: int) -> AnswerDays:
    return _bucket(days, ANSWER_DAYS, AnswerDays.OVER_3)


# The longest name, so the table's columns can be short enum-constrained strings.
NAME_LENGTH = 32
