"""The real PostgreSQL server for tests: a fresh database per test session.

Without a server a test that needs one is skipped with the reason shown, except in CI
(``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from functools import cache

import pytest

ADMIN_URL = os.environ.get(
    "READOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


_created: list[str] = []


@cache
def _create_database() -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(
        ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"readout_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _created.append(name)
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def postgres_url() -> str:
    """A fresh, empty database on the real server (created once per session)."""
    try:
        return _create_database()
    except Exception as err:
        reason = f"PostgreSQL not reachable at {ADMIN_URL}: {type(err).__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def drop_created() -> None:
    """Drop the databases this session created (called when the session ends)."""
    if not _created:
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in _created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    _created.clear()
