"""Shared fixtures: the bundled reference readout and the composed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

import readout

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "src" / "readout" / "samples"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "readouts"
REFERENCE = SAMPLES / "jp-us-2plus2.txt"


@pytest.fixture(scope="session")
def reference() -> readout.Record:
    return readout.parse_file(REFERENCE)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from tests.pg import drop_created

    drop_created()
