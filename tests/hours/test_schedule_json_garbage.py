"""JSON import: junk and damaged documents only ever raise ScheduleError, whose errors are
complete data (a path, and exactly the parameters their wording uses)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.hours.errors import ENGLISH, ScheduleError, english
from app.hours.schedule_json import parse_schedule
from tests.hours.documents import EXAMPLE
from tests.hours.test_errors import placeholders

KEYS = [
    "timezone", "channels", "exceptions", "phone", "chat", "weekly", "holidays", "mon", "sun",
    "date", "from", "to", "closed", "hours", "note", "note_en",
]  # fmt: skip
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["09:00-17:00", "24:00", "2026-12-24", "Europe/Amsterdam", "closed"])
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutate(data: st.DataObject, value: object) -> object:
    """Replace one random subtree of ``value`` with junk, or add a junk key."""
    choice = data.draw(st.sampled_from(["descend", "replace", "add"]))
    if choice == "descend" and isinstance(value, dict) and value:
        key = data.draw(st.sampled_from(sorted(value)))
        return {**value, key: _mutate(data, value[key])}
    if choice == "descend" and isinstance(value, list) and value:
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], _mutate(data, value[index]), *value[index + 1 :]]
    if choice == "add" and isinstance(value, dict):
        return {**value, data.draw(st.sampled_from(KEYS) | st.text(max_size=6)): data.draw(junk)}
    return data.draw(junk)


def _parse_or_schedule_error(document: object) -> None:
    """Either a schedule comes out, or a ScheduleError that says what is wrong (any other
    exception fails the test)."""
    try:
        parse_schedule(document)
    except ScheduleError as error:
        errors = error.errors
    else:
        return
    assert errors
    assert all(isinstance(e.path, str) and english(e) for e in errors)
    # The data a renderer gets is complete: exactly the parameters its wording uses.
    assert all(set(e.params) == placeholders(ENGLISH[e.code]) for e in errors)


@settings(max_examples=300)
@given(junk)
def test_garbage_only_raises_schedule_error(document: object) -> None:
    _parse_or_schedule_error(document)


@settings(max_examples=300)
@given(st.data())
def test_damaged_documents_only_raise_schedule_error(data: st.DataObject) -> None:
    damaged: object = EXAMPLE
    for _ in range(data.draw(st.integers(1, 3))):
        damaged = _mutate(data, damaged)
    _parse_or_schedule_error(damaged)
