"""``readout fetch``: save readout pages from the web, politely, for ``readout parse``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from readout.errors import ReadoutInputError
from readout.sources.fetch import (
    DEFAULT_RATE,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    Fetcher,
    local_path,
)


@click.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Save pages under this folder, as HOST/PATH.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep responses here and revalidate them (ETag / Last-Modified) next time.",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=DEFAULT_RATE,
    show_default=True,
    help="Seconds between two requests to the same host.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=DEFAULT_RETRIES,
    show_default=True,
    help="Retries after connection errors, timeouts, 429 and 5xx (backoff 1 s, 2 s, 4 s …).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds to wait for the server to connect or send.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse answers larger than this many bytes (default 20 MiB).",
)
def fetch_command(
    urls: tuple[str, ...],
    out_dir: Path,
    cache_dir: Path | None,
    rate: float,
    retries: int,
    timeout: float,
    max_bytes: int | None,
) -> None:
    """Download readout pages (HTML, PDF, text) into a folder, for `readout parse DIR`.

    Each URL is saved as OUTPUT/HOST/PATH with its bytes unchanged, and reported on
    stdout as `URL -> FILE`.  A URL that fails is reported on stderr as
    `readout: URL: problem` (HTTP 404 Not Found, timed out, connection refused …) and the
    others are still fetched; the exit code is then 1.
    """
    failed = False
    with Fetcher(
        cache_dir=cache_dir, rate=rate, retries=retries, timeout=timeout, max_bytes=max_bytes
    ) as fetcher:
        for url in urls:
            try:
                fetched = fetcher.get(url)
            except ReadoutInputError as err:
                failed = True
                click.echo(f"readout: {err}", err=True)
                continue
            target = out_dir / local_path(fetched)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(fetched.body)
            except OSError as err:
                failed = True
                click.echo(f"readout: {target}: cannot write: {err.strerror or err}", err=True)
                continue
            note = ", not modified since the cached copy" if fetched.from_cache else ""
            click.echo(f"{url} -> {target} ({len(fetched.body):,} bytes{note})")
    if failed:
        sys.exit(1)


def register(main: click.Group) -> None:
    """Attach ``readout fetch`` to the ``readout`` group."""
    main.add_command(fetch_command)
