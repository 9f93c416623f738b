"""search speed: stored tsvector, ordered meetings index (PostgreSQL); 1-char prefixes (SQLite)

PostgreSQL: search ranks matches with ``ts_rank``, which needs each candidate row's
tsvector; computed from ``search_text`` on the fly that costs ~20 µs a row (seconds for a
common word over a million statements), and phrase matches recomputed it to recheck
positions.  A generated column stores it once, with a GIN index on it; the expression
index of 0001 is then unused and dropped.  Listing statements newest meeting first walks
``meetings`` by (date, document) instead of sorting every meeting.

The vector also holds a lexeme for the first character of each Japanese token (台0), so a
one-character query is an exact lexeme rather than a scan over every bigram it begins.

SQLite: a one-character query (台 → every bigram that begins with 台) made FTS5 merge the
doclists of every such bigram on each search; ``prefix='1'`` keeps those merged lists in
the index.  The FTS5 table is created again with it and rebuilt from ``statements``
(the triggers of 0001 keep working: they name the table, not its options).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 16:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# PostgreSQL: besides its bigrams, a statement's vector holds the first character of each
# Japanese token followed by 0 (台湾 → 台0), a lexeme no text can produce (Japanese and
# ASCII are separate tokens in search_text), so a one-character query is one exact lexeme
# instead of a prefix scan over every bigram that begins with it.  Tokens that begin with
# anything else (ASCII words, ・) are dropped from that part first.  (Since 0005 the text
# can make one: a bridge to the number 0, 約0 in 約0.5; 0005 says why that is harmless.)
_JA_LETTERS = (
    r"\u3005\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff"
)
_FIRST_CHARACTERS = (
    "regexp_replace(regexp_replace(search_text, "
    f"'(^| )[^ {_JA_LETTERS}]\\S*', '\\1', 'g'), '(\\S)\\S*', '\\10', 'g')"
)


def _sqlite_fts(prefix: str) -> None:
    op.execute("DROP TABLE IF EXISTS statements_fts")
    op.execute(
        "CREATE VIRTUAL TABLE statements_fts USING fts5("
        "search_text, content='statements', content_rowid='id', tokenize='unicode61'"
        f"{prefix})"
    )
    op.execute("INSERT INTO statements_fts(statements_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_fts(", prefix='1'")
        return
    op.execute(
        "ALTER TABLE statements ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        f"to_tsvector('simple', search_text || ' ' || {_FIRST_CHARACTERS})) STORED"
    )
    op.execute("CREATE INDEX ix_statements_search_vector ON statements USING gin (search_vector)")
    op.execute("DROP INDEX IF EXISTS ix_statements_search")
    op.execute(
        "CREATE INDEX ix_meetings_date_document ON meetings "
        "(date DESC NULLS LAST, document_id DESC)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_fts("")
        return
    op.execute("DROP INDEX IF EXISTS ix_meetings_date_document")
    op.execute(
        "CREATE INDEX ix_statements_search ON statements "
        "USING gin (to_tsvector('simple', search_text))"
    )
    op.execute("DROP INDEX IF EXISTS ix_statements_search_vector")
    op.execute("ALTER TABLE statements DROP COLUMN IF EXISTS search_vector")
