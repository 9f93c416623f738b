"""How fast ``readout diff`` and ``readout trace`` answer on a store of 10,000 meetings.

Builds a SQLite store the honest way: ``--count`` distinct readouts written to a folder
with the variation of ``tests/generate.py`` (another year, other days, another
counterpart, the items in another order) applied to the project's composed readouts, the
gold readouts *and* the eight Japan–US 2+2 readouts of ``tests/fixtures/series`` (whose
positions recur, reworded, from meeting to meeting), then stored by the real command:

    python -m readout ingest DIR --db DIR/diff.sqlite --workers 2

Then, in this process, through the library calls the CLI makes:

* :func:`readout.lineage.diff_meetings` for ``--pairs`` pairs of consecutive meetings of
  the same kind and counterpart (A given) and for as many meetings with A left to default
  (the previous meeting of B's kind and counterpart, found in the store);
* :func:`readout.lineage.trace` for ``--statements`` statement ids drawn at random and for
  a fixed set of text queries (the best search hit is traced).

Each call is timed once after a warm-up call; p50, p95 and max are reported with the
machine.  The target is under 1 s for each.

    python bench/diff_speed.py [--count N] [--workers N] [--keep DIR] [--pairs N]
                               [--statements N] [--backend sqlite|postgresql|both]
                               [--pg URL] [--json]

``--keep DIR`` builds the corpus and the SQLite store in DIR and reuses them (and the
PostgreSQL database) on the next run.  ``--pg`` is a PostgreSQL server URL whose user may
create databases (default ``READOUT_TEST_PG`` or postgres@127.0.0.1:5432); the bench
stores the same readouts in its database ``readout_diff_bench_N``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text

from machine_info import machine  # bench/machine_info.py
from readout.lineage import diff_meetings, trace
from readout.store import Store, connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.generate import (  # noqa: E402
    _YEAR_SHIFTS,
    PER_FOLDER,
    _shift_days,
    _shift_years,
    _shuffle_items,
    _swap_counterpart,
    bases,
)

TARGET_S = 1.0
SEED = 20260605
QUERIES = (
    "尖閣諸島",
    "日米安全保障条約第5条が尖閣諸島に適用される",
    "北朝鮮 弾道ミサイル",
    "普天間飛行場の辺野古への移設",
    "グアムへの移転",
    "東シナ海 現状変更",
    "拡大抑止",
    "自由で開かれたインド太平洋",
    "台湾海峡の平和と安定",
    "海兵沿岸連隊",
    "サイバー",
    "宇宙",
)
SERIES = ROOT / "tests" / "fixtures" / "series"


# ---------------------------------------------------------------- the corpus


def texts() -> tuple[str, ...]:
    """The readouts variants start from: those of tests/generate.py and the series."""
    series = tuple(p.read_text(encoding="utf-8") for p in sorted(SERIES.glob("*.txt")))
    return bases() + series


def variant(i: int, base_texts: tuple[str, ...]) -> str:
    """As :func:`tests.generate.variant`, over ``base_texts``."""
    base = base_texts[i % len(base_texts)]
    n = i // len(base_texts)
    moved = base
    for shift in _YEAR_SHIFTS[n % len(_YEAR_SHIFTS) :] + _YEAR_SHIFTS:
        found = _shift_years(base, shift)
        if found is not None:
            moved = found
            break
    out = _shift_days(moved, n // len(_YEAR_SHIFTS) % 28)
    if n % 3 == 1:
        out = _swap_counterpart(out, n)
    if n % 2 == 1 or n >= len(_YEAR_SHIFTS) * 28:
        out = _shuffle_items(out, i)
    return out


def readouts(count: int) -> Iterator[tuple[int, str]]:
    base_texts = texts()
    seen: set[bytes] = set()
    i = made = 0
    while made < count:
        body = variant(i, base_texts)
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        if digest not in seen:
            seen.add(digest)
            yield i, body
            made += 1
        i += 1


def write_corpus(folder: Path, count: int) -> int:
    made = 0
    for made, (i, body) in enumerate(readouts(count), start=1):
        sub = folder / f"batch-{(made - 1) // PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"readout-{i:06d}.txt").write_text(body, encoding="utf-8")
    return made


def ingest(corpus: Path, db: str, workers: int) -> dict[str, Any]:
    """``readout ingest`` of ``corpus`` into ``db`` in a subprocess, timed."""
    command = [sys.executable, "-m", "readout", "ingest", str(corpus), "--db", db]
    command += ["--workers", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return {
        "reused": False,
        "ingest_s": time.perf_counter() - started,
        "ingest": done.stdout.strip().splitlines()[:1],
        "ingest_exit_code": done.returncode,
    }


def corpus_in(folder: Path, count: int) -> Path:
    """The generated readouts under ``folder`` (written when not there yet)."""
    corpus = folder / "corpus"
    if not corpus.exists():
        write_corpus(corpus, count)
    return corpus


def build_sqlite(folder: Path, count: int, workers: int) -> tuple[str, dict[str, Any]]:
    """The SQLite store in ``folder`` (reused when already there)."""
    db = folder / "diff.sqlite"
    if db.exists():
        return str(db), {"reused": True}
    return str(db), ingest(corpus_in(folder, count), str(db), workers)


def build_postgres(
    server: str, folder: Path, count: int, workers: int, keep: bool
) -> tuple[str, dict[str, Any]]:
    """The database ``readout_diff_bench_N`` on ``server`` (reused with ``keep`` when it
    holds N meetings)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"readout_diff_bench_{count}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if exists and keep:
                store = connect(url)
                with store.engine.connect() as db:
                    held = db.execute(text("SELECT count(*) FROM meetings")).scalar_one()
                store.close()
                if held == count:
                    return url, {"reused": True}
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url, ingest(corpus_in(folder, count), url, workers)


# ---------------------------------------------------------------- the timings


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def summary(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_s": statistics.median(ordered),
        "p95_s": p95,
        "max_s": ordered[-1],
        "within": p95 < TARGET_S,
    }


def series_pairs(store: Store, rng: random.Random, n: int) -> list[tuple[int, int]]:
    """``n`` pairs (A, B) of consecutive meetings of one kind and counterpart."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.document_id, m.kind, m.counterpart, m.date FROM meetings m"
                " JOIN documents d ON d.id = m.document_id"
                " WHERE d.latest AND m.date IS NOT NULL"
                " ORDER BY m.kind, m.counterpart, m.date, m.document_id"
            )
        ).all()
    series: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for doc, kind, counterpart, _ in rows:
        series[(kind, counterpart)].append(doc)
    pairs = [(s[k - 1], s[k]) for s in series.values() for k in range(1, len(s))]
    return rng.sample(pairs, min(n, len(pairs)))


def statement_ids(store: Store, rng: random.Random, n: int) -> list[int]:
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM statements ORDER BY id"))]
    return rng.sample(ids, min(n, len(ids)))


def measure(store: Store, pairs: int, statements: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    chosen = series_pairs(store, rng, pairs)
    ids = statement_ids(store, rng, statements)
    with store.engine.connect() as conn:
        counts = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("documents", "meetings", "statements", "mentions")
        }
    # Warm up: the lexicons, the patterns and SQLite's page cache.
    diff_meetings(store, *chosen[0])
    trace(store, ids[0])

    sizes: list[int] = []

    def diff(a: int | None, b: int) -> None:
        sizes.append(len(diff_meetings(store, a, b).entries))

    appearances: list[int] = []

    def follow(what: int | str) -> None:
        appearances.append(len(trace(store, what).appearances))

    diff_given = [timed(partial(diff, a, b)) for a, b in chosen]
    diff_default = [timed(partial(diff, None, b)) for _, b in chosen]
    trace_ids = [timed(partial(follow, s)) for s in ids]
    trace_queries = [timed(partial(follow, q)) for q in QUERIES]
    return {
        "rows": counts,
        "diff_a_given": summary(diff_given),
        "diff_a_default": summary(diff_default),
        "trace_statement_id": summary(trace_ids),
        "trace_query": summary(trace_queries),
        "entries_per_diff": statistics.mean(sizes),
        "appearances_per_trace": statistics.mean(appearances),
        "max_appearances": max(appearances),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="readouts (meetings) to store")
    ap.add_argument("--workers", type=int, default=2, help="readout ingest --workers")
    ap.add_argument("--keep", type=Path, help="build in this folder, keep it, reuse it")
    ap.add_argument("--pairs", type=int, default=60, help="meeting pairs to diff")
    ap.add_argument("--statements", type=int, default=40, help="statement ids to trace")
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    ap.add_argument(
        "--pg",
        default=os.environ.get(
            "READOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server URL whose user may create databases",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    def run(folder: Path) -> list[dict[str, Any]]:
        reports = []
        for backend in ("sqlite", "postgresql"):
            if args.backend not in (backend, "both"):
                continue
            if backend == "sqlite":
                url, built = build_sqlite(folder, args.count, args.workers)
            else:
                url, built = build_postgres(
                    args.pg, folder, args.count, args.workers, bool(args.keep)
                )
            if built.get("ingest_exit_code", 0) not in (0, 1):
                raise SystemExit(f"ingest failed: {built}")
            store = connect(url)
            try:
                reports.append(
                    {
                        "backend": backend,
                        "machine": machine(),
                        "build": built,
                        **measure(store, args.pairs, args.statements),
                    }
                )
            finally:
                store.close()
        return reports

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        reports = run(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="readout-diff-bench-") as tmp:
            reports = run(Path(tmp))

    if args.json:
        print(json.dumps(reports, indent=2, ensure_ascii=False))
        return
    for report in reports:
        show(report)


def show(report: dict[str, Any]) -> None:
    mc, built = report["machine"], report["build"]
    print(f"== {report['backend']}")
    print(
        f"machine: {mc['cpu']}, {mc['cores']} cores, {mc['memory']}, Python {mc['python']}, "
        f"SQLite {mc['sqlite']}, load average at start {mc['load_average']}"
    )
    if not built["reused"]:
        print(
            f"built: ingest {built['ingest_s']:.1f} s "
            f"(exit code {built['ingest_exit_code']}) {' '.join(built['ingest'])}"
        )
    rows = ", ".join(f"{k} {v:,}" for k, v in report["rows"].items())
    print(f"store: {rows}")
    for key, label in (
        ("diff_a_given", "diff A B (consecutive, same kind+counterpart)"),
        ("diff_a_default", "diff B (A = previous meeting)"),
        ("trace_statement_id", "trace STATEMENT_ID"),
        ("trace_query", "trace QUERY"),
    ):
        s = report[key]
        print(
            f"{label:46} n={s['n']:3}  p50 {s['p50_s'] * 1000:7.1f} ms  "
            f"p95 {s['p95_s'] * 1000:7.1f} ms  max {s['max_s'] * 1000:7.1f} ms  "
            f"({'within' if s['within'] else 'OVER'} {TARGET_S:g} s)"
        )
    print(
        f"entries per diff {report['entries_per_diff']:.1f}; appearances per trace "
        f"{report['appearances_per_trace']:.1f} (max {report['max_appearances']})"
    )


if __name__ == "__main__":
    main()
