"""Fuzzing every staff form with the Flask test client, as a logged-in admin would post it.

Each test starts from the form a browser would submit (tests/staff/helpers.form_fields) and
replaces, drops, repeats or adds fields with junk: control characters, huge strings, wrong
numbers, dates and versions, random field names. Whatever is posted, the answer is never a
500 and never a stack trace, and the stored data (hours, notice, contact) only changes when
the post was a valid save (a redirect); anything else leaves it exactly as it was.

The CSRF token is always a fresh, valid one: a bad token logs the client out (tests/staff/
test_csrf.py covers that), which would turn every later example into a login redirect.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from app.contacts import Contact
from app.db import db
from app.hours.schedule_json import dump_schedule
from app.hours.store import load_schedule
from app.notice.store import load_notice
from app.staff import auth
from tests.clock import freeze
from tests.conftest import make_app
from tests.fuzz.conftest import STACK_TRACE_SIGNS
from tests.staff.conftest import Account, Clock, StaffLogin, create_account, csrf_token
from tests.staff.helpers import form_fields

# A logged-in client per test function, shared by its examples (hence the health check).
# No shrinking: each example is a few requests, and shrinking a failure took minutes; the
# failing example is reported as found.
FORM_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
CONTACT_KEYS = ["helpline", "emergency", "police", "police_chatapp", "kindertelefoon"]

# -- values -------------------------------------------------------------------------------

no_surrogates = st.characters(blacklist_categories=("Cs",))
control = st.text(st.characters(max_codepoint=0x1F) | st.sampled_from("\x7f\u2028\ufeff"))
huge = st.integers(1_000, 20_000).map(lambda n: "x" * n) | st.integers(500, 5_000).map(
    lambda n: "09:00-17:00, " * n
)
tricky = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "-1",
        "0",
        "1",
        "2",
        "99999999999999999999999",
        str(2**63),
        "1e9",
        "NaN",
        "inf",
        "y",
        "on",
        "false",
        "None",
        "[]",
        "{}",
        "%s%n",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "9999-12-31",
        "9999-12-31T23:59",
        "0001-01-01T00:00",
        "2027-03-28T02:30",  # a local time that does not exist (clocks go forward)
        "2026-10-25T02:30",  # a local time that happens twice
        "2026-12-24T18:00",
        "2026-12-24 18:00",
        "24-12-2026 18:00",
        "24:00-25:00",
        "17:00-09:00",
        "09:00-17:00, 10:00-11:00",
        "9-17",
        "00:00-24:00",
        "closed",
        "normal",
        "all",
        "phone",
        "chat",
        "+31 (0)6 428 346 35",
        "https://www.example.nl/",
        "https://user@example.nl/",
        "https://example.nl:99999/",
        "http://example.nl/",
        "https://xn--.nl/",
    ]
)
value = (
    st.text(no_surrogates, max_size=60)
    | control
    | tricky
    | huge
    | st.integers().map(str)
    | st.floats().map(str)
)
field_name = st.text(no_surrogates, min_size=1, max_size=20).filter(
    lambda name: name != "csrf_token"
)

# A change to a form: set, drop or repeat one of its fields (by index), or add a new one.
change = st.tuples(
    st.sampled_from(["set", "set", "drop", "repeat", "add"]),
    st.integers(0, 200),
    field_name | st.sampled_from(["action", "version", "exceptions-99-note", "exceptions-0-x"]),
    value,
)
changes = st.lists(change, max_size=6)


def mutate(fields: dict[str, str], edits: list[tuple[str, int, str, str]]) -> list[tuple[str, str]]:
    """The form's fields (without the CSRF token) with the edits applied, as ordered pairs."""
    pairs = [(name, text) for name, text in fields.items() if name != "csrf_token"]
    for kind, index, name, text in edits:
        if kind == "add" or not pairs:
            pairs.append((name, text))
            continue
        at = index % len(pairs)
        if kind == "set":
            pairs[at] = (pairs[at][0], text)
        elif kind == "drop":
            del pairs[at]
        else:
            pairs.insert(at + 1, (pairs[at][0], text))
    return pairs


INT64 = range(-(2**63), 2**63)


def within_int64(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs with any version number outside a signed 64-bit integer replaced by -1:
    those are a known 500 (test_versions_beyond_64_bits), kept out of the general fuzzing
    so that it stays deterministic and finds other problems."""

    def fits(text: str) -> bool:
        try:
            return int(text or "") in INT64
        except ValueError:
            return True

    return [(name, text if name != "version" or fits(text) else "-1") for name, text in pairs]


# -- the app and its clients ---------------------------------------------------------------


@pytest.fixture(scope="module")
def clock() -> Iterator[Clock]:
    with pytest.MonkeyPatch.context() as patch:
        yield freeze(patch)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, clock: Clock) -> Flask:
    """Run as in production: TESTING off, so an error becomes a 500 response."""
    return make_app(tmp_path_factory.mktemp("staff-fuzz"), TESTING=False)


@pytest.fixture(scope="module")
def admin_account(site: Flask) -> Account:
    return create_account(site, "fuzz.admin", admin=True)


@pytest.fixture
def admin(site: Flask, admin_account: Account, clock: Clock) -> StaffLogin:
    login = StaffLogin(site.test_client(), clock)
    login.login(admin_account)
    return login


def assert_handled(response: TestResponse, what: object) -> None:
    status, body = response.status_code, response.get_data(as_text=True)
    event(f"status {status}")  # --hypothesis-show-statistics: how many posts were saves
    assert status < 500, f"{status} for {what!r}:\n{body[:2000]}"
    for sign in STACK_TRACE_SIGNS:
        assert sign not in body, f"{sign!r} shown for {what!r}"
    # Still logged in: a junk post never ends the session (that would also hide later bugs).
    assert "/staff/login" not in response.headers.get("Location", ""), what


def post(
    client: FlaskClient, url: str, pairs: list[tuple[str, Any]], form_url: str | None = None
) -> TestResponse:
    token = csrf_token(client, form_url or url)
    response = client.post(url, data=MultiDict([("csrf_token", token), *pairs]))
    # The test client spools a large body to a temporary file. A refused upload (413) leaves it
    # unread and open, and its garbage collection would warn during some later test.
    response.request.environ["wsgi.input"].close()
    return response


def stored(site: Flask, what: str) -> object:
    """The stored value a form edits, in a comparable form."""
    with site.app_context():
        if what == "hours":
            loaded = load_schedule(db.session)
            return loaded and (dump_schedule(loaded[0]), loaded[1])
        if what == "notice":
            return load_notice(db.session)
        contact = db.session.get(Contact, what)
        return contact and {
            column.name: getattr(contact, column.name) for column in Contact.__table__.columns
        }


def assert_unchanged_unless_saved(
    site: Flask, what: str, before: object, response: TestResponse, edits: object
) -> None:
    if response.status_code != 302:
        assert stored(site, what) == before, f"{what} changed by a refused post: {edits!r}"


# -- the editors -----------------------------------------------------------------------------


@FORM_SETTINGS
@given(
    changes,
    st.sampled_from(["save", "preview", "more", None]) | st.text(no_surrogates, max_size=10),
)
# Two actions, an unknown one first: the view reads the first (a save), not the last.
@example(edits=[("add", 0, "action", "junk")], action="preview")
def test_hours_editor(site: Flask, admin: StaffLogin, edits: list, action: str | None) -> None:
    fields = form_fields(admin.client.get("/staff/hours"))
    pairs = mutate(fields, edits) + ([("action", action)] if action is not None else [])
    before = stored(site, "hours")
    response = post(admin.client, "/staff/hours", pairs)
    assert_handled(response, pairs)
    assert_unchanged_unless_saved(site, "hours", before, response, pairs)
    first_action = next((text for name, text in pairs if name == "action"), None)
    if first_action in ("preview", "more"):  # the first "action" counts, as in the view
        assert response.status_code != 302


def _exported(site: Flask) -> bytes:
    with site.app_context():
        loaded = load_schedule(db.session)
    assert loaded
    return json.dumps(dump_schedule(loaded[0])).encode()


json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(no_surrogates, max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(no_surrogates, max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
).map(lambda data: json.dumps(data).encode())
upload_content = (
    st.binary(max_size=3_000)
    | st.text(max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass"))
    | json_junk
    | st.sampled_from(
        [b"", b"{", b"[" * 100_000, b"\xef\xbb\xbf{}", b"null", b"x" * 1_000_001, b"EXPORT"]
    )
)


@FORM_SETTINGS
@given(
    upload_content,
    st.text(no_surrogates, max_size=30) | st.just("hours.json"),
    changes,
    st.booleans(),
)
@example(b"EXPORT", "hours.json", [], True).via("a valid import")
def test_hours_import(
    site: Flask, admin: StaffLogin, content: bytes, filename: str, edits: list, attach: bool
) -> None:
    if content == b"EXPORT":
        content = _exported(site)
    fields = form_fields(admin.client.get("/staff/hours/import"))
    pairs: list[tuple[str, Any]] = list(mutate(fields, edits))
    if attach:
        pairs.append(("file", (io.BytesIO(content), filename)))
    before = stored(site, "hours")
    response = post(admin.client, "/staff/hours/import", pairs)
    assert_handled(response, (content[:200], filename, edits))
    assert_unchanged_unless_saved(site, "hours", before, response, (content[:200], edits))


@FORM_SETTINGS
@given(changes, st.sampled_from(["remove", "save"]) | st.none() | st.text(max_size=5))
def test_notice_editor(site: Flask, admin: StaffLogin, edits: list, action: str | None) -> None:
    fields = form_fields(admin.client.get("/staff/notice"))
    pairs = within_int64(mutate(fields, edits)) + (
        [("action", action)] if action is not None else []
    )
    before = stored(site, "notice")
    response = post(admin.client, "/staff/notice", pairs)
    assert_handled(response, pairs)
    assert_unchanged_unless_saved(site, "notice", before, response, pairs)


@FORM_SETTINGS
@given(st.sampled_from(CONTACT_KEYS), changes)
def test_directory_editor(site: Flask, admin: StaffLogin, key: str, edits: list) -> None:
    url = f"/staff/directory/{key}"
    fields = form_fields(admin.client.get(url))
    pairs = within_int64(mutate(fields, edits))
    before = stored(site, key)
    response = post(admin.client, url, pairs)
    assert_handled(response, (key, pairs))
    assert_unchanged_unless_saved(site, key, before, response, (key, pairs))


@FORM_SETTINGS
@given(st.text(no_surrogates, min_size=1, max_size=80) | tricky | huge, changes)
def test_directory_unknown_keys(site: Flask, admin: StaffLogin, key: str, edits: list) -> None:
    url = "/staff/directory/" + quote(key, safe="")
    pairs = within_int64(mutate({"name": "x", "version": "1"}, edits))
    response = post(admin.client, url, pairs, form_url="/staff/directory")
    assert_handled(response, (key, pairs))


@FORM_SETTINGS
@given(
    st.sampled_from(["/staff/directory/helpline", "/staff/notice"]),
    st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1),
    st.booleans(),
)
@example("/staff/directory/helpline", 2**63, False).via("found by fuzzing the version field")
@example("/staff/notice", 10**23, False).via("found by fuzzing the version field")
@example("/staff/notice", 2**63, True).via("the remove button")
def test_versions_beyond_64_bits(
    site: Flask, admin: StaffLogin, url: str, version: int, remove: bool
) -> None:
    fields = form_fields(admin.client.get(url)) | {"version": str(version)}
    if url.endswith("/notice"):
        fields |= {"text_nl": "Gesloten", "text_en": "Closed"}
    extra = [("action", "remove")] if remove else []
    what = "helpline" if "directory" in url else "notice"
    before = stored(site, what)
    response = post(admin.client, url, mutate(fields, []) + extra)
    assert_handled(response, (url, version))
    assert_unchanged_unless_saved(site, what, before, response, (url, version))


# -- accounts ----------------------------------------------------------------------------------


@FORM_SETTINGS
@given(changes, st.booleans())
def test_new_user_form(site: Flask, admin: StaffLogin, edits: list, plausible: bool) -> None:
    fields = form_fields(admin.client.get("/staff/admin/users"), "username")
    if plausible:  # past the field checks, so the password rules and the insert run
        fields |= {"username": "fuzz.new", "password": "another long unusual passphrase 7"}
    pairs = mutate(fields, edits)
    response = post(admin.client, "/staff/admin/users", pairs)
    assert_handled(response, pairs)


@pytest.fixture
def target_id(site: Flask) -> int:
    """Someone else's account for the action buttons (never the admin's own: a reset of it
    would log the fuzzing client out)."""
    account = create_account(site, "fuzz.target")
    with site.app_context():
        user = auth.find_user(account.username)
        assert user
        return user.id


@FORM_SETTINGS
@given(
    st.sampled_from(["disable", "enable", "reset"]),
    st.sampled_from(["target", 0, 999_999, 2**31, 2**63 - 1]),  # 2**63 is a known 500 (below)
    st.lists(st.tuples(field_name, value), max_size=3),
)
def test_user_action_buttons(
    site: Flask, admin: StaffLogin, target_id: int, action: str, user: object, extra: list
) -> None:
    number = target_id if user == "target" else user
    url = f"/staff/admin/users/{number}/{action}"
    response = post(admin.client, url, extra, form_url="/staff/admin/users")
    assert_handled(response, (url, extra))


@FORM_SETTINGS
@given(st.sampled_from(["disable", "enable", "reset"]), st.integers(min_value=2**63))
@example("enable", 2**63).via("found by fuzzing the user id")
def test_user_ids_beyond_64_bits(site: Flask, admin: StaffLogin, action: str, user: int) -> None:
    url = f"/staff/admin/users/{user}/{action}"
    response = post(admin.client, url, [], form_url="/staff/admin/users")
    assert_handled(response, url)


@FORM_SETTINGS
@given(changes, st.sampled_from(["right", "wrong"]))
def test_password_form(site: Flask, clock: Clock, edits: list, current: str) -> None:
    account = create_account(site, f"fuzz.pw.{clock().timestamp():.0f}")
    login = StaffLogin(site.test_client(), clock)
    login.login(account)
    fields = form_fields(login.client.get("/staff/password"), "current")
    fields["current"] = account.password if current == "right" else "not the password"
    pairs = mutate(fields, edits)
    response = post(login.client, "/staff/password", pairs)
    assert_handled(response, pairs)


# -- logging in ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def enrolled(site: Flask) -> Account:
    return create_account(site, "fuzz.enrolled")


@pytest.fixture(scope="module")
def new_staff(site: Flask) -> Account:
    return create_account(site, "fuzz.new.staff", enrolled=False)


def _forgive(site: Flask, *names: str) -> None:
    """Failures from earlier examples would throttle the account and stop the second step."""
    with site.app_context():
        for name in names:
            auth.clear_failures(name)


@FORM_SETTINGS
@given(changes, st.sampled_from(["", "?next=/staff/hours", "?next=//evil.example"]))
def test_login_password_step(
    site: Flask, clock: Clock, enrolled: Account, edits: list, query: str
) -> None:
    fields = {"username": enrolled.username, "password": enrolled.password}
    pairs = mutate(fields, edits)
    client = site.test_client()
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login" + query, data=MultiDict([("csrf_token", token), *pairs]))
    status, body = response.status_code, response.get_data(as_text=True)
    assert status < 500, f"{status} for {pairs!r}:\n{body[:2000]}"
    assert not any(sign in body for sign in STACK_TRACE_SIGNS), pairs
    _forgive(site, enrolled.username, *(text for name, text in pairs if name == "username"))


@FORM_SETTINGS
@given(
    st.sampled_from(["code", "enroll"]),
    changes,
    st.text("0123456789 ", max_size=14) | value,
)
def test_login_second_step(
    site: Flask,
    clock: Clock,
    enrolled: Account,
    new_staff: Account,
    stage: str,
    edits: list,
    code: str,
) -> None:
    account = enrolled if stage == "code" else new_staff
    _forgive(site, account.username)
    login = StaffLogin(site.test_client(), clock)
    location = login.password_step(account)
    assert location.endswith(f"/staff/login/{stage}"), location
    pairs = mutate({"code": code}, edits)
    response = post(login.client, location, pairs)
    status, body = response.status_code, response.get_data(as_text=True)
    assert status < 500, f"{status} for {pairs!r}:\n{body[:2000]}"
    assert not any(sign in body for sign in STACK_TRACE_SIGNS), pairs
