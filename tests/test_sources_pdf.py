"""readout.sources.pdf: the text layer of PDFs built here, and PDFs that cannot be read."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfWriter

import readout
from readout.errors import ReadoutInputError
from readout.io import read_document
from readout.sources.pdf import decode_pdf, tidy_page

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
READOUT = (PAGES / "mofa_2023_au_fm.expected.txt").read_text(encoding="utf-8")


@cache
def japanese_font() -> Path | None:
    """A TrueType/OpenType font with Japanese glyphs on this machine, if there is one."""
    found: list[str] = []
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=30
        ).stdout
        found += [line.split(":")[0].strip() for line in listing.splitlines()]
    except (OSError, subprocess.SubprocessError):
        pass
    for folder in (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".fonts",
    ):
        if folder.is_dir():
            for pattern in ("*ipa*", "*IPA*", "*Noto*CJK*", "*Takao*", "*VL-Gothic*", "*Mincho*"):
                found += [str(p) for p in folder.rglob(pattern)]
    # fpdf2 reads TrueType best; collections and CFF fonts after.
    order = {".ttf": 0, ".ttc": 1, ".otf": 2}
    fonts = sorted(
        {Path(f) for f in found if Path(f).suffix.lower() in order and Path(f).is_file()},
        key=lambda p: (order[p.suffix.lower()], str(p)),
    )
    return fonts[0] if fonts else None


needs_japanese_font = pytest.mark.skipif(
    japanese_font() is None,
    reason="no Japanese font on this machine (fc-list :lang=ja is empty); "
    "CI installs fonts-ipafont-gothic",
)


def fpdf_readout(text: str, *, break_before: str | None = None) -> bytes:
    """``text`` typeset with fpdf2 in a Japanese font, wrapped at the page width."""
    font = japanese_font()
    assert font is not None
    pdf = FPDF(format="A4")
    pdf.add_font("ja", fname=str(font))
    pdf.set_font("ja", size=10)
    pdf.add_page()
    for line in text.splitlines():
        if break_before and line.startswith(break_before):
            pdf.add_page()
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def cid_pdf(pages: list[list[str]]) -> bytes:
    """A PDF written by hand whose text uses a non-embedded Japanese CID font.

    The strings are UTF-16 with the predefined UniJIS-UTF16-H encoding, which any reader
    maps back to Unicode without a font file: a Japanese PDF with no font on the machine.
    """
    objects: list[bytes] = [b"", b""]  # 1: font, 2: page tree (filled below)
    descendant = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 4 "
        b"/FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 "
        b"/CapHeight 700 /StemV 80 >> >>"
    )
    objects.append(descendant)
    objects[0] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular "
        b"/Encoding /UniJIS-UTF16-H /DescendantFonts [3 0 R] >>"
    )
    kids: list[int] = []
    for lines in pages:
        ops = [b"BT /F1 10 Tf 40 800 Td 14 TL"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
        stream = b"\n".join([*ops, b"ET"])
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>" % (len(objects))
        )
        kids.append(len(objects))
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(ReadoutInputError) as info:
        read_document(path)
    assert "\n" not in str(info.value)
    assert info.value.path == str(path)
    return info.value.problem


# --- PDFs with text -----------------------------------------------------------------------


@needs_japanese_font
def test_japanese_readout_typeset_with_fpdf2(tmp_path: Path) -> None:
    raw = fpdf_readout(READOUT, break_before="2 地域情勢")
    path = write(tmp_path, "readout.pdf", raw)
    loaded = read_document(path)
    assert loaded.source.format == "pdf"
    assert loaded.source.encoding is None
    assert loaded.source.sha256 == hashlib.sha256(raw).hexdigest()
    # Lines wrapped at the page width are whole again; the two pages are one blank line
    # apart, as the paragraphs of the text were.
    assert loaded.text == READOUT
    record = readout.parse_file(path)
    assert record.source.format == "pdf"
    assert record.title == "日豪外相会談"
    assert record.published == "2023-09-20"
    assert [(s.number, s.title, len(s.items)) for s in record.sections] == [
        ("1", "二国間関係", 3),
        ("2", "地域情勢", 2),
        ("3", "多国間協力", 1),
    ]
    assert [(s.speaker, s.act) for s in record.statements][:3] == [
        ("JP", "STATE"),
        ("AU", "STATE"),
        ("JOINT", "AGREE"),
    ]
    for st in record.statements:
        assert record.text[st.start : st.end] == st.text


def test_japanese_pdf_without_a_font_file(tmp_path: Path) -> None:
    raw = cid_pdf(
        [
            [
                "日米外相会談",
                "令和5年4月10日",
                "1 総論",
                "両外相は、日米同盟の強化で一致した。",
            ],
            ["2 地域情勢", "両外相は、北朝鮮による弾道ミサイル発射を強く非難した。", "- 2 -"],
        ]
    )
    record = readout.parse_file(write(tmp_path, "cid.pdf", raw))
    assert record.text == (
        "日米外相会談\n令和5年4月10日\n1 総論\n両外相は、日米同盟の強化で一致した。\n\n"
        "2 地域情勢\n両外相は、北朝鮮による弾道ミサイル発射を強く非難した。\n"
    )
    assert record.published == "2023-04-10"
    assert [s.title for s in record.sections] == ["総論", "地域情勢"]
    assert [(s.speaker, s.act) for s in record.statements] == [
        ("JOINT", "AGREE"),
        ("JOINT", "CONDEMN"),
    ]


def test_latin_pdf_with_a_core_font(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in ("Japan-U.S. Foreign Ministers' Meeting", "Both ministers agreed."):
        pdf.add_page()
        pdf.multi_cell(0, 6, page)
    text = read_document(write(tmp_path, "en.pdf", bytes(pdf.output()))).text
    assert text == "Japan-U.S. Foreign Ministers' Meeting\n\nBoth ministers agreed.\n"


def test_pdf_is_recognised_without_its_suffix(tmp_path: Path) -> None:
    raw = cid_pdf([["日米外相会談"]])
    loaded = read_document(write(tmp_path, "download", raw))
    assert (loaded.source.format, loaded.text) == ("pdf", "日米外相会談\n")


def test_password_free_encryption_is_read(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(io.BytesIO(cid_pdf([["日米外相会談"]])))
    writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert read_document(write(tmp_path, "locked.pdf", buffer.getvalue())).text == "日米外相会談\n"


# --- tidying a page -----------------------------------------------------------------------


def test_wrapped_lines_are_joined() -> None:
    wide = "両" * 30  # 60 columns, the page's widest line
    page = f"見出し\n{wide}\n続きの文。\n{wide}。\n次の文。\n(1) {wide[:28]}\n番号のない行"
    assert tidy_page(page).splitlines() == [
        "見出し",
        f"{wide}続きの文。",
        f"{wide}。",
        "次の文。",
        f"(1) {wide[:28]}番号のない行",
    ]


def test_latin_words_are_joined_with_a_space() -> None:
    page = "The Honorable Jane Doe, Secretary of State of the United States of\nAmerica"
    assert tidy_page(page) == (
        "The Honorable Jane Doe, Secretary of State of the United States of America"
    )


def test_short_pages_are_not_joined() -> None:
    assert tidy_page("日米外相会談\n令和5年4月10日") == "日米外相会談\n令和5年4月10日"


def test_lone_number_joins_its_line() -> None:
    assert (
        tidy_page("  1.\n両大臣は一致した。\n（２）\n確認した。")
        == "  1. 両大臣は一致した。\n（２） 確認した。"
    )


@pytest.mark.parametrize("number", ["1", "- 3 -", "— 12 —", "2/5", " 4 "])
def test_page_numbers_are_dropped(number: str) -> None:
    assert tidy_page(f"{number}\n本文。\n{number}") == "本文。"


def test_runs_of_spaces_become_one() -> None:
    assert tidy_page("  (The  Hon   Peter  Hamilton)") == "  (The Hon Peter Hamilton)"


# --- PDFs that cannot be read -------------------------------------------------------------


def test_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    scan = io.BytesIO()
    Image.new("L", (200, 280), color=235).save(scan, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=190)
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    assert refusal(path) == "PDF has no text layer (scanned?)"


def test_blank_pages_have_no_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal(write(tmp_path, "blank.pdf", buffer.getvalue())) == (
        "PDF has no text layer (scanned?)"
    )


def test_pdf_without_pages(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    assert refusal(write(tmp_path, "none.pdf", buffer.getvalue())) == "PDF has no pages"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>Not Found</body></html>",
        "日米外相会談".encode(),
        b"PK\x03\x04" + bytes(64),
    ],
)
def test_not_a_pdf_named_pdf(tmp_path: Path, data: bytes) -> None:
    assert refusal(write(tmp_path, "fake.pdf", data)) == (
        "not a PDF file (it does not start with %PDF-)"
    )


@pytest.mark.parametrize("keep", [0.5, 0.2])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    raw = cid_pdf([["日米外相会談", "両外相は一致した。"]])
    path = write(tmp_path, "cut.pdf", raw[: int(len(raw) * keep)])
    assert refusal(path).startswith("damaged PDF: ")


def test_pdf_locked_with_a_password(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(io.BytesIO(cid_pdf([["日米外相会談"]])))
    writer.encrypt(user_password="secret", owner_password="secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal(write(tmp_path, "locked.pdf", buffer.getvalue())) == (
        "PDF is encrypted with a password"
    )


def test_decode_pdf_names_the_source_it_is_given() -> None:
    with pytest.raises(ReadoutInputError, match=r"^https://example\.org/a\.pdf: not a PDF file"):
        decode_pdf(b"<html></html>", "https://example.org/a.pdf")


def test_command_reports_an_unreadable_pdf_on_one_line(tmp_path: Path) -> None:
    scan = write(tmp_path, "scan.pdf", cid_pdf([[""]]))
    fake = write(tmp_path, "fake.pdf", b"<html>404</html>")
    good = write(tmp_path, "good.pdf", cid_pdf([["日米外相会談", "両外相は一致した。"]]))
    result = subprocess.run(
        [sys.executable, "-m", "readout", "parse", "--format", "jsonl", scan, fake, good],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert problems == [
        f"readout: {scan}: PDF has no text layer (scanned?)",
        f"readout: {fake}: not a PDF file (it does not start with %PDF-)",
    ]
    assert len(result.stdout.splitlines()) == 1
