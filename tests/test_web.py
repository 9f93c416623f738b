"""The web app's pages and their JSON twins, served by uvicorn on 127.0.0.1, over SQLite
and the real PostgreSQL server, with the reference readout and the 2+2 series loaded."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from readout.ingest import ingest
from readout.store import Store, connect
from tests.pg import postgres_url
from tests.web import REFERENCE, load_corpus, serve

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Store]]:
    """One loaded store per back end for the whole module (the tests here only read)."""
    schema = None
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("web") / "readout.sqlite")
    else:
        base = postgres_url()
        schema = f"w_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    store = connect(url)
    load_corpus(store)
    try:
        with serve(store) as base_url:
            yield base_url, store
    finally:
        store.close()
        if schema:
            admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="module")
def client(site: tuple[str, Store]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site[0], timeout=30, trust_env=False) as c:
        yield c


def _json(client: httpx.Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def _reference_id(client: httpx.Client) -> int:
    meetings = _json(client, "/api/meetings?limit=500")["meetings"]
    found = [m["id"] for m in meetings if m["source"].endswith("jp-us-2plus2.txt")]
    assert len(found) == 1
    return int(found[0])


def test_meetings_list_filters_and_pages(client: httpx.Client) -> None:
    everything = _json(client, "/api/meetings")
    assert len(everything["meetings"]) == 9
    assert everything["page"] == {"limit": 50, "offset": 0, "shown": 9, "more": False}
    first = _json(client, "/api/meetings?limit=4")
    second = _json(client, "/api/meetings?limit=4&offset=4")
    assert first["page"]["more"] and second["page"]["more"]
    ids = [m["id"] for m in first["meetings"] + second["meetings"]]
    assert ids == [m["id"] for m in everything["meetings"][:8]]
    dates = [m["date"] for m in everything["meetings"]]
    assert dates == sorted(dates)
    since = _json(client, "/api/meetings?since=2024&kind=2%2B2")["meetings"]
    assert since and all(m["date"] >= "2024" and m["kind"] == "2+2" for m in since)
    page = client.get("/meetings?since=2024")
    assert page.status_code == 200
    for m in since:
        assert f'href="/meetings/{m["id"]}"' in page.text


def test_meeting_page_shows_participants_and_highlighted_statements(
    client: httpx.Client,
) -> None:
    ref = _reference_id(client)
    data = _json(client, f"/api/meetings/{ref}")
    record = data["record"]
    assert [p["name"] for p in record["meeting"]["participants"]] == [
        "林芳正",
        "浜田靖一",
        "アントニー・ブリンケン",
        "ロイド・オースティン",
    ]
    page = client.get(f"/meetings/{ref}")
    assert page.status_code == 200
    html = page.text
    for p in record["meeting"]["participants"]:
        assert p["name"] in html
    # Every statement is a highlighted span labelled with its speaker and act.
    spans = re.findall(r'<span class="st (sp-\w+) act-(\w+)[^"]*" id="(st\d+)"', html)
    assert len(spans) == len(record["statements"])
    by_id = {s["id"]: s for s in record["statements"]}
    for css, act, sid in spans:
        st = by_id[sid]
        assert act == st["act"].lower()
        assert css == {"JP": "sp-jp", "JOINT": "sp-joint"}.get(st["speaker"], "sp-other")
    # Entities link to a search for them; commitments are listed with their status.
    assert 'class="ent ent-' in html
    assert len(data["commitments"]) == len(record["commitments"])
    assert f'<link rel="alternate" type="application/json" href="/api/meetings/{ref}">' in html


def test_search_finds_the_article_5_statement_with_facets(client: httpx.Client) -> None:
    data = _json(client, "/api/search?q=尖閣")
    texts = [h["text"] for h in data["hits"]]
    assert any("第5条" in t for t in texts), texts
    facets = data["facets"]
    for name in ("speaker", "act", "topic", "kind", "counterpart", "year"):
        assert name in facets
    assert sum(f["count"] for f in facets["speaker"]) == data["ranked"] == facets["counted"]
    page = client.get("/search", params={"q": "尖閣"})
    assert page.status_code == 200
    assert "<mark>尖閣</mark>" in page.text
    narrowed = _json(client, "/api/search?q=尖閣&speaker=US&act=AFFIRM")
    assert narrowed["hits"]
    assert all(h["speaker"] == "US" and h["act"] == "AFFIRM" for h in narrowed["hits"])
    year = facets["year"][0]["value"]
    by_year = _json(client, f"/api/search?q=尖閣&year={year}")
    assert all(h["date"].startswith(year) for h in by_year["hits"])


def test_search_pages(client: httpx.Client) -> None:
    first = _json(client, "/api/search?q=確認&limit=3")
    second = _json(client, "/api/search?q=確認&limit=3&offset=3")
    assert first["page"]["more"]
    assert {h["statement_id"] for h in first["hits"]}.isdisjoint(
        h["statement_id"] for h in second["hits"]
    )


def test_diff_trace_commitments_timeline(client: httpx.Client) -> None:
    meetings = _json(client, "/api/meetings?kind=2%2B2&counterpart=US")["meetings"]
    series = [m for m in meetings if "series" in m["source"]]
    last = series[-1]["id"]
    diff = _json(client, f"/api/diff?b={last}")
    assert diff["a"]["document_id"] == series[-2]["id"]
    assert sum(diff["counts"].values()) == len(diff["entries"]) > 0
    page = client.get(f"/diff?b={last}")
    assert page.status_code == 200 and "Reaffirmed" in page.text

    hit = _json(client, "/api/search?q=拡大抑止&limit=1")["hits"][0]
    trace = _json(client, f"/api/trace?statement={hit['statement_id']}")
    assert trace["appearances"] and trace["first"]
    dates = [a["meeting"]["date"] for a in trace["appearances"]]
    assert dates == sorted(dates)
    by_words = _json(client, "/api/trace?q=拡大抑止")
    assert by_words["candidates"], "other hits are offered to trace instead"
    assert by_words["origin"]["statement_id"] not in {
        c["statement_id"] for c in by_words["candidates"]
    }
    page = client.get("/trace", params={"q": "拡大抑止"})
    first = by_words["candidates"][0]["statement_id"]
    assert page.status_code == 200 and f'href="/trace?statement={first}"' in page.text

    board = _json(client, "/api/commitments?as_of=2026-01-01")
    assert board["total"] == sum(board["counts"].values()) > 0
    assert all(c["status"] in board["counts"] for c in board["commitments"])
    with_evidence = next(c for c in board["commitments"] if c["evidence"])
    one = _json(client, f"/api/commitments/{with_evidence['id']}?as_of=2026-01-01")
    assert one["status"] == with_evidence["status"] == "evidence"
    # The matcher's weights come from the texts in play, so scores differ a little from
    # the board's; the statements found are the same.
    assert [e["statement_id"] for e in one["evidence"]] == [
        e["statement_id"] for e in with_evidence["evidence"]
    ]
    page = client.get(f"/commitments/{with_evidence['id']}")
    assert page.status_code == 200
    assert f'href="/meetings/{one["evidence"][-1]["document_id"]}#' in page.text
    # The meeting page skips the evidence search: its statuses are verdicts and deadlines.
    meeting = _json(client, f"/api/meetings/{with_evidence['document_id']}")
    mine = next(c for c in meeting["commitments"] if c["id"] == with_evidence["id"])
    assert mine["evidence"] == [] and mine["status"] in ("open", "due")
    assert client.get("/api/commitments/999999").status_code == 404
    due = _json(client, "/api/commitments?as_of=2026-01-01&status=due")
    assert all(c["status"] == "due" for c in due["commitments"])
    assert client.get("/commitments?as_of=2026-01-01").status_code == 200

    tl = _json(client, "/api/timeline?topic=拡大抑止")
    assert tl["total"] == sum(sum(y["counts"].values()) for y in tl["by_year"]) > 0
    svg = client.get("/timeline.svg?topic=拡大抑止")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "<rect" in svg.text
    page = client.get("/timeline?topic=拡大抑止")
    assert page.status_code == 200 and "<svg" in page.text


def test_every_page_links_its_json_twin(client: httpx.Client) -> None:
    ref = _reference_id(client)
    pages = [
        "/",
        "/meetings?kind=2%2B2",
        f"/meetings/{ref}",
        "/search?q=尖閣&speaker=US",
        f"/diff?b={ref}",
        "/trace?q=拡大抑止",
        "/commitments?status=open",
        "/timeline?topic=拡大抑止",
        "/corrections",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        twin = re.search(
            r'<link rel="alternate" type="application/json" href="([^"]+)">', page.text
        )
        assert twin, url
        target = twin.group(1).replace("&amp;", "&")
        assert target.startswith("/api")
        assert client.get(target).status_code == 200, target
    for url, twin in (("/api/docs", "/openapi.json"), ("/login", None), ("/ingest", None)):
        html = client.get(url).text
        found = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', html)
        assert (found.group(1) if found else None) == twin, url


def test_openapi_describes_the_api(client: httpx.Client) -> None:
    spec = _json(client, "/openapi.json")
    paths = spec["paths"]
    for path in (
        "/api/meetings",
        "/api/meetings/{document_id}",
        "/api/search",
        "/api/diff",
        "/api/trace",
        "/api/commitments",
        "/api/timeline",
        "/api/ingest",
        "/api/meetings/{document_id}/statements/{sid}/correction",
        "/api/commitments/{commitment_id}/status",
    ):
        assert path in paths, path
    search = {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    assert {"q", "speaker", "act", "topic", "kind", "counterpart", "year"} <= search
    assert {"limit", "offset", "since", "until"} <= search
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text
    index = _json(client, "/api")
    assert index["read_only"] is True and index["counts"]["documents"] == 9


def test_errors_are_one_line(client: httpx.Client) -> None:
    missing = client.get("/api/meetings/999999")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no document with id 999999", "status": 404}
    page = client.get("/meetings/999999")
    assert page.status_code == 404 and "no document with id 999999" in page.text
    bad = client.get("/api/search?q=x&act=SHOUT")
    assert bad.status_code == 400 and "unknown act 'SHOUT'" in bad.json()["error"]
    bad_date = client.get("/api/meetings?since=last-year")
    assert bad_date.status_code == 400 and "since" in bad_date.json()["error"]
    not_int = client.get("/api/meetings?limit=lots")
    assert not_int.status_code == 422 and "limit" in not_int.json()["error"]
    no_topic = client.get("/api/trace")
    assert no_topic.status_code == 400


def test_pages_carry_security_headers(client: httpx.Client) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "cdn" not in page.text.lower()
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200


def test_static_files_are_ours() -> None:
    """No third-party script is shipped: the app's one script is small and ours."""
    static = Path(__file__).resolve().parents[1] / "src" / "readout" / "web" / "static"
    scripts = sorted(p.name for p in static.glob("*.js"))
    assert scripts == ["app.js"]
    assert (static / "app.js").read_text(encoding="utf-8").startswith("// readout:")


def test_versions_of_a_source(tmp_path: Path) -> None:
    """A changed file at the same path is a new version; the list shows the latest unless
    asked for all, and the old version's page says it is superseded."""
    store = connect(str(tmp_path / "v.sqlite"))
    page = tmp_path / "readout.txt"
    text = REFERENCE.read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    assert ingest(store, [page]).ok
    page.write_text(text.replace("約2時間30分", "約3時間"), encoding="utf-8")
    assert ingest(store, [page]).ok
    with serve(store) as base, httpx.Client(base_url=base, trust_env=False) as client:
        latest = _json(client, "/api/meetings")["meetings"]
        both = _json(client, "/api/meetings?all_versions=true")["meetings"]
        assert [m["version"] for m in latest] == [2]
        assert sorted(m["version"] for m in both) == [1, 2]
        old = next(m["id"] for m in both if m["version"] == 1)
        assert "superseded" in client.get(f"/meetings/{old}").text
        assert "superseded" not in client.get(f"/meetings/{latest[0]['id']}").text
    store.close()
