"""Visitor views: thin, they pick a template and hand it the data it shows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import current_app, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app import clock
from app.i18n import LANGUAGES, preferred_language
from app.public.blueprint import bp
from app.public.pages import PAGES, PAGES_BY_KEY, Page

LANG = "<any(nl, en):lang>"


@bp.url_value_preprocessor
def pull_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang" in values:
        g.lang = values.pop("lang")


@bp.url_defaults
def add_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.get("lang", "nl")


def page_url(key: str, lang: str | None = None) -> str:
    """The URL of a public page in a language (the current one by default)."""
    page = PAGES_BY_KEY[key]
    lang = lang or g.get("lang", "nl")
    return url_for("public.page", lang=lang, slug=page.slug(lang))


@bp.get("/")
def root() -> Response:
    """Send a visitor to the home page in the language their browser prefers."""
    response = redirect(url_for("public.page", lang=preferred_language(), slug=""))
    response.headers["Vary"] = "Accept-Language"
    return response


def render_page(page: Page, context: Mapping[str, Any], **extra: Any) -> str:
    """A public page's template with its row's context (app/public/page_table.py) and what
    a view adds (an error, the visitor's words given back)."""
    return render_template(page.template, page=page, **{**context, **extra})


@bp.get("/sitemap.xml")
def sitemap() -> tuple[str, int, dict[str, str]]:
    """Every public page in both languages, each pointing at its other-language twin."""
    base = current_app.config["SITE_URL"]
    entries = [
        {lang: base + page_url(p.key, lang) for lang in LANGUAGES} for p in PAGES if p.in_sitemap
    ]
    body = render_template("sitemap.xml", entries=entries, languages=LANGUAGES)
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


@bp.get("/robots.txt")
def robots() -> tuple[str, int, dict[str, str]]:
    base = current_app.config["SITE_URL"]
    body = f"User-agent: *\nDisallow: /staff/\nSitemap: {base}/sitemap.xml\n"
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/.well-known/security.txt")
def security_txt() -> tuple[str, int, dict[str, str]]:
    """RFC 9116: how to report a vulnerability; Expires stays about half a year ahead."""
    expires = (clock.now() + timedelta(days=180)).replace(microsecond=0)
    base = current_app.config["SITE_URL"]
    body = (
        f"Contact: {current_app.config['SECURITY_CONTACT']}\n"
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}\n"
        "Preferred-Languages: nl, en\n"
        f"Canonical: {base}/.well-known/security.txt\n"
    )
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/favicon.ico")
def favicon() -> Response:
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)
