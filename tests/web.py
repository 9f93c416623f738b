"""The web app served for real: uvicorn on 127.0.0.1, on a free port, in a thread.

``serve(store, …)`` starts the app over an open store and yields its base URL; requests
go over a real socket with httpx (the API and page tests) or Chromium (the browser
tests).  Also the corpus the web tests load: the bundled reference readout and the
composed Japan–US 2+2 series.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from readout.ingest import ingest
from readout.store import Store
from readout.web import WebConfig, create_app

TESTS = Path(__file__).resolve().parent
REFERENCE = TESTS.parent / "src" / "readout" / "samples" / "jp-us-2plus2.txt"
SERIES = TESTS / "fixtures" / "series"
TOKEN = "test-token-5f2c"


def load_corpus(store: Store) -> None:
    """The reference readout and the eight meetings of the composed 2+2 series."""
    summary = ingest(store, [REFERENCE, SERIES])
    assert summary.ok, summary.failed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve(
    store: Store,
    *,
    token: str | None = None,
    max_upload: int = 1024 * 1024,
    uploads: Path | None = None,
) -> Iterator[str]:
    """Serve the app over ``store`` until the block ends; the base URL."""
    config = WebConfig(
        db=store.url,
        token=token,
        max_upload=max_upload,
        uploads=uploads or Path(tempfile.mkdtemp(prefix="readout-uploads-")),
    )
    app = create_app(config, store=store)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
