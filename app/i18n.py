"""Languages: Dutch first, English complete. The language lives in the URL, never in a cookie."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_babel import Babel

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def current_language() -> str:
    """The language of this request: the URL's, else Dutch (API, errors outside a language)."""
    lang = g.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_of_path() -> str:
    """The language an address names (`/en/...`), else Dutch: for answers made before or
    outside the views (error pages), where `g.lang` may not be set yet."""
    first = request.path.strip("/").split("/", 1)[0]
    return first if first in LANGUAGES else DEFAULT_LANGUAGE


def preferred_language() -> str:
    """The best match for the browser's Accept-Language; only used to redirect `/`."""
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(app.root_path).parent / "translations")
    )
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["HOURS_TIMEZONE"])
    Babel(app, locale_selector=current_language)
