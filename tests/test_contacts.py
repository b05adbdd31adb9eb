"""The contact directory in both languages: English pages show English names and descriptions,
the seeded Dutch texts say "je", and upgrading or re-seeding never touches what staff wrote."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.contact_seed import CONTACTS
from app.contacts import Contact
from app.db import db
from app.seed import seed_contacts
from tests.conftest import SECRET

CARD_NAME = re.compile(r'<p class="contact-card__name">(.*?)</p>', re.S)
FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


def english_only(row: dict[str, object]) -> bool:
    """A Dutch name that an English page must never show: not part of the English name."""
    return str(row["name"]) not in str(row["name_en"])


def test_english_pages_show_no_dutch_contact_names_or_descriptions(
    client: FlaskClient, public_urls: list[str]
) -> None:
    english_names = {str(row["name_en"]) for row in CONTACTS}
    for url in (u for u in public_urls if u.startswith("/en/")):
        html = unescape(client.get(url).get_data(as_text=True))
        for name in CARD_NAME.findall(html):
            assert name in english_names, f"{url}: {name}"
        for row in CONTACTS:
            assert str(row["description_nl"]) not in html, f"{url}: {row['key']}"
            if english_only(row):
                assert str(row["name"]) not in html, f"{url}: {row['name']}"


def test_113_free_line_reads_in_english_on_english_pages(client: FlaskClient) -> None:
    html = client.get("/en/something-to-do-now").get_data(as_text=True)
    assert "113 Suicide Prevention" in html
    assert "Zelfmoordpreventie" not in html
    assert "gratis" not in html


def test_dutch_pages_keep_the_dutch_names(client: FlaskClient) -> None:
    html = client.get("/nl/nu-iets-doen").get_data(as_text=True)
    assert "113 Zelfmoordpreventie" in html


def test_seeded_dutch_descriptions_address_visitors_with_je() -> None:
    for row in CONTACTS:
        assert not FORMAL.search(str(row["description_nl"])), row["key"]


def test_every_seeded_contact_has_an_english_name_and_description() -> None:
    for row in CONTACTS:
        assert row["name_en"], row["key"]
        assert row["description_en"], row["key"]


def test_legal_advice_and_sexual_violence_contacts_are_marked_check_before_launch() -> None:
    rows = {row["key"]: row for row in CONTACTS}
    for key in ("legal_aid", "sexual_violence"):
        assert rows[key].get("verified", False) is False, key


@pytest.fixture
def old_app(tmp_path: Path) -> Flask:
    """An app whose database stops at 0004, filled as the seed of that time filled it."""
    app = create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
            "CHAT_STORE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
            "TESTING": True,
        }
    )
    old_rows = [
        (
            "emergency",
            "Alarmnummer 112",
            "Bel 112 als een kind nu in gevaar is en u weet wie of waar.",
        ),
        (
            "suicide_prevention_free",
            "113 Zelfmoordpreventie (gratis)",
            "Gratis, en anoniem op de telefoonrekening.",
        ),
        ("suicide_prevention", "113 Zelfmoordpreventie", "Door staff herschreven: u mag bellen."),
        ("police", "Politie Nederland", "Geen spoed."),
    ]
    with app.app_context():
        flask_migrate.upgrade(revision="0004")
        for position, (key, name, dutch) in enumerate(old_rows):
            db.session.execute(
                text(
                    "INSERT INTO contact (key, name, description_nl, description_en, verified,"
                    " position, version) VALUES (:key, :name, :nl, '', 0, :position, 1)"
                ),
                {"key": key, "name": name, "nl": dutch, "position": position},
            )
        db.session.commit()
    return app


def test_upgrading_gives_seeded_rows_english_names_and_je_but_keeps_staff_edits(
    old_app: Flask,
) -> None:
    with old_app.app_context():
        flask_migrate.upgrade()
        rows = {row.key: row for row in db.session.query(Contact)}
        assert rows["emergency"].name_en == "Emergency number 112"
        assert rows["emergency"].description_nl.endswith("en je weet wie of waar.")
        assert rows["suicide_prevention_free"].name_en == "113 Suicide Prevention (free)"
        assert rows["suicide_prevention"].description_nl == "Door staff herschreven: u mag bellen."
        assert rows["police"].name_en == ""  # renamed by staff: no guess at an English name


def test_seeding_again_adds_only_the_missing_contacts(old_app: Flask) -> None:
    with old_app.app_context():
        flask_migrate.upgrade()
        added = seed_contacts(db.session)
        assert added == len(CONTACTS) - 4
        assert seed_contacts(db.session) == 0
        police = db.session.get(Contact, "police")
        assert police is not None
        assert police.name == "Politie Nederland"
        assert db.session.get(Contact, "legal_aid") is not None
