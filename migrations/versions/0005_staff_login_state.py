"""Staff: login steps kept server-side, one-time passwords, recovery codes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stage", sa.String(length=16), nullable=False, server_default="active")
        )
        batch_op.add_column(sa.Column("enroll_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("next_path", sa.String(length=512), nullable=False, server_default="")
        )
    op.create_table(
        "staff_recovery_code",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_recovery_code_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_staff_recovery_code")),
    )


def downgrade() -> None:
    op.drop_table("staff_recovery_code")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_column("next_path")
        batch_op.drop_column("enroll_secret")
        batch_op.drop_column("stage")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
