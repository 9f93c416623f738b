"""readout.corrections and ``readout correct`` / ``readout corrections``: an analyst's
corrections of a statement's speaker and act, on SQLite and PostgreSQL.

The meetings are the composed Japan–US 2+2 series (tests/fixtures/series).  In the 2017
meeting the parser reads statement st2 (両大臣は、日米安全保障条約第5条が尖閣諸島に適用され
ることを確認した。) as JOINT AFFIRM and st3 (…力による一方的な現状変更の試みに強く反対した。)
as JOINT OPPOSE; the corrections below are made-up analyst judgements on them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from readout.cli import main
from readout.corrections import (
    CorrectionError,
    StatementNotFound,
    clear_correction,
    correct_statement,
    corrected_record,
    corrections_for_document,
    export_gold,
    gold_name,
    list_corrections,
)
from readout.evaluate import evaluate
from readout.export.rows import Filters, statement_rows
from readout.gold import load_gold
from readout.ingest import ingest, reparse
from readout.search import search
from readout.store import Store, StoreError, connect
from readout.store import models as m
from readout.store.read import DocumentNotFound, get_document, list_meetings
from tests import stores

store = stores.store
store_url = stores.store_url

SERIES = Path(__file__).parent / "fixtures" / "series"
FIRST = "2017-08-17"
SENKAKU = "両大臣は、日米安全保障条約第5条が尖閣諸島に適用されることを確認した。"
EAST_CHINA_SEA = "両大臣は、東シナ海における力による一方的な現状変更の試みに強く反対した。"


def _load(store: Store) -> int:
    """Ingest the series; the 2017 meeting's document id."""
    summary = ingest(store, sorted(SERIES.glob("*.txt")))
    assert summary.added == 8 and not summary.failed
    return next(r.id for r in list_meetings(store) if r.date == FIRST)


def _row(store: Store, document_id: int, sid: str) -> tuple[int, str, str]:
    """The statements row: id, speaker, act."""
    with Session(store.engine) as session:
        row = session.execute(
            select(m.Statement.id, m.Statement.speaker, m.Statement.act).where(
                m.Statement.document_id == document_id, m.Statement.sid == sid
            )
        ).one()
        return row.id, row.speaker, row.act


def _record_json(store: Store, document_id: int) -> str:
    with Session(store.engine) as session:
        value = session.scalar(select(m.Document.record_json).where(m.Document.id == document_id))
        assert value is not None
        return value


def test_the_parser_reads_the_fixture_as_the_tests_assume(store: Store) -> None:
    doc = _load(store)
    by_id = {st.id: st for st in get_document(store, doc).statements}
    assert (by_id["st2"].text, by_id["st2"].speaker, by_id["st2"].act) == (
        SENKAKU,
        "JOINT",
        "AFFIRM",
    )
    assert (by_id["st3"].text, by_id["st3"].speaker, by_id["st3"].act) == (
        EAST_CHINA_SEA,
        "JOINT",
        "OPPOSE",
    )


def test_correct_speaker_then_act(store: Store) -> None:
    doc = _load(store)
    parsed = _record_json(store, doc)
    c = correct_statement(store, doc, "st2", speaker="us", note="only the US side said it")
    assert (c.document_id, c.sid, c.speaker, c.act) == (doc, "st2", "US", None)
    assert (c.parser_speaker, c.parser_act, c.attached) == ("JOINT", "AFFIRM", True)
    assert c.note == "only the US side said it" and c.set_at.tzinfo is not None
    st = next(s for s in get_document(store, doc).statements if s.id == "st2")
    assert (c.start, c.end) == (st.start, st.end)
    assert _row(store, doc, "st2")[1:] == ("US", "AFFIRM")

    # A second call corrects the act and keeps the speaker and the note.
    c = correct_statement(store, doc, "st2", act="EMPHASIZE")
    assert (c.speaker, c.act, c.note) == ("US", "EMPHASIZE", "only the US side said it")
    assert _row(store, doc, "st2")[1:] == ("US", "EMPHASIZE")
    assert _record_json(store, doc) == parsed  # the parser's output is untouched
    assert get_document(store, doc).statements[1].speaker == "JOINT"

    record, fixes = corrected_record(store, doc)
    assert list(fixes) == ["st2"]
    assert (record.statements[1].speaker, record.statements[1].act) == ("US", "EMPHASIZE")
    assert record.statements[2] == get_document(store, doc).statements[2]  # others as parsed
    assert corrections_for_document(store, doc) == fixes
    assert [(x.sid, x.to_dict()["speaker"]) for x in list_corrections(store)] == [("st2", "US")]
    assert json.loads(json.dumps(c.to_dict()))["set_at"] == c.set_at.isoformat()

    # Setting the parser's value un-corrects that field; with neither left, no correction.
    c = correct_statement(store, doc, "st2", speaker="JOINT")
    assert (c.speaker, c.act) == (None, "EMPHASIZE")
    assert _row(store, doc, "st2")[1:] == ("JOINT", "EMPHASIZE")
    c = correct_statement(store, doc, "st2", act="AFFIRM")
    assert (c.speaker, c.act) == (None, None)
    assert list_corrections(store) == [] and _row(store, doc, "st2")[1:] == ("JOINT", "AFFIRM")


def test_search_and_exports_see_the_corrected_values(store: Store) -> None:
    doc = _load(store)
    assert not search(store, "尖閣諸島に適用", speaker="US").hits
    correct_statement(store, doc, "st2", speaker="US", act="EMPHASIZE")
    hits = search(store, "尖閣諸島に適用", speaker="US").hits
    assert [(h.document_id, h.sid, h.speaker, h.act) for h in hits] == [
        (doc, "st2", "US", "EMPHASIZE")
    ]
    assert [h.sid for h in search(store, "尖閣諸島", act="EMPHASIZE").hits] == ["st2"]
    rows = [r for r in statement_rows(store, Filters.make(act="EMPHASIZE")) if r["text"] == SENKAKU]
    assert [(r["speaker"], r["act"]) for r in rows] == [("US", "EMPHASIZE")]


def test_corrections_survive_reparse(store: Store) -> None:
    doc = _load(store)
    correct_statement(store, doc, "st2", speaker="US")
    correct_statement(store, doc, "st3", act="CONDEMN", note="strongly")
    before = _row(store, doc, "st2")
    summary = reparse(store, all=True)
    assert summary.reparsed == 8 and not summary.failed
    after = _row(store, doc, "st2")
    assert after[0] != before[0]  # the rows were rewritten …
    assert after[1:] == ("US", "AFFIRM")  # … and the correction written onto them again
    assert _row(store, doc, "st3")[1:] == ("JOINT", "CONDEMN")
    fixes = corrections_for_document(store, doc)
    assert {sid: (c.speaker, c.act, c.attached) for sid, c in fixes.items()} == {
        "st2": ("US", None, True),
        "st3": (None, "CONDEMN", True),
    }
    assert json.loads(_record_json(store, doc))["statements"][1]["speaker"] == "JOINT"
    stores.assert_whole(store)


def _change_stored_text(store: Store, document_id: int, prefix: bytes) -> None:
    """Put ``prefix`` before the stored bytes, as if the source had been read differently,
    so that every span of the next parse moves."""
    with Session(store.engine) as session, session.begin():
        doc = session.get(m.Document, document_id)
        assert doc is not None
        raw = prefix + doc.raw
        session.execute(
            update(m.Document)
            .where(m.Document.id == document_id)
            .values(raw=raw, sha256=hashlib.sha256(raw).hexdigest())
        )


def test_a_correction_whose_span_is_gone_is_kept_as_detached(store: Store) -> None:
    doc = _load(store)
    c = correct_statement(store, doc, "st2", speaker="US", note="kept")
    _change_stored_text(store, doc, "(仮訳)\n".encode())
    assert reparse(store, all=True).reparsed == 8
    assert corrections_for_document(store, doc) == {}
    (listed,) = list_corrections(store)
    assert (listed.document_id, listed.sid, listed.attached) == (doc, "st2", False)
    assert (listed.start, listed.end, listed.speaker, listed.note) == (c.start, c.end, "US", "kept")
    assert (listed.parser_speaker, listed.parser_act) == ("JOINT", "AFFIRM")  # as recorded
    # Nothing was written onto the statement that now carries the sid.
    record, fixes = corrected_record(store, doc)
    assert fixes == {} and all(st.speaker == "JOINT" for st in record.statements[1:3])
    assert _row(store, doc, "st2")[1] == "JOINT"
    # The listing shows it as detached; clearing by the recorded sid removes it.
    code, out = _cli("corrections", "--db", store.url)
    assert code == 0 and "detached kept" in out
    assert clear_correction(store, doc, "st2") is True
    assert list_corrections(store) == []


def test_a_new_version_of_the_source_starts_without_corrections(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "meeting.txt"
    shutil.copy(SERIES / f"{FIRST}_us_2plus2.txt", path)
    ingest(store, [path])
    (first,) = list_meetings(store)
    correct_statement(store, first.id, "st2", speaker="US")
    path.write_text(path.read_text(encoding="utf-8") + "\n(了)\n", encoding="utf-8")
    ingest(store, [path])
    (second,) = list_meetings(store)
    assert (second.version, second.id != first.id) == (2, True)
    assert corrections_for_document(store, second.id) == {}
    assert _row(store, second.id, "st2")[1] == "JOINT"
    assert list(corrections_for_document(store, first.id)) == ["st2"]  # v1 keeps its own
    assert not search(store, "尖閣諸島に適用", speaker="US").hits  # latest version only


def test_clear(store: Store) -> None:
    doc = _load(store)
    correct_statement(store, doc, "st3", speaker="JP", act="CONDEMN")
    assert _row(store, doc, "st3")[1:] == ("JP", "CONDEMN")
    assert clear_correction(store, doc, "st3") is True
    assert _row(store, doc, "st3")[1:] == ("JOINT", "OPPOSE")
    assert corrections_for_document(store, doc) == {} and list_corrections(store) == []
    assert clear_correction(store, doc, "st3") is False
    with pytest.raises(StatementNotFound, match=r"^no statement st99 in document"):
        clear_correction(store, doc, "st99")
    with pytest.raises(DocumentNotFound):
        clear_correction(store, 999999, "st1")


def test_invalid_corrections_are_refused(store: Store) -> None:
    doc = _load(store)
    with pytest.raises(
        CorrectionError, match=r"^unknown speaker 'CN' for document \d+ \(one of: JP, US, JOINT\)$"
    ):
        correct_statement(store, doc, "st2", speaker="CN")
    with pytest.raises(CorrectionError, match=r"^unknown speaker ''"):
        correct_statement(store, doc, "st2", speaker="")
    with pytest.raises(CorrectionError, match=r"^unknown act 'FOO' \(one of: STATE, WELCOME, "):
        correct_statement(store, doc, "st2", act="FOO")
    with pytest.raises(CorrectionError, match="nothing to correct"):
        correct_statement(store, doc, "st2", note="just a note")
    with pytest.raises(StatementNotFound) as err:
        correct_statement(store, doc, "st99", act="AGREE")
    assert str(err.value) == f"no statement st99 in document {doc}"
    assert isinstance(err.value, LookupError)
    with pytest.raises(DocumentNotFound, match="no document with id 999999"):
        correct_statement(store, 999999, "st1", act="AGREE")
    with pytest.raises(DocumentNotFound):
        corrected_record(store, 999999)
    assert list_corrections(store) == []
    assert _row(store, doc, "st2")[1:] == ("JOINT", "AFFIRM")


def test_a_database_error_is_one_line_and_writes_nothing(store: Store) -> None:
    doc = _load(store)
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE statement_corrections"))
    with pytest.raises(StoreError) as err:
        correct_statement(store, doc, "st2", speaker="US")
    assert "\n" not in str(err.value) and "statement_corrections" in str(err.value)
    assert _row(store, doc, "st2")[1:] == ("JOINT", "AFFIRM")


# ---------------------------------------------------------------- gold export


def test_gold_export_round_trip_through_eval(store: Store, tmp_path: Path) -> None:
    doc = _load(store)
    correct_statement(store, doc, "st2", speaker="US")
    correct_statement(store, doc, "st3", act="CONDEMN")
    out = tmp_path / "gold"
    (path,) = export_gold(store, out)
    name = gold_name(doc, str(SERIES / f"{FIRST}_us_2plus2.txt"), 1)
    assert name == f"doc{doc}_v1_{FIRST}_us_2plus2"
    assert path == out / f"{name}.gold.json"
    record = get_document(store, doc)
    assert (out / f"{name}.txt").read_text(encoding="utf-8") == record.text

    gold = load_gold(path)
    assert gold.checked == frozenset({"statements"})
    assert len(gold.statements) == len(record.statements)
    assert [(s.speaker, s.act) for s in gold.statements[1:3]] == [
        ("US", "AFFIRM"),
        ("JOINT", "CONDEMN"),
    ]
    assert not any(
        s.has_person or s.has_target or s.reaffirmed is not None for s in gold.statements
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(c["sid"], c["speaker"], c["act"]) for c in data["corrections"]] == [
        ("st2", "US", None),
        ("st3", None, "CONDEMN"),
    ]

    scores = evaluate(out)
    n = len(record.statements)
    assert scores.files == 1
    assert (scores.speaker.correct, scores.speaker.total) == (n - 1, n)
    assert (scores.act.correct, scores.act.total) == (n - 1, n)
    assert scores.boundaries.f1 == 1.0
    assert [(e.part, e.text, e.gold, e.predicted) for e in scores.errors] == [
        ("speaker", SENKAKU, "US", "JOINT"),
        ("act", EAST_CHINA_SEA, "CONDEMN", "OPPOSE"),
    ]
    code, output = _cli("eval", str(out), "--errors")
    assert code == 0
    assert output.splitlines() == [
        f"{name}\tspeaker\t{SENKAKU}\tgold=US\tpredicted=JOINT",
        f"{name}\tact\t{EAST_CHINA_SEA}\tgold=CONDEMN\tpredicted=OPPOSE",
    ]

    # Given ids: a document without corrections is the parser's output accepted.
    other = next(r.id for r in list_meetings(store) if r.date == "2019-04-19")
    paths = export_gold(store, tmp_path / "two", [doc, other])
    assert [p.name.split("_")[0] for p in paths] == [f"doc{doc}", f"doc{other}"]
    assert len(evaluate(tmp_path / "two").errors) == 2
    with pytest.raises(DocumentNotFound):
        export_gold(store, tmp_path / "none", [999999])


def test_gold_export_of_a_text_with_crlf_line_ends(store: Store, tmp_path: Path) -> None:
    # Gold texts are read back with universal newlines: the export writes LF and moves
    # every offset with it.
    path = tmp_path / "crlf.txt"
    source = (SERIES / f"{FIRST}_us_2plus2.txt").read_text(encoding="utf-8")
    path.write_bytes(source.replace("\n", "\r\n").encode("utf-8"))
    ingest(store, [path])
    (row,) = list_meetings(store)
    assert "\r\n" in get_document(store, row.id).text
    correct_statement(store, row.id, "st2", speaker="US")
    (gold_path,) = export_gold(store, tmp_path / "gold")
    gold = load_gold(gold_path)
    assert "\r" not in gold.text
    assert gold.statements[1].text == SENKAKU
    scores = evaluate(tmp_path / "gold")
    assert scores.boundaries.f1 == 1.0
    assert [(e.part, e.gold, e.predicted) for e in scores.errors] == [("speaker", "US", "JOINT")]


def test_gold_names_are_safe() -> None:
    assert gold_name(3, "https://www.mofa.go.jp/mofaj/na/st/page4_003.html", 2) == (
        "doc3_v2_page4_003"
    )
    assert gold_name(4, "/data/日米外相会談.txt", 1) == "doc4_v1"
    assert gold_name(5, "C:\\readouts\\a b/../c d.pdf", 1) == "doc5_v1_c-d"
    assert gold_name(6, "sha256:" + "ab" * 32, 1).startswith("doc6_v1_sha256-abab")
    assert len(gold_name(6, "sha256:" + "ab" * 32, 1)) <= len("doc6_v1_") + 40


# ---------------------------------------------------------------- the CLI


def _cli(*args: str) -> tuple[int, str]:
    out = CliRunner().invoke(main, list(args))
    return out.exit_code, out.output


def test_cli_correct_list_clear_and_export(store_url: str, tmp_path: Path) -> None:
    s = connect(store_url)
    try:
        doc = _load(s)
    finally:
        s.close()
    db = ("--db", store_url)
    code, out = _cli("correct", str(doc), "st2", "--speaker", "US", "--note", "US only", *db)
    assert (code, out) == (
        0,
        f"document {doc} st2: speaker US (parser: JOINT), act AFFIRM — US only\n",
    )
    code, out = _cli("correct", str(doc), "st3", "--act", "condemn", *db)
    assert (code, out) == (0, f"document {doc} st3: speaker JOINT, act CONDEMN (parser: OPPOSE)\n")
    code, out = _cli("corrections", *db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["DOC", "SID", "SPEAKER", "ACT", "SET", "NOTE"]
    assert lines[1].split()[:4] == [str(doc), "st2", "JOINT→US", "AFFIRM"]
    assert lines[1].endswith("US only")
    assert lines[2].split()[:4] == [str(doc), "st3", "JOINT", "OPPOSE→CONDEMN"]
    code, out = _cli("corrections", "--format", "json", *db)
    assert code == 0
    assert [(c["sid"], c["speaker"], c["act"], c["attached"]) for c in json.loads(out)] == [
        ("st2", "US", None, True),
        ("st3", None, "CONDEMN", True),
    ]
    code, out = _cli("reparse", "--all", *db)
    assert code == 0, out
    code, out = _cli("search", "尖閣諸島に適用", "--speaker", "US", "--format", "json", *db)
    assert code == 0 and [h["sid"] for h in json.loads(out)["hits"]] == ["st2"]

    code, out = _cli("corrections", "--export-gold", str(tmp_path / "gold"), *db)
    assert code == 0
    (written,) = [line for line in out.splitlines() if line.endswith(".gold.json")]
    assert load_gold(Path(written)).statements[1].speaker == "US"
    code, out = _cli("eval", str(tmp_path / "gold"), "--errors")
    assert code == 0 and len(out.splitlines()) == 2

    code, out = _cli("correct", str(doc), "st3", "--clear", *db)
    assert (code, out) == (0, f"document {doc} st3: correction removed\n")
    code, out = _cli("correct", str(doc), "st3", "--clear", *db)
    assert (code, out) == (0, f"document {doc} st3: no correction\n")
    code, out = _cli("correct", str(doc), "st2", "--speaker", "JOINT", *db)
    assert (code, out) == (
        0,
        f"document {doc} st2: speaker JOINT, act AFFIRM as parsed (no correction)\n",
    )
    code, out = _cli("corrections", *db)
    assert (code, out) == (0, "no corrections\n")


def test_cli_errors(store_url: str, tmp_path: Path) -> None:
    s = connect(store_url)
    try:
        doc = _load(s)
    finally:
        s.close()
    db = ("--db", store_url)
    for args, message in (
        (
            ("st2", "--speaker", "CN"),
            f"readout: unknown speaker 'CN' for document {doc} (one of: JP, US, JOINT)",
        ),
        (("st2", "--act", "FOO"), "readout: unknown act 'FOO' (one of: STATE, WELCOME,"),
        (("st99", "--act", "AGREE"), f"readout: no statement st99 in document {doc}"),
        (("st99", "--clear"), f"readout: no statement st99 in document {doc}"),
    ):
        code, out = _cli("correct", str(doc), *args, *db)
        assert code == 1 and out.startswith(message) and out.count("\n") == 1, out
    code, out = _cli("correct", "999999", "st1", "--act", "AGREE", *db)
    assert (code, out) == (1, "readout: no document with id 999999\n")
    code, out = _cli("correct", str(doc), "st2", *db)
    assert code == 2 and "give --speaker and/or --act, or --clear" in out
    code, out = _cli("correct", str(doc), "st2", "--clear", "--act", "AGREE", *db)
    assert code == 2 and "--clear goes without" in out
    code, out = _cli("corrections", "--document", str(doc), *db)
    assert code == 2 and "--document goes with --export-gold" in out
    code, out = _cli(
        "corrections", "--export-gold", str(tmp_path / "g"), "--document", "999999", *db
    )
    assert (code, out) == (1, "readout: no document with id 999999\n")
    # A missing SQLite file is an error, not a new empty store.
    missing = tmp_path / "missing.sqlite"
    commands: list[tuple[str, ...]] = [("correct", "1", "st1", "--act", "AGREE"), ("corrections",)]
    for command in commands:
        code, out = _cli(*command, "--db", str(missing))
        assert (
            code == 1
            and out == f"readout: {missing}: no such database (create it with readout ingest)\n"
        )
        assert not missing.exists()
