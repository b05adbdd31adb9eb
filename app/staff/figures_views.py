"""The figures page (/staff/figures): the daily counters per week and per month, as tables and
as charts.

The charts are SVG pictures drawn on the server by pygal, each from its own staff URL and shown
with <img>: no JavaScript on the page, and the page keeps its strict CSP. pygal always writes a
<script> (its tooltip config) into the SVG; it is removed before sending, and the SVG response
may use only its own inline <style> (`style-src 'unsafe-inline'`, that response alone): as an
<img> it can run no script, and it holds only numbers and our own labels.
"""

from __future__ import annotations

import datetime as dt
import sys
from xml.etree import ElementTree as ET  # noqa: S405  (we write this XML, we never parse input)

import pygal
from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from pygal.style import Style

from app.counters.figures import PERIODS, Period, Table, table
from app.counters.labels import bucket_label, metric_label
from app.counters.metrics import Metric
from app.counters.store import totals
from app.counters.web import today
from app.db import db
from app.privacy import widen_csp
from app.staff.blueprint import MENU, bp

# pygal puts an old-style import hook on sys.meta_path (for its map plugins, unused here);
# Python 3.11 warns (ImportWarning) on every later import that reaches it. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]
SVG = "{http://www.w3.org/2000/svg}"
# The charts: what each shows, as metrics added up per period.
CHARTS: dict[str, tuple[Metric, ...]] = {
    "chats": (
        Metric.CHAT_REQUESTED,
        Metric.CHAT_ANSWERED,
        Metric.CHAT_GAVE_UP,
        Metric.CHAT_TURNED_AWAY,
    ),
    "messages": (Metric.MESSAGE_LEFT, Metric.MESSAGE_ANSWERED, Metric.MESSAGE_EXPIRED),
}
CHART_TITLES = {"chats": _l("Chats"), "messages": _l("Messages")}
CHART_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#555555",
    font_family="sans-serif",
    colors=("#1d4f91", "#2e7d32", "#b3261e", "#7a5900"),
)


def chosen_period() -> Period:
    raw = request.args.get("period", "week")
    return raw if raw in PERIODS else "week"


def period_table(period: Period) -> Table:
    day = today()
    empty = table([], day, period)
    return table(totals(db.session, empty.first_day, day), day, period)


def period_label(start: dt.date, period: Period) -> str:
    if period == "week":
        return str(_l("week of %(day)s", day=format_date(start, "d MMM")))
    return str(format_date(start, "MMM yyyy"))


@bp.get("/figures")
def figures() -> ResponseReturnValue:
    """Tables of every counter for the last weeks or months, and the charts above them."""
    period = chosen_period()
    counted = period_table(period)
    return render_template(
        "staff/figures.html",
        period=period,
        periods=PERIODS,
        table=counted,
        columns=[period_label(start, period) for start in counted.starts],
        metric_label=metric_label,
        bucket_label=bucket_label,
        charts=CHARTS,
        chart_titles=CHART_TITLES,
    )


@bp.get("/figures/<chart>.svg")
def figure_chart(chart: str) -> ResponseReturnValue:
    """One chart as an SVG picture, for an <img> on the figures page."""
    if chart not in CHARTS:
        abort(404)
    period = chosen_period()
    counted = period_table(period)
    drawing = pygal.Bar(
        js=[],
        disable_xml_declaration=True,
        style=CHART_STYLE,
        width=800,
        height=360,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_y_guides=True,
        print_values=False,
        tooltip_fancy_mode=False,
    )
    drawing.title = str(CHART_TITLES[chart])
    drawing.x_labels = [period_label(start, period) for start in counted.starts]
    for metric in CHARTS[chart]:
        drawing.add(metric_label(metric), counted.total(metric))
    widen_csp(style_src="'unsafe-inline'", script_src="'none'")
    return Response(without_scripts(drawing.render_tree()), mimetype="image/svg+xml")


def without_scripts(tree: ET.Element) -> bytes:
    """The SVG with pygal's <script> elements taken out."""
    for parent in tree.iter():
        for child in list(parent):
            if child.tag in (f"{SVG}script", "script"):
                parent.remove(child)
    return ET.tostring(tree, encoding="utf-8")


MENU.append(("staff.figures", _l("Figures")))
