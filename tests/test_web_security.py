"""The web app against hostile or careless input: writes without the token, markup in a
readout, query syntax in a search, oversized and malformed uploads, open redirects.

Each test serves the real app with uvicorn on 127.0.0.1 over a real store (SQLite and the
real PostgreSQL server) and talks to it with httpx over a socket.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from readout.ingest import ingest
from readout.store import Store
from tests import http_pages, stores
from tests.web import REFERENCE, TOKEN, load_corpus, serve

store = stores.store
store_url = stores.store_url

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything here talks to 127.0.0.1 directly."""
    for name in http_pages.PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def _client(base: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=30, trust_env=False)


@pytest.fixture
def loaded(store: Store) -> Store:
    load_corpus(store)
    return store


def _reference(client: httpx.Client) -> int:
    rows = client.get("/api/meetings", params={"limit": 500}).json()["meetings"]
    return int(next(m["id"] for m in rows if m["source"].endswith("jp-us-2plus2.txt")))


WRITES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("POST", "/api/meetings/{ref}/statements/st1/correction", {"json": {"act": "AGREE"}}),
    ("DELETE", "/api/meetings/{ref}/statements/st1/correction", {}),
    ("POST", "/meetings/{ref}/statements/st1/correction", {"data": {"act": "AGREE"}}),
    ("POST", "/api/commitments/1/status", {"json": {"status": "met"}}),
    ("POST", "/commitments/1/status", {"data": {"status": "met"}}),
    ("POST", "/api/ingest", {"json": {"url": "http://127.0.0.1:9/x"}}),
    ("POST", "/ingest", {"files": {"file": ("a.txt", "日米外相会談\n".encode())}}),
)


def _write(
    client: httpx.Client, ref: int, method: str, path: str, kw: dict[str, Any], **extra: Any
) -> httpx.Response:
    return client.request(method, path.format(ref=ref), **kw, **extra)


def test_a_read_only_server_refuses_every_write(loaded: Store) -> None:
    with serve(loaded, token=None) as base, _client(base) as client:
        ref = _reference(client)
        for method, path, kw in WRITES:
            response = _write(client, ref, method, path, kw, headers=AUTH)
            assert response.status_code == 403, (method, path, response.text[:200])
            assert "read-only" in response.text
        # Nothing changed.
        data = client.get(f"/api/meetings/{ref}").json()
        assert data["corrections"] == {}
        assert client.get("/api").json()["read_only"] is True


def test_writes_need_the_right_token(loaded: Store) -> None:
    with serve(loaded, token=TOKEN) as base, _client(base) as client:
        ref = _reference(client)
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-Readout-Token": "wrong"}):
            for method, path, kw in WRITES:
                response = _write(client, ref, method, path, kw, headers=headers)
                assert response.status_code == 401, (method, path, headers)
        assert client.get(f"/api/meetings/{ref}").json()["corrections"] == {}
        before = client.get("/api/meetings").json()["page"]["shown"]
        assert before == 9
        ok = client.post(
            f"/api/meetings/{ref}/statements/st1/correction", json={"act": "AGREE"}, headers=AUTH
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["act"] == "AGREE"
        via_header = client.delete(
            f"/api/meetings/{ref}/statements/st1/correction",
            headers={"X-Readout-Token": TOKEN},
        )
        assert via_header.status_code == 200 and via_header.json()["removed"] is True


def test_the_login_cookie_works_only_from_this_site(loaded: Store) -> None:
    with serve(loaded, token=TOKEN) as base, _client(base) as client:
        ref = _reference(client)
        wrong = client.post("/login", data={"token": "nope", "next": "/"})
        assert wrong.status_code == 401 and "readout_token" not in wrong.cookies
        login = client.post("/login", data={"token": TOKEN, "next": f"/meetings/{ref}"})
        assert login.status_code == 303 and login.headers["location"] == f"/meetings/{ref}"
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        path = f"/meetings/{ref}/statements/st2/correction"
        foreign = client.post(path, data={"act": "AGREE"}, headers={"Origin": "http://evil.test"})
        assert foreign.status_code == 403
        same = client.post(path, data={"act": "AGREE"}, headers={"Origin": base})
        assert same.status_code == 303
        assert client.get(f"/api/meetings/{ref}").json()["corrections"]["st2"]["act"] == "AGREE"


@pytest.mark.parametrize("target", ["//evil.test/x", "https://evil.test/", "javascript:alert(1)"])
def test_login_does_not_redirect_off_site(loaded: Store, target: str) -> None:
    with serve(loaded, token=TOKEN) as base, _client(base) as client:
        response = client.post("/login", data={"token": TOKEN, "next": target})
        assert response.status_code == 303 and response.headers["location"] == "/"


HOSTILE = (
    "日米外相会談（概要）<script>alert('title')</script>\n\n"
    "令和5年4月10日\n\n"
    "1 林外務大臣は、ブリンケン国務長官との間で会談を行った。\n"
    "2 林大臣から、<script>alert(1)</script>日米同盟の強化を確認した。"
    '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">リンク</a>\n'
    "3 両外相は、<b onmouseover=alert(4)>北朝鮮</b>への対応で緊密に連携することで一致した。\n"
)


def test_markup_in_a_readout_renders_inert(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    assert ingest(store, [path]).ok
    with serve(store) as base, _client(base) as client:
        doc = client.get("/api/meetings").json()["meetings"][0]["id"]
        record = client.get(f"/api/meetings/{doc}").json()["record"]
        assert "<script>alert(1)</script>" in record["text"]  # the data keeps the text as is
        pages = [
            client.get(f"/meetings/{doc}"),
            client.get("/search", params={"q": "日米同盟"}),
            client.get("/search", params={"q": "北朝鮮"}),
            client.get("/meetings"),
            client.get("/"),
        ]
        for page in pages:
            assert page.status_code == 200
            html = page.text
            assert "<script>alert" not in html
            assert "<img src=x" not in html and "<b onmouseover" not in html
            assert 'href="javascript:' not in html
            assert "&lt;script&gt;" in html or page.url.path != f"/meetings/{doc}"
            assert page.headers["content-security-policy"].startswith("default-src 'self'")
        meeting = pages[0].text
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in meeting


NASTY_QUERIES = (
    "' OR 1=1 --",
    '" OR ""="',
    "尖閣' UNION SELECT sha256, raw FROM documents --",
    "*",
    "NEAR(尖閣 第5条)",
    "尖閣 AND OR NOT",
    "text:尖閣",
    '"尖閣',
    "%_%",
    "\\",
    "); DROP TABLE statements; --",
    "尖閣 & | ! <-> :*",
    "\x00",
    "(((((",
    "a" * 2000,
)


def test_query_syntax_in_a_search_neither_errors_nor_leaks(loaded: Store) -> None:
    with serve(loaded) as base, _client(base) as client:
        total = client.get("/api").json()["counts"]["statements"]
        senkaku = client.get("/api/search", params={"q": "尖閣"}).json()["ranked"]
        for q in NASTY_QUERIES:
            for path in ("/api/search", "/search", "/api/trace", "/trace"):
                response = client.get(path, params={"q": q, "speaker": "US"})
                # A trace that finds nothing is a 404 with a message, a NUL character a
                # 400 (no database stores one); nothing is a 500.
                allowed = (400,) if "\x00" in q else (200, 404)
                assert response.status_code in allowed, (path, q, response.text[:300])
                body = response.text.lower()
                for leak in ("traceback", "sqlite", "psycopg", "syntax error", "fts5", "select "):
                    assert leak not in body or leak in q.lower(), (path, q, leak)
            if "\x00" in q:
                continue
            data = client.get("/api/search", params={"q": q}).json()
            assert (data["ranked"] or 0) < total, q
            for hit in data["hits"]:
                assert set(hit) >= {"text", "speaker", "act"}
                assert "raw" not in hit and "sha256" not in hit
            if "尖閣" in q:
                assert (data["ranked"] or 0) <= senkaku
        # Still whole afterwards.
        assert client.get("/api").json()["counts"]["statements"] == total


def test_uploads_over_the_limit_are_refused(store: Store, tmp_path: Path) -> None:
    limit = 4096
    with serve(store, token=TOKEN, max_upload=limit, uploads=tmp_path / "up") as base:
        with _client(base) as client:
            big = "日米外相会談\n\n".encode() + b"x" * (limit + 10)
            response = client.post("/api/ingest", files={"file": ("big.txt", big)}, headers=AUTH)
            assert response.status_code == 413
            assert "4,096 bytes" in response.json()["error"]
            huge = "日米外相会談\n".encode() * 20_000  # past the form's framing allowance too
            response = client.post("/api/ingest", files={"file": ("huge.txt", huge)}, headers=AUTH)
            assert response.status_code == 413
            assert client.get("/api/meetings").json()["meetings"] == []
        assert not (tmp_path / "up" / "big.txt").exists()
        # A body that lies about its length, or streams without one, is cut off too.
        host, port = base.removeprefix("http://").split(":")
        for header in (f"Content-Length: {limit * 100}\r\n", "Transfer-Encoding: chunked\r\n"):
            with socket.create_connection((host, int(port)), timeout=10) as sock:
                sock.sendall(
                    (
                        f"POST /api/ingest HTTP/1.1\r\nHost: {host}\r\n"
                        f"Authorization: Bearer {TOKEN}\r\n"
                        "Content-Type: multipart/form-data; boundary=zz\r\n"
                        f"{header}\r\n"
                    ).encode()
                )
                if "chunked" in header:
                    chunk = b"y" * 32768
                    try:
                        for _ in range(8):
                            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                    except OSError:
                        pass  # the server may close the connection once it has refused
                reply = sock.recv(4096).decode(errors="replace")
                assert reply.startswith("HTTP/1.1 413"), reply[:200]


def test_bad_uploads_and_urls_get_one_clear_line(store: Store, tmp_path: Path) -> None:
    with (
        http_pages.serving() as pages,
        serve(store, token=TOKEN, uploads=tmp_path / "up") as base,
        _client(base) as client,
    ):
        cases: list[tuple[dict[str, Any], int, str]] = [
            ({"files": {"file": ("tool.exe", b"MZ\x90\x00")}}, 415, "tool.exe: not a readout file"),
            ({"files": {"file": ("empty.txt", b"  \n")}}, 400, "empty.txt: the file is empty"),
            (
                {"files": {"file": ("bad.pdf", b"%PDF-1.4 garbage")}},
                422,
                "bad.pdf:",
            ),
            ({"json": {"url": "ftp://example.org/x"}}, 400, "not an http(s) URL"),
            ({"json": {"url": f"{pages.base}/missing"}}, 422, "HTTP 404"),
            (
                {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
                400,
                "not JSON",
            ),
            ({"data": {"other": "x"}}, 400, "nothing to ingest"),
        ]
        for kw, status, text in cases:
            headers = {**AUTH, **kw.pop("headers", {})}
            response = client.post("/api/ingest", headers=headers, **kw)
            assert response.status_code == status, (kw, response.text)
            message = response.json()["error"]
            assert text in message and "\n" not in message, message
        assert client.get("/api/meetings").json()["meetings"] == []


def test_upload_and_url_ingest_from_the_browser_forms(store: Store, tmp_path: Path) -> None:
    with (
        http_pages.serving() as pages,
        serve(store, token=TOKEN, uploads=tmp_path / "up") as base,
        _client(base) as client,
    ):
        raw = REFERENCE.read_bytes()
        first = client.post("/ingest", files={"file": ("2+2 readout.txt", raw)}, headers=AUTH)
        assert first.status_code == 303
        page = client.get(first.headers["location"])
        assert "アントニー・ブリンケン" in page.text
        again = client.post("/api/ingest", files={"file": ("2+2 readout.txt", raw)}, headers=AUTH)
        assert again.json()["status"] == "unchanged"
        assert again.json()["url"] == first.headers["location"]
        cp932 = client.post("/api/ingest", json={"url": f"{pages.base}/readout.txt"}, headers=AUTH)
        assert cp932.status_code == 200, cp932.text
        meeting = client.get(cp932.json()["url"].replace("/meetings/", "/api/meetings/")).json()
        assert meeting["record"]["source"]["url"] == f"{pages.base}/readout.txt"
        assert (tmp_path / "up" / "2_2_readout.txt").read_bytes() == raw


def test_json_errors_are_json(store: Store) -> None:
    with serve(store, token=TOKEN) as base, _client(base) as client:
        response = client.post(
            "/api/meetings/1/statements/st1/correction", content=b"{", headers=AUTH
        )
        assert response.status_code == 422
        assert json.loads(response.text)["status"] == 422


def test_no_query_string_makes_a_server_error(loaded: Store) -> None:
    """Every GET endpoint of the OpenAPI document, every parameter given odd values: the
    answer is a page or a one-line error, never a 500."""
    odd = [
        "",
        "0",
        "-1",
        "99999999999999999999",
        "1e9",
        "' OR '1'='1",
        "尖閣\x00",
        "%",
        "2024-13-45",
        "JOINT,US,,",
        "<script>",
        "a" * 500,
        "true",
    ]
    with serve(loaded) as base, _client(base) as client:
        ref = _reference(client)
        spec = client.get("/openapi.json").json()
        for path, ops in spec["paths"].items():
            get = ops.get("get")
            if get is None:
                continue
            url = path.replace("{document_id}", str(ref))
            names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
            for name in names:
                for value in odd:
                    response = client.get(url, params={name: value})
                    assert response.status_code < 500, (url, name, value, response.text[:200])
                    if response.status_code >= 400:
                        error = response.json()["error"]
                        assert error and "\n" not in error, (url, name, value)
