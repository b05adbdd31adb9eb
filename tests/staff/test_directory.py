"""The contact directory editor: corrections reach the public pages, malformed numbers and
addresses are refused with a reason, and whatever staff type is escaped for visitors."""

from __future__ import annotations

import pytest
from flask import Flask

from app.contacts import Contact
from app.db import db
from app.staff.audit import AuditEntry
from tests.staff.conftest import StaffLogin
from tests.staff.helpers import form_fields, page_text, submit

URL = "/staff/directory/veilig_thuis"


def stored(app: Flask, key: str = "veilig_thuis") -> Contact:
    with app.app_context():
        contact = db.session.get(Contact, key)
        assert contact is not None
        db.session.expunge(contact)
        return contact


def test_the_directory_lists_every_contact_and_what_to_check(
    logged_in_admin: StaffLogin,
) -> None:
    page = page_text(logged_in_admin.client.get("/staff/directory"))
    assert "0800 266 64 36" in page
    assert 'href="/staff/directory/veilig_thuis"' in page
    assert page.count('href="/staff/directory/') == 16


def test_a_correction_reaches_the_public_pages_and_the_audit_trail(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    client = logged_in_admin.client
    assert "0800-2000" in client.get("/nl/voor-professionals").get_data(as_text=True)
    response = submit(client, URL, {"phone": "0800 2000", "verified": "y"})
    assert response.status_code == 302
    contact = stored(app)
    assert contact.phone == "0800 2000"
    assert contact.verified is True
    assert contact.version == 2
    page = client.get("/nl/voor-professionals").get_data(as_text=True)
    assert 'href="tel:08002000">0800 2000</a>' in page
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="contact changed").one()
        assert entry.target == "veilig_thuis"
        assert "0800-2000" in entry.before
        assert "0800 2000" in entry.after


def test_unticking_verified_and_editing_descriptions(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    response = submit(
        logged_in_admin.client,
        "/staff/directory/helpline",
        {"verified": None, "description_en": "Free and anonymous.\nAlso for relatives."},
    )
    assert response.status_code == 302
    contact = stored(app, "helpline")
    assert contact.verified is False
    assert contact.description_en == "Free and anonymous.\nAlso for relatives."


MALFORMED_NUMBERS = (
    "call us",
    "0800-HELP",
    "12",
    "1" * 21,
    "++31 6 1234 5678",
    "06 1234 5678 ext. 4",
    "(06) 1234 5678",
    "<script>alert(1)</script>",
    "0800\n2000",
    "0" * 41,
)
MALFORMED_ADDRESSES = (
    "http://veiligthuis.nl/",
    "javascript:alert(1)",
    "https://",
    "https://localhost/",
    "https://veiligthuis",
    "https://user:pass@evil.example/",
    "https://veilig thuis.nl/",
    "https://-bad-.nl/",
    "https://veiligthuis.nl:port/",
    "ftp://veiligthuis.nl/",
    "veiligthuis.nl",
    "https://veiligthuis.nl/" + "a" * 300,
)


def test_malformed_numbers_are_refused(app: Flask, logged_in_admin: StaffLogin) -> None:
    for phone in MALFORMED_NUMBERS:
        response = submit(logged_in_admin.client, URL, {"phone": phone})
        assert response.status_code == 200, phone
        assert 'id="phone-error"' in response.get_data(as_text=True), phone
    assert stored(app).version == 1


def test_real_numbers_are_accepted(app: Flask, logged_in_admin: StaffLogin) -> None:
    for phone in ("112", "0800 266 64 36", "+31 (0)6 428 346 35", "0900-8844", "+31 20 123 4567"):
        assert submit(logged_in_admin.client, URL, {"phone": phone}).status_code == 302, phone
        assert stored(app).phone == phone


@pytest.mark.parametrize("field", ["url", "chat_url"])
def test_malformed_addresses_are_refused(
    app: Flask, logged_in_admin: StaffLogin, field: str
) -> None:
    for address in MALFORMED_ADDRESSES:
        response = submit(logged_in_admin.client, URL, {field: address})
        assert response.status_code == 200, address
        page = response.get_data(as_text=True)
        assert f'id="{field}-error"' in page, address
        assert form_fields(page)[field] == address  # kept, so it can be corrected
    assert stored(app).version == 1


def test_a_number_pages_show_cannot_be_emptied(app: Flask, logged_in_admin: StaffLogin) -> None:
    response = submit(logged_in_admin.client, URL, {"phone": "  ", "url": ""})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="phone-error"' in page
    assert 'id="url-error"' in page
    assert stored(app).phone == "0800-2000"


def test_an_address_can_be_added_where_there_was_none(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    response = submit(logged_in_admin.client, URL, {"chat_url": "https://veiligthuis.nl/chat"})
    assert response.status_code == 302
    assert stored(app).chat_url == "https://veiligthuis.nl/chat"


def test_what_staff_type_is_escaped_on_public_pages(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    name = '<script>alert(1)</script>Veilig "Thuis"'
    response = submit(logged_in_admin.client, URL, {"name": name, "description_nl": "<b>vet</b>"})
    assert response.status_code == 302
    for path in ("/nl/voor-professionals", "/nl/zorgen-over-een-ander", "/nl/direct-hulp"):
        page = logged_in_admin.client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;Veilig" in page, path
    staff_page = logged_in_admin.client.get("/staff/directory").get_data(as_text=True)
    assert "<script>alert(1)" not in staff_page


@pytest.mark.parametrize(
    "junk",
    [
        {"name": ""},
        {"name": "x" * 121},
        {"description_nl": "x" * 1001},
        {"verified": "maybe"},
        {"version": "abc"},
        {"version": None},
        {"name": None, "phone": None, "url": None},
    ],
)
def test_junk_never_breaks_the_editor(
    app: Flask, logged_in_admin: StaffLogin, junk: dict[str, str | None]
) -> None:
    response = submit(logged_in_admin.client, URL, junk)
    assert response.status_code in (200, 302, 409)
    if response.status_code != 302:
        assert stored(app).version == 1


def test_an_unknown_contact_is_not_found(logged_in_admin: StaffLogin) -> None:
    assert logged_in_admin.client.get("/staff/directory/nobody").status_code == 404
    assert logged_in_admin.client.get("/staff/directory/" + "x" * 500).status_code == 404


def test_the_english_name_reaches_english_pages_only_and_is_escaped(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    client = logged_in_admin.client
    response = submit(client, URL, {"name_en": "<i>Safe</i> at Home"})
    assert response.status_code == 302
    assert stored(app).name_en == "<i>Safe</i> at Home"
    english = client.get("/en/worried-about-someone").get_data(as_text=True)
    assert "&lt;i&gt;Safe&lt;/i&gt; at Home" in english
    assert "<i>Safe</i>" not in english
    dutch = client.get("/nl/zorgen-over-een-ander").get_data(as_text=True)
    assert "Safe" not in dutch


def test_an_empty_english_name_falls_back_to_the_name(
    app: Flask, logged_in_admin: StaffLogin
) -> None:
    assert submit(logged_in_admin.client, URL, {"name_en": ""}).status_code == 302
    english = logged_in_admin.client.get("/en/worried-about-someone").get_data(as_text=True)
    assert '<p class="contact-card__name">Veilig Thuis</p>' in english


def test_an_overlong_english_name_is_refused(app: Flask, logged_in_admin: StaffLogin) -> None:
    response = submit(logged_in_admin.client, URL, {"name_en": "x" * 121})
    assert response.status_code == 200
    assert stored(app).version == 1
