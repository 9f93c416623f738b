"""A real HTTP server on 127.0.0.1 for the fetch tests: saved pages, a PDF, errors, a
flaky endpoint, a slow one, and validators for the cache.  It serves from a thread of the
test process; nothing contacts any address but the loopback one."""

from __future__ import annotations

import gzip
import io
import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from fpdf import FPDF
from PIL import Image

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


@contextmanager
def serving() -> Iterator[Server]:
    """A :class:`Server` running until the block ends."""
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


def env_without_proxies() -> dict[str, str]:
    """The environment for a child process that must talk to 127.0.0.1 directly."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    env["NO_PROXY"] = "127.0.0.1,localhost"
    return env
