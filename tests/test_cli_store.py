"""``readout ingest``, ``meetings``, ``show`` and ``reparse`` on SQLite and PostgreSQL:
summaries, formats, ``--db`` and ``READOUT_DB``, progress lines, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

import readout
from readout.cli import main
from readout.store import connect
from readout.store import models as m
from readout.store.read import list_meetings
from tests import stores
from tests.generate import write_corpus

store_url = stores.store_url


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def no_traceback(result: Result) -> bool:
    return "Traceback" not in result.output and not isinstance(result.exception, Exception)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, 8)
    (folder / "binary.txt").write_bytes(b"\x00\x01")
    return folder


def test_ingest_twice_then_list_and_show(store_url: str, corpus: Path) -> None:
    first = invoke("ingest", corpus, "--db", store_url)
    assert first.exit_code == 1, first.output  # the binary file failed
    assert "9 sources into" in first.stdout and "8 added, 0 unchanged, 1 failed" in first.stdout
    assert f"  {corpus / 'binary.txt'}: binary file (not text)" in first.stdout
    assert f"readout: {corpus / 'binary.txt'}: binary file (not text)" in first.stderr
    assert "readout: ingest: 9 sources" in first.stderr  # plain progress: not a terminal
    assert no_traceback(first)

    (corpus / "binary.txt").unlink()
    second = invoke("ingest", corpus, "--db", store_url)
    assert second.exit_code == 0, second.output
    assert "0 added, 8 unchanged, 0 failed" in second.stdout

    table = invoke("meetings", "--db", store_url)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "DATE", "KIND", "SIDES", "STMTS", "COMMITS", "TITLE"]
    assert lines[-1] == "8 meeting(s)"

    listed = json.loads(invoke("meetings", "--db", store_url, "--format", "json").stdout)
    assert len(listed) == 8 and {"id", "date", "kind", "sides", "title"} <= listed[0].keys()
    rows = list(
        csv.DictReader(io.StringIO(invoke("meetings", "--db", store_url, "--format", "csv").stdout))
    )
    assert [int(r["id"]) for r in rows] == [r["id"] for r in listed]

    chosen = listed[0]
    shown = invoke("show", str(chosen["id"]), "--db", store_url, "--format", "json")
    record = readout.Record.model_validate_json(shown.stdout)
    assert record == readout.parse_file(chosen["source"])
    md = invoke("show", str(chosen["id"]), "--db", store_url)
    assert md.exit_code == 0 and md.stdout.startswith("# ")


def test_meeting_filters_on_the_command_line(store_url: str, corpus: Path) -> None:
    invoke("ingest", corpus, "--db", store_url)
    opened = connect(store_url)
    expected = [r.id for r in list_meetings(opened, counterpart="US", since="2016")]
    opened.close()
    result = invoke(
        "meetings", "--db", store_url, "--counterpart", "US", "--since", "2016", "--format", "json"
    )
    assert [r["id"] for r in json.loads(result.stdout)] == expected
    bad = invoke("meetings", "--db", store_url, "--since", "2016/01")
    assert bad.exit_code == 2 and "is not a date" in bad.stderr


def test_urls_option_and_lists(store_url: str, corpus: Path, tmp_path: Path) -> None:
    files = sorted(corpus.rglob("readout-*.txt"))
    listing = tmp_path / "sources.txt"
    listing.write_text("# two of them\n" + "\n".join(map(str, files[:2])) + "\n")
    result = invoke("ingest", "--urls", listing, f"@{listing}", files[2], "--db", store_url)
    assert result.exit_code == 0, result.output
    assert "3 added" in result.stdout


def test_readout_db_environment_variable(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "from-env.sqlite"
    env = {"READOUT_DB": str(db)}
    assert "8 added" in invoke("ingest", corpus, env=env).stdout
    assert db.exists()
    assert "8 meeting(s)" in invoke("meetings", env=env).stdout


def test_reparse_command(store_url: str, corpus: Path) -> None:
    invoke("ingest", corpus, "--db", store_url)
    opened = connect(store_url)
    with opened.engine.begin() as conn:
        conn.execute(update(m.Document).values(parser_version="0.0.1"))
    opened.close()
    result = invoke("reparse", "--db", store_url)
    assert result.exit_code == 0, result.output
    assert "8 documents re-parsed" in result.stdout and "8 rewritten" in result.stdout
    again = invoke("reparse", "--db", store_url)
    assert "0 documents re-parsed" in again.stdout
    assert "8 rewritten" in invoke("reparse", "--all", "--db", store_url).stdout


def test_one_line_errors(tmp_path: Path, store_url: str) -> None:
    missing = tmp_path / "missing.sqlite"
    for args in (["meetings"], ["show", "1"], ["reparse"]):
        result = invoke(*args, "--db", missing)
        assert result.exit_code == 1
        assert (
            result.stderr
            == f"readout: {missing}: no such database (create it with readout ingest)\n"
        )
        assert not missing.exists()
    invoke("ingest", write_corpus(tmp_path / "c", 1)[0], "--db", store_url)
    result = invoke("show", "999999", "--db", store_url)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "no document with id 999999" in result.stderr
    usage = invoke("ingest", "--db", store_url)
    assert usage.exit_code == 2 and "give at least one PATH" in usage.stderr
