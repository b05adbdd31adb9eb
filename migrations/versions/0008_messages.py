"""Anonymous messages: conversations with a pick-up code, their messages (encrypted), the
site-wide limits, used form keys and staff's line on when an answer can be expected.

Dates only (no times) and no visitor data but the encrypted texts: see app/messages/store.py.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("lookup", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("first_name", sa.LargeBinary(), nullable=True),
        sa.Column("waiting_since", sa.Date(), nullable=True),
        sa.Column("last_message_on", sa.Date(), nullable=False),
        sa.Column("taken_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["taken_by"],
            ["staff_user.id"],
            name=op.f("fk_conversation_taken_by_staff_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
        sa.UniqueConstraint("lookup", name=op.f("uq_conversation_lookup")),
    )
    with op.batch_alter_table("conversation") as batch:
        batch.create_index(
            batch.f("ix_conversation_last_message_on"), ["last_message_on"], unique=False
        )
    op.create_table(
        "conversation_message",
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_conversation_message_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "conversation_id", "position", name=op.f("pk_conversation_message")
        ),
    )
    op.create_table(
        "message_limit",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("window", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_message_limit")),
    )
    op.create_table(
        "message_used_form",
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("used_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key_hash", name=op.f("pk_message_used_form")),
    )
    op.create_table(
        "message_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_time_nl", sa.Text(), nullable=False),
        sa.Column("answer_time_en", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_settings")),
    )


def downgrade() -> None:
    op.drop_table("message_settings")
    op.drop_table("message_used_form")
    op.drop_table("message_limit")
    op.drop_table("conversation_message")
    with op.batch_alter_table("conversation") as batch:
        batch.drop_index(batch.f("ix_conversation_last_message_on"))
    op.drop_table("conversation")
