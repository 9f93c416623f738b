"""``readout fetch`` against a real HTTP server on 127.0.0.1 (tests/http_pages.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.http_pages import MODERN, PDF, SJIS, Server, env_without_proxies, free_port, serving


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as srv:
        yield srv


def run_fetch(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readout", "fetch", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env_without_proxies(),
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
