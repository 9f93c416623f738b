"""The store: parsed readouts in SQLite (one file, the default) or PostgreSQL (for teams).

One schema for both, created and migrated by Alembic (``readout.store.migrations``).
Tables are plain and documented so Datasette or pandas can read them: documents,
meetings, participants, sections, items, statements, entities, mentions, commitments.
"""

from readout.store.db import DEFAULT_DB, Store, StoreError, connect, database_url

__all__ = ["DEFAULT_DB", "Store", "StoreError", "connect", "database_url"]
