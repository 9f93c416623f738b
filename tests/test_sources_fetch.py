"""readout.sources.fetch against a real HTTP server on 127.0.0.1 (tests/http_pages.py)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import readout
from readout.errors import ReadoutInputError
from readout.io import load_source
from readout.sources.fetch import (
    USER_AGENT,
    Cache,
    Fetched,
    Fetcher,
    FetchError,
    charset_of,
    load_url,
    local_path,
)
from tests.http_pages import (
    MODERN,
    PAGES,
    PDF,
    PROXY_VARIABLES,
    TEXT,
    Server,
    free_port,
    serving,
)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to 127.0.0.1, whatever proxy the environment names."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


def fetcher(**kwargs: object) -> Fetcher:
    options: dict[str, object] = {"rate": 0, "retries": 0, "backoff": 0.01, "timeout": 5}
    options.update(kwargs)
    return Fetcher(**options)  # type: ignore[arg-type]


def fetch_error(url: str, **kwargs: object) -> str:
    with fetcher(**kwargs) as f, pytest.raises(FetchError) as info:
        f.get(url)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{url}: ")
    assert isinstance(info.value, ReadoutInputError)
    return info.value.problem


# --- pages that load ----------------------------------------------------------------------


def test_page_loads_like_a_saved_file(server: Server) -> None:
    url = f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html"
    loaded = load_url(url, rate=0)
    assert loaded.text == (PAGES / "mofa_2023_au_fm.expected.txt").read_text(encoding="utf-8")
    assert loaded.source.url == url
    assert loaded.source.path is None
    assert loaded.source.format == "html"
    assert loaded.source.encoding == "utf-8"
    assert loaded.source.sha256 == hashlib.sha256(MODERN).hexdigest()
    assert loaded.raw == MODERN


def test_user_agent_and_accept(server: Server) -> None:
    with fetcher() as f:
        f.get(f"{server.base}/readout.txt")
    _, headers = server.requests[-1]
    assert headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith(f"readout/{readout.__version__} (+https://")
    assert "text/html" in headers["Accept"]


def test_meta_charset_when_the_header_has_none(server: Server) -> None:
    loaded = load_url(f"{server.base}/mofaj/old/sjis.html", rate=0)
    assert loaded.source.encoding == "shift_jis"
    assert loaded.text == (PAGES / "mofa_2012_us_phone_sjis.expected.txt").read_text("utf-8")


def test_charset_from_the_content_type_header(server: Server) -> None:
    loaded = load_url(f"{server.base}/charset-in-header", rate=0)
    assert loaded.source.encoding == "euc-jp"
    assert "○ 両長官は、協力を確認。" in loaded.text


def test_plain_text_and_pdf_by_content_type(server: Server) -> None:
    text = load_url(f"{server.base}/readout.txt", rate=0)
    assert (text.source.format, text.source.encoding) == ("text", "shift_jis")
    assert text.text == TEXT.decode("cp932")
    pdf = load_url(f"{server.base}/files/statement.pdf", rate=0)
    assert (pdf.source.format, pdf.text) == ("pdf", "Joint Statement\n")


def test_pdf_served_as_octet_stream_is_sniffed(server: Server) -> None:
    loaded = load_url(f"{server.base}/download?id=7", rate=0)
    assert loaded.source.format == "pdf"


def test_redirect_is_followed_and_the_asked_url_kept(server: Server) -> None:
    loaded = load_url(f"{server.base}/moved", rate=0)
    assert loaded.source.url == f"{server.base}/moved"
    assert loaded.source.sha256 == hashlib.sha256(MODERN).hexdigest()


def test_compressed_answer_is_hashed_as_the_page(server: Server) -> None:
    loaded = load_url(f"{server.base}/gzip", rate=0)
    assert loaded.source.sha256 == hashlib.sha256(MODERN).hexdigest()


def test_load_source_and_parse_file_take_urls(server: Server) -> None:
    url = f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html"
    assert load_source(url).source.url == url
    record = readout.parse_file(url)
    assert record.source.url == url
    assert record.title == "日豪外相会談"
    assert [s.title for s in record.sections] == ["二国間関係", "地域情勢", "多国間協力"]


# --- politeness ---------------------------------------------------------------------------


def test_requests_to_one_host_wait_for_the_rate(server: Server) -> None:
    with fetcher(rate=0.4) as f:
        start = time.monotonic()
        for _ in range(3):
            f.get(f"{server.base}/readout.txt")
        elapsed = time.monotonic() - start
    assert elapsed >= 0.8  # three requests: two waits


def test_default_rate_is_one_request_a_second() -> None:
    with Fetcher() as f:
        assert f.rate == 1.0


# --- the cache ----------------------------------------------------------------------------


def test_etag_revalidation_answers_from_the_cache(server: Server, tmp_path: Path) -> None:
    url = f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html"
    with fetcher(cache_dir=tmp_path) as f:
        first = f.get(url)
        second = f.get(url)
    assert not first.from_cache
    assert second.from_cache
    assert second.body == first.body == MODERN
    assert second.content_type == "text/html; charset=UTF-8"
    assert server.requests[-1][1].get("If-None-Match") == '"v1"'
    stored = list(tmp_path.rglob("*.json"))
    assert len(stored) == 1
    meta = json.loads(stored[0].read_text(encoding="utf-8"))
    assert (meta["url"], meta["etag"]) == (url, '"v1"')
    assert meta["sha256"] == hashlib.sha256(MODERN).hexdigest()


def test_last_modified_revalidation(server: Server, tmp_path: Path) -> None:
    url = f"{server.base}/dated"
    first = load_url(url, cache_dir=tmp_path, rate=0)
    second = load_url(url, cache_dir=tmp_path, rate=0)
    assert first.text == second.text
    assert server.hits["/dated"] == 2
    assert server.requests[-1][1]["If-Modified-Since"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_damaged_cache_entry_is_fetched_again(server: Server, tmp_path: Path) -> None:
    url = f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html"
    with fetcher(cache_dir=tmp_path) as f:
        f.get(url)
        body = next(tmp_path.rglob("*.body"))
        body.write_bytes(MODERN[:100])
        again = f.get(url)
    assert not again.from_cache
    assert again.body == MODERN
    assert "If-None-Match" not in server.requests[-1][1]
    assert Cache(tmp_path).load(url) is not None


def test_cache_is_by_url(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.load("http://127.0.0.1/a") is None


# --- errors -------------------------------------------------------------------------------


def test_not_found(server: Server) -> None:
    assert fetch_error(f"{server.base}/nothing-here") == "HTTP 404 Not Found"
    assert server.hits["/nothing-here"] == 1  # a 4xx is not retried


def test_forbidden(server: Server) -> None:
    assert fetch_error(f"{server.base}/forbidden", retries=3) == "HTTP 403 Forbidden"
    assert server.hits["/forbidden"] == 1


def test_server_error_is_retried_until_it_passes(server: Server) -> None:
    with fetcher(retries=3) as f:
        fetched = f.get(f"{server.base}/flaky")
    assert fetched.body == MODERN
    assert server.hits["/flaky"] == 3


def test_backoff_doubles(server: Server) -> None:
    start = time.monotonic()
    with fetcher(retries=2, backoff=0.2) as f:
        f.get(f"{server.base}/flaky")
    assert time.monotonic() - start >= 0.6  # 0.2 s, then 0.4 s


def test_too_many_requests_honours_retry_after(server: Server) -> None:
    with fetcher(retries=1, backoff=30) as f:
        start = time.monotonic()
        f.get(f"{server.base}/busy")
    assert time.monotonic() - start < 5  # Retry-After: 0, not the 30 s backoff
    assert server.hits["/busy"] == 2


def test_server_error_that_persists(server: Server) -> None:
    problem = fetch_error(f"{server.base}/down", retries=2)
    assert problem == "HTTP 503 Service Unavailable (3 attempts)"
    assert server.hits["/down"] == 3


def test_timeout(server: Server) -> None:
    start = time.monotonic()
    problem = fetch_error(f"{server.base}/slow", timeout=0.3, retries=1)
    assert problem == "timed out after 0.3 s (2 attempts)"
    assert time.monotonic() - start < 1.9


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/page.html"
    assert fetch_error(url) == "connection refused"


def test_connection_refused_is_retried() -> None:
    url = f"http://127.0.0.1:{free_port()}/page.html"
    assert fetch_error(url, retries=2) == "connection refused (3 attempts)"


def test_redirect_loop(server: Server) -> None:
    assert fetch_error(f"{server.base}/loop") == "too many redirects"


def test_empty_answer(server: Server) -> None:
    assert fetch_error(f"{server.base}/empty") == "empty response (0 bytes)"


def test_answer_over_the_size_limit(server: Server) -> None:
    problem = fetch_error(f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html", max_bytes=1000)
    assert problem.startswith(f"response too large: {len(MODERN):,} bytes is over the limit")
    assert "--max-bytes" in problem


@pytest.mark.parametrize(
    ("url", "problem"),
    [("ftp://127.0.0.1/a.html", "not an http:// or https:// URL"), ("page.html", "not an")],
)
def test_not_a_web_address(url: str, problem: str) -> None:
    assert fetch_error(url).startswith(problem)


def test_page_with_no_readout_is_an_input_error(server: Server) -> None:
    with pytest.raises(ReadoutInputError) as info:
        load_url(f"{server.base}/scan.pdf", rate=0)
    assert str(info.value) == f"{server.base}/scan.pdf: PDF has no text layer (scanned?)"


# --- where readout fetch saves --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type", "path"),
    [
        (
            "https://www.mofa.go.jp/mofaj/na/page4_000001.html",
            "text/html",
            "www.mofa.go.jp/mofaj/na/page4_000001.html",
        ),
        ("https://www.mod.go.jp/j/press/", "text/html", "www.mod.go.jp/j/press/index.html"),
        ("https://www.mod.go.jp", "text/html", "www.mod.go.jp/index.html"),
        ("http://127.0.0.1:8080/files/a.pdf", "application/pdf", "127.0.0.1_8080/files/a.pdf"),
        ("http://h/x/download", "application/pdf", "h/x/download.pdf"),
        ("http://h/page.php", "text/html", "h/page.php.html"),
        ("http://h/%E6%A6%82%E8%A6%81.txt", "text/plain", "h/概要.txt"),
        ("http://h/a/../../etc/passwd", "text/plain", "h/etc/passwd.txt"),
        ("http://h/a%2F..%2F..%2Fb.html", "text/html", "h/a/_/_/b.html"),
    ],
)
def test_local_path(url: str, content_type: str, path: str) -> None:
    body = PDF if content_type == "application/pdf" else b"x"
    got = local_path(Fetched(url, url, content_type, body))
    assert got.as_posix() == path
    assert ".." not in got.parts


def test_local_path_of_a_query_gets_a_hash() -> None:
    url = "http://h/page.php?id=7"
    got = local_path(Fetched(url, url, "text/html", b"x"))
    digest = hashlib.sha256(b"id=7").hexdigest()[:8]
    assert got.as_posix() == f"h/page.php_{digest}.html"


def test_charset_of() -> None:
    assert charset_of('text/html; charset="Shift_JIS"') == "Shift_JIS"
    assert charset_of("text/html") is None
    assert charset_of(None) is None
