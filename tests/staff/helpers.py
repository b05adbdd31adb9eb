"""Test helpers for the staff area: read a form the way a browser submits it, the staff
area's words in whatever language the catalog gives them, and URLs for every rule."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext
from werkzeug.routing import MapAdapter, Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter
from werkzeug.test import TestResponse


class _Forms(HTMLParser):
    """Every form on a page as the (name, value) pairs a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and a.get("name") and self.forms:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.forms[-1].append(
                    (a["name"], a.get("value", "y" if kind == "checkbox" else ""))
                )
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self.forms:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _ in self._options[:1]
            ]
            self.forms[-1].extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea and self.forms:
            text = self._text.replace("\r\n", "\n").removeprefix("\n")  # as browsers read it
            self.forms[-1].append((self._textarea, text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data


def form_fields(page: str | TestResponse, containing: str = "version") -> dict[str, str]:
    """The fields of the first form on `page` that has a field named `containing`."""
    text = page if isinstance(page, str) else page.get_data(as_text=True)
    parser = _Forms()
    parser.feed(text)
    for form in parser.forms:
        fields = dict(form)
        if containing in fields:
            return fields
    raise AssertionError(f"no form with a field {containing!r}")


def submit(
    client: FlaskClient, url: str, changes: dict[str, Any], *, containing: str = "version"
) -> TestResponse:
    """Load `url`, change some fields (None removes one) and post the form back."""
    fields: dict[str, Any] = form_fields(client.get(url), containing)
    fields.update(changes)
    return client.post(url, data={k: v for k, v in fields.items() if v is not None})


def translated(app: Flask, msgid: str, **values: Any) -> str:
    """`msgid` as the staff area shows it (staff pages have no language in the URL)."""
    with app.test_request_context("/staff/"):
        return gettext(msgid, **values)


def page_text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def build_url(adapter: MapAdapter, rule: Rule) -> str:
    """A URL for `rule`, with a dummy value for each of its arguments."""
    values: dict[str, object] = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if isinstance(converter, IntegerConverter):
            values[argument] = 1
        elif isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[0]
        else:
            values[argument] = "x"
    return adapter.build(rule.endpoint, values)
