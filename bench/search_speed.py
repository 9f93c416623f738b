"""Search latency over a large store: p50/p95 of ``readout.search.search`` in SQLite and PostgreSQL.

Builds a store of ``--statements`` statements (default 1,000,000) without the parser:
the statements of the project's own readouts (the composed corpus, the gold readouts and
the bundled sample) are cut into clauses at 、 and recombined — an opening, up to three
middle clauses and an ending, whose statement gives the speaker, act and topics — into
documents of 8–40 statements, each with a meeting whose kind and sides come from a parsed
readout and whose date is drawn from 1990–2025.  Rows go in directly, in bulk:
``executemany`` in one transaction for SQLite (the FTS5 index filled by its triggers) and
``COPY`` for PostgreSQL (the statements' indexes dropped first and built again after).

Then a fixed set of queries (one-character words, two-character words, longer words,
phrases and several words, with and without filters, and filter-only listings) runs
through :func:`readout.search.search` — the library call the CLI makes, highlighting
included — once to warm up and ``--repeat`` times measured.  The target is p95 < 50 ms.

``--facets`` also times :func:`readout.search.facets` for each query (right after its
search, as a search page with facets makes both calls) and reports the facets' p50/p95
and the page's (search + facets; target p95 < 100 ms), and the same for the landing
page — no query, no filter: every statement counted — which is not among the queries.

    python bench/search_speed.py [--statements N] [--backend sqlite|postgresql|both]
                                 [--pg URL] [--keep] [--repeat R] [--json]
                                 [--facets [--facet-limit N]]

``--pg`` is a PostgreSQL server URL whose user may create databases (default
``READOUT_TEST_PG`` or postgres@127.0.0.1:5432); the bench uses the database
``readout_search_bench_N`` there.  ``--keep`` keeps the SQLite file (under the temporary
folder) and the PostgreSQL database and reuses them on the next run with the same N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import readout
import readout.search
from machine_info import machine  # bench/machine_info.py
from readout.model import Record
from readout.search import FACET_LIMIT, RANK_WINDOW, Facets, SearchResults, facets, search
from readout.store import Store, connect
from readout.store.bigrams import search_text

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 50.0
PAGE_TARGET_MS = 100.0  # a search page with facets
SEED = 20240112
BATCH = 20_000
FIRST_DAY = dt.date(1990, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days
_CLAUSE = re.compile(r"[^、，,]+[、，,]?")


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Ending:
    text: str
    speaker: str
    act: str
    reaffirmed: bool
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Clauses:
    openings: list[tuple[str, tuple[str, ...]]]
    middles: list[tuple[str, tuple[str, ...]]]
    endings: list[Ending]
    meetings: list[tuple[str, str, str]]  # kind, sides, title


def readouts() -> list[Path]:
    files = sorted((ROOT / "tests" / "fixtures" / "readouts").glob("*.txt"))
    files += sorted((ROOT / "gold").glob("*/*.txt"))
    files.append(ROOT / "src" / "readout" / "samples" / "jp-us-2plus2.txt")
    return files


def clauses(records: list[Record]) -> Clauses:
    openings: list[tuple[str, tuple[str, ...]]] = []
    middles: list[tuple[str, tuple[str, ...]]] = []
    endings: list[Ending] = []
    meetings: list[tuple[str, str, str]] = []
    for record in records:
        if len(record.meeting.sides) >= 2:
            meetings.append(
                (record.meeting.kind, ",".join(record.meeting.sides), record.title or "")
            )
        for st in record.statements:
            parts = _CLAUSE.findall(st.text.replace("\n", ""))
            if not parts:
                continue
            topics = tuple(st.topics)
            endings.append(Ending(parts[-1], st.speaker, st.act, st.reaffirmed, topics))
            if len(parts) >= 2:
                openings.append((parts[0], topics))
                middles.extend((p, topics) for p in parts[1:-1])
    return Clauses(openings, middles, endings, meetings)


class Generator:
    """Documents, meetings and statements, deterministic for a given seed."""

    def __init__(self, corpus: Clauses, seed: int = SEED) -> None:
        self.corpus = corpus
        self.rng = random.Random(seed)
        self._bigrams: dict[str, str] = {}

    def _search_text(self, clause: str) -> str:
        found = self._bigrams.get(clause)
        if found is None:
            found = self._bigrams[clause] = search_text(clause)
        return found

    def statement(self, sides: list[str]) -> tuple[str, str, str, bool, str, str]:
        """text, speaker, act, reaffirmed, topics, search_text"""
        rng, c = self.rng, self.corpus
        parts: list[tuple[str, tuple[str, ...]]] = []
        if rng.random() < 0.7:
            parts.append(rng.choice(c.openings))
        parts.extend(rng.choice(c.middles) for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
        end = rng.choice(c.endings)
        parts.append((end.text, end.topics))
        text = "".join(p for p, _ in parts)
        # Clauses end at 、, which breaks a run of Japanese, so the bigrams of the whole
        # are the bigrams of its clauses.
        bigrams = " ".join(b for p, _ in parts if (b := self._search_text(p)))
        topics = ",".join(sorted({t for _, ts in parts for t in ts}))
        speaker = end.speaker
        if speaker != "JOINT" and speaker not in sides:
            speaker = sides[1] if rng.random() < 0.5 else "JP"
        return text, speaker, end.act, end.reaffirmed, topics, bigrams


def rows(
    corpus: Clauses, statements: int
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], list[tuple[Any, ...]]]]:
    """(document row, meeting row, statement rows) until ``statements`` statements."""
    gen = Generator(corpus)
    rng = gen.rng
    now = dt.datetime.now(dt.UTC)
    made = 0
    doc_id = 0
    while made < statements:
        doc_id += 1
        kind, sides, title = rng.choice(corpus.meetings)
        side_list = sides.split(",")
        date = (FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        sha = hashlib.sha256(f"bench-{doc_id}".encode()).hexdigest()
        doc = (
            doc_id,
            f"bench://{doc_id}",
            1,
            True,
            sha,
            None,
            None,
            "text",
            "utf-8",
            b"",
            "",
            title,
            date,
            None,
            readout.__version__,
            "{}",
            None,
            now,
        )
        counterpart = next((s for s in side_list if s != "JP"), None)
        meeting = (doc_id, doc_id, kind, date, sides, counterpart, False, False)
        count = min(rng.randint(8, 40), statements - made)
        sts: list[tuple[Any, ...]] = []
        for n in range(count):
            text, speaker, act, reaffirmed, topics, bigrams = gen.statement(side_list)
            made += 1
            sts.append(
                (
                    made,
                    doc_id,
                    f"st{n + 1}",
                    "s1",
                    None,
                    speaker,
                    None,
                    act,
                    reaffirmed,
                    None,
                    text,
                    0,
                    len(text),
                    topics,
                    bigrams,
                )
            )
        yield doc, meeting, sts


Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def batches(corpus: Clauses, statements: int) -> Iterator[Batch]:
    """The rows in batches of about BATCH statements: documents, meetings, statements."""
    docs: list[tuple[Any, ...]] = []
    meetings: list[tuple[Any, ...]] = []
    sts: list[tuple[Any, ...]] = []
    for doc, meeting, statement_rows in rows(corpus, statements):
        docs.append(doc)
        meetings.append(meeting)
        sts.extend(statement_rows)
        if len(sts) >= BATCH:
            yield docs, meetings, sts
            docs, meetings, sts = [], [], []
    if sts:
        yield docs, meetings, sts


DOC_COLUMNS = (
    "id, source_key, version, latest, sha256, path, url, format, encoding, raw, text, title, "
    "published, issuers, parser_version, record_json, warnings, ingested_at"
)
MEETING_COLUMNS = (
    "id, document_id, kind, date, sides, counterpart, duration_approximate, joint_statement"
)
STATEMENT_COLUMNS = (
    "id, document_id, sid, section, item, speaker, person, act, reaffirmed, target, text, "
    'start, "end", topics, search_text'
)


def _marks(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


# ---------------------------------------------------------------- building


def _count(store: Store) -> int:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM statements")).scalar_one())


def build_sqlite(path: Path, corpus: Clauses, statements: int) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    store = connect(str(path))
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")
        for docs, meetings, sts in batches(corpus, statements):
            cur.executemany(
                f"INSERT INTO documents ({DOC_COLUMNS}) VALUES ({_marks(DOC_COLUMNS)})", docs
            )
            cur.executemany(
                f"INSERT INTO meetings ({MEETING_COLUMNS}) VALUES ({_marks(MEETING_COLUMNS)})",
                meetings,
            )
            cur.executemany(
                f"INSERT INTO statements ({STATEMENT_COLUMNS}) "
                f"VALUES ({_marks(STATEMENT_COLUMNS)})",
                sts,
            )
        raw.commit()
        cur.execute("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        store.close()
    return {"build_s": round(time.perf_counter() - started, 1), "bytes": path.stat().st_size}


def _pg_admin(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


def build_postgres(url: str, corpus: Clauses, statements: int) -> dict[str, Any]:
    from sqlalchemy import text

    started = time.perf_counter()
    store = connect(url)
    with store.engine.begin() as conn:
        indexes = [
            (name, sql)
            for name, sql in conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE tablename = 'statements' AND indexname <> 'statements_pkey'"
                )
            )
        ]
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
    raw = store.engine.raw_connection()
    try:
        pg = raw.driver_connection
        assert pg is not None
        with pg.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            for docs, meetings, sts in batches(corpus, statements):
                with cur.copy(f"COPY documents ({DOC_COLUMNS}) FROM STDIN") as cp:
                    for row in docs:
                        cp.write_row(row)
                with cur.copy(f"COPY meetings ({MEETING_COLUMNS}) FROM STDIN") as cp:
                    for row in meetings:
                        cp.write_row(row)
                with cur.copy(f"COPY statements ({STATEMENT_COLUMNS}) FROM STDIN") as cp:
                    for row in sts:
                        cp.write_row(row)
        pg.commit()
        loaded = time.perf_counter() - started
        with pg.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            for _, sql in indexes:
                cur.execute(sql)
            for table in ("documents", "meetings", "statements"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        pg.commit()
        pg.autocommit = True
        with pg.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    finally:
        raw.close()
        store.close()
    return {
        "build_s": round(time.perf_counter() - started, 1),
        "load_s": round(loaded, 1),
    }


# ---------------------------------------------------------------- the queries


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    filters: tuple[tuple[str, str], ...] = ()

    def run(self, store: Store) -> SearchResults:
        filters: dict[str, Any] = dict(self.filters)
        return search(store, self.text, **filters)

    def facets(self, store: Store) -> Facets:
        filters: dict[str, Any] = dict(self.filters)
        return facets(store, self.text, **filters)

    def label(self) -> str:
        extra = " ".join(f"--{k} {v}" for k, v in self.filters)
        return f"{self.text!r} {extra}".strip()


# Words an analyst types: issue words from the topic lexicon, country abbreviations, acts.
def words(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.split(sep)]


ONE_CHAR = list("台中米日豪韓北核宇海防沖拉露印英安保連比尖島船空陸軍経領抑協")
TWO_CHARS = words(
    "中国 台湾 尖閣 北朝 同盟 抑止 宇宙 防衛 韓国 豪州 沖縄 拉致 竹島 海警 両岸 日中 外相 日韓 "
    "日豪 核兵 首脳 経済 歓迎 懸念 非難 要請 協力 連携 確認 強化 航行 演習 普天 辺野 移設 地域 "
    "平和 安定 領域 訓練"
)
LONGER = words(
    "尖閣諸島 北朝鮮 拡大抑止 インド太平洋 安全保障 弾道ミサイル 東シナ海 南シナ海 台湾海峡 "
    "普天間飛行場 辺野古 在日米軍 日米同盟 法の支配 拉致問題 核・ミサイル サイバー 宇宙領域 "
    "経済安全保障 反撃能力 同盟調整メカニズム ウクライナ ロシア 自衛隊 防衛装備 海洋安全保障 "
    "航行の自由 非核化 安保理決議 現状変更 力による一方的な現状変更 自由で開かれたインド太平洋 "
    "日米安全保障条約第5条 ASEAN G7 FDO ISR 日米豪印 防衛協力 共同訓練"
)
PHRASES = words(
    '"尖閣諸島に適用"|"強い反対"|"深刻な懸念"|"改めて確認"|"緊密に連携"|"平和と安定"|'
    '"重要性を確認"|"意見交換を行った"|"一方的な現状変更"|"日米同盟の抑止力"|中国 台湾|北朝鮮 核|'
    "尖閣 中国|宇宙 協力|台湾海峡 平和|拉致 早期|ロシア ウクライナ|辺野古 移設|防衛 予算|"
    "日米 同盟 強化|中 台|核 ミサイル|米 確認|豪 協力|G7 議長",
    "|",
)
FILTERS: list[tuple[tuple[str, str], ...]] = [
    (("speaker", "US"),),
    (("speaker", "JP"), ("act", "CONCERN")),
    (("act", "AGREE"),),
    (("kind", "2+2"),),
    (("kind", "phone_call"), ("since", "2015")),
    (("since", "2020-01-01"),),
    (("until", "1999-12-31"),),
    (("since", "2010"), ("until", "2012")),
    (("counterpart", "AU"),),
    (("topic", "china"),),
    (("speaker", "JOINT"), ("act", "AFFIRM"), ("since", "2018")),
    (("counterpart", "KR"), ("kind", "foreign_ministers")),
]


def queries() -> list[Query]:
    out: list[Query] = []
    out += [Query("1 char", q) for q in ONE_CHAR]
    out += [Query("2 chars", q) for q in TWO_CHARS]
    out += [Query("longer word", q) for q in LONGER]
    out += [Query("phrase / words", q) for q in PHRASES]
    words = TWO_CHARS[:20] + LONGER[:20] + ONE_CHAR[:12] + PHRASES[:8]
    for i, word in enumerate(words):
        out.append(Query("with filters", word, FILTERS[i % len(FILTERS)]))
    out += [Query("filters only", "", f) for f in FILTERS]
    return out


# ---------------------------------------------------------------- measuring


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def measure(
    store: Store, qs: list[Query], repeat: int, with_facets: bool = False
) -> dict[str, Any]:
    for q in qs:  # warm-up: caches, prepared plans, the topic and country lexicons
        q.run(store)
        if with_facets:
            q.facets(store)
    times: dict[Query, list[float]] = {q: [] for q in qs}
    facet_times: dict[Query, list[float]] = {q: [] for q in qs}
    hits: dict[Query, int] = {}
    windowed: set[Query] = set()
    facets_windowed: set[Query] = set()
    for _ in range(repeat):
        for q in qs:
            started = time.perf_counter()
            found = q.run(store)
            times[q].append((time.perf_counter() - started) * 1000)
            hits[q] = len(found.hits)
            if not found.exhaustive:
                windowed.add(q)
            if with_facets:
                started = time.perf_counter()
                counts = q.facets(store)
                facet_times[q].append((time.perf_counter() - started) * 1000)
                if not counts.exhaustive:
                    facets_windowed.add(q)
    every = [t for ts in times.values() for t in ts]
    by_kind: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(q.kind for q in qs):
        by_kind[kind] = summary([t for q, ts in times.items() if q.kind == kind for t in ts])
    slowest = sorted(times, key=lambda q: max(times[q]), reverse=True)[:8]
    out: dict[str, Any] = {
        "queries": len(qs),
        "runs": len(every),
        **summary(every),
        "by_kind": by_kind,
        "slowest": [{"query": q.label(), "ms": round(max(times[q]), 1)} for q in slowest],
        "no_hits": [q.label() for q in qs if hits[q] == 0],
        "ranked_in_window": len(windowed),
    }
    if with_facets:
        out["facets"] = _facet_summary(store, qs, repeat, facet_times, times)
        out["facets"]["counted_in_window"] = len(facets_windowed)
    return out


def _facet_summary(
    store: Store,
    qs: list[Query],
    repeat: int,
    facet_times: dict[Query, list[float]],
    times: dict[Query, list[float]],
) -> dict[str, Any]:
    """Facet and page (search + facets) times, and the landing page's."""
    every = [t for ts in facet_times.values() for t in ts]
    pages = [s + f for q in qs for s, f in zip(times[q], facet_times[q], strict=True)]
    by_kind: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(q.kind for q in qs):
        by_kind[kind] = summary([t for q, ts in facet_times.items() if q.kind == kind for t in ts])
    slowest = sorted(facet_times, key=lambda q: max(facet_times[q]), reverse=True)[:8]
    landing = Query("landing", "")
    landing.run(store)
    landing.facets(store)
    landing_pages: list[float] = []
    landing_facets: list[float] = []
    for _ in range(max(repeat, 1) * 5):
        started = time.perf_counter()
        landing.run(store)
        middle = time.perf_counter()
        landing.facets(store)
        ended = time.perf_counter()
        landing_pages.append((ended - started) * 1000)
        landing_facets.append((ended - middle) * 1000)
    return {
        **summary(every),
        "page": summary(pages),
        "by_kind": by_kind,
        "slowest": [{"query": q.label(), "ms": round(max(facet_times[q]), 1)} for q in slowest],
        "landing_facets": summary(landing_facets),
        "landing_page": summary(landing_pages),
    }


def _pg_version(url: str) -> str:
    from sqlalchemy import text

    engine = _pg_admin(url)
    with engine.connect() as conn:
        version = str(conn.execute(text("SHOW server_version")).scalar_one())
    engine.dispose()
    return version


def run_sqlite(corpus: Clauses, args: argparse.Namespace, qs: list[Query]) -> dict[str, Any]:
    path = Path(tempfile.gettempdir()) / f"readout-search-bench-{args.statements}.sqlite"
    info: dict[str, Any] = {"path": str(path)}
    reuse = args.keep and path.exists()
    if reuse:
        store = connect(str(path))
        reuse = _count(store) == args.statements
        store.close()
    if reuse:
        info["reused"] = True
    else:
        log(f"sqlite: building {args.statements:,} statements in {path}")
        info.update(build_sqlite(path, corpus, args.statements))
        log(f"sqlite: built in {info['build_s']} s")
    store = connect(str(path))
    try:
        info.update(measure(store, qs, args.repeat, args.facets))
    finally:
        store.close()
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    return info


def run_postgres(corpus: Clauses, args: argparse.Namespace, qs: list[Query]) -> dict[str, Any]:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"readout_search_bench_{args.statements}"
    url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
    info: dict[str, Any] = {"database": name, "server": _pg_version(args.pg)}
    admin = _pg_admin(args.pg)
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        reuse = False
        if exists and args.keep:
            store = connect(url)
            reuse = _count(store) == args.statements
            store.close()
        if not reuse:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    if reuse:
        info["reused"] = True
    else:
        log(f"postgresql: building {args.statements:,} statements in {name}")
        info.update(build_postgres(url, corpus, args.statements))
        log(f"postgresql: built in {info['build_s']} s")
    store = connect(url)
    try:
        info.update(measure(store, qs, args.repeat, args.facets))
    finally:
        store.close()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return info


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--statements", type=int, default=1_000_000)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument(
        "--pg",
        default=os.environ.get(
            "READOUT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server URL whose user may create databases",
    )
    ap.add_argument("--keep", action="store_true", help="keep and reuse the built stores")
    ap.add_argument("--repeat", type=int, default=2, help="measured passes over the queries")
    ap.add_argument(
        "--facets", action="store_true", help="time readout.search.facets too (search pages)"
    )
    ap.add_argument(
        "--facet-limit",
        type=int,
        default=None,
        help=f"readout.search.FACET_LIMIT for this run (default {FACET_LIMIT:,})",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.facet_limit is not None:
        readout.search.FACET_LIMIT = args.facet_limit

    started = time.perf_counter()
    records = [readout.parse_file(p) for p in readouts()]
    corpus = clauses(records)
    log(
        f"corpus: {len(records)} readouts, {len(corpus.openings)} openings, "
        f"{len(corpus.middles)} middle clauses, {len(corpus.endings)} endings "
        f"({time.perf_counter() - started:.1f} s)"
    )
    qs = queries()
    result: dict[str, Any] = {
        "statements": args.statements,
        "target_p95_ms": TARGET_MS,
        "machine": machine(),
    }
    if args.facets:
        result["page_target_p95_ms"] = PAGE_TARGET_MS
        result["facet_limit"] = readout.search.FACET_LIMIT
    if args.backend in ("sqlite", "both"):
        result["sqlite"] = run_sqlite(corpus, args, qs)
    if args.backend in ("postgresql", "both"):
        result["postgresql"] = run_postgres(corpus, args, qs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    mc = result["machine"]
    print(f"machine: {mc['cpu']}, {mc['cores']} cores, {mc['memory']}, Python {mc['python']}")
    print(f"{args.statements:,} statements, {len(qs)} queries × {args.repeat} runs")
    for backend in ("sqlite", "postgresql"):
        if backend not in result:
            continue
        r = result[backend]
        version = mc["sqlite"] if backend == "sqlite" else r["server"]
        verdict = "meets" if r["p95_ms"] < TARGET_MS else "MISSES"
        build = f", built in {r['build_s']} s" if "build_s" in r else " (reused)"
        print(f"\n{backend} {version}{build}")
        print(
            f"  p50 {r['p50_ms']} ms  p95 {r['p95_ms']} ms  p99 {r['p99_ms']} ms  "
            f"max {r['max_ms']} ms  ({verdict} the p95 target of {TARGET_MS:.0f} ms)"
        )
        for kind, s in r["by_kind"].items():
            print(f"  {kind:15} p50 {s['p50_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms")
        print("  slowest: " + "; ".join(f"{s['query']} {s['ms']} ms" for s in r["slowest"][:5]))
        print(
            f"  {r['ranked_in_window']} queries matched more than {RANK_WINDOW:,} statements "
            "and were ranked within that window"
        )
        if r["no_hits"]:
            print(f"  queries without hits: {len(r['no_hits'])}")
        if "facets" in r:
            _print_facets(r["facets"])


def _print_facets(f: dict[str, Any]) -> None:
    page = f["page"]
    verdict = "meets" if page["p95_ms"] < PAGE_TARGET_MS else "MISSES"
    print(
        f"  facets: p50 {f['p50_ms']} ms  p95 {f['p95_ms']} ms  p99 {f['p99_ms']} ms  "
        f"max {f['max_ms']} ms"
    )
    print(
        f"  page (search + facets): p50 {page['p50_ms']} ms  p95 {page['p95_ms']} ms  "
        f"max {page['max_ms']} ms  ({verdict} the p95 target of {PAGE_TARGET_MS:.0f} ms)"
    )
    for kind, s in f["by_kind"].items():
        print(f"    facets {kind:15} p50 {s['p50_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms")
    print(
        "    slowest facets: " + "; ".join(f"{s['query']} {s['ms']} ms" for s in f["slowest"][:5])
    )
    landing, lf = f["landing_page"], f["landing_facets"]
    print(
        f"  landing page (no query, no filter): p50 {landing['p50_ms']} ms  "
        f"p95 {landing['p95_ms']} ms (facets p50 {lf['p50_ms']} ms, p95 {lf['p95_ms']} ms)"
    )
    print(
        f"  {f['counted_in_window']} queries matched more than "
        f"{readout.search.FACET_LIMIT:,} statements: "
        f"facets counted within the first {RANK_WINDOW:,}"
    )


if __name__ == "__main__":
    main()
