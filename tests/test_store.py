"""The store opens, migrates and reports problems in one line, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from readout.store import StoreError, connect, database_url
from readout.store.bigrams import search_text, tokens
from tests.pg import postgres_url

TABLES = {
    "documents",
    "meetings",
    "participants",
    "sections",
    "items",
    "statements",
    "entities",
    "mentions",
    "commitments",
}


def test_url_from_path_env_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("READOUT_DB", raising=False)
    assert database_url(None) == "sqlite:///readout.sqlite"
    assert database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("READOUT_DB", "postgresql+psycopg://u@h/db")
    assert database_url(None) == "postgresql+psycopg://u@h/db"


def test_sqlite_schema_is_created_in_wal_mode(tmp_path: Path) -> None:
    store = connect(str(tmp_path / "r.sqlite"))
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()
    again = connect(str(tmp_path / "r.sqlite"))  # a second open migrates nothing
    again.close()


def test_postgres_schema_is_created() -> None:
    url = postgres_url()
    store = connect(url)
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    store.close()


def test_missing_folder_and_unreachable_server_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        connect(str(tmp_path / "no" / "such" / "r.sqlite"))
    with pytest.raises(StoreError) as err:
        connect("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert "\n" not in str(err.value) and "127.0.0.1" in str(err.value)


def test_bigram_tokens() -> None:
    assert tokens("中国") == ["中国"]
    assert tokens("尖閣諸島") == ["尖閣", "閣諸", "諸島"]
    assert tokens("台") == ["台"]
    assert tokens("ＡＳＥＡＮと") == ["asean", "と"]
    assert search_text("日米同盟") == "日米 米同 同盟"
