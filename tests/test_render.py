"""readout.render_md: the Markdown rendering of a record, full or nearly empty."""

from __future__ import annotations

from pathlib import Path

import readout
from readout.model import (
    Commitment,
    Meeting,
    Participant,
    Record,
    Section,
    Source,
    Statement,
)
from readout.render_md import render_markdown

SAMPLE = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"

TEXT = (
    "日豪外相会談\n\n1 二国間関係\n"
    "山田大臣から、豪州の協力に謝意を述べた。"
    "両外相は、2025年までに共同訓練を開始することで一致した。\n"
)


def full_record() -> Record:
    def span(piece: str) -> tuple[int, int]:
        start = TEXT.index(piece)
        return start, start + len(piece)

    thanks = "山田大臣から、豪州の協力に謝意を述べた。"
    agree = "両外相は、2025年までに共同訓練を開始することで一致した。"
    return Record(
        parser_version="test",
        text=TEXT,
        source=Source(path="in/hand-made.txt", sha256="ab" * 32, encoding="shift_jis"),
        title="日豪外相会談",
        published="2024-05-02",
        issuers=["外務省"],
        meeting=Meeting(
            kind="foreign_ministers",
            date="2024-05-01",
            start="2024-05-01T10:00:00+09:00",
            start_local="2024-05-01T11:00:00+10:00",
            duration_minutes=75,
            duration_approximate=True,
            location="東京",
            sides=["JP", "AU"],
            participants=[
                Participant(name="山田花子", title="外務大臣", side="JP"),
                Participant(
                    name="ジェーン・スミス",
                    title="外務大臣",
                    side="AU",
                    name_en="Jane Smith",
                    title_en="Minister for Foreign Affairs",
                ),
            ],
            joint_statement=True,
        ),
        sections=[Section(id="s1", number="1", title="二国間関係", start=8, end=len(TEXT))],
        statements=[
            Statement(
                id="st1",
                section="s1",
                item="s1.0",
                speaker="JP",
                person="山田花子",
                act="THANK",
                target="AU",
                text=thanks,
                start=span(thanks)[0],
                end=span(thanks)[1],
            ),
            Statement(
                id="st2",
                section="s1",
                item="s1.0",
                speaker="JOINT",
                act="AGREE",
                reaffirmed=True,
                text=agree,
                start=span(agree)[0],
                end=span(agree)[1],
            ),
        ],
        commitments=[
            Commitment(
                id="c1",
                statement="st2",
                actor="JOINT",
                action="共同訓練を開始する",
                deadline="2025",
                deadline_kind="by",
                start=span(agree)[0] + 5,
                end=span(agree)[1] - 8,
            )
        ],
        warnings=["time zone of 東京 assumed | checked"],
    )


def test_header() -> None:
    md = render_markdown(full_record())
    assert md.startswith("# 日豪外相会談\n\nPublished 2024-05-02 · 外務省  \n")
    assert "Source: `in/hand-made.txt` (text, shift_jis, sha256 abababababab…)" in md
    assert md.endswith("\n")


def test_meeting_table() -> None:
    md = render_markdown(full_record())
    for row in [
        "| Kind | foreign\\_ministers |",
        "| Date | 2024-05-01 |",
        "| Start | 2024-05-01T10:00:00+09:00 |",
        "| Other clock | 2024-05-01T11:00:00+10:00 |",
        "| Duration | ≈ 1 h 15 min |",
        "| Place | 東京 |",
        "| Sides | JP, AU |",
        "| Joint statement | yes |",
    ]:
        assert row in md


def test_participants_table() -> None:
    md = render_markdown(full_record())
    assert "### Participants" in md
    assert "| 山田花子 | 外務大臣 | JP |  |" in md
    assert "| ジェーン・スミス | 外務大臣 | AU | Jane Smith, Minister for Foreign Affairs |" in md


def test_statements_under_their_section() -> None:
    md = render_markdown(full_record())
    section = md.index("## 1 二国間関係")
    first = md.index(
        "- **JP** · THANK · 山田花子 → AU: 山田大臣から、豪州の協力に謝意を述べた。 `st1`"
    )
    second = md.index("- **JOINT** · AGREE ↺: 両外相は、2025年までに")
    assert section < first < second


def test_commitments_table() -> None:
    md = render_markdown(full_record())
    assert "| Actor | Action | Deadline | Kind | Statement |" in md
    assert "| JOINT | 共同訓練を開始する | 2025 | by | st2 |" in md


def test_warnings_last_and_escaped() -> None:
    md = render_markdown(full_record())
    assert md.rstrip().endswith("## Warnings\n\n- time zone of 東京 assumed \\| checked")


def test_duration_forms() -> None:
    for minutes, approximate, shown in [(150, True, "≈ 2 h 30 min"), (60, False, "1 h")]:
        record = Record(
            parser_version="t",
            text="x",
            meeting=Meeting(duration_minutes=minutes, duration_approximate=approximate),
        )
        assert f"| Duration | {shown} |" in render_markdown(record)
    exact = Record(parser_version="t", text="x", meeting=Meeting(duration_minutes=45))
    assert "| Duration | 45 min |" in render_markdown(exact)


def test_empty_record() -> None:
    md = render_markdown(Record(parser_version="0.0", text=""))
    assert md == "# (untitled readout)\n\nSource: (no source) (text) · parser 0.0\n"


def test_statements_without_sections() -> None:
    record = full_record()
    record.sections = []
    md = render_markdown(record)
    assert "## Statements\n\n- **JP** · THANK" in md


def test_statement_in_unknown_section_is_still_shown() -> None:
    record = full_record()
    record.statements[1].section = None
    md = render_markdown(record)
    assert "## Other statements\n\n- **JOINT** · AGREE" in md


def test_newlines_and_markup_in_text_stay_inline() -> None:
    record = full_record()
    record.statements[0].text = "line one\nline *two*"
    md = render_markdown(record)
    assert "line one line \\*two\\*" in md


def test_parsed_sample_renders() -> None:
    record = readout.parse_file(SAMPLE)
    md = render_markdown(record)
    assert md.startswith("# ")
    assert f"`{SAMPLE}`" in md
