"""Opening the store: a database URL, an engine, and the schema brought up to date.

``--db`` / ``READOUT_DB`` take a SQLAlchemy URL (``postgresql+psycopg://…``) or a plain
file path (SQLite).  SQLite runs in WAL mode with foreign keys on and waits for a lock
instead of failing at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

DEFAULT_DB = "readout.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(Exception):
    """A database that cannot be used: one line saying which and why."""


def database_url(db: str | None = None) -> str:
    """The URL for ``db`` (a URL or a file path), else ``READOUT_DB``, else the default file."""
    value = db or os.environ.get("READOUT_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


@dataclass
class Store:
    """An open store: its URL and engine."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        """The URL without a password, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision (Alembic)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as err:
            raise StoreError(f"{self.describe()}: {_reason(err)}") from None

    def failure(self, err: SQLAlchemyError) -> StoreError:
        """``err`` as a one-line :class:`StoreError` naming this store."""
        return StoreError(f"{self.describe()}: {_reason(err)}")

    def close(self) -> None:
        self.engine.dispose()


def _reason(err: SQLAlchemyError) -> str:
    """The first line of the driver's message, without SQLAlchemy's boilerplate."""
    orig = getattr(err, "orig", None)
    text = str(orig if orig is not None else err).strip().splitlines()
    return text[0] if text else type(err).__name__


def connect(db: str | None = None, *, upgrade: bool = True) -> Store:
    """Open the store at ``db`` (see :func:`database_url`) and migrate it to the newest schema."""
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(f"{url}: not a database URL ({err})") from None
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{database}: folder {parent} does not exist")
        kwargs["connect_args"] = {"timeout": 5}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ImportError) as err:
        raise StoreError(f"{url}: cannot open ({err})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(url, engine)
    if upgrade:
        store.upgrade()
    return store
