"""Alembic environment: the store opens the connection and hands it over."""

from __future__ import annotations

from alembic import context

from readout.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations always run through Store.upgrade
    raise RuntimeError("run migrations through readout.store.connect()")

# Search structures made by hand in the migrations (SQLite's FTS5 tables, PostgreSQL's
# stored tsvector) are not in the models; autogenerate must leave them alone.
HAND_MADE = ("statements_fts", "search_vector", "ix_statements_search")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name or "").startswith(HAND_MADE)


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
