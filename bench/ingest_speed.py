"""How fast ``readout ingest`` stores a large folder in SQLite, and how much memory it takes.

Writes ``--count`` distinct generated readouts (``tests/generate.py``: the project's
composed readouts with other dates, counterparts and item orders) into a temporary folder,
then runs the real command in a subprocess:

    python -m readout ingest DIR --db DIR/bench.sqlite --workers 2

and reports its wall time, documents per second and peak resident memory: the largest
single process (``RUSAGE_CHILDREN``: the ingest process or one of its parser processes)
and the whole process tree (sampled from /proc every 0.1 s, on Linux).  A second run of
the same command checks that nothing is added again and how long that takes.  Targets:
10,000 readouts in under 5 minutes on 2 cores, under 500 MB.

    python bench/ingest_speed.py [--count N] [--workers N] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from machine_info import machine  # bench/machine_info.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.generate import write_corpus  # noqa: E402

TARGET_S = 300
TARGET_MB = 500


class TreeMemory:
    """Peak of the summed RSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        if Path("/proc").is_dir():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kb = max(self.peak_kb, self._sample())

    def _sample(self) -> int:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            ppid = re.search(r"^PPid:\s+(\d+)", status, re.M)
            vmrss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if ppid:
                parents[int(entry.name)] = int(ppid.group(1))
            if vmrss:
                rss[int(entry.name)] = int(vmrss.group(1))
        tree = {self.pid}
        grew = True
        while grew:
            grew = False
            for pid, ppid in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        return sum(rss.get(pid, 0) for pid in tree)


def run_ingest(folder: Path, db: Path, workers: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "readout", "ingest", str(folder), "--db", str(db)]
    command += ["--workers", str(workers)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        with TreeMemory(proc.pid) as tree:
            code = proc.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        summary = out.read().strip().splitlines()
        problems = [line for line in err.read().splitlines() if ": ingest: " not in line]
    return {
        "command": " ".join(["python", "-m", "readout", *command[3:]]),
        "exit_code": code,
        "wall_s": wall,
        "summary": summary[0] if summary else "",
        "tree_peak_rss_mb": tree.peak_kb / 1024,
        "problems": problems[:5],
    }


def measure(folder: Path, count: int, workers: int) -> dict[str, Any]:
    started = time.perf_counter()
    write_corpus(folder / "corpus", count)
    generated = time.perf_counter() - started
    size = sum(p.stat().st_size for p in (folder / "corpus").rglob("*.txt"))
    db = folder / "bench.sqlite"

    first = run_ingest(folder / "corpus", db, workers)
    # ru_maxrss of waited-for descendants: kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    again = run_ingest(folder / "corpus", db, workers)

    with sqlite3.connect(db) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "meetings", "statements", "entities", "commitments")
        }
    return {
        "machine": machine(),
        "documents": count,
        "bytes": size,
        "generate_s": generated,
        "workers": workers,
        "ingest": first,
        "docs_per_s": count / first["wall_s"],
        "peak_rss_mb": peak_mb,
        "again": again,
        "rows": counts,
        "db_mb": sum(p.stat().st_size for p in folder.glob("bench.sqlite*")) / 1e6,
        "within_time": first["wall_s"] < TARGET_S,
        "within_memory": peak_mb < TARGET_MB,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="readouts to generate")
    ap.add_argument("--workers", type=int, default=2, help="readout ingest --workers")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = measure(args.keep, args.count, args.workers)
    else:
        with tempfile.TemporaryDirectory(prefix="readout-ingest-bench-") as tmp:
            report = measure(Path(tmp), args.count, args.workers)

    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        mc = report["machine"]
        first, again = report["ingest"], report["again"]
        print(
            f"machine: {mc['cpu']}, {mc['cores']} cores, {mc['memory']}, Python {mc['python']}, "
            f"SQLite {mc['sqlite']}, load average at start {mc['load_average']}"
        )
        print(f"command: {first['command']}")
        print(
            f"{report['documents']:,} readouts ({report['bytes'] / 1e6:.1f} MB) → SQLite: "
            f"{first['wall_s']:.1f} s wall, {report['docs_per_s']:,.1f} docs/s "
            f"({'within' if report['within_time'] else 'OVER'} {TARGET_S} s), "
            f"peak RSS {report['peak_rss_mb']:.0f} MB in one process "
            f"({'within' if report['within_memory'] else 'OVER'} {TARGET_MB} MB), "
            f"{first['tree_peak_rss_mb']:.0f} MB for the whole process tree; "
            f"exit code {first['exit_code']}"
        )
        print(f"  {first['summary']}")
        print(f"again (nothing new): {again['wall_s']:.1f} s wall, exit code {again['exit_code']}")
        print(f"  {again['summary']}")
        rows = ", ".join(f"{k} {v:,}" for k, v in report["rows"].items())
        print(f"rows: {rows}; database {report['db_mb']:.0f} MB")
        for line in first["problems"] + again["problems"]:
            print(f"  problem: {line}")
    if report["ingest"]["exit_code"] != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
