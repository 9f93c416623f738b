"""``readout serve`` as a user runs it: a subprocess, its printed address, its errors."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from readout.ingest import ingest
from readout.store import connect
from tests.http_pages import env_without_proxies
from tests.web import REFERENCE, free_port

READOUT = [sys.executable, "-m", "readout"]


def _stored(tmp_path: Path) -> Path:
    db = tmp_path / "readout.sqlite"
    store = connect(str(db))
    assert ingest(store, [REFERENCE]).ok
    store.close()
    return db


def _wait_for_line(proc: subprocess.Popen[str], needle: str, seconds: float = 60) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + seconds
    seen = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen += line
        if needle in line:
            return line
    raise AssertionError(f"no {needle!r} in: {seen}")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_prints_its_address_and_serves(tmp_path: Path, workers: int) -> None:
    db = _stored(tmp_path)
    port = free_port()
    env = {**env_without_proxies(), "READOUT_TOKEN": ""}
    proc = subprocess.Popen(
        [*READOUT, "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        line = _wait_for_line(proc, "http://")
        assert f"at http://127.0.0.1:{port}/" in line and "read-only" in line
        assert ("2 processes" in line) == (workers == 2)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"{base}/api/meetings", trust_env=False, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        for _ in range(6):  # with two processes, both answer the same
            response = httpx.get(f"{base}/api/meetings", trust_env=False, timeout=5)
            assert response.status_code == 200
            assert response.json()["meetings"][0]["title"].startswith("日米安全保障協議委員会")
        denied = httpx.post(
            f"{base}/api/ingest", json={"url": "http://127.0.0.1:9/"}, trust_env=False
        )
        assert denied.status_code == 403
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode in (0, -signal.SIGINT), proc.returncode


def test_serve_without_a_database_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    done = subprocess.run(
        [*READOUT, "serve", "--db", str(missing), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env=env_without_proxies(),
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"readout: {missing}: no such database (create it with readout ingest)"]
    assert not missing.exists()


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    db = _stored(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*READOUT, "serve", "--db", str(db), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **env_without_proxies()},
        )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"readout: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
