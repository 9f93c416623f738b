"""Readouts over HTTP: a polite client with an on-disk cache, retries and one-line errors.

:class:`Fetcher` gets URLs with httpx:

- it says who it is (:data:`USER_AGENT`) and waits between two requests to the same host
  (``rate`` seconds, one second by default; the wait is shared by every fetcher in the
  process);
- with a ``cache_dir`` it keeps each response's body and headers on disk, keyed by URL,
  and asks again with ``If-None-Match`` / ``If-Modified-Since``: a ``304 Not Modified``
  is answered from the cache;
- connection errors, timeouts, ``429`` and ``5xx`` answers are retried ``retries`` times
  with exponential backoff (``backoff``, ``2 × backoff``, ``4 × backoff`` … seconds, or
  the server's ``Retry-After`` when it gives one, up to a minute);
- anything that still fails raises :class:`FetchError`, whose text is one line:
  ``URL: HTTP 404 Not Found``, ``URL: timed out after 30 s (4 attempts)``,
  ``URL: connection refused``.

:func:`load_url` fetches one URL and decodes it like a file (:mod:`readout.io`): the
format from the Content-Type (or the URL's suffix, or the bytes), the charset from the
Content-Type or the page's meta, ``source.url`` and the sha256 of the bytes received.
"""

from __future__ import annotations

import email.utils
import hashlib
import http
import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from types import TracebackType
from urllib.parse import unquote

import httpx

from readout import __version__
from readout.errors import ReadoutInputError
from readout.io import (
    DEFAULT_MAX_BYTES,
    SUFFIX_FORMATS,
    Loaded,
    decode_document,
    format_of,
    source_for,
)

USER_AGENT = f"readout/{__version__} (+https://github.com/readout/readout)"
#: Seconds between two requests to one host.
DEFAULT_RATE = 1.0
#: Retries after the first attempt, for connection errors, timeouts, 429 and 5xx.
DEFAULT_RETRIES = 3
#: Seconds to wait to connect, and between two pieces of the answer.
DEFAULT_TIMEOUT = 30.0
#: Seconds before the first retry; each further retry waits twice as long.
DEFAULT_BACKOFF = 1.0
#: The longest wait a server's Retry-After may impose.
MAX_RETRY_AFTER = 60.0

_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"


class FetchError(ReadoutInputError):
    """A URL that could not be fetched; ``str(err)`` is ``"URL: problem"`` on one line."""


@dataclass
class Fetched:
    """A successful answer (from the server, or from the cache after a 304)."""

    url: str
    final_url: str
    content_type: str | None
    body: bytes
    from_cache: bool = False

    @property
    def charset(self) -> str | None:
        """The charset parameter of the Content-Type, if any."""
        return charset_of(self.content_type)


def charset_of(content_type: str | None) -> str | None:
    """``text/html; charset=Shift_JIS`` → ``Shift_JIS``."""
    if not content_type:
        return None
    m = re.search(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", content_type, re.I)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------
# Politeness: one clock per host, shared by the whole process


_HOST_LOCK = threading.Lock()
_HOST_NEXT: dict[str, float] = {}  # host → monotonic time of its next allowed request


def _wait_turn(host: str, rate: float) -> None:
    if rate <= 0:
        return
    with _HOST_LOCK:
        now = time.monotonic()
        start = max(now, _HOST_NEXT.get(host, now))
        _HOST_NEXT[host] = start + rate
    if start > now:
        time.sleep(start - now)


# ---------------------------------------------------------------------------------------
# The on-disk cache


@dataclass
class CacheEntry:
    url: str
    final_url: str
    content_type: str | None
    etag: str | None
    last_modified: str | None
    body: bytes


class Cache:
    """Responses on disk: ``KEY.json`` (URL and headers) and ``KEY.body``, by URL hash."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        base = self.folder / key[:2] / key
        return base.with_suffix(".json"), base.with_suffix(".body")

    def load(self, url: str) -> CacheEntry | None:
        """The stored answer for ``url``; None when absent, unreadable or damaged."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None  # a body cut short or replaced: fetch it again
        return CacheEntry(
            url=url,
            final_url=str(meta.get("final_url") or url),
            content_type=meta.get("content_type"),
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            body=body,
        )

    def store(self, entry: CacheEntry) -> None:
        """Keep ``entry``: the body first, then the headers that point at it."""
        meta_path, body_path = self._paths(entry.url)
        meta = {
            "url": entry.url,
            "final_url": entry.final_url,
            "content_type": entry.content_type,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "sha256": hashlib.sha256(entry.body).hexdigest(),
            "size": len(entry.body),
            "fetched": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            body_path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(body_path, entry.body)
            _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode())
        except OSError as err:
            raise FetchError(
                entry.url, f"cannot write the cache in {self.folder}: {err.strerror or err}"
            ) from None


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------
# The client


class _Retry(Exception):
    """An attempt that failed in a way worth trying again."""

    def __init__(self, problem: str, wait: float | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.wait = wait


class Fetcher:
    """Gets URLs politely; see the module docstring.  Use it as a context manager."""

    def __init__(
        self,
        *,
        cache_dir: str | Path | None = None,
        rate: float = DEFAULT_RATE,
        retries: int = DEFAULT_RETRIES,
        timeout: float = DEFAULT_TIMEOUT,
        backoff: float = DEFAULT_BACKOFF,
        max_bytes: int | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.cache = Cache(cache_dir) if cache_dir is not None else None
        self.rate = rate
        self.retries = max(0, retries)
        self.timeout = timeout
        self.backoff = backoff
        self.max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
        self.client = httpx.Client(
            headers={
                "User-Agent": user_agent,
                "Accept": _ACCEPT,
                "Accept-Language": "ja,en;q=0.5",
            },
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=10,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> Fetched:
        """Fetch ``url`` (or confirm the cached copy); raise :class:`FetchError` on failure."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as err:
            raise FetchError(url, f"invalid URL: {err}") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise FetchError(url, "not an http:// or https:// URL")
        host = f"{parsed.host}:{parsed.port or ''}"
        cached = self.cache.load(url) if self.cache is not None else None
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        attempt = 0
        while True:
            _wait_turn(host, self.rate)
            try:
                return self._attempt(url, headers, cached)
            except _Retry as retry:
                if attempt >= self.retries:
                    tries = f" ({attempt + 1} attempts)" if attempt else ""
                    raise FetchError(url, retry.problem + tries) from None
                wait = retry.wait if retry.wait is not None else self.backoff * 2**attempt
                time.sleep(wait)
                attempt += 1

    def _attempt(self, url: str, headers: dict[str, str], cached: CacheEntry | None) -> Fetched:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 304 and cached is not None:
                    if self.cache is not None:
                        self.cache.store(cached)  # refresh the time it was last confirmed
                    return Fetched(
                        url, cached.final_url, cached.content_type, cached.body, from_cache=True
                    )
                if status == 429 or status >= 500:
                    raise _Retry(_status_problem(response), _retry_after(response))
                if status >= 300:
                    raise FetchError(url, _status_problem(response))
                body = self._read_body(url, response)
                content_type = response.headers.get("content-type")
                final_url = str(response.url)
                etag = response.headers.get("etag")
                last_modified = response.headers.get("last-modified")
        except httpx.TimeoutException:
            raise _Retry(f"timed out after {self.timeout:g} s") from None
        except httpx.ConnectError as err:
            if "certificate" in str(err).lower():
                raise FetchError(url, f"TLS certificate not accepted: {err}") from None
            raise _Retry(_connect_problem(err, url)) from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
            raise FetchError(url, f"invalid URL: {err}") from None
        except httpx.DecodingError as err:
            raise FetchError(url, f"cannot decode the response: {err}") from None
        except httpx.TransportError as err:
            raise _Retry(f"connection failed: {err or type(err).__name__}") from None
        if not body:
            raise FetchError(url, "empty response (0 bytes)")
        if self.cache is not None:
            self.cache.store(CacheEntry(url, final_url, content_type, etag, last_modified, body))
        return Fetched(url, final_url, content_type, body)

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        limit = self.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, _too_large(int(declared), limit))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(url, _too_large(size, limit, more=True))
            chunks.append(chunk)
        return b"".join(chunks)


def _too_large(size: int, limit: int, *, more: bool = False) -> str:
    over = "over " if more else ""
    return (
        f"response too large: {over}{size:,} bytes is over the limit of {limit:,} bytes "
        "(raise it with --max-bytes N)"
    )


def _status_problem(response: httpx.Response) -> str:
    reason = response.reason_phrase
    if not reason:
        try:
            reason = http.HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = ""
    return f"HTTP {response.status_code} {reason}".rstrip()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _connect_problem(err: httpx.ConnectError, url: str) -> str:
    text = str(err)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in ("name or service", "nodename", "getaddrinfo", "resolve")):
        host = httpx.URL(url).host
        return f"cannot resolve host {host}"
    return f"cannot connect: {text or type(err).__name__}"


# ---------------------------------------------------------------------------------------
# Entry points


def load_url(
    url: str,
    *,
    cache_dir: str | Path | None = None,
    max_bytes: int | None = None,
    rate: float = DEFAULT_RATE,
    retries: int = DEFAULT_RETRIES,
    timeout: float = DEFAULT_TIMEOUT,
    backoff: float = DEFAULT_BACKOFF,
    fetcher: Fetcher | None = None,
) -> Loaded:
    """Fetch ``url`` and decode it as :func:`readout.io.read_document` decodes a file.

    Pass a ``fetcher`` to share its connection and cache over many URLs; the other
    keyword arguments then do not apply.
    """
    if fetcher is None:
        with Fetcher(
            cache_dir=cache_dir,
            rate=rate,
            retries=retries,
            timeout=timeout,
            backoff=backoff,
            max_bytes=max_bytes,
        ) as own:
            return loaded_from(own.get(url))
    return loaded_from(fetcher.get(url))


def loaded_from(fetched: Fetched) -> Loaded:
    """Decode a fetched answer: format from Content-Type, URL suffix or bytes."""
    suffix = PurePosixPath(httpx.URL(fetched.final_url).path).suffix
    fmt = format_of(fetched.body, suffix=suffix, content_type=fetched.content_type)
    text, encoding, warnings = decode_document(
        fetched.body, fmt, fetched.url, charset=fetched.charset
    )
    source = source_for(None, fetched.body, encoding, fmt, url=fetched.url)
    return Loaded(text, source, warnings, fetched.body)


_EXTENSIONS = {"html": ".html", "pdf": ".pdf", "text": ".txt"}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')


def local_path(fetched: Fetched) -> Path:
    """Where ``readout fetch`` saves an answer, relative to its folder: host/path.

    ``https://www.mofa.go.jp/mofaj/na/page4_000001.html`` →
    ``www.mofa.go.jp/mofaj/na/page4_000001.html``; a folder URL gets ``index.html``, a
    name without suffix gets one from the format, a query string a short hash.
    """
    url = httpx.URL(fetched.url)
    host = url.host + (f"_{url.port}" if url.port else "")
    segments = [unquote(s) for s in url.path.split("/")]
    folders = [_safe(s) for s in segments[:-1] if s]
    name = _safe(segments[-1]) if segments and segments[-1] else "index"
    suffix = PurePosixPath(name).suffix
    stem = name[: len(name) - len(suffix)]
    if not suffix or suffix.lower() not in SUFFIX_FORMATS:
        fmt = format_of(fetched.body, content_type=fetched.content_type)
        stem, suffix = name, _EXTENSIONS[fmt]
    if url.query:
        stem += "_" + hashlib.sha256(url.query).hexdigest()[:8]
    return Path(_safe(host), *folders, stem + suffix)


def _safe(segment: str) -> str:
    cleaned = _UNSAFE.sub("_", segment).strip()
    return "_" if cleaned in ("", ".", "..") else cleaned
