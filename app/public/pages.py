"""The public pages: one row per page, with its URL in each language and its titles.

The `<title>` is discreet by default (promise 6): it says what the page is for in gentle words
that would not expose anyone in a shared browser history. `plain_title` is used only when
DISCREET_TITLES is switched off. Slugs are discreet for the same reason: a URL is history too.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Page:
    key: str
    slug_nl: str
    slug_en: str
    title: LazyString
    plain_title: LazyString
    in_sitemap: bool = True
    cacheable: bool = True  # False when each view must differ (a one-time form key)

    def slug(self, lang: str) -> str:
        return self.slug_en if lang == "en" else self.slug_nl

    @property
    def template(self) -> str:
        return f"public/pages/{self.key}.html"


PAGES: tuple[Page, ...] = (
    Page("home", "", "", _l("Help and advice"), _l("Stop it Now! helpline")),
    Page(
        "self",
        "zorgen-over-jezelf",
        "worried-about-yourself",
        _l("Worried about yourself"),
        _l("Worried about your sexual thoughts or feelings"),
    ),
    Page(
        "images",
        "zorgen-over-kijkgedrag",
        "worried-about-what-you-watch",
        _l("Worried about what you watch"),
        _l("Looking at sexual images of minors"),
    ),
    Page(
        "police-visit",
        "na-een-bezoek-van-de-politie",
        "after-a-police-visit",
        _l("After a visit from the police"),
        _l("After a police warning about images of minors"),
    ),
    Page(
        "young-people",
        "voor-jongeren",
        "for-young-people",
        _l("For young people"),
        _l("Young people who share or forward images"),
    ),
    Page(
        "someone-else",
        "zorgen-over-een-ander",
        "worried-about-someone",
        _l("Worried about someone else"),
        _l("Worried about someone's sexual behaviour towards children"),
    ),
    Page(
        "report",
        "iets-gezien-online",
        "something-you-saw-online",
        _l("Something you saw online"),
        _l("Reporting abuse material you came across"),
    ),
    Page(
        "child-in-danger",
        "direct-hulp",
        "urgent-help",
        _l("Urgent help"),
        _l("A child in danger now"),
    ),
    Page(
        "victims",
        "steun-en-rechten",
        "support-and-rights",
        _l("Support and rights"),
        _l("Help for victims of sexual abuse"),
    ),
    Page(
        "professionals",
        "voor-professionals",
        "for-professionals",
        _l("For professionals"),
        _l("For professionals referring someone to the helpline"),
    ),
    Page(
        "card",
        "kaart-om-mee-te-geven",
        "card-to-hand-out",
        _l("Card to hand out"),
        _l("Printable helpline card"),
    ),
    Page("contact", "contact", "contact", _l("Contact"), _l("Call or chat with the helpline")),
    Page(
        "trust",
        "anoniem-en-vertrouwelijk",
        "anonymous-and-confidential",
        _l("Anonymous and confidential"),
        _l("What stays confidential, and who runs the helpline"),
    ),
    Page("chat", "chat", "chat", _l("Chat"), _l("Chat with the helpline"), cacheable=False),
    Page(
        "message",
        "bericht",
        "message",
        _l("Leave a message"),
        _l("Leave a message for the helpline"),
        cacheable=False,
    ),
    Page(
        "right-now",
        "nu-iets-doen",
        "something-to-do-now",
        _l("Something you can do now"),
        _l("Something you can do now while the helpline is closed"),
    ),
    Page(
        "check-self",
        "even-nadenken-over-jezelf",
        "reflect-on-yourself",
        _l("Take a moment for yourself"),
        _l("Questions to reflect on your own thoughts and behaviour"),
    ),
    Page(
        "check-other",
        "even-nadenken-over-een-ander",
        "reflect-on-someone-else",
        _l("Thinking about someone else"),
        _l("Questions to reflect on your worries about someone else"),
    ),
    Page(
        "safe-browsing",
        "veilig-browsen",
        "browse-safely",
        _l("Browse safely"),
        _l("Browse safely and use quick exit"),
    ),
    Page("privacy", "privacy", "privacy", _l("Privacy"), _l("Privacy statement")),
    Page(
        "accessibility",
        "toegankelijkheid",
        "accessibility",
        _l("Accessibility"),
        _l("Accessibility statement"),
    ),
)

PAGES_BY_KEY = {page.key: page for page in PAGES}
PAGES_BY_SLUG = {(lang, page.slug(lang)): page for page in PAGES for lang in ("nl", "en")}
