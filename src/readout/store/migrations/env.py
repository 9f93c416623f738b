"""Alembic environment: the store opens the connection and hands it over."""

from __future__ import annotations

from alembic import context

from readout.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrations always run through Store.upgrade
    raise RuntimeError("run migrations through readout.store.connect()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
