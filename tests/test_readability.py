"""Dutch stays at B1: every public page's main text scores 65 or more on Flesch-Douma.

The same computation as bench/readability.py (which prints the table), loaded from that file,
so the script and this rule can never measure two different things.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from app.public.pages import PAGES

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "readability.py"


def readability() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_readability", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_dutch_page_scores_at_least_65_on_flesch_douma() -> None:
    bench = readability()
    rows = bench.scores()
    assert [key for key, _, _ in rows] == [page.key for page in PAGES]
    below = {url: score for _, url, score in rows if score < bench.FLOOR}
    assert below == {}


def test_the_measure_tells_long_official_sentences_from_short_plain_ones() -> None:
    bench = readability()
    official = (
        "Op basis van informatie die daarop wordt gevonden kan het Openbaar Ministerie "
        "besluiten een strafrechtelijk onderzoek te beginnen."
    )
    plain = "Je bent niet alleen. Praten helpt. Bel of chat met de hulplijn."
    assert bench.flesch_douma(official) < bench.FLOOR <= bench.flesch_douma(plain)


def test_main_text_keeps_each_list_item_as_its_own_sentence_and_skips_templates() -> None:
    html = (
        "<p>outside</p><main><h1>Kop</h1><ul><li>een</li><li>twee.</li></ul>"
        "<template><p>verborgen</p></template><script>x()</script></main>"
    )
    assert readability().main_text(html) == "Kop. een. twee."
