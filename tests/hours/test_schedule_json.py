"""JSON import/export: every kind of broken input is reported at its exact path."""

import copy
import datetime as dt
import json
from typing import Any

import pytest

from app.hours.errors import ScheduleError
from app.hours.exceptions_json import MAX_EXCEPTIONS
from app.hours.intervals_json import MAX_INTERVALS_PER_DAY, format_interval
from app.hours.model import Channel, DateException, Interval, Schedule
from app.hours.schedule_json import MAX_CHANNELS, dump_schedule, parse_schedule
from tests.hours.documents import EXAMPLE, EXC, REMOVE, broken, error_paths, in_english

# --- a valid document ------------------------------------------------------------------------


def test_parse_example() -> None:
    schedule = parse_schedule(EXAMPLE)
    assert schedule.timezone == "Europe/Amsterdam"
    assert list(schedule.channels) == ["phone", "chat"]
    phone = schedule.channels["phone"]
    assert phone.weekly[0] == (Interval(540, 1020), Interval(1140, 1320))
    assert phone.weekly[1] == ()
    assert phone.weekly[4] == (Interval(1320, 1560),)
    assert phone.weekly[6] == ()
    assert phone.holidays == "closed"
    assert phone.exceptions == (
        DateException(
            dt.date(2026, 12, 24), dt.date(2026, 12, 24), (Interval(540, 780),), "Kerstavond"
        ),
        DateException(dt.date(2026, 12, 25), dt.date(2026, 12, 26), None, "Kerst"),
    )
    chat = schedule.channels["chat"]
    assert chat.exceptions == ()
    assert chat.holidays == "normal"


def test_dump_shape() -> None:
    schedule = Schedule(
        "Europe/Amsterdam",
        {
            "phone": Channel(
                {0: (Interval(1320, 1560),)},
                (
                    DateException(
                        dt.date(2026, 12, 24), dt.date(2026, 12, 24), (Interval(540, 780),)
                    ),
                    DateException(
                        dt.date(2026, 12, 25), dt.date(2026, 12, 26), None, "Kerst", "Christmas"
                    ),
                ),
                "closed",
            )
        },
    )
    assert dump_schedule(schedule) == {
        "timezone": "Europe/Amsterdam",
        "channels": {
            "phone": {
                "weekly": {
                    "mon": ["22:00-02:00"],
                    "tue": [],
                    "wed": [],
                    "thu": [],
                    "fri": [],
                    "sat": [],
                    "sun": [],
                },
                "holidays": "closed",
                "exceptions": [
                    {"date": "2026-12-24", "hours": ["09:00-13:00"], "note": "", "note_en": ""},
                    {
                        "from": "2026-12-25",
                        "to": "2026-12-26",
                        "closed": True,
                        "note": "Kerst",
                        "note_en": "Christmas",
                    },
                ],
            }
        },
    }
    assert parse_schedule(dump_schedule(schedule)) == schedule


def test_a_file_with_only_the_old_single_note_imports_it_as_the_dutch_note() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [{"date": "2026-04-27", "closed": True, "note": "Koningsdag"}]
    schedule = parse_schedule(document)
    exception = schedule.channels["phone"].exceptions[0]
    assert (exception.note, exception.note_en) == ("Koningsdag", "")
    dumped = dump_schedule(schedule)["channels"]["phone"]["exceptions"][0]  # type: ignore[index]
    assert (dumped["note"], dumped["note_en"]) == ("Koningsdag", "")


def test_the_english_note_is_read_and_checked_like_the_dutch_one() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [
        {"date": "2026-04-27", "closed": True, "note": "Koningsdag", "note_en": "King's Day"}
    ]
    assert parse_schedule(document).channels["chat"].exceptions[0].note_en == "King's Day"
    for bad in (3, None, "x" * 201):
        document["exceptions"][0]["note_en"] = bad
        with pytest.raises(ScheduleError) as raised:
            parse_schedule(document)
        assert [e.path for e in raised.value.errors] == ["exceptions[0].note_en"]


def test_example_round_trips_through_json() -> None:
    schedule = parse_schedule(EXAMPLE)
    assert parse_schedule(json.loads(json.dumps(dump_schedule(schedule)))) == schedule


def test_top_level_exceptions_apply_to_every_channel() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [{"date": "2026-04-27", "closed": True, "note": "Koningsdag"}]
    schedule = parse_schedule(document)
    koningsdag = DateException(dt.date(2026, 4, 27), dt.date(2026, 4, 27), None, "Koningsdag")
    assert koningsdag in schedule.channels["phone"].exceptions
    assert schedule.channels["chat"].exceptions == (koningsdag,)


def test_touching_intervals_and_adjacent_exceptions_are_valid() -> None:
    document = broken(
        "channels.chat.weekly",
        {"sat": ["17:00-19:00", "19:00-22:00", "22:00-09:00"], "sun": ["09:00-10:00"]},
    )
    document["channels"]["chat"]["exceptions"] = [
        {"date": "2026-01-01", "closed": True},
        {
            "from": "2026-01-02",
            "to": "2027-01-02",
            "hours": ["22:00-10:00", "10:00-11:00"],
        },  # 366 d
    ]
    parse_schedule(document)


# --- one error each, at its exact path --------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path"),
    [
        # the document itself
        ([], ""),
        (None, ""),
        ("{}", ""),
        (broken("colour", "red"), "colour"),
        (broken("timezone", REMOVE), "timezone"),
        (broken("timezone", "Mars/Olympus"), "timezone"),
        (broken("timezone", "localtime"), "timezone"),
        (broken("timezone", "../../etc/passwd"), "timezone"),
        (broken("timezone", 1), "timezone"),
        (broken("channels", REMOVE), "channels"),
        (broken("channels", []), "channels"),
        (broken("channels", {}), "channels"),
        (broken("exceptions", {}), "exceptions"),
        # channels
        (broken("channels.Phone", {"weekly": {}, "holidays": "normal"}), "channels.Phone"),
        (broken("channels.1chat", {"weekly": {}, "holidays": "normal"}), "channels.1chat"),
        (
            broken("channels." + "a" * 33, {"weekly": {}, "holidays": "normal"}),
            "channels." + "a" * 33,
        ),
        (broken("channels.chat", "closed"), "channels.chat"),
        (broken("channels.chat.colour", "red"), "channels.chat.colour"),
        (broken("channels.chat.weekly", REMOVE), "channels.chat.weekly"),
        (broken("channels.chat.holidays", REMOVE), "channels.chat.holidays"),
        (broken("channels.chat.holidays", "sometimes"), "channels.chat.holidays"),
        (broken("channels.chat.holidays", ["closed"]), "channels.chat.holidays"),
        (broken("channels.chat.exceptions", {}), "channels.chat.exceptions"),
        # weekly hours
        (broken("channels.chat.weekly", ["09:00-17:00"]), "channels.chat.weekly"),
        (broken("channels.chat.weekly.tues", []), "channels.chat.weekly.tues"),
        (broken("channels.chat.weekly.tue", "19:00-21:00"), "channels.chat.weekly.tue"),
        (
            broken("channels.chat.weekly.tue", ["08:00-09:00", "9:00-10:00"]),
            "channels.chat.weekly.tue[1]",
        ),
        (broken("channels.chat.weekly.tue", ["08:00-09:00", 900]), "channels.chat.weekly.tue[1]"),
        (
            broken("channels.chat.weekly.tue", ["08:00-09:00", "24:00-01:00"]),
            "channels.chat.weekly.tue[1]",
        ),
        (
            broken("channels.chat.weekly.tue", ["08:00-09:00", "10:00-24:01"]),
            "channels.chat.weekly.tue[1]",
        ),
        (
            broken("channels.chat.weekly.tue", ["09:00-12:00", "11:00-13:00"]),
            "channels.chat.weekly.tue[1]",
        ),
        (
            broken("channels.chat.weekly.tue", ["11:00-13:00", "09:00-17:00"]),
            "channels.chat.weekly.tue[0]",
        ),
        (broken("channels.phone.weekly.sat", ["01:00-03:00"]), "channels.phone.weekly.sat[0]"),
        (broken("channels.phone.weekly.sun", ["23:00-10:00"]), "channels.phone.weekly.mon[0]"),
        (
            broken("channels.chat.weekly", {"tue": ["19:00-19:00"], "wed": ["18:00-20:00"]}),
            "channels.chat.weekly.wed[0]",
        ),
        # exceptions
        (broken(EXC, {"date": "2026-12-24"}), EXC),
        (broken(f"{EXC}.0", "2026-12-24"), f"{EXC}[0]"),
        (broken(f"{EXC}.0.colour", "red"), f"{EXC}[0].colour"),
        (broken(f"{EXC}.0.date", "2026-02-30"), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", "2026-2-3"), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", "20261224"), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", "2026-W52-4"), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", 20261224), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", "1999-12-24"), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.date", REMOVE), f"{EXC}[0].date"),
        (broken(f"{EXC}.0.from", "2026-12-23"), f"{EXC}[0]"),
        (broken(f"{EXC}.1.from", "2026-13-25"), f"{EXC}[1].from"),
        (broken(f"{EXC}.1.from", "2026-12-27"), f"{EXC}[1].to"),
        (broken(f"{EXC}.1.from", REMOVE), f"{EXC}[1].from"),
        (broken(f"{EXC}.1.to", REMOVE), f"{EXC}[1].to"),
        (broken(f"{EXC}.1.to", "2027-12-26"), f"{EXC}[1].to"),
        (broken(f"{EXC}.1.hours", ["09:00-12:00"]), f"{EXC}[1]"),
        (broken(f"{EXC}.1.closed", REMOVE), f"{EXC}[1]"),
        (broken(f"{EXC}.1.closed", False), f"{EXC}[1].closed"),
        (broken(f"{EXC}.1.closed", 1), f"{EXC}[1].closed"),
        (broken(f"{EXC}.0.hours", []), f"{EXC}[0].hours"),
        (broken(f"{EXC}.0.hours", "09:00-13:00"), f"{EXC}[0].hours"),
        (broken(f"{EXC}.0.hours", ["09:00-13:00", "25:00-26:00"]), f"{EXC}[0].hours[1]"),
        (broken(f"{EXC}.0.hours", ["09:00-13:00", "12:00-14:00"]), f"{EXC}[0].hours[1]"),
        (
            broken(
                f"{EXC}.1",
                {"from": "2026-12-25", "to": "2026-12-26", "hours": ["08:00-10:00", "22:00-09:00"]},
            ),
            f"{EXC}[1].hours[0]",
        ),
        (broken(f"{EXC}.0.note", 5), f"{EXC}[0].note"),
        (broken(f"{EXC}.0.note", None), f"{EXC}[0].note"),
        (broken(f"{EXC}.0.note", "x" * 201), f"{EXC}[0].note"),
        (broken(f"{EXC}.1.from", "2026-12-24"), f"{EXC}[1]"),
        (
            broken(f"{EXC}.1", {"from": "2026-12-01", "to": "2026-12-31", "closed": True}),
            f"{EXC}[0]",
        ),
    ],
)
def test_broken_input_is_reported_at_its_path(document: object, path: str) -> None:
    assert error_paths(document) == [path]


def test_every_overlap_with_an_enclosing_interval_is_reported() -> None:
    weekly = ["09:00-17:00", "10:00-11:00", "12:00-13:00"]
    assert error_paths(broken("channels.chat.weekly.tue", weekly)) == [
        "channels.chat.weekly.tue[1]",
        "channels.chat.weekly.tue[2]",
    ]


def test_note_of_200_characters_is_fine() -> None:
    parse_schedule(broken(f"{EXC}.0.note", "x" * 200))


def test_exception_overlapping_a_shared_one_is_blamed_on_the_channel() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [{"date": "2026-12-26", "closed": True, "note": "Alles dicht"}]
    assert error_paths(document) == [f"{EXC}[1]"]


def test_overlapping_shared_exceptions_are_reported_once() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [
        {"from": "2026-04-01", "to": "2026-04-30", "closed": True},
        {"date": "2026-04-27", "closed": True},
    ]
    assert error_paths(document) == ["exceptions[1]"]


def test_all_errors_are_reported() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["timezone"] = "Nowhere/Special"
    document["channels"]["chat"]["weekly"]["tue"] = ["19:00-21:00", "20:00-22:00", "bad"]
    document["channels"]["chat"]["holidays"] = "maybe"
    document["channels"]["phone"]["exceptions"][0]["date"] = "2026-12-32"
    document["channels"]["phone"]["exceptions"][1]["note"] = 3
    document["channels"]["Video"] = {"weekly": {}, "holidays": "normal"}
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(document)
    assert in_english(sorted(caught.value.errors, key=lambda e: e.path)) == [
        ("channels.Video", "channel names are a-z, 0-9 and _, starting with a letter"),
        ("channels.chat.holidays", 'expected "closed" or "normal"'),
        ("channels.chat.weekly.tue[1]", "overlaps 19:00-21:00"),
        ("channels.chat.weekly.tue[2]", "use HH:MM-HH:MM, for example 09:00-17:00"),
        (f"{EXC}[0].date", "no such date"),
        (f"{EXC}[1].note", "expected text"),
        ("timezone", "unknown time zone; use a name like Europe/Amsterdam"),
    ]
    assert isinstance(caught.value, ValueError)
    assert "channels.chat.holidays" in str(caught.value)


# --- sizes: an upload cannot make every page huge -----------------------------------------


def closed_days(count: int, first: dt.date = dt.date(2026, 1, 1)) -> list[dict[str, Any]]:
    return [
        {"date": (first + dt.timedelta(days=n)).isoformat(), "closed": True} for n in range(count)
    ]


def quarter_hours(count: int) -> list[str]:
    return [format_interval(Interval(n * 30, n * 30 + 15)) for n in range(count)]


def test_the_largest_allowed_schedule_is_accepted() -> None:
    channel = {
        "weekly": {day: quarter_hours(MAX_INTERVALS_PER_DAY) for day in ("mon", "sun")},
        "holidays": "normal",
        "exceptions": closed_days(MAX_EXCEPTIONS - 1, dt.date(2027, 1, 1)),
    }
    document = {
        "timezone": "Europe/Amsterdam",
        "exceptions": closed_days(1),
        "channels": {f"line{n}": channel for n in range(MAX_CHANNELS)},
    }
    schedule = parse_schedule(document)
    assert len(schedule.channels) == MAX_CHANNELS
    assert len(schedule.channels["line0"].exceptions) == MAX_EXCEPTIONS


def test_thousands_of_channels_are_refused_at_channels() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["channels"] = {f"line{n}": {"weekly": {}, "holidays": "normal"} for n in range(2500)}
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(document)
    assert in_english(caught.value.errors) == [("channels", "at most 10 channels")]


def test_one_channel_too_many_is_refused() -> None:
    document = copy.deepcopy(EXAMPLE)
    for n in range(MAX_CHANNELS - 1):
        document["channels"][f"line{n}"] = {"weekly": {}, "holidays": "normal"}
    assert error_paths(document) == ["channels"]


def test_too_many_intervals_in_a_day_are_refused_at_that_day() -> None:
    weekly = broken("channels.chat.weekly.tue", quarter_hours(MAX_INTERVALS_PER_DAY + 1))
    hours = broken(f"{EXC}.0.hours", quarter_hours(MAX_INTERVALS_PER_DAY + 1))
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(weekly)
    assert in_english(caught.value.errors) == [
        ("channels.chat.weekly.tue", "at most 10 intervals a day")
    ]
    assert error_paths(hours) == [f"{EXC}[0].hours"]


def test_too_many_exceptions_are_refused_at_their_list() -> None:
    own = broken(EXC, closed_days(MAX_EXCEPTIONS + 1))
    shared = broken("exceptions", closed_days(MAX_EXCEPTIONS + 1))
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(own)
    assert in_english(caught.value.errors) == [(EXC, "at most 400 exceptions")]
    assert error_paths(shared) == ["exceptions"]


def test_shared_exceptions_count_for_every_channel() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = closed_days(MAX_EXCEPTIONS - 1, dt.date(2030, 1, 1))
    # phone has 2 exceptions of its own: one too many; chat has none and stays within the limit.
    assert error_paths(document) == [EXC]


def test_input_is_not_modified() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["exceptions"] = [{"date": "2026-04-27", "closed": True}]
    before = copy.deepcopy(document)
    parse_schedule(document)
    assert document == before
