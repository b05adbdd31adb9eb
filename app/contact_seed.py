"""The contact directory's first rows: what `flask seed` writes, and what pages show when the
database cannot be read (app/contacts.py). Plain data, imported by both.

Numbers marked verified=True come from the police texts in the project's seed sources; the
others are widely published Dutch services to be checked before launch.
"""

from __future__ import annotations

CONTACTS: tuple[dict[str, object], ...] = (
    {
        "key": "helpline",
        "name": "Stop it Now!",
        "name_en": "Stop it Now!",
        "phone": "0800 266 64 36",
        "url": "https://stopitnow.nl/",
        "chat_url": "https://stopitnow.nl/chat",
        "description_nl": "Gratis, anoniem en vertrouwelijk. Voor iedereen die zich zorgen maakt "
        "over eigen seksuele gevoelens of gedrag richting minderjarigen, en voor naasten.",
        "description_en": "Free, anonymous and confidential. For anyone worried about their own "
        "sexual feelings or behaviour towards minors, and for the people close to them.",
        "verified": True,
    },
    {
        "key": "emergency",
        "name": "Alarmnummer 112",
        "name_en": "Emergency number 112",
        "phone": "112",
        "description_nl": "Bel 112 als een kind nu in gevaar is en je weet wie of waar.",
        "description_en": "Call 112 if a child is in danger now and you know who or where.",
        "verified": True,
    },
    {
        "key": "police",
        "name": "Politie",
        "name_en": "Police",
        "phone": "0900-8844",
        "url": "https://www.politie.nl/",
        "description_nl": "Geen spoed, of slachtoffer en plaats zijn niet bekend. "
        "Ook voor aangifte.",
        "description_en": "Not urgent, or victim and place are unknown. Also to file a report.",
        "verified": True,
    },
    {
        "key": "textphone_emergency",
        "name": "Teksttelefoon alarmnummer",
        "name_en": "Textphone emergency number",
        "phone": "0800-8112",
        "description_nl": "Alarmnummer voor doven en slechthorenden.",
        "description_en": "Emergency number for deaf and hard of hearing people.",
        "verified": True,
    },
    {
        "key": "textphone_police",
        "name": "Teksttelefoon politie",
        "name_en": "Textphone police",
        "phone": "0900-1844",
        "description_nl": "Politie algemeen, voor doven en slechthorenden.",
        "description_en": "Police (non-emergency) for deaf and hard of hearing people.",
        "verified": True,
    },
    {
        "key": "police_chatapp",
        "name": "Politie: beelden in een chatapp of op social media",
        "name_en": "Police: images in a chat app or on social media",
        "phone": "+31 (0)6 428 346 35",
        "description_nl": "Voor beelden van misbruik van minderjarigen die je zag in een chatapp "
        "of op social media.",
        "description_en": "For images of abuse of minors you saw in a chat app or on social media.",
        "verified": True,
    },
    {
        "key": "report_hotline",
        "name": "Meldpunt Kinderporno op internet (Offlimits)",
        "name_en": "Offlimits reporting hotline (Meldpunt Kinderporno)",
        "url": "https://www.meldpunt-kinderporno.nl/",
        "description_nl": "Meldformulier voor materiaal of grooming die je online zag. Een melding "
        "is een tip; medewerkers van het meldpunt beoordelen die. Dit is geen hulplijn.",
        "description_en": "Report form for material or grooming you saw online. A report is a "
        "tip that the hotline's staff assess. This is not a helpline.",
        "verified": True,
    },
    {
        "key": "help_wanted",
        "name": "Help Wanted",
        "name_en": "Help Wanted",
        "url": "https://www.helpwanted.nl/",
        "description_nl": "Voor jongeren en ouders, over online grooming en beelden.",
        "description_en": "For young people and parents, about online grooming and images.",
        "verified": True,
    },
    {
        "key": "suicide_prevention",
        "name": "113 Zelfmoordpreventie",
        "name_en": "113 Suicide Prevention",
        "phone": "113",
        "url": "https://www.113.nl/",
        "description_nl": "Als je aan zelfdoding denkt. Bel 113 of gratis 0800-0113, of chat.",
        "description_en": "If you are thinking about suicide. Call 113 or free 0800-0113, or chat.",
    },
    {
        "key": "suicide_prevention_free",
        "name": "113 Zelfmoordpreventie (gratis)",
        "name_en": "113 Suicide Prevention (free)",
        "phone": "0800-0113",
        "url": "https://www.113.nl/",
        "description_nl": "Gratis, en anoniem op de telefoonrekening.",
        "description_en": "Free, and anonymous on the phone bill.",
    },
    {
        "key": "veilig_thuis",
        "name": "Veilig Thuis",
        "name_en": "Veilig Thuis (Safe at Home)",
        "phone": "0800-2000",
        "url": "https://veiligthuis.nl/",
        "description_nl": "Zorgen over de veiligheid van een kind thuis. Dag en nacht bereikbaar.",
        "description_en": "Worries about a child's safety at home. Open day and night.",
    },
    {
        "key": "victim_support",
        "name": "Slachtofferhulp Nederland",
        "name_en": "Victim Support Netherlands",
        "phone": "0900-0101",
        "url": "https://www.slachtofferhulp.nl/",
        "description_nl": "Gratis steun en advies voor slachtoffers en hun naasten.",
        "description_en": "Free support and advice for victims and the people close to them.",
    },
    {
        "key": "kindertelefoon",
        "name": "De Kindertelefoon",
        "name_en": "De Kindertelefoon (Child Helpline)",
        "phone": "0800-0432",
        "url": "https://www.kindertelefoon.nl/",
        "description_nl": "Voor kinderen en jongeren. Elke dag van 11 tot 21 uur, ook chat.",
        "description_en": "For children and young people. Every day 11:00-21:00, also chat.",
    },
    {
        "key": "crime_tips",
        "name": "Meld Misdaad Anoniem",
        "name_en": "Meld Misdaad Anoniem (Report Crime Anonymously)",
        "phone": "0800-7000",
        "url": "https://www.meldmisdaadanoniem.nl/",
        "description_nl": "Anoniem een tip geven over een misdrijf.",
        "description_en": "Give an anonymous tip about a crime.",
    },
    {
        "key": "legal_aid",
        "name": "Het Juridisch Loket",
        "name_en": "Het Juridisch Loket (Legal Services Counter)",
        "phone": "0900-8020",
        "url": "https://www.juridischloket.nl/",
        "description_nl": "Gratis advies over je rechtsvraag. Ze helpen je ook een advocaat te "
        "vinden.",
        "description_en": "Free advice on your legal question. They also help you find a lawyer.",
    },
    {
        "key": "sexual_violence",
        "name": "Centrum Seksueel Geweld",
        "name_en": "Centrum Seksueel Geweld (Sexual Assault Centre)",
        "phone": "0800-0188",
        "url": "https://centrumseksueelgeweld.nl/",
        "description_nl": "Hulp na seksueel geweld, ook als het net gebeurd is. Gratis, dag en "
        "nacht.",
        "description_en": "Help after sexual violence, also when it has just happened. Free, day "
        "and night.",
    },
)
