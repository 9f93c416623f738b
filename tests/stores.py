"""A fresh store for every test, on SQLite and on the real PostgreSQL server.

``store`` is parametrized over both back ends: a new SQLite file in the test's folder, or
a new schema in the session's PostgreSQL database (``tests.pg``), dropped afterwards.  A
test module takes it with ``store = stores.store``; ``store_url`` gives the URL alone for
tests that run the CLI in a subprocess.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from readout.store import Store, connect
from readout.store import models as m
from tests.pg import postgres_url

BACKENDS = ("sqlite", "postgresql")


def _postgres_schema_url() -> tuple[str, str]:
    """A URL whose connections work in a new, empty schema; and the schema's name."""
    base = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def _drop_schema(schema: str) -> None:
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "readout.sqlite")
        return
    url, schema = _postgres_schema_url()
    try:
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = connect(store_url)
    try:
        yield opened
    finally:
        opened.close()


def assert_whole(store: Store) -> None:
    """Every document has its meeting and exactly the statements its record has."""
    with Session(store.engine) as session:
        for doc in session.scalars(select(m.Document)):
            record = json.loads(doc.record_json)
            meetings = session.scalars(
                select(m.Meeting.id).where(m.Meeting.document_id == doc.id)
            ).all()
            statements = session.scalars(
                select(m.Statement.id).where(m.Statement.document_id == doc.id)
            ).all()
            assert len(meetings) == 1, doc.source_key
            assert len(statements) == len(record["statements"]), doc.source_key
        orphans = session.execute(
            text(
                "SELECT count(*) FROM statements s "
                "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.document_id)"
            )
        ).scalar()
        assert orphans == 0
