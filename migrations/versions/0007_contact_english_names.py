"""Contact directory: an English name per entry, and the seeded Dutch texts say "je".

English pages showed Dutch names ("Politie", "113 Zelfmoordpreventie (gratis)"), so each entry
gets `name_en`. Rows still holding a seeded name get its English name; rows still holding a
seeded Dutch description in "u" get the same text in "je", as visitors are addressed everywhere.
A row staff have edited no longer matches and is left exactly as they wrote it.

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

ENGLISH_NAMES = {
    "Stop it Now!": "Stop it Now!",
    "Alarmnummer 112": "Emergency number 112",
    "Politie": "Police",
    "Teksttelefoon alarmnummer": "Textphone emergency number",
    "Teksttelefoon politie": "Textphone police",
    "Politie: beelden in een chatapp of op social media": (
        "Police: images in a chat app or on social media"
    ),
    "Meldpunt Kinderporno op internet (Offlimits)": (
        "Offlimits reporting hotline (Meldpunt Kinderporno)"
    ),
    "Help Wanted": "Help Wanted",
    "113 Zelfmoordpreventie": "113 Suicide Prevention",
    "113 Zelfmoordpreventie (gratis)": "113 Suicide Prevention (free)",
    "Veilig Thuis": "Veilig Thuis (Safe at Home)",
    "Slachtofferhulp Nederland": "Victim Support Netherlands",
    "De Kindertelefoon": "De Kindertelefoon (Child Helpline)",
    "Meld Misdaad Anoniem": "Meld Misdaad Anoniem (Report Crime Anonymously)",
}

# (seeded text with "u", the same text with "je")
INFORMAL = (
    (
        "Bel 112 als een kind nu in gevaar is en u weet wie of waar.",
        "Bel 112 als een kind nu in gevaar is en je weet wie of waar.",
    ),
    (
        "Voor beelden van misbruik van minderjarigen die u zag in een chatapp of op social media.",
        "Voor beelden van misbruik van minderjarigen die je zag in een chatapp of op social media.",
    ),
    (
        "Meldformulier voor materiaal of grooming die u online zag. Een melding is een tip; "
        "medewerkers van het meldpunt beoordelen die. Dit is geen hulplijn.",
        "Meldformulier voor materiaal of grooming die je online zag. Een melding is een tip; "
        "medewerkers van het meldpunt beoordelen die. Dit is geen hulplijn.",
    ),
    (
        "Als u aan zelfdoding denkt. Bel 113 of gratis 0800-0113, of chat.",
        "Als je aan zelfdoding denkt. Bel 113 of gratis 0800-0113, of chat.",
    ),
)

contact = sa.table(
    "contact",
    sa.column("name", sa.String),
    sa.column("name_en", sa.String),
    sa.column("description_nl", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("contact") as batch:
        batch.add_column(
            sa.Column("name_en", sa.String(length=120), nullable=False, server_default="")
        )
    for dutch, english in ENGLISH_NAMES.items():
        op.execute(contact.update().where(contact.c.name == dutch).values(name_en=english))
    for formal, informal in INFORMAL:
        op.execute(
            contact.update()
            .where(contact.c.description_nl == formal)
            .values(description_nl=informal)
        )


def downgrade() -> None:
    for formal, informal in INFORMAL:
        op.execute(
            contact.update()
            .where(contact.c.description_nl == informal)
            .values(description_nl=formal)
        )
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("name_en")
