"""An ingest killed with SIGKILL in the middle of 2,000 documents leaves only whole
documents, its worker processes go away, and running it again completes it: the row
counts equal those of a clean ingest of the same folder."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readout.ingest import ingest
from readout.store import connect
from readout.store.read import table_counts
from tests.generate import write_corpus
from tests.stores import assert_whole

DOCUMENTS = 2000
KILL_AFTER = 200  # documents committed before the kill

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX signals")


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # no file or no schema yet
        return 0


def live_members(group: int) -> list[int]:
    """Processes of process group ``group`` that are not zombies (Linux /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_corpus(folder, DOCUMENTS)
    db = tmp_path / "killed.sqlite"
    command = [sys.executable, "-m", "readout", "ingest", str(folder), "--db", str(db)]
    command += ["--workers", "2"]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while stored(db) < KILL_AFTER:
            assert proc.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)  # the ingest process only, mid-transaction
        assert proc.wait(timeout=30) == -signal.SIGKILL
        # Its parser processes notice and exit by themselves.
        if Path("/proc").is_dir():
            waited = time.monotonic() + 15
            while live_members(proc.pid) and time.monotonic() < waited:
                time.sleep(0.2)
            assert live_members(proc.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    killed = connect(str(db))
    with killed.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    partial = table_counts(killed)["documents"]
    assert KILL_AFTER <= partial < DOCUMENTS
    assert_whole(killed)
    killed.close()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{DOCUMENTS - partial:,} added, {partial:,} unchanged, 0 failed" in rerun.stdout

    clean = connect(str(tmp_path / "clean.sqlite"))
    assert ingest(clean, [folder], workers=2).added == DOCUMENTS
    finished = connect(str(db))
    assert table_counts(finished) == table_counts(clean)
    assert_whole(finished)
    with finished.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finished.close()
    clean.close()
