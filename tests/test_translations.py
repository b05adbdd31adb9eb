"""Dutch first, English complete: every string in the code and templates has a Dutch translation.

Extraction runs over the source tree the way `make extract-messages` does, so a new string that
nobody translated fails here rather than showing English on a Dutch page.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "translations/nl/LC_MESSAGES/messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog() -> dict[str, str]:
    with CATALOG.open("rb") as file:
        messages = read_po(file, locale="nl")
    fuzzy = [m.id for m in messages if m.id and m.fuzzy]
    assert fuzzy == [], f"fuzzy translations: {fuzzy[:5]}"
    translations = {}
    for message in messages:
        if not message.id:
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        # A plural entry counts as translated only when every plural form is.
        translations[str(singular)] = str(forms[-1]) if all(forms) else ""
    return translations


def extracted() -> set[str]:
    found = extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message[2] if isinstance(message[2], str) else message[2][0] for message in found}


def test_every_string_in_the_code_is_translated() -> None:
    translations = catalog()
    missing = sorted(msgid for msgid in extracted() if not translations.get(msgid))
    assert missing == [], f"{len(missing)} strings without Dutch: {missing[:10]}"


def test_placeholders_survive_translation() -> None:
    broken = [
        msgid
        for msgid, text in catalog().items()
        if text and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    ]
    assert broken == []
