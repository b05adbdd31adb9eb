"""Every response's security and privacy headers: CSP, no referrer, no framing, no caching.

`apply_headers` runs after every request (installed by app/privacy/__init__.py). The policy
allows our own origin only, so no page can make a visitor's browser contact anyone else
(promise 3); pages are `no-store`, since they show "open now" and may hold a visitor's
choices; a redirect never names the Host header a request sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import flask
from flask import Response, request

from app.privacy.cookies import drop_cookies, is_staff_path

CSP_DIRECTIVES = {
    # Nothing is allowed unless listed: no third-party origin can ever be contacted.
    "default-src": "'none'",
    # Only our own files; no inline script or style, so injected markup cannot run.
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    # Scripts may talk to our own origin only: the chat's Server-Sent Events and its sends.
    # (Lighthouse's robots.txt check also needs it.)
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES.items())


def widen_csp(**directives: str) -> None:
    """Allow this one response a little more than CONTENT_SECURITY_POLICY (keyword: frame_src).

    Only the chat needs this: its pages show our own frames (`frame_src="'self'"`), the frames
    may be shown by our own pages (`frame_ancestors="'self'"`), and its quick exit is a form
    whose answer redirects to the neutral site (`form_action="'self' https://..."`), which
    Chromium checks against form-action. Nothing can widen the policy for another origin's
    scripts, styles or images.
    """
    widened: dict[str, str] = flask.g.setdefault("csp_widened", {})
    widened.update({name.replace("_", "-"): value for name, value in directives.items()})


def _content_security_policy() -> str:
    widened = flask.g.get("csp_widened")
    if not widened:
        return CONTENT_SECURITY_POLICY
    return "; ".join(f"{n} {v}" for n, v in {**CSP_DIRECTIVES, **widened}.items())


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)
STATIC_MAX_AGE = 365 * 24 * 3600


def _relative_location(location: str) -> str:
    """A redirect to our own host as a path: never `http://<whatever Host said>/...`.

    Werkzeug builds the address of its slash redirects (`/nl` -> `/nl/`) from the Host header
    and the scheme gunicorn saw (http behind a proxy), so `Host: evil.example` got a redirect
    to http://evil.example/nl/ (issue 16, item 9). A path is resolved by the browser against
    the address it asked for, which is always right.
    """
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc.lower() != request.host.lower():
        return location
    # One leading slash: "//x" would be read as another host.
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def apply_headers(response: Response) -> Response:
    """Security and privacy headers for every response (registered as `after_request`)."""
    config = flask.current_app.config
    headers = response.headers
    headers["Content-Security-Policy"] = _content_security_policy()
    # Sites we link to never learn that a visitor came from here.
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    framed = flask.g.get("csp_widened", {}).get("frame-ancestors") == "'self'"
    headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if "Location" in headers:
        headers["Location"] = _relative_location(headers["Location"])
    on_onion = request.host.split(":")[0].endswith(".onion")
    if config["HSTS"] and not on_onion:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if config["ONION_ADDRESS"] and not on_onion and response.mimetype == "text/html":
        headers["Onion-Location"] = f"http://{config['ONION_ADDRESS']}{request.full_path}".rstrip(
            "?"
        )
    if is_staff_path(request.path):
        headers["X-Robots-Tag"] = "noindex, nofollow"
    else:
        drop_cookies(response)
    if request.endpoint == "static" and request.args.get("v"):
        # Versioned URLs change with the file's content, so they may be cached for a year.
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    elif not headers.get("Cache-Control"):
        # Pages show "open now" and may hold a visitor's choices: never keep a copy.
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        headers.remove("ETag")
        headers.remove("Last-Modified")
    return response
