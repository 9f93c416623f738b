"""statement corrections set by an analyst: speaker and/or act, with a note

Kept apart from parser output and, like ``commitment_status``, keyed by what survives
``readout reparse``: the document's source and version and the statement's span (unique
together), not by the statement row's id.  ``sid``, ``parser_speaker`` and ``parser_act``
record the statement as it was when the correction was set.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=16), nullable=False),
        sa.Column("speaker", sa.String(length=8), nullable=True),
        sa.Column("act", sa.String(length=16), nullable=True),
        sa.Column("parser_speaker", sa.String(length=8), nullable=False),
        sa.Column("parser_act", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "speaker IS NOT NULL OR act IS NOT NULL", name="ck_statement_corrections_some"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "source_key", "version", "start", "end", name="uq_statement_corrections_key"
        ),
    )


def downgrade() -> None:
    op.drop_table("statement_corrections")
