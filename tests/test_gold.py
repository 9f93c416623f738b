"""Gold files: authoring tools and clear errors for malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from readout.cli import main
from readout.gold import GoldError, fix_offsets, load_gold

READOUT = """日比外相会談

令和6年2月5日

本5日、東京において、吉村外務大臣は、ルイス・レイエス・フィリピン外務長官と会談を行ったところ、概要は以下のとおりです。

1 二国間関係
 両大臣は、海洋安全保障協力を強化していくことで一致しました。また、吉村大臣から、災害対応での協力に謝意を述べました。

2 地域情勢
 レイエス長官から、南シナ海の情勢への懸念が表明されました。

(了)
"""


def write(tmp_path: Path, gold: dict[str, object]) -> Path:
    (tmp_path / "r.txt").write_text(READOUT, encoding="utf-8")
    path = tmp_path / "r.gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def base() -> dict[str, object]:
    return {
        "schema": "readout-gold/1",
        "checked": ["meeting", "sections", "statements", "entities", "commitments"],
        "body_end": "(了)",
        "meeting": {"kind": "foreign_ministers", "date": "2024-02-05", "sides": ["JP", "PH"]},
        "sections": [
            {
                "id": "s1",
                "number": "1",
                "title": "二国間関係",
                "heading": "1 二国間関係",
                "items": [{"id": "s1.0", "number": None, "head": "両大臣は"}],
            },
            {
                "id": "s2",
                "number": "2",
                "title": "地域情勢",
                "heading": "2 地域情勢",
                "items": [{"id": "s2.0", "number": None, "head": "レイエス長官から"}],
            },
        ],
        "statements": [
            {
                "text": "両大臣は、海洋安全保障協力を強化していくことで一致しました。",
                "speaker": "JOINT",
                "act": "AGREE",
            },
            {
                "text": "また、吉村大臣から、災害対応での協力に謝意を述べました。",
                "speaker": "JP",
                "act": "THANK",
            },
            {
                "text": "レイエス長官から、南シナ海の情勢への懸念が表明されました。",
                "speaker": "PH",
                "act": "CONCERN",
            },
        ],
        "entities": [{"type": "PLACE", "norm": "南シナ海", "forms": ["南シナ海"]}],
        "commitments": [
            {
                "action": "海洋安全保障協力を強化していく",
                "actor": "JOINT",
                "deadline": None,
                "deadline_kind": None,
            }
        ],
    }


def test_fix_fills_offsets_from_written_text(tmp_path: Path) -> None:
    path = write(tmp_path, base())
    assert fix_offsets(path) > 0
    gold = load_gold(path)
    assert [s.text for s in gold.statements][1].startswith("また、吉村大臣から")
    s1, s2 = gold.sections
    assert READOUT[s1.start : s1.end].startswith("1 二国間関係")
    assert (
        READOUT[s2.items[0].start : s2.items[0].end]
        == "レイエス長官から、南シナ海の情勢への懸念が表明されました。"
    )
    assert READOUT[s2.start : s2.end].endswith("表明されました。")  # stops before (了)
    assert [READOUT[a:b] for a, b in gold.entities[0].mentions] == ["南シナ海"]


def expect_error(tmp_path: Path, gold: dict[str, object], field: str, words: str) -> None:
    path = write(tmp_path, gold)
    fix_offsets(path)
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.field == field
    assert words in err.value.problem
    assert str(path) in str(err.value)


def test_unknown_act_label(tmp_path: Path) -> None:
    gold = base()
    gold["statements"][0]["act"] = "PRAISE"  # type: ignore[index]
    expect_error(tmp_path, gold, "statements[0].act", "unknown label 'PRAISE'")


def test_unknown_speaker(tmp_path: Path) -> None:
    gold = base()
    gold["statements"][2]["speaker"] = "Philippines"  # type: ignore[index]
    expect_error(tmp_path, gold, "statements[2].speaker", "unknown speaker")


def test_missing_field(tmp_path: Path) -> None:
    gold = base()
    del gold["statements"][1]["act"]  # type: ignore[attr-defined]
    expect_error(tmp_path, gold, "statements[1].act", "missing")


def test_checked_part_missing(tmp_path: Path) -> None:
    gold = base()
    del gold["entities"]
    path = write(tmp_path, gold)
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.field == "entities" and err.value.problem == "missing"


def test_offsets_outside_the_text(tmp_path: Path) -> None:
    path = write(tmp_path, base())
    fix_offsets(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["statements"][0]["end"] = 10_000
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.field == "statements[0]" and "outside the text" in err.value.problem


def test_span_text_that_does_not_match(tmp_path: Path) -> None:
    path = write(tmp_path, base())
    fix_offsets(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["statements"][0]["start"] += 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.field == "statements[0].text" and "readout gold fix" in err.value.problem


def test_text_not_in_the_readout(tmp_path: Path) -> None:
    gold = base()
    gold["statements"][0]["text"] = "両大臣は、存在しない文。"  # type: ignore[index]
    path = write(tmp_path, gold)
    with pytest.raises(GoldError) as err:
        fix_offsets(path)
    assert err.value.field == "statements[0].text"


def test_not_json_and_missing_readout(tmp_path: Path) -> None:
    bad = tmp_path / "x.gold.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match="not valid JSON"):
        load_gold(bad)
    lone = tmp_path / "y.gold.json"
    lone.write_text(json.dumps(base()), encoding="utf-8")
    with pytest.raises(GoldError, match=r"its readout y\.txt is missing"):
        load_gold(lone)


def test_cli_check_reports_one_line_per_bad_file(tmp_path: Path) -> None:
    gold = base()
    gold["meeting"]["kind"] = "summit"  # type: ignore[index]
    path = write(tmp_path, gold)
    fix_offsets(path)
    result = CliRunner().invoke(main, ["gold", "check", str(tmp_path)])
    assert result.exit_code == 1
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("readout:")]
    assert line == [
        f"readout: {path}: meeting.kind: unknown label 'summit' (expected one of "
        "2+2, foreign_ministers, defense_ministers, leaders, phone_call, other)"
    ]
    assert "Traceback" not in result.output
