"""The web app under a bounded load: p50/p95/p99 and errors of its search and meeting pages.

Builds the store of ``bench/diff_speed.py`` — ``--count`` distinct generated readouts
(default 10,000 meetings, about 105,000 statements) stored by the real
``readout ingest --workers 2`` — so that every meeting has a real record, commitments and
mentions behind its page.  Then starts the real server in its own process (its own GIL):

    python -m readout serve --db STORE --port FREE_PORT

waits until it answers, and sends from this process, with ``httpx.AsyncClient`` and at most
``--concurrency`` requests in flight:

* a **baseline**: ``--requests`` requests for ``/robots.txt`` (a trivial route through the
  same app, middleware and server), and
* the **mix**: ``--requests`` requests drawn at random — a quarter each — over the search
  page and its JSON twin (``/search?q=…``, ``/api/search?q=…&speaker=…``: Japanese words,
  phrases and several words from ``bench/search_speed.py``, a third of them with filters,
  some filter-only listings; the facets come with every search) and the meeting page and
  its JSON twin (``/meetings/{id}``, ``/api/meetings/{id}``) of random meetings,

after ``--warmup`` requests of the mix that are not counted; then ``--serial`` more
requests of the mix one at a time, which give each group's own time without queueing.
A request is an error when it raises or answers other than 2xx.

Reported per endpoint group and for the whole mix: requests, errors, p50/p95/p99/max
latency (the client's time from sending to the last byte), throughput (a group's: its
requests over the whole mix's time), the mean body size, and each group's p95 as a ratio
to the baseline's (machines are noisy; the ratio much less so).  With C requests always
in flight, a latency is mostly queueing: the mean is about C ÷ throughput, so p95 < 100 ms
at 20 concurrent needs some 200 requests/s.  The target is p95 < 100 ms with no errors;
the exit code is 1 when any request failed.

    python bench/web_load.py [--backend sqlite|postgresql|both] [--count N] [--keep DIR]
                             [--db URL|PATH] [--pg URL] [--requests N]
                             [--concurrency C] [--warmup N] [--serial N] [--json]

``--keep DIR`` builds the corpus and the SQLite store in DIR and reuses them (and the
PostgreSQL database ``readout_diff_bench_N``) on the next run: the same folder and
database as ``bench/diff_speed.py --keep DIR``.  ``--db`` serves an existing store
instead of building one.  ``--pg`` is a PostgreSQL server URL whose user may create
databases (default ``READOUT_TEST_PG`` or postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import text

from diff_speed import build_postgres, build_sqlite  # bench/diff_speed.py: the store
from machine_info import machine  # bench/machine_info.py
from readout.store import connect
from search_speed import FILTERS, LONGER, ONE_CHAR, PHRASES, TWO_CHARS, summary

TARGET_MS = 100.0
SEED = 20260611
GROUPS = ("search page", "search api", "meeting page", "meeting api")
BASELINE = "baseline"
BASELINE_PATH = "/robots.txt"
EXAMPLES = 5  # failed requests kept to show


# ---------------------------------------------------------------- the requests


@dataclass(frozen=True)
class Request:
    group: str
    url: str


def search_params(rng: random.Random) -> dict[str, str]:
    """A query an analyst might type: mostly words and phrases, a third with filters,
    one in twelve a listing by filters alone."""
    roll = rng.random()
    if roll < 1 / 12:
        return dict(rng.choice(FILTERS))
    pool = rng.choice((ONE_CHAR, TWO_CHARS, TWO_CHARS, LONGER, LONGER, LONGER, PHRASES))
    params = {"q": rng.choice(pool)}
    if roll < 0.4:
        params.update(dict(rng.choice(FILTERS)))
    if rng.random() < 0.1:
        params["offset"] = "20"  # the next page
    return params


def mix(rng: random.Random, meetings: list[int], n: int) -> list[Request]:
    """``n`` requests, a quarter of each group in expectation, in random order."""
    out: list[Request] = []
    for _ in range(n):
        group = rng.choice(GROUPS)
        if group.startswith("search"):
            prefix = "/api/search" if group == "search api" else "/search"
            out.append(Request(group, f"{prefix}?{urlencode(search_params(rng))}"))
        else:
            prefix = "/api/meetings" if group == "meeting api" else "/meetings"
            out.append(Request(group, f"{prefix}/{rng.choice(meetings)}"))
    return out


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` so far (Linux), else None."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return None
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def cpu(self) -> float | None:
        return cpu_seconds(self.process.pid)


@contextmanager
def serve(db: str, folder: Path, processes: int = 1) -> Iterator[Server]:
    """``readout serve --db DB --workers N`` on a free port, read-only, until the block
    ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "READOUT_TOKEN"}
    log = folder / f"serve-{port}.log"
    command = [sys.executable, "-m", "readout", "serve", "--db", db, "--port", str(port)]
    command += ["--workers", str(processes)]
    command += ["--uploads", str(folder / "uploads")]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    f"readout serve exited with {process.returncode}:\n{log.read_text()}"
                )
            try:
                if httpx.get(server.base + BASELINE_PATH, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"readout serve did not answer in 120 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------- the load


@dataclass
class Outcome:
    group: str
    ms: float
    status: int | None
    size: int
    error: str | None


@dataclass
class Phase:
    outcomes: list[Outcome] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float | None = None
    client_cpu_s: float = 0.0


async def _load(base: str, requests: list[Request], concurrency: int) -> Phase:
    phase = Phase()
    pending = iter(requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            for req in pending:  # one shared iterator: each request is sent once
                started = time.perf_counter()
                status: int | None = None
                size = 0
                error: str | None = None
                try:
                    response = await client.get(req.url)
                    status, size = response.status_code, len(response.content)
                    if not 200 <= status < 300:
                        error = f"HTTP {status}: {req.url}"
                except httpx.HTTPError as err:
                    error = f"{type(err).__name__} {err}: {req.url}"
                ms = (time.perf_counter() - started) * 1000
                phase.outcomes.append(Outcome(req.group, ms, status, size, error))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        phase.wall_s = time.perf_counter() - started
    return phase


def load(server: Server, requests: list[Request], concurrency: int) -> Phase:
    cpu_before, client_before = server.cpu(), time.process_time()
    phase = asyncio.run(_load(server.base, requests, concurrency))
    cpu_after = server.cpu()
    if cpu_before is not None and cpu_after is not None:
        phase.server_cpu_s = cpu_after - cpu_before
    phase.client_cpu_s = time.process_time() - client_before
    return phase


def figures(outcomes: list[Outcome], wall_s: float) -> dict[str, Any]:
    failed = [o for o in outcomes if o.error]
    ms = [o.ms for o in outcomes]
    return {
        "requests": len(outcomes),
        "errors": len(failed),
        **summary(ms),
        "per_s": round(len(outcomes) / wall_s, 1),
        "mean_kb": round(sum(o.size for o in outcomes) / len(outcomes) / 1024, 1),
        "error_examples": [o.error for o in failed[:EXAMPLES]],
    }


def report(phase: Phase, groups: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in groups:
        chosen = [o for o in phase.outcomes if o.group == group]
        if chosen:
            out[group] = figures(chosen, phase.wall_s)
    out["all"] = figures(phase.outcomes, phase.wall_s)
    out["all"]["wall_s"] = round(phase.wall_s, 2)
    n = len(phase.outcomes)
    if phase.server_cpu_s is not None:
        out["all"]["server_cpu_ms_per_request"] = round(phase.server_cpu_s * 1000 / n, 2)
    out["all"]["client_cpu_ms_per_request"] = round(phase.client_cpu_s * 1000 / n, 2)
    return out


# ---------------------------------------------------------------- one back end


def store_facts(db: str) -> tuple[dict[str, int], list[int]]:
    """Row counts and the ids of the latest documents' meetings."""
    store = connect(db, upgrade=False)  # the server migrates it, if need be
    try:
        with store.engine.connect() as conn:
            counts = {
                t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
                for t in ("meetings", "statements", "commitments")
            }
            ids = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT m.document_id FROM meetings m"
                        " JOIN documents d ON d.id = m.document_id WHERE d.latest"
                        " ORDER BY m.document_id"
                    )
                )
            ]
    finally:
        store.close()
    return counts, ids


def drop_database(server: str, db: str) -> None:
    """Drop the database of URL ``db`` through ``server`` (a URL of the same server)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            name = make_url(db).database
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def server_version(db: str) -> str:
    store = connect(db, upgrade=False)
    try:
        with store.engine.connect() as conn:
            if store.dialect == "sqlite":
                return "SQLite " + str(conn.execute(text("SELECT sqlite_version()")).scalar())
            return "PostgreSQL " + str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        store.close()


def run(backend: str, db: str, built: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    version = server_version(db)
    counts, meetings = store_facts(db)
    if counts["statements"] < 100_000:
        log(f"{backend}: note: the store holds only {counts['statements']:,} statements")
    rng = random.Random(SEED)
    warmup = mix(rng, meetings, args.warmup)
    measured = mix(rng, meetings, args.requests)
    serial = mix(rng, meetings, args.serial)
    baseline = [Request(BASELINE, BASELINE_PATH)] * args.requests
    with (
        tempfile.TemporaryDirectory(prefix="readout-web-load-") as tmp,
        serve(db, Path(tmp), args.server_workers) as s,
    ):
        log(f"{backend}: serving at {s.base}; warm-up: {args.warmup} requests")
        load(s, warmup + [Request(BASELINE, BASELINE_PATH)] * 20, args.concurrency)
        log(f"{backend}: baseline: {args.requests} × {BASELINE_PATH}")
        base = report(load(s, baseline, args.concurrency), (BASELINE,))
        log(f"{backend}: the mix: {args.requests} requests at {args.concurrency} concurrent")
        mixed = report(load(s, measured, args.concurrency), GROUPS)
        one: dict[str, Any] = {}
        if serial:
            log(f"{backend}: {args.serial} requests of the mix one at a time")
            one = report(load(s, serial, 1), GROUPS)
    base_p95 = base["all"]["p95_ms"]
    for values in mixed.values():
        values["p95_vs_baseline"] = round(values["p95_ms"] / base_p95, 1) if base_p95 else None
    return {
        "backend": backend,
        "version": version,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "store": counts,
        "build": built,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "baseline": {"path": BASELINE_PATH, **base["all"]},
        "groups": {g: v for g, v in mixed.items() if g != "all"},
        "mix": mixed["all"],
        "serial": one,
        "meets_target": mixed["all"]["p95_ms"] < TARGET_MS and mixed["all"]["errors"] == 0,
    }


# ---------------------------------------------------------------- output


def show(result: dict[str, Any], mc: dict[str, Any]) -> None:
    built = result["build"]
    how = "reused" if built.get("reused") else f"built in {built.get('ingest_s', 0):.0f} s"
    if built.get("given"):
        how = "given"
    st = result["store"]
    print(
        f"\n== {result['backend']} ({result['version']}), store {how}: "
        f"{st['meetings']:,} meetings, {st['statements']:,} statements, "
        f"{st['commitments']:,} commitments"
    )
    print(
        f"{result['requests']:,} requests at {result['concurrency']} concurrent "
        f"(after {result['warmup']} warm-up); machine: {mc['cpu']}, {mc['cores']} cores, "
        f"Python {mc['python']}, load average {result['load_average']}"
    )
    head = (
        f"{'group':24} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'req/s':>7} {'KB':>6} {'p95/base':>8}"
    )
    print(head)
    print("-" * len(head))
    rows = [(f"baseline {BASELINE_PATH}", result["baseline"])]
    rows += [*result["groups"].items(), ("mix (all of the above)", result["mix"])]
    for name, r in rows:
        ratio = r.get("p95_vs_baseline")
        print(
            f"{name:24} {r['requests']:8,} {r['errors']:6} {r['p50_ms']:8.1f} "
            f"{r['p95_ms']:8.1f} {r['p99_ms']:8.1f} {r['max_ms']:8.1f} {r['per_s']:7.1f} "
            f"{r['mean_kb']:6.1f} {'—' if ratio is None else f'{ratio:.1f}×':>8}"
        )
    m, b = result["mix"], result["baseline"]
    if "server_cpu_ms_per_request" in m:
        print(
            f"server CPU per request: mix {m['server_cpu_ms_per_request']} ms, baseline "
            f"{b.get('server_cpu_ms_per_request')} ms; client CPU per request: mix "
            f"{m['client_cpu_ms_per_request']} ms, baseline {b['client_cpu_ms_per_request']} ms"
        )
    if result["serial"]:
        one = result["serial"]
        print(
            f"one at a time ({one['all']['requests']} requests of the mix): "
            + "; ".join(
                f"{g} p50 {v['p50_ms']:.1f} / p95 {v['p95_ms']:.1f} ms"
                for g, v in one.items()
                if g != "all"
            )
        )
    verdict = "meets" if result["meets_target"] else "MISSES"
    print(f"{verdict} the target: p95 < {TARGET_MS:.0f} ms and no errors")
    for r in (b, *result["groups"].values(), *result["serial"].values()):
        for example in r["error_examples"]:
            print(f"  error: {example}")


def markdown(result: dict[str, Any], processes: int) -> None:
    """The result as rows of the README's table (back end and server processes, group,
    p50, p95, p99, max, req/s, p95 ÷ baseline)."""
    name = "SQLite" if result["backend"] == "sqlite" else "PostgreSQL"
    rows = [(f"baseline `{BASELINE_PATH}`", result["baseline"])]
    rows += [(g, r) for g, r in result["groups"].items()]
    rows += [("**the mix**", result["mix"])]
    for group, r in rows:
        ratio = r.get("p95_vs_baseline")
        print(
            f"| {name}, {processes} | {group} | {r['p50_ms']:,.0f} | {r['p95_ms']:,.0f} | "
            f"{r['p99_ms']:,.0f} | {r['max_ms']:,.0f} | {r['per_s']:,.0f} | "
            f"{'1' if ratio is None else f'{ratio:.1f}'} | {r['errors']} |"
        )
    one = result["serial"]
    if one:
        print(
            f"<!-- {name}, {processes}, one at a time, p50 / p95 ms: "
            + "; ".join(
                f"{g} {v['p50_ms']:.0f} / {v['p95_ms']:.0f}" for g, v in one.items() if g != "all"
            )
            + " -->"
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    ap.add_argument("--count", type=int, default=10_000, help="readouts (meetings) to store")
    ap.add_argument("--workers", type=int, default=2, help="readout ingest --workers")
    ap.add_argument("--keep", type=Path, help="build in this folder, keep it, reuse it")
    ap.add_argument("--db", help="serve this existing store (URL or path) instead of building")
    ap.add_argument(
        "--pg",
        default=os.environ.get(
            "READOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server URL whose user may create databases",
    )
    ap.add_argument(
        "--server-workers", type=int, default=1, help="readout serve --workers (processes)"
    )
    ap.add_argument("--requests", type=int, default=2_000, help="measured requests per phase")
    ap.add_argument("--concurrency", type=int, default=20, help="requests in flight at most")
    ap.add_argument("--warmup", type=int, default=50, help="requests sent first, not counted")
    ap.add_argument("--serial", type=int, default=100, help="requests sent one at a time")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--markdown", action="store_true", help="also print the figures as README table rows"
    )
    args = ap.parse_args()
    if args.requests < 1 or args.concurrency < 1 or min(args.warmup, args.serial) < 0:
        ap.error("--requests and --concurrency must be positive, --warmup and --serial not")

    def stores(folder: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
        if args.db:
            store = connect(args.db, upgrade=False)
            backend = "sqlite" if store.dialect == "sqlite" else "postgresql"
            store.close()
            yield backend, args.db, {"given": True}
            return
        for backend in ("sqlite", "postgresql"):
            if args.backend not in (backend, "both"):
                continue
            log(f"{backend}: the store of {args.count:,} meetings (bench/diff_speed.py)")
            if backend == "sqlite":
                db, built = build_sqlite(folder, args.count, args.workers)
            else:
                db, built = build_postgres(
                    args.pg, folder, args.count, args.workers, bool(args.keep)
                )
            if built.get("ingest_exit_code", 0) not in (0, 1):
                raise SystemExit(f"ingest failed: {built}")
            try:
                yield backend, db, built
            finally:
                if backend == "postgresql" and not args.keep:
                    drop_database(args.pg, db)

    mc = machine()

    def measure(folder: Path) -> list[dict[str, Any]]:
        results = []
        for backend, db, built in stores(folder):
            results.append(run(backend, db, built, args))
            if not args.json:  # as each back end is done
                show(results[-1], mc)
        return results

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = measure(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="readout-web-load-") as tmp:
            results = measure(Path(tmp))
    if args.json:
        print(json.dumps({"machine": mc, "results": results}, indent=2, ensure_ascii=False))
    if args.markdown:
        for result in results:
            markdown(result, args.server_workers)
    failed = sum(r["mix"]["errors"] + r["baseline"]["errors"] for r in results)
    if failed:
        log(f"web_load: {failed} requests failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
