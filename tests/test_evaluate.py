"""`readout eval`: the scorer, planted disagreements, the floors and the README table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

import readout
from readout.cli import main
from readout.evaluate import (
    PRF,
    _match_points,
    default_gold_dir,
    evaluate,
    render_errors,
    render_md,
)
from readout.floors import below_floors
from readout.gold import find_gold, from_record
from tests.test_gold import READOUT

ROOT = Path(__file__).resolve().parents[1]


def test_prf_and_tolerance() -> None:
    prf = _match_points([10, 20, 30], [11, 23, 30, 40], tol=2)
    assert (prf.tp, prf.fp, prf.fn) == (2, 2, 1)
    assert PRF(2, 2, 1).precision == 0.5
    assert PRF(0, 0, 0).f1 is None


def make_gold(tmp_path: Path) -> Path:
    (tmp_path / "r.txt").write_text(READOUT, encoding="utf-8")
    record = readout.parse(READOUT)
    path = tmp_path / "r.gold.json"
    path.write_text(json.dumps(from_record(record, "r.txt"), ensure_ascii=False), encoding="utf-8")
    return path


def test_parser_output_as_gold_has_no_disagreement(tmp_path: Path) -> None:
    make_gold(tmp_path)
    scores = evaluate(tmp_path)
    assert scores.files == 1
    assert render_errors(scores) == ""
    assert scores.headline() == {
        "speaker": 1.0,
        "act": 1.0,
        "metadata": 1.0,
        "commitment_recall": 1.0,
    }


def test_errors_list_exactly_the_planted_disagreements(tmp_path: Path) -> None:
    path = make_gold(tmp_path)
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold["meeting"]["date"] = "2024-02-04"
    thank = next(s for s in gold["statements"] if "謝意" in s["text"])
    thank["speaker"] = "PH"
    concern = next(s for s in gold["statements"] if "懸念" in s["text"])
    concern["act"] = "OPPOSE"
    gold["commitments"][0]["deadline"], gold["commitments"][0]["deadline_kind"] = "2026", "by"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")

    result = CliRunner().invoke(main, ["eval", str(tmp_path), "--errors"])
    assert result.exit_code == 0, result.output
    lines = sorted(result.stdout.splitlines())
    assert lines == sorted(
        [
            "r\tmeeting.date\t\tgold=2024-02-04\tpredicted=2024-02-05",
            f"r\tspeaker\t{thank['text']}\tgold=PH\tpredicted=JP",
            f"r\tact\t{concern['text']}\tgold=OPPOSE\tpredicted=CONCERN",
            "r\tdeadline\t海洋安全保障協力を強化していく\tgold=2026 (by)\tpredicted=- (-)",
        ]
    )


def test_missed_and_spurious_statements_are_listed(tmp_path: Path) -> None:
    path = make_gold(tmp_path)
    gold = json.loads(path.read_text(encoding="utf-8"))
    dropped = gold["statements"].pop(0)
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    scores = evaluate(tmp_path)
    spurious = [e for e in scores.errors if e.part == "statement spurious"]
    assert [e.text for e in spurious] == [dropped["text"]]
    assert scores.segments.fp == 1 and scores.segments.fn == 0


def test_bad_gold_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    path = make_gold(tmp_path)
    gold = json.loads(path.read_text(encoding="utf-8"))
    gold["statements"][0]["act"] = "PRAISE"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"readout: {path}: statements[0].act: unknown label 'PRAISE' (expected one of "
        "STATE, WELCOME, SUPPORT, THANK, AFFIRM, AGREE, DECIDE, COMMIT, EMPHASIZE, CONCERN, "
        "OPPOSE, CONDEMN, REQUEST, DISCUSS)"
    )


def test_formats(tmp_path: Path) -> None:
    make_gold(tmp_path)
    for fmt in ("table", "json", "md"):
        result = CliRunner().invoke(main, ["eval", str(tmp_path), "--format", fmt])
        assert result.exit_code == 0, result.output
    data = json.loads(CliRunner().invoke(main, ["eval", str(tmp_path), "--format", "json"]).stdout)
    assert data["headline"]["act"] == 1.0 and data["tolerance_chars"] == 2


# --- the repository's own gold corpus ------------------------------------------------------


def test_gold_corpus_is_large_enough_and_valid() -> None:
    gold = default_gold_dir()
    dev, test = find_gold(gold / "dev"), find_gold(gold / "test")
    assert len(dev) + len(test) >= 40, (len(dev), len(test))
    assert len(test) >= 15
    assert (gold / "dev" / "00_jp_us_2plus2_reference.gold.json") in dev
    for path in dev + test:
        readout.gold.load_gold(path)


def test_test_split_meets_the_floors() -> None:
    gold = default_gold_dir()
    scores = evaluate(gold, "test")
    failing = below_floors(scores.headline(), "test", gold)
    assert not failing, failing


def test_readme_scores_are_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- scores:begin -->\n(.*?)<!-- scores:end -->", readme, re.S)
    assert m, "README has no scores block"
    expected = render_md(evaluate(default_gold_dir(), "test"), "test")
    assert m.group(1) == expected, "README scores are stale: run `make scores`"
