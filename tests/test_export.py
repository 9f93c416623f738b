"""readout.export and ``readout export`` on SQLite and on the real PostgreSQL server.

The store holds the project's composed readouts (tests/fixtures/readouts and gold/*),
plus an older version of one readout that exports leave out.  What each export should
hold is worked out independently from the parsed records and compared with what the
exported file, read back with the csv module, json, pyarrow or pandas, holds.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

import readout
from readout.cli import main
from readout.export import ExportError, ExportJob, Filters, export, exporter, exporters
from readout.export.format_csv import write_csv
from readout.export.rows import COMMITMENT_FIELDS, MEETING_FIELDS, STATEMENT_FIELDS
from readout.model import Record
from readout.store import Store, connect
from readout.store.write import add_document
from tests.conftest import CORPUS, ROOT
from tests.stores import BACKENDS, _drop_schema, _postgres_schema_url

OLD_TEXT = """日越外相会談

令和5年6月1日

 本1日、林外務大臣は、ブイ・タイン・ソン・ベトナム外務大臣と会談を行いました。概要は以下のとおりです。

 両大臣は、ホーチミン市における旧版だけの合同会議の開催を歓迎しました。
"""
NEW_TEXT = OLD_TEXT.replace("旧版だけの合同会議", "新版だけの合同会議")


def _sha(raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


@pytest.fixture(scope="module")
def corpus() -> list[tuple[Record, bytes]]:
    """Every stored record with its raw bytes, in the order stored (old version first)."""
    out: list[tuple[Record, bytes]] = []
    seen: set[bytes] = set()
    for path in [*sorted(CORPUS.glob("*.txt")), *sorted((ROOT / "gold").glob("*/*.txt"))]:
        raw = path.read_bytes()
        if raw in seen:
            continue
        seen.add(raw)
        record = readout.parse_file(path)
        record.source.path = str(path.relative_to(ROOT))
        out.append((record, raw))
    for body in (OLD_TEXT, NEW_TEXT):
        raw = body.encode("utf-8")
        out.append((readout.parse(body, {"path": "composed/vn.txt", "sha256": _sha(raw)}), raw))
    return out


@pytest.fixture(scope="module")
def latest(corpus: list[tuple[Record, bytes]]) -> list[Record]:
    """The records an export without --all-versions covers (the old version left out)."""
    return [r for r, raw in corpus if raw != OLD_TEXT.encode("utf-8")]


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    corpus: list[tuple[Record, bytes]],
) -> Iterator[Store]:
    schema = None
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("export") / "export.sqlite")
    else:
        url, schema = _postgres_schema_url()
    opened = connect(url)
    try:
        with Session(opened.engine) as session, session.begin():
            for record, raw in corpus:
                add_document(session, record, raw)
        yield opened
    finally:
        opened.close()
        if schema is not None:
            _drop_schema(schema)


def run(store: Store, fmt: str, **kwargs: Any) -> tuple[int, bytes]:
    out = io.BytesIO()
    count = export(store, fmt, out, **kwargs)
    return count, out.getvalue()


def jsonl(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def statements(records: list[Record]) -> list[tuple[Record, Any]]:
    return [(r, s) for r in records for s in r.statements]


# ---------------------------------------------------------------- the registry


def test_registry_has_every_format() -> None:
    assert {"json", "jsonl", "csv", "parquet", "plover"} <= set(exporters())
    assert exporters()["plover"].whats == ("statements",)
    assert exporters()["parquet"].binary


def test_a_new_format_is_one_registration(store: Store, latest: list[Record]) -> None:
    from readout.export import _REGISTRY

    @exporter("test-count", whats=("meetings",))
    def write_count(rows: Iterator[dict[str, Any]], out: BinaryIO, job: ExportJob) -> int:
        """How many rows, as text."""
        n = sum(1 for _ in rows)
        out.write(str(n).encode())
        return n

    try:
        count, data = run(store, "test-count", what="meetings")
        assert count == len(latest) and data == str(len(latest)).encode()
        with pytest.raises(ExportError, match="writes meetings, not statements"):
            run(store, "test-count")
    finally:
        del _REGISTRY["test-count"]


def test_unknown_format_and_what(store: Store) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        run(store, "xml")
    with pytest.raises(ExportError, match="unknown --what"):
        run(store, "json", what="people")
    with pytest.raises(ExportError, match="not records"):
        run(store, "csv", what="records")


# ---------------------------------------------------------------- json, jsonl


def test_jsonl_records_round_trip(store: Store, latest: list[Record]) -> None:
    count, data = run(store, "jsonl", what="records")
    lines = data.decode("utf-8").splitlines()
    assert count == len(lines) == len(latest)
    back = [Record.model_validate_json(line) for line in lines]
    key = lambda r: r.source.sha256 or ""  # noqa: E731
    assert sorted(back, key=key) == sorted(latest, key=key)


def test_json_statements_are_every_latest_statement(store: Store, latest: list[Record]) -> None:
    count, data = run(store, "json")
    rows = json.loads(data)
    assert count == len(rows) == len(statements(latest))
    assert all(tuple(row) == STATEMENT_FIELDS for row in rows)
    expected = Counter((r.source.sha256, s.id, s.text, s.act) for r, s in statements(latest))
    assert Counter((x["sha256"], x["sid"], x["text"], x["act"]) for x in rows) == expected
    assert "旧版だけ" not in data.decode("utf-8")
    _, everything = run(store, "json", filters=Filters.make(all_versions=True))
    assert "旧版だけ" in everything.decode("utf-8")


def test_json_of_nothing_is_an_empty_array(store: Store) -> None:
    count, data = run(store, "json", filters=Filters.make("存在しない語句ですよ"))
    assert count == 0 and json.loads(data) == []


def test_meetings_and_commitments(store: Store, latest: list[Record]) -> None:
    _, data = run(store, "jsonl", what="meetings")
    meetings = jsonl(data)
    assert [tuple(x) for x in meetings] == [MEETING_FIELDS] * len(latest)
    by_sha = {r.source.sha256: r for r in latest}
    for row in meetings:
        record = by_sha[row["sha256"]]
        assert row["date"] == record.meeting.date
        assert row["sides"] == record.meeting.sides
        assert row["statements"] == len(record.statements)
        assert row["commitments"] == len(record.commitments)
        assert len(row["participants"]) == len(record.meeting.participants)
    dates = [x["date"] for x in meetings if x["date"]]
    assert dates == sorted(dates)
    _, data = run(store, "jsonl", what="commitments")
    commitments = jsonl(data)
    assert len(commitments) == sum(len(r.commitments) for r in latest)
    for row in commitments:
        record = by_sha[row["sha256"]]
        statement = next(s for s in record.statements if s.id == row["statement"])
        assert row["statement_text"] == statement.text and row["act"] == statement.act
        assert tuple(row) == COMMITMENT_FIELDS


# ---------------------------------------------------------------- csv


def test_csv_rows_read_back(store: Store, latest: list[Record]) -> None:
    _, data = run(store, "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == len(statements(latest))
    _, as_json = run(store, "json")
    for row, original in zip(rows, json.loads(as_json), strict=True):
        assert row["text"] == original["text"]
        assert (row["topics"].split("|") if row["topics"] else []) == original["topics"]
        assert int(row["start"]) == original["start"]
        assert row["reaffirmed"] == ("true" if original["reaffirmed"] else "false")
        assert row["target"] == (original["target"] or "")


def test_csv_bom_only_when_asked(store: Store) -> None:
    _, data = run(store, "csv", what="meetings", bom=True)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == MEETING_FIELDS


def test_csv_quotes_commas_quotes_and_line_breaks() -> None:
    tricky = {"a": 'one, "two"\nthree', "b": ["x", "y"], "c": None, "d": True}
    out = io.BytesIO()
    assert write_csv(iter([tricky]), out, ExportJob("statements", ("a", "b", "c", "d"))) == 1
    assert out.getvalue().endswith(b"\r\n")
    assert list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline=""))) == [
        ["a", "b", "c", "d"],
        ['one, "two"\nthree', "x|y", "", "true"],
    ]


# ---------------------------------------------------------------- parquet


@pytest.mark.parametrize("what", ["statements", "meetings", "commitments"])
def test_parquet_counts_match_the_store(store: Store, latest: list[Record], what: str) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    count, data = run(store, "parquet", what=what)
    table = pq.read_table(io.BytesIO(data))
    frame = pd.read_parquet(io.BytesIO(data))
    expected = {
        "statements": len(statements(latest)),
        "meetings": len(latest),
        "commitments": sum(len(r.commitments) for r in latest),
    }[what]
    assert count == table.num_rows == len(frame) == expected
    if what == "statements":
        acts = Counter(s.act for _, s in statements(latest))
        assert frame["act"].value_counts().to_dict() == dict(acts)
        assert pa.types.is_list(table.schema.field("topics").type)
        assert str(table.schema.field("start").type) == "int64"
        topics = Counter(t for _, s in statements(latest) for t in s.topics)
        assert Counter(t for ts in frame["topics"] for t in ts) == topics
    if what == "meetings":
        assert str(table.schema.field("start").type) == "string"
        assert int(frame["statements"].sum()) == len(statements(latest))


def test_parquet_of_nothing_has_the_columns(store: Store) -> None:
    import pyarrow.parquet as pq

    count, data = run(store, "parquet", filters=Filters.make(act="CONDEMN", kind="phone_call"))
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows == count
    assert tuple(table.column_names) == STATEMENT_FIELDS


# ---------------------------------------------------------------- filters


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"speaker": "US"}, lambda r, s: s.speaker == "US"),
        ({"act": ["AGREE", "WELCOME"]}, lambda r, s: s.act in ("AGREE", "WELCOME")),
        ({"topic": "senkaku"}, lambda r, s: "senkaku" in s.topics),
        ({"kind": "2+2"}, lambda r, s: r.meeting.kind == "2+2"),
        ({"counterpart": "AU"}, lambda r, s: "AU" in r.meeting.sides),
        (
            {"since": "2015", "until": "2018-06"},
            lambda r, s: (
                r.meeting.date is not None and "2015-01-01" <= r.meeting.date <= "2018-06-30"
            ),
        ),
        ({"query": "尖閣"}, lambda r, s: "尖閣" in _norm(s.text)),
        (
            {"query": "北朝鮮 核", "speaker": "JOINT"},
            lambda r, s: s.speaker == "JOINT" and "北朝鮮" in s.text and "核" in s.text,
        ),
    ],
    ids=["speaker", "act", "topic", "kind", "counterpart", "dates", "query", "query+speaker"],
)
def test_filters(store: Store, latest: list[Record], filters: dict[str, Any], keep: Any) -> None:
    expected = Counter((r.source.sha256, s.id) for r, s in statements(latest) if keep(r, s))
    assert expected, "the corpus should have statements for every filter"
    _, data = run(store, "jsonl", filters=Filters.make(**filters))
    assert Counter((x["sha256"], x["sid"]) for x in jsonl(data)) == expected
    meetings = {sha for sha, _ in expected}
    _, data = run(store, "jsonl", what="meetings", filters=Filters.make(**filters))
    assert {x["sha256"] for x in jsonl(data)} == meetings
    _, data = run(store, "jsonl", what="records", filters=Filters.make(**filters))
    assert {x["source"]["sha256"] for x in jsonl(data)} == meetings


def test_commitments_follow_their_statement(store: Store, latest: list[Record]) -> None:
    expected = Counter(
        (r.source.sha256, c.id)
        for r in latest
        for c in r.commitments
        if next(s for s in r.statements if s.id == c.statement).act == "COMMIT"
    )
    assert expected
    _, data = run(store, "jsonl", what="commitments", filters=Filters.make(act="COMMIT"))
    assert Counter((x["sha256"], x["cid"]) for x in jsonl(data)) == expected


def test_a_query_with_nothing_searchable_finds_nothing(store: Store) -> None:
    assert run(store, "jsonl", filters=Filters.make("%'; --"))[0] == 0


# ---------------------------------------------------------------- the CLI


def test_cli_writes_a_file(store: Store, latest: list[Record], tmp_path: Path) -> None:
    out = tmp_path / "statements.csv"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "csv",
            "--bom",
            "--speaker",
            "US",
            "-o",
            str(out),
            "--db",
            store.url,
        ],
    )
    assert result.exit_code == 0, result.output
    expected = sum(1 for _, s in statements(latest) if s.speaker == "US")
    assert f"{expected} statements written to {out}" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert len(rows) == expected and {r["speaker"] for r in rows} == {"US"}
    assert not list(tmp_path.glob("*.partial"))


def test_cli_writes_records_to_stdout(store: Store, latest: list[Record]) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "jsonl", "--what", "records", "--db", store.url]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(latest)
    assert Record.model_validate_json(lines[0]) in latest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv", "--what", "records"], "csv writes statements, meetings"),
        (["--format", "plover", "--what", "meetings"], "plover writes statements"),
        (["--format", "xml"], "'xml' is not one of"),
        (["--format", "json", "--act", "SHOUT"], "'SHOUT'"),
        (["--format", "json", "--since", "last year"], "is not a date"),
    ],
)
def test_cli_errors(store: Store, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["export", *args, "--db", store.url])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "json", "--db", str(tmp_path / "none.sqlite")]
    )
    assert result.exit_code == 1
    assert "no store here" in result.output
