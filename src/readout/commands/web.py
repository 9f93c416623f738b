"""``readout serve``: the web app and JSON API over a store (see :mod:`readout.web`)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import click

from readout.commands.store import DB_HELP, _fail, _open


def register(main: click.Group) -> None:
    main.add_command(serve_command)


@click.command("serve")
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--uploads",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for files uploaded in the browser (default: READOUT_UPLOADS, else "
    "readout-uploads/ beside a SQLite database, else ./readout-uploads).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (one per core serves more requests at once).",
)
def serve_command(db: str | None, host: str, port: int, uploads: Path | None, workers: int) -> None:
    """Serve the web app and its JSON API (pages at /, API at /api, spec at /openapi.json).

    Writes — corrections, commitment verdicts, ingest — need the token in READOUT_TOKEN;
    without it the app is read-only.  READOUT_MAX_UPLOAD caps an upload (bytes).
    """
    import uvicorn

    from readout.web import WebConfig, create_app

    store = _open(db, create=False)
    if uploads is None and not os.environ.get("READOUT_UPLOADS"):
        database = store.engine.url.database if store.dialect == "sqlite" else None
        if database and database != ":memory:":
            uploads = Path(database).expanduser().resolve().parent / "readout-uploads"
    try:
        config = WebConfig.from_env(db=db, uploads=uploads)
    except ValueError as err:
        _fail(f"READOUT_MAX_UPLOAD: {err}")
        sys.exit(2)
    shown = f"[{host}]" if ":" in host else host
    try:
        # IPPROTO_TCP named, so asyncio sets TCP_NODELAY on the connections it accepts;
        # without it every response after the first on a keep-alive connection waits
        # for the client's delayed ACK (~40 ms).
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as err:
        store.close()
        _fail(f"cannot listen on {shown}:{port}: {err.strerror or err}")
        sys.exit(1)
    mode = "writes need READOUT_TOKEN" if config.token else "read-only (READOUT_TOKEN not set)"
    processes = f", {workers} processes" if workers > 1 else ""
    click.echo(
        f"readout: serving {store.describe()} at http://{shown}:{port}/ — {mode}{processes}",
        err=True,
    )
    try:
        if workers == 1:
            server = uvicorn.Server(
                uvicorn.Config(
                    create_app(config, store=store),
                    host=host,
                    port=port,
                    log_level="warning",
                    access_log=False,
                )
            )
            server.run(sockets=[sock])
        else:
            # Each process builds its own app from the environment (uvicorn starts them
            # afresh), over the store this one has opened and migrated.
            store.close()
            os.environ.update(config.environment(store.url))
            from uvicorn.supervisors import Multiprocess

            shared = uvicorn.Config(
                "readout.web.app:app_from_environment",
                factory=True,
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                access_log=False,
            )
            Multiprocess(shared, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass  # Ctrl-C: uvicorn has shut down cleanly and re-raised the signal
    finally:
        sock.close()
        store.close()
