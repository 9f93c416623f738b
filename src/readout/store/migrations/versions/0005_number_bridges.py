"""search text: numbers next to Japanese bridged to it, so 第5条 is searchable as written

``statements.search_text`` is recomputed from ``statements.text`` with the tokenizer of
:mod:`readout.store.bigrams`, which now adds bridge tokens where a number touches a
Japanese character (条約第5条が → 条約 約第 第5 5 5条 条が; before, 条約 約第 5 条が, where
the query 第5条 found nothing).  Only the statements whose search text changes (those with
a number next to Japanese) are written, in batches by id.  The full-text indexes follow:
SQLite's FTS5 table through the update trigger of 0001, PostgreSQL's stored tsvector
(0002) because a generated column is computed again when its row is updated.

PostgreSQL's vector also holds a lexeme for the first character of each Japanese token
(台湾 → 台0, 0002).  A bridge begins with its Japanese character (第5 → 第0, as it should:
the one-character query 第 finds 第5条) or with a digit (5条, left out of that part), so
those lexemes stay right.  A bridge to the number 0 (約0 in 約0.5) is the same lexeme as
the first character's, which is harmless: the bridge itself begins with 約, so a statement
holding it has the lexeme 約0 anyway; and a query that holds the bridge is a phrase in
which the digit token 0 comes right after it, while a first-character lexeme comes after
every token of the text and is followed only by other first-character lexemes, never by
a number, so it cannot stand in for the bridge.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from readout.store.bigrams import search_text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: Statements read (and at most written) at a time.
BATCH = 5_000

_statements = sa.table(
    "statements",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("search_text", sa.Text),
)


def _recompute(bridges: bool) -> None:
    """Write the search text of every statement whose text gives another one now."""
    conn = op.get_bind()
    st = _statements
    read = sa.select(st.c.id, st.c.text, st.c.search_text).order_by(st.c.id).limit(BATCH)
    write = (
        sa.update(st)
        .where(st.c.id == sa.bindparam("row_id"))
        .values(search_text=sa.bindparam("new_text"))
    )
    last: int | None = None
    while True:
        rows = conn.execute(read if last is None else read.where(st.c.id > last)).all()
        if not rows:
            return
        last = rows[-1].id
        changed = []
        for row in rows:
            new = search_text(row.text, bridges=bridges)
            if new != row.search_text:
                changed.append({"row_id": row.id, "new_text": new})
        if changed:
            conn.execute(write, changed)


def upgrade() -> None:
    _recompute(bridges=True)


def downgrade() -> None:
    _recompute(bridges=False)
