"""Daily counters: (day, metric, bucket, count), the figures the helpline can show.

A DATE, two short strings the database limits to the lists in app/counters/metrics.py (as they
were at this revision: a new metric or bucket needs a migration of its own) and a number. No
time of day, no identifier, no free text: see app/counters/store.py.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

METRICS = (
    "chat_requested",
    "chat_started",
    "chat_turned_away",
    "chat_answered",
    "chat_gave_up",
    "chat_ended",
    "chat_length",
    "message_left",
    "message_answered",
    "message_collected",
    "message_deleted",
    "message_expired",
    "assessment_result",
    "wrapup_who",
    "wrapup_topic",
    "wrapup_referral",
    "feedback_helped",
    "feedback_again",
)
BUCKETS = (
    "0_days",
    "15_to_30_min",
    "1_day",
    "2_to_3_days",
    "2_to_5_min",
    "5_to_15_min",
    "a_little",
    "all",
    "behaviour",
    "blocked",
    "closed",
    "counsellor",
    "gp",
    "idle",
    "no",
    "no_counsellor",
    "none",
    "online_images",
    "other",
    "over_15_min",
    "over_30_min",
    "over_3_days",
    "police",
    "police_or_court",
    "professional",
    "queue_full",
    "quick_exit",
    "relative_or_friend",
    "self",
    "suicide_prevention",
    "themselves",
    "thoughts",
    "treatment",
    "unclear",
    "under_2_min",
    "under_5_min",
    "veilig_thuis",
    "victim_support",
    "visitor",
    "worry_about_someone",
    "yes",
    "young_person",
)


def _listed(column: str, names: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{name}'" for name in names) + ")"


def upgrade() -> None:
    op.create_table(
        "daily_counter",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(_listed("metric", METRICS), name=op.f("ck_daily_counter_metric")),
        sa.CheckConstraint(_listed("bucket", BUCKETS), name=op.f("ck_daily_counter_bucket")),
        sa.CheckConstraint("count >= 0", name=op.f("ck_daily_counter_count")),
        sa.PrimaryKeyConstraint("day", "metric", "bucket", name=op.f("pk_daily_counter")),
    )


def downgrade() -> None:
    op.drop_table("daily_counter")
