"""Memory and throughput of ``readout parse DIR --format jsonl`` on a large folder.

Writes ``--count`` distinct readouts (the bundled sample with its dates, clock time and
duration changed for each) into a temporary folder, runs

    python -m readout parse DIR --format jsonl -o /dev/null

as a subprocess, and reports its wall time, records per second and peak resident memory.
JSON Lines output is written record by record, so the peak should not grow with the
number of files; the target is under 300 MB.

    python bench/memory_jsonl.py [--count N] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

TARGET_MB = 300
PER_FOLDER = 1000
SAMPLE_NAME = "jp-us-2plus2.txt"


def reiwa(day: dt.date) -> str:
    year = day.year - 2018
    return f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"


def variant(sample: str, i: int) -> str:
    """The sample as if the meeting had been held on another day, at another time."""
    meeting = dt.date(2019, 5, 1) + dt.timedelta(days=i)
    published = meeting + dt.timedelta(days=1)
    hour, minute = i % 24, (i * 7) % 60
    hours, minutes = divmod(30 + i % 180, 60)
    text = sample.replace("令和6年1月12日", reiwa(published), 1)
    text = text.replace(
        "1月12日4時00分", f"{meeting.month}月{meeting.day}日{hour}時{minute:02d}分", 1
    )
    text = text.replace("約2時間30分", f"約{hours}時間{minutes}分", 1)
    return text.replace("2025年までに", f"{meeting.year + 2}年までに", 1)


def generate(folder: Path, count: int) -> int:
    sample = resources.files("readout").joinpath("samples", SAMPLE_NAME).read_text("utf-8")
    total = 0
    for i in range(count):
        sub = folder / f"batch-{i // PER_FOLDER:03d}"
        sub.mkdir(exist_ok=True)
        data = variant(sample, i).encode("utf-8")
        (sub / f"readout-{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def measure(folder: Path, count: int) -> dict[str, Any]:
    written = generate(folder, count)
    command = [sys.executable, "-m", "readout", "parse", str(folder), "--format", "jsonl"]
    command += ["-o", "/dev/null"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        started = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=stderr, check=False)
        wall = time.perf_counter() - started
        stderr.seek(0)
        lines = stderr.read().splitlines()
    # ru_maxrss of waited-for children: kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    problems = [line for line in lines if ": warning: " not in line]
    return {
        "files": count,
        "bytes": written,
        "exit_code": proc.returncode,
        "wall_s": wall,
        "records_per_s": count / wall,
        "peak_rss_mb": peak_mb,
        "target_mb": TARGET_MB,
        "within_target": peak_mb < TARGET_MB,
        "warning_lines": len(lines) - len(problems),
        "problem_lines": problems[:5],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="files to generate")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        report = measure(args.keep, args.count)
    else:
        with tempfile.TemporaryDirectory(prefix="readout-bench-") as tmp:
            report = measure(Path(tmp), args.count)

    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        verdict = "within" if report["within_target"] else "OVER"
        print(
            f"{report['files']:,} files ({report['bytes'] / 1e6:.1f} MB) → jsonl: "
            f"{report['wall_s']:.1f} s wall, {report['records_per_s']:,.0f} records/s, "
            f"peak RSS {report['peak_rss_mb']:.0f} MB ({verdict} the {TARGET_MB} MB target), "
            f"exit code {report['exit_code']}, {report['warning_lines']:,} warning lines"
        )
        for line in report["problem_lines"]:
            print(f"  problem: {line}")
    if report["exit_code"] != 0 and report["problem_lines"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
