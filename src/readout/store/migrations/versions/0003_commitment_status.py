"""commitment status set by an analyst: met or dropped, with a note

``readout reparse`` deletes and rewrites a document's commitment rows (new ids), so the
status is keyed by what survives it: the document's source and version and the
commitment's span and action (unique together), not by the commitment row's id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitment_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('met', 'dropped')", name="ck_commitment_status_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "source_key", "version", "start", "end", "action", name="uq_commitment_status_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("commitment_status")
