"""The real command on awkward files: each is refused or read with one clear line, never a
traceback, and the exit code says which."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import readout

SAMPLE = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readout", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def assert_refused(result: subprocess.CompletedProcess[str], path: Path, problem: str) -> None:
    """Exit 1, nothing on stdout, and exactly one stderr line naming the file."""
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"readout: {path}: ")
    assert problem in lines[0]


def assert_read(result: subprocess.CompletedProcess[str], path: Path) -> dict[str, Any]:
    """Exit 0, a JSON record on stdout, and stderr holding only warning lines for the file."""
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    for line in result.stderr.splitlines():
        assert line.startswith(f"readout: {path}: warning: "), line
    record = json.loads(result.stdout)
    assert isinstance(record, dict)
    return record


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_refused(run_cli("parse", path), path, "empty file (0 bytes)")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \u3000\r\n\t\n", encoding="utf-8")
    assert_refused(run_cli("parse", path), path, "empty file (only whitespace)")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.txt"
    noise = random.Random(7).randbytes(4096)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)
    assert_refused(run_cli("parse", path), path, "binary file (not text)")


def test_invalid_utf8_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "damaged.txt"
    raw = bytearray(SAMPLE_TEXT.encode("utf-8"))
    # Overwrite the lead byte of three characters: each leaves an orphaned sequence.
    first = SAMPLE_TEXT.index("歓迎")
    offsets = [len(SAMPLE_TEXT[:i].encode("utf-8")) for i in (first, first + 400, first + 900)]
    for offset in offsets:
        raw[offset] = 0xFF
    path.write_bytes(bytes(raw))
    result = run_cli("parse", path)
    record = assert_read(result, path)
    warning = f"invalid UTF-8 at byte offset {offsets[0]}"
    assert any(w.startswith(warning) for w in record["warnings"])
    assert f"readout: {path}: warning: {warning}" in result.stderr
    assert record["source"]["encoding"] == "utf-8"
    assert "\ufffd" in record["text"]


def test_shift_jis_file(tmp_path: Path) -> None:
    path = tmp_path / "sjis.txt"
    path.write_bytes(SAMPLE_TEXT.encode("cp932"))
    record = assert_read(run_cli("parse", path), path)
    assert record["source"]["encoding"] == "shift_jis"
    assert record["text"] == SAMPLE_TEXT


def test_euc_jp_file(tmp_path: Path) -> None:
    path = tmp_path / "euc.txt"
    path.write_bytes(SAMPLE_TEXT.encode("euc_jp"))
    record = assert_read(run_cli("parse", path), path)
    assert record["source"]["encoding"] == "euc-jp"
    assert record["text"] == SAMPLE_TEXT


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE_TEXT.encode("utf-8"))
    record = assert_read(run_cli("parse", path), path)
    assert record["source"]["encoding"] == "utf-8-sig"
    assert record["text"] == SAMPLE_TEXT


def test_english_text_is_flagged_as_not_a_readout(tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text(
        "Minutes of the gardening club\n\nWe met on Tuesday and agreed to plant tulips.\n",
        encoding="utf-8",
    )
    record = assert_read(run_cli("parse", path), path)
    # The parser's stages say when a text is not a readout.
    assert "no Japanese text: this is not a Japanese readout" in record["warnings"]
    assert any("does not look like a meeting readout" in w for w in record["warnings"])


def test_japanese_text_that_is_not_a_readout(tmp_path: Path) -> None:
    path = tmp_path / "recipe.txt"
    path.write_text(
        "肉じゃがの作り方\n\nじゃがいもと玉ねぎを切り、牛肉と一緒に炒めます。"
        "だし、醤油、砂糖、みりんを加えて、二十分ほど煮込みます。\n",
        encoding="utf-8",
    )
    record = assert_read(run_cli("parse", path), path)
    assert any("does not look like a meeting readout" in w for w in record["warnings"])
    assert record["statements"] == []


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    # A sparse file: 50 MiB long without writing 50 MiB; the limit is checked on its size.
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    result = run_cli("parse", path)
    assert_refused(result, path, "file too large: 50.0 MiB")
    assert "limit of 20.0 MiB" in result.stderr
    assert "--max-bytes" in result.stderr


def test_max_bytes_option_lowers_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    assert_refused(run_cli("parse", "--max-bytes", "1000", path), path, "file too large")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.txt"
    assert_refused(run_cli("parse", path), path, "file not found")


def test_html_page_without_readout_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        '<html><body><nav><a href="/">トップページ</a></nav><script>render()</script>'
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    assert_refused(run_cli("parse", path), path, "no readout text in the HTML page")


def test_utf16_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(SAMPLE_TEXT.encode("utf-16"))
    assert_refused(run_cli("parse", path), path, "save it as UTF-8")


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Réunion des ministres à Genève, décembre, résumé détaillé.".encode("latin-1"))
    assert_refused(run_cli("parse", path), path, "cannot decode the text")


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE_TEXT, encoding="utf-8")
    result = run_cli("parse", "--format", "jsonl", bad, good)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"readout: {bad}: empty file (0 bytes)"
    [line] = result.stdout.splitlines()
    assert json.loads(line)["source"]["path"] == str(good)
