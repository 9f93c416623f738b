"""readout.cli: formats, output files, folders, several files, ``stages`` and ``--version``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import readout
from readout.cli import main
from readout.pipeline import pipeline

SAMPLE = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def only_warnings(stderr: str) -> bool:
    return all(": warning: " in line for line in stderr.splitlines())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of three readouts, one of them in a subfolder, plus a file to skip."""
    folder = tmp_path / "corpus"
    (folder / "2023").mkdir(parents=True)
    (folder / "b.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (folder / "a.txt").write_text(SAMPLE_TEXT.replace("1月12日", "1月13日"), encoding="utf-8")
    (folder / "2023" / "c.txt").write_bytes(SAMPLE_TEXT.encode("cp932"))
    (folder / "notes.md").write_text("# not a readout", encoding="utf-8")
    return folder


def test_json_single_file_is_one_record() -> None:
    result = invoke("parse", SAMPLE)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["schema"] == "readout/1"
    assert record["text"] == SAMPLE_TEXT
    assert record["source"]["path"] == str(SAMPLE)
    assert only_warnings(result.stderr)


def test_json_several_files_is_a_list(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_bytes(SAMPLE_TEXT.encode("euc_jp"))
    result = invoke("parse", SAMPLE, other)
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["source"]["encoding"] for r in records] == ["utf-8", "euc-jp"]


def test_json_folder_is_a_list_in_path_order(corpus: Path) -> None:
    result = invoke("parse", corpus)
    assert result.exit_code == 0, result.stderr
    paths = [
        Path(r["source"]["path"]).relative_to(corpus).as_posix() for r in json.loads(result.stdout)
    ]
    assert paths == ["2023/c.txt", "a.txt", "b.txt"]


def test_json_list_when_every_file_failed(tmp_path: Path) -> None:
    result = invoke("parse", tmp_path / "x.txt", tmp_path / "y.txt")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert len(result.stderr.splitlines()) == 2


def test_jsonl_one_record_per_line(corpus: Path) -> None:
    result = invoke("parse", corpus, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(json.loads(line)["schema"] == "readout/1" for line in lines)


def test_md_documents_are_joined_by_a_rule(corpus: Path) -> None:
    result = invoke("parse", corpus, "--format", "md")
    assert result.exit_code == 0, result.stderr
    documents = result.stdout.split("\n---\n\n")
    assert len(documents) == 3
    assert all(doc.startswith("# ") for doc in documents)
    assert f"`{corpus / 'a.txt'}`" in documents[1]


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = invoke("parse", SAMPLE, SAMPLE, "--format", "jsonl", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == [SAMPLE_TEXT, SAMPLE_TEXT]


def test_output_file_that_cannot_be_written(tmp_path: Path) -> None:
    out = tmp_path / "missing-folder" / "out.json"
    result = invoke("parse", SAMPLE, "--output", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"readout: {out}: cannot write: ")


def test_bad_file_among_good_ones(corpus: Path) -> None:
    (corpus / "zz-empty.txt").write_bytes(b"")
    result = invoke("parse", corpus, "--format", "jsonl")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 3
    assert f"readout: {corpus / 'zz-empty.txt'}: empty file (0 bytes)" in result.stderr.splitlines()


def test_folder_with_nothing_to_parse(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("x", encoding="utf-8")
    result = invoke("parse", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"readout: {tmp_path}: folder has no files to parse (*.txt, *.html, *.htm, *.pdf)\n"
    )


def test_warnings_go_to_stderr_and_fail_only_with_strict(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(SAMPLE_TEXT.encode("utf-8") + b"\xff")
    relaxed = invoke("parse", damaged)
    assert relaxed.exit_code == 0
    warning = f"readout: {damaged}: warning: invalid UTF-8 at byte offset"
    assert any(line.startswith(warning) for line in relaxed.stderr.splitlines())
    assert only_warnings(relaxed.stderr)
    strict = invoke("parse", "--strict", damaged)
    assert strict.exit_code == 1
    assert json.loads(strict.stdout)["source"]["path"] == str(damaged)


@pytest.mark.parametrize(
    "args",
    [
        ["parse"],
        ["parse", str(SAMPLE), "--format", "xml"],
        ["parse", str(SAMPLE), "--max-bytes", "0"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_stages_lists_the_pipeline() -> None:
    result = invoke("stages")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    stages = pipeline()
    assert len(lines) == len(stages)
    for i, (line, st) in enumerate(zip(lines, stages, strict=True), start=1):
        assert line.startswith(f"{i}. {st.name} v{st.version}  fills: ")
        for name in st.fills:
            assert name in line


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"readout, version {readout.__version__}\n"


def test_python_dash_m_readout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "readout", "parse", str(SAMPLE), "--format", "jsonl"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["text"] == SAMPLE_TEXT
    help_text = subprocess.run(
        [sys.executable, "-m", "readout", "--help"], capture_output=True, text=True, timeout=120
    ).stdout
    assert help_text.startswith("Usage: readout ")
