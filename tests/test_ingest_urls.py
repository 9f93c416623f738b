"""Ingest from URLs served by a real HTTP server on 127.0.0.1: pages in their own
encodings, a list of URLs, unchanged pages, a changed page as a new version, a page that
is not there; and reparse of stored pages through the same loader.  SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

import readout
from readout.cli import main
from readout.ingest import ingest, reparse
from readout.sources.fetch import load_url
from readout.store import Store
from readout.store import models as m
from readout.store.read import get_document, list_meetings, table_counts
from tests import stores
from tests.generate import readouts
from tests.stores import assert_whole

store = stores.store
store_url = stores.store_url

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"


class Pages(ThreadingHTTPServer):
    """Serves ``self.pages``: path → (content type, body); anything else is a 404."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, tuple[str, bytes]] = {}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: Pages

    def do_GET(self) -> None:
        content_type, body = self.server.pages.get(self.path, ("text/html", b"<h1>Not Found</h1>"))
        self.send_response(200 if self.path in self.server.pages else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def site() -> Iterator[Pages]:
    server = Pages()
    server.pages = {
        "/mofaj/a/au_fm.html": ("text/html", (PAGES / "mofa_2023_au_fm.html").read_bytes()),
        "/mofaj/b/us_phone.html": (
            "text/html; charset=Shift_JIS",
            (PAGES / "mofa_2012_us_phone_sjis.html").read_bytes(),
        ),
        "/j/approach/eucjp": ("text/html", (PAGES / "mod_2005_us_defmin_eucjp.html").read_bytes()),
        "/plain.txt": ("text/plain; charset=utf-8", next(readouts(1))[1].encode("utf-8")),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_urls_are_ingested_once_and_a_changed_page_is_a_new_version(
    store: Store, site: Pages, tmp_path: Path
) -> None:
    urls = [site.url(path) for path in site.pages]
    listing = tmp_path / "pages.urls"
    listing.write_text("\n".join([*urls, site.url("/gone.html")]) + "\n", encoding="utf-8")

    first = ingest(store, [listing], rate=0)
    assert first.added == 4
    assert [(f.source, f.reason) for f in first.failed] == [
        (site.url("/gone.html"), "HTTP 404 Not Found")
    ]
    for row in list_meetings(store):
        record = get_document(store, row.id)
        assert record.source.url == row.source
        assert record == readout.parse(load_url(row.source, rate=0).text, record.source)
    with Session(store.engine) as session:
        rows = session.execute(select(m.Document.url, m.Document.encoding))
        formats = {url: encoding for url, encoding in rows}
    assert formats[site.url("/mofaj/b/us_phone.html")] == "shift_jis"
    assert formats[site.url("/j/approach/eucjp")] == "euc-jp"

    second = ingest(store, urls, rate=0)
    assert (second.added, second.unchanged) == (0, 4)

    page = site.url("/plain.txt")
    site.pages["/plain.txt"] = ("text/plain", next(readouts(1, start=5))[1].encode("utf-8"))
    third = ingest(store, urls, rate=0)
    assert (third.added, third.new_versions, third.unchanged) == (1, 1, 3)
    with Session(store.engine) as session:
        versions = session.execute(
            select(m.Document.version, m.Document.latest)
            .where(m.Document.url == page)
            .order_by(m.Document.version)
        ).all()
    assert [tuple(v) for v in versions] == [(1, False), (2, True)]
    assert_whole(store)


def test_stored_pages_reparse_through_the_same_loader(store: Store, site: Pages) -> None:
    urls = [site.url(path) for path in site.pages]
    ingest(store, urls, rate=0)
    before = {r.source: get_document(store, r.id) for r in list_meetings(store)}
    counts = table_counts(store)
    assert reparse(store, all=True).reparsed == 4
    assert table_counts(store) == counts
    after = {r.source: get_document(store, r.id) for r in list_meetings(store)}
    assert after == before


def test_the_cli_ingests_urls(store_url: str, site: Pages, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(site.url("/mofaj/a/au_fm.html") + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            *("ingest", site.url("/plain.txt"), "--urls", str(listing), "--rate", "0"),
            *("--db", store_url, "--cache", str(tmp_path / "cache")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2 sources into" in result.stdout and "2 added" in result.stdout
    assert any((tmp_path / "cache").iterdir())
