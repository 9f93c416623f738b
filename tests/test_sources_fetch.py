"""readout.sources.fetch and ``readout fetch``, against a real HTTP server on 127.0.0.1.

The server runs in a thread of the test process and serves saved pages, a PDF, errors,
a flaky endpoint, a slow one and validators for the cache.  Nothing here contacts any
address but the loopback one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

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

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
MODERN = (PAGES / "mofa_2023_au_fm.html").read_bytes()
SJIS = (PAGES / "mofa_2012_us_phone_sjis.html").read_bytes()
EUC_PAGE = (
    "<html><head><title>日米防衛相会談</title></head><body><h1>日米防衛相会談</h1>"
    "<p>平成17年2月20日</p><p>○ 両長官は、協力を確認。</p></body></html>"
).encode("euc_jp")
TEXT = "日米外相会談\n\n令和5年4月10日\n\n両外相は、日米同盟の強化で一致した。\n".encode("cp932")


def _pdf() -> bytes:
    """A one-page PDF with one line of text in a standard font."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Joint Statement")
    return bytes(pdf.output())


def _scan() -> bytes:
    """A one-page PDF holding only an image, as a scanner makes them."""
    image = io.BytesIO()
    Image.new("L", (100, 140), color=230).save(image, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


PDF = _pdf()
SCAN = _scan()


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        srv = self.server
        path = self.path
        srv.hits[path] += 1
        srv.requests.append((path, dict(self.headers.items())))
        if path == "/mofaj/a_o/ocn/au/page1_000001.html":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304, b"", None, ETag='"v1"')
            else:
                self.send(200, MODERN, "text/html; charset=UTF-8", ETag='"v1"')
        elif path == "/mofaj/old/sjis.html":
            self.send(200, SJIS, "text/html")  # the page's meta says Shift_JIS
        elif path == "/charset-in-header":
            self.send(200, EUC_PAGE, "text/html; charset=EUC-JP")
        elif path == "/readout.txt":
            self.send(200, TEXT, "text/plain")
        elif path == "/files/statement.pdf":
            self.send(200, PDF, "application/pdf")
        elif path == "/download?id=7":
            self.send(200, PDF, "application/octet-stream")
        elif path == "/dated":
            stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
            if self.headers.get("If-Modified-Since") == stamp:
                self.send(304, b"", None)
            else:
                self.send(200, MODERN, "text/html; charset=utf-8", Last_Modified=stamp)
        elif path == "/moved":
            self.send(301, b"", None, Location="/mofaj/a_o/ocn/au/page1_000001.html")
        elif path == "/loop":
            self.send(302, b"", None, Location="/loop")
        elif path == "/gzip":
            self.send(
                200, gzip.compress(MODERN), "text/html; charset=utf-8", Content_Encoding="gzip"
            )
        elif path == "/flaky":
            if srv.hits[path] <= 2:
                self.send(500, b"<h1>Internal Server Error</h1>", "text/html")
            else:
                self.send(200, MODERN, "text/html; charset=utf-8")
        elif path == "/busy":
            if srv.hits[path] == 1:
                self.send(429, b"slow down", "text/plain", Retry_After="0")
            else:
                self.send(200, MODERN, "text/html; charset=utf-8")
        elif path == "/down":
            self.send(503, b"maintenance", "text/plain")
        elif path == "/slow":
            time.sleep(2)
            self.send(200, MODERN, "text/html; charset=utf-8")
        elif path == "/empty":
            self.send(200, b"", "text/html")
        elif path == "/forbidden":
            self.send(403, b"no", "text/plain")
        elif path == "/scan.pdf":
            self.send(200, SCAN, "application/pdf")
        else:
            self.send(404, b"<h1>Not Found</h1>", "text/html")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on /slow closes its socket early

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go straight to 127.0.0.1, whatever proxy the environment names."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


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


# --- readout fetch ------------------------------------------------------------------------


def run_fetch(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return subprocess.run(
        [sys.executable, "-m", "readout", "fetch", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )


def test_fetch_saves_pages_for_parse(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    cache = tmp_path / "cache"
    urls = [
        f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html",
        f"{server.base}/mofaj/old/sjis.html",
        f"{server.base}/files/statement.pdf",
    ]
    result = run_fetch(*urls, "-o", out, "--cache", cache, "--rate", "0")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    host = f"127.0.0.1_{server.server_address[1]}"
    saved = out / host / "mofaj" / "a_o" / "ocn" / "au" / "page1_000001.html"
    assert saved.read_bytes() == MODERN
    assert (out / host / "mofaj" / "old" / "sjis.html").read_bytes() == SJIS
    assert (out / host / "files" / "statement.pdf").read_bytes() == PDF
    assert result.stdout.splitlines()[0] == f"{urls[0]} -> {saved} ({len(MODERN):,} bytes)"
    # Saved pages are readout's input like any file.
    parsed = subprocess.run(
        [sys.executable, "-m", "readout", "parse", "--format", "jsonl", out],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert parsed.returncode == 0, parsed.stderr
    records = [json.loads(line) for line in parsed.stdout.splitlines()]
    assert sorted(r["source"]["format"] for r in records) == ["html", "html", "pdf"]
    # A second run asks with the validators and says the copy was current.
    again = run_fetch(urls[0], "-o", out, "--cache", cache, "--rate", "0")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().endswith("bytes, not modified since the cached copy)")


def test_fetch_reports_each_failure_on_one_line(server: Server, tmp_path: Path) -> None:
    refused = f"http://127.0.0.1:{free_port()}/a.html"
    urls = [
        f"{server.base}/nothing-here",
        f"{server.base}/mofaj/a_o/ocn/au/page1_000001.html",
        f"{server.base}/down",
        f"{server.base}/slow",
        refused,
    ]
    args = ["-o", tmp_path, "--rate", "0", "--retries", "1", "--timeout", "0.5"]
    result = run_fetch(*urls, *args)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"readout: {urls[0]}: HTTP 404 Not Found",
        f"readout: {urls[2]}: HTTP 503 Service Unavailable (2 attempts)",
        f"readout: {urls[3]}: timed out after 0.5 s (2 attempts)",
        f"readout: {refused}: connection refused (2 attempts)",
    ]
    assert len(result.stdout.splitlines()) == 1


def test_fetch_needs_a_url() -> None:
    result = run_fetch()
    assert result.returncode == 2
    assert "Missing argument 'URLS...'" in result.stderr
