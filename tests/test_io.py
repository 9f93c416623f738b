"""readout.io: reading files, refusing unfit ones, and telling encodings apart."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readout
from readout.errors import ReadoutInputError
from readout.io import (
    DEFAULT_MAX_BYTES,
    charset_codec,
    decode_declared,
    detect_encoding,
    find_documents,
    format_of,
    is_url,
    japanese_share,
    load_source,
    looks_binary,
    looks_like_html,
    read_document,
)

SAMPLE = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, **kwargs: int) -> str:
    with pytest.raises(ReadoutInputError) as info:
        read_document(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert info.value.path == str(path)
    return info.value.problem


# --- what a good file gives --------------------------------------------------------------


def test_utf8_file_gives_text_and_source(tmp_path: Path) -> None:
    raw = SAMPLE_TEXT.encode("utf-8")
    path = write(tmp_path, "a.txt", raw)
    loaded = read_document(path)
    assert loaded.text == SAMPLE_TEXT
    assert loaded.warnings == []
    assert loaded.source.path == str(path)
    assert loaded.source.sha256 == hashlib.sha256(raw).hexdigest()
    assert loaded.source.format == "text"
    assert loaded.source.encoding == "utf-8"


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "rel.txt", "概要".encode())
    monkeypatch.chdir(tmp_path)
    assert read_document(Path("rel.txt")).source.path == "rel.txt"


def test_line_endings_are_kept(tmp_path: Path) -> None:
    text = "日米外相会談\r\n\r\n令和6年1月12日\r\n"
    assert read_document(write(tmp_path, "crlf.txt", text.encode())).text == text


def test_bom_is_stripped_and_hash_covers_it(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + SAMPLE_TEXT.encode("utf-8")
    loaded = read_document(write(tmp_path, "bom.txt", raw))
    assert loaded.text == SAMPLE_TEXT
    assert loaded.source.encoding == "utf-8-sig"
    assert loaded.source.sha256 == hashlib.sha256(raw).hexdigest()


@pytest.mark.parametrize(
    ("codec", "name"), [("cp932", "shift_jis"), ("euc_jp", "euc-jp"), ("iso2022_jp", "iso-2022-jp")]
)
def test_legacy_encodings(tmp_path: Path, codec: str, name: str) -> None:
    loaded = read_document(write(tmp_path, "old.txt", SAMPLE_TEXT.encode(codec)))
    assert loaded.source.encoding == name
    assert loaded.text == SAMPLE_TEXT
    assert loaded.warnings == []


def test_shift_jis_uses_windows_extensions(tmp_path: Path) -> None:
    # ① and ～ are in code page 932 but not in plain Shift_JIS; old pages use them.
    text = "① 日米双方は、協力を確認した～。"
    loaded = read_document(write(tmp_path, "nec.txt", text.encode("cp932")))
    assert (loaded.text, loaded.source.encoding) == (text, "shift_jis")


@pytest.mark.parametrize("text", ["日米", "概要", "外務省・防衛省", "両外相は一致した。"])
@pytest.mark.parametrize("codec", ["cp932", "euc_jp"])
def test_short_legacy_texts(codec: str, text: str) -> None:
    decoded = detect_encoding(text.encode(codec))
    assert decoded is not None
    assert decoded[0] == text


def test_damaged_utf8_warns_with_first_bad_offset(tmp_path: Path) -> None:
    raw = bytearray(SAMPLE_TEXT.encode("utf-8"))
    offset = len(SAMPLE_TEXT[: SAMPLE_TEXT.index("総論")].encode("utf-8"))
    raw[offset] = 0xC0  # a byte that never occurs in UTF-8
    loaded = read_document(write(tmp_path, "bad.txt", bytes(raw)))
    assert loaded.source.encoding == "utf-8"
    assert loaded.warnings[0].startswith(f"invalid UTF-8 at byte offset {offset}")
    # The bad byte and the two it orphaned are replaced; nothing else changes.
    assert loaded.text == SAMPLE_TEXT.replace("総論", "\ufffd\ufffd\ufffd論", 1)


def test_damaged_utf8_with_bom(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + "日米".encode() + b"\xff" + "会談".encode()
    loaded = read_document(write(tmp_path, "bombad.txt", raw))
    assert loaded.source.encoding == "utf-8-sig"
    assert loaded.text == "日米\ufffd会談"
    assert loaded.warnings == ["invalid UTF-8 at byte offset 9; replaced with U+FFFD"]


def test_a_few_stray_latin1_bytes_are_replaced(tmp_path: Path) -> None:
    raw = "Meeting summary, caf\xe9 talks.".encode("latin-1")
    loaded = read_document(write(tmp_path, "stray.txt", raw))
    assert loaded.text == "Meeting summary, caf\ufffd talks."
    assert loaded.warnings == ["invalid UTF-8 at byte offset 20; replaced with U+FFFD"]


def test_dos_end_of_file_mark_is_text(tmp_path: Path) -> None:
    loaded = read_document(write(tmp_path, "dos.txt", "会談\r\n".encode("cp932") + b"\x1a"))
    assert loaded.text == "会談\r\n\x1a"


# --- refusals -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "nope.txt") == "file not found"


def test_missing_parent_that_is_a_file(tmp_path: Path) -> None:
    parent = write(tmp_path, "file.txt", b"x")
    assert refusal(parent / "child.txt") == "file not found"


def test_directory(tmp_path: Path) -> None:
    assert refusal(tmp_path) == "is a directory, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert refusal(fifo) == "not a regular file"


def test_empty(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "e.txt", b"")) == "empty file (0 bytes)"


@pytest.mark.parametrize("raw", [b" \n\t\r\n", "\u3000\n".encode(), b"\xef\xbb\xbf\n"])
def test_only_whitespace(tmp_path: Path, raw: bytes) -> None:
    assert refusal(write(tmp_path, "w.txt", raw)) == "empty file (only whitespace)"


def test_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "b.txt", b"\x7fELF\x02\x01\x01" + bytes(range(256)))
    assert refusal(path) == "binary file (not text)"


def test_control_characters_without_nul(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", b"abc\x01\x02\x03\x04\x05def" * 20)
    assert refusal(path) == "binary file (not text)"


def test_too_large_is_refused_from_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: nothing needs reading to refuse it
    problem = refusal(path)
    assert problem.startswith("file too large: 20.0 MiB (20,971,521 bytes)")
    assert "limit of 20.0 MiB (20,971,520 bytes)" in problem
    assert "--max-bytes" in problem


def test_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", b"x" * 101)
    assert refusal(path, max_bytes=100).startswith("file too large: 101 bytes")
    assert read_document(path, max_bytes=101).text == "x" * 101


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("page.html", "no readout text in the HTML page"),
        ("page.HTM", "no readout text in the HTML page"),
        ("doc.pdf", "not a PDF file (it does not start with %PDF-)"),
    ],
)
def test_formats_are_chosen_by_suffix(tmp_path: Path, name: str, problem: str) -> None:
    # The same bytes go to the HTML decoder or the PDF decoder by the file's suffix.
    assert refusal(write(tmp_path, name, b"<p><script>x</script></p>")).startswith(problem)


def test_utf16(tmp_path: Path) -> None:
    path = write(tmp_path, "u16.txt", "日米".encode("utf-16"))
    assert refusal(path) == "UTF-16 or UTF-32 text is not supported; save it as UTF-8"


def test_undecodable(tmp_path: Path) -> None:
    raw = "Déclaration commune, réunion à Genève, été précédent".encode("latin-1")
    assert refusal(write(tmp_path, "l.txt", raw)).startswith("cannot decode the text")


# --- helpers ------------------------------------------------------------------------------


def test_find_documents_is_recursive_and_sorted(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/a.TXT", "notes.md", "x.html"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("概要", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    found = [p.relative_to(tmp_path).as_posix() for p in find_documents(tmp_path)]
    assert found == ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/a.TXT", "x.html"]


def test_looks_binary() -> None:
    assert looks_binary(b"text\x00")
    assert not looks_binary("日米\tA\r\n\f".encode())
    assert not looks_binary(b"one stray bell \x07 in a line of ordinary text")


def test_japanese_share() -> None:
    assert japanese_share("plain ASCII") == 1.0
    assert japanese_share(SAMPLE_TEXT) > 0.99
    # EUC-JP bytes read as half-width katakana are what the share is there to catch.
    assert japanese_share("ｱｲｳｴｵ日") < 0.5


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t\r"),
        min_size=1,
    ).filter(lambda s: s.strip() and not s.startswith("\ufeff"))
)
def test_any_utf8_text_reads_back_unchanged(text: str) -> None:
    decoded = detect_encoding(text.encode("utf-8"))
    assert decoded == (text, "utf-8", [])


# --- formats and sources ------------------------------------------------------------------


def test_load_source_reads_a_path(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", SAMPLE_TEXT.encode("utf-8"))
    for spec in (path, str(path)):
        loaded = load_source(spec)
        assert loaded.text == SAMPLE_TEXT
        assert loaded.source.path == str(path)
        assert loaded.raw == SAMPLE_TEXT.encode("utf-8")


def test_load_source_limits_the_size(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"x" * 11)
    with pytest.raises(ReadoutInputError, match="file too large"):
        load_source(path, max_bytes=10)


@pytest.mark.parametrize(
    ("spec", "url"),
    [
        ("https://www.mofa.go.jp/mofaj/a.html", True),
        ("HTTP://example.org", True),
        ("ftp://example.org/a.txt", False),
        ("www.mofa.go.jp/a.html", False),
        ("readouts/https:/a.txt", False),
        (Path("https://x"), False),
    ],
)
def test_is_url(spec: str | Path, url: bool) -> None:
    assert is_url(spec) is url


@pytest.mark.parametrize(
    ("raw", "suffix", "content_type", "fmt"),
    [
        (b"%PDF-1.7\n", ".txt", "text/html", "pdf"),  # the signature wins
        (b"\n  %PDF-1.4", "", None, "pdf"),
        (b"<p>x</p>", "", "text/html; charset=utf-8", "html"),
        (b"<p>x</p>", ".html", "text/plain", "text"),  # the server's word over the URL's
        (b"x", ".pdf", "application/octet-stream", "pdf"),
        (b"x", ".HTM", None, "html"),
        (b"<!DOCTYPE html><html>", ".txt", None, "text"),  # a .txt file is text
        (b"<!DOCTYPE html><html>", ".php", None, "html"),
        (b"\xef\xbb\xbf<html lang=ja>", "", None, "html"),
        (b'<?xml version="1.0"?>\n<!-- c --><html>', "", None, "html"),
        ("日米外相会談".encode(), "", None, "text"),
    ],
)
def test_format_of(raw: bytes, suffix: str, content_type: str | None, fmt: str) -> None:
    assert format_of(raw, suffix=suffix, content_type=content_type) == fmt


def test_looks_like_html() -> None:
    assert looks_like_html(b"  <HEAD><title>x")
    assert not looks_like_html("概要 <p>".encode())
    assert not looks_like_html(b"<readout>")


def test_files_without_a_known_suffix_are_sniffed(tmp_path: Path) -> None:
    page = "<html><body><h1>日米外相会談</h1><p>両外相は一致した。</p></body></html>"
    loaded = read_document(write(tmp_path, "page.php", page.encode("utf-8")))
    assert loaded.source.format == "html"
    assert loaded.text == "日米外相会談\n\n両外相は一致した。\n"
    plain = read_document(write(tmp_path, "notes.md", "概要 <b>".encode()))
    assert (plain.source.format, plain.text) == ("text", "概要 <b>")


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("Shift_JIS", ("cp932", "shift_jis")),
        ("windows-31j", ("cp932", "shift_jis")),
        ("x-sjis", ("cp932", "shift_jis")),
        (" EUC-JP ", ("euc_jp", "euc-jp")),
        ('"iso-2022-jp"', ("iso2022_jp", "iso-2022-jp")),
        ("UTF8", ("utf-8", "utf-8")),
        ("utf-16", ("utf-8", "utf-8")),
        ("ISO-8859-1", ("cp1252", "windows-1252")),
        ("koi8-r", ("koi8-r", "koi8-r")),
        ("no-such-charset", None),
    ],
)
def test_charset_codec(label: str, codec: tuple[str, str] | None) -> None:
    assert charset_codec(label) == codec


def test_decode_declared_takes_the_first_charset_that_reads_the_bytes() -> None:
    raw = SAMPLE_TEXT.encode("euc_jp")
    assert decode_declared(raw, ["EUC-JP"]) == (SAMPLE_TEXT, "euc-jp", [])
    text, encoding, warnings = decode_declared(raw, ["utf-8", "EUC-JP"]) or ("", "", [])
    assert (text, encoding) == (SAMPLE_TEXT, "euc-jp")
    assert warnings[0].startswith("declared charset 'utf-8' does not fit the bytes")


def test_decode_declared_without_a_declaration_detects() -> None:
    assert decode_declared(SAMPLE_TEXT.encode("cp932"), []) == (SAMPLE_TEXT, "shift_jis", [])


def test_decode_declared_falls_back_to_the_declaration_with_replacements() -> None:
    raw = "日米".encode("euc_jp") + bytes(range(0x80, 0xA0)) * 3
    decoded = decode_declared(raw, ["euc-jp"])
    assert decoded is not None
    text, encoding, warnings = decoded
    assert encoding == "euc-jp"
    assert text.startswith("日米") and "\ufffd" in text
    assert warnings[-1] == "read as 'euc-jp' with U+FFFD in place of the bad bytes"
