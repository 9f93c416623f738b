"""Read a readout from disk or the web: size limit, format dispatch and encoding detection.

:func:`load_source` takes a path or an http(s) URL; :func:`read_document` reads a path.
Both give a :class:`Loaded` (the text every record offset will index, its
:class:`~readout.model.Source` and any warnings), or raise
:class:`~readout.errors.ReadoutInputError` with a one-line message naming the file or URL.

The format is chosen by :func:`format_of`: the ``%PDF-`` signature, then the HTTP
Content-Type (for URLs), then the file suffix (``.txt``, ``.html``/``.htm``, ``.pdf``),
then a look at the first bytes for HTML markup; anything else is plain text.  HTML is
decoded and reduced to its readout text by :mod:`readout.sources.html`, PDF by
:mod:`readout.sources.pdf`, URLs are fetched by :mod:`readout.sources.fetch`.

Plain text is decoded without a detection library.  Readouts come in very few encodings
(UTF-8 today, Shift_JIS and EUC-JP on older pages), so the rules are short:

1. a UTF-8 byte-order mark → ``utf-8-sig`` (the mark is not part of the text);
2. ASCII with ISO-2022-JP escape sequences → ``iso-2022-jp``;
3. valid UTF-8 → ``utf-8``;
4. UTF-8 with a few damaged sequences among many good ones → ``utf-8`` with U+FFFD in place
   of the bad bytes and a warning giving the first bad byte's offset;
5. Shift_JIS (as Windows code page 932) or EUC-JP, decoded strictly, whichever reads as
   Japanese (see :func:`japanese_share`);
6. otherwise, if only a handful of bytes are not UTF-8, as in rule 4;
7. otherwise the file is refused as undecodable.

Rule 4 comes before the legacy encodings because code page 932 accepts almost any byte
sequence: damaged UTF-8 often "decodes" as Shift_JIS into nonsense kanji.

A charset the source declares (an HTTP ``Content-Type`` header, a page's ``<meta
charset>``) is tried before these rules; when the bytes do not decode in it, the rules
decide and a warning says so (:func:`decode_declared`).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from readout.errors import ReadoutInputError
from readout.model import Source, SourceFormat

#: Largest file read unless the caller passes ``max_bytes``; readouts are a few KB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Suffixes picked up when a folder is given (``readout parse DIR``).
FOLDER_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".pdf")

#: The format a file suffix stands for; other suffixes are sniffed (see :func:`format_of`).
SUFFIX_FORMATS: dict[str, SourceFormat] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".pdf": "pdf",
}

# The format an HTTP media type stands for.
_MEDIA_FORMATS: dict[str, SourceFormat] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "text/plain": "text",
}


@dataclass
class Loaded:
    """A document read from disk or the web, ready for :func:`readout.parse`.

    ``raw`` is the bytes read or received, the ones ``source.sha256`` covers.
    """

    text: str
    source: Source
    warnings: list[str] = field(default_factory=list)
    raw: bytes = field(default=b"", repr=False)


Decoded = tuple[str, str, list[str]]  # text, encoding name for Source, warnings


# ---------------------------------------------------------------------------------------
# Reading and dispatch


def is_url(spec: str | Path) -> bool:
    """True for an ``http://`` or ``https://`` address."""
    return isinstance(spec, str) and re.match(r"(?i)https?://", spec) is not None


def load_source(
    spec: str | Path, *, max_bytes: int | None = None, cache_dir: str | Path | None = None
) -> Loaded:
    """Read a path or fetch an http(s) URL, and decode it by its format.

    ``max_bytes`` caps the file or response size (default :data:`DEFAULT_MAX_BYTES`);
    ``cache_dir`` is the on-disk HTTP cache for URLs (see :mod:`readout.sources.fetch`).
    """
    if is_url(spec):
        from readout.sources.fetch import load_url

        return load_url(str(spec), cache_dir=cache_dir, max_bytes=max_bytes)
    return read_document(Path(spec), max_bytes=max_bytes)


def read_document(path: Path, *, max_bytes: int | None = None) -> Loaded:
    """Read ``path`` and decode it; refuse it with :class:`ReadoutInputError` if it is unfit.

    ``max_bytes`` caps the file size (default :data:`DEFAULT_MAX_BYTES`); the size is
    checked before anything is read.
    """
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise ReadoutInputError(path, "file not found") from None
    except OSError as err:
        raise ReadoutInputError(path, f"cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadoutInputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadoutInputError(path, "not a regular file")
    if info.st_size > limit:
        raise _too_large(path, info.st_size, limit)
    raw = _read_at_most(path, limit)
    if not raw:
        raise ReadoutInputError(path, "empty file (0 bytes)")
    fmt = format_of(raw, suffix=path.suffix)
    text, encoding, warnings = decode_document(raw, fmt, str(path))
    return Loaded(text, source_for(path, raw, encoding, fmt), warnings, raw)


def decode_document(
    raw: bytes, fmt: SourceFormat, label: str, *, charset: str | None = None
) -> tuple[str, str | None, list[str]]:
    """Decode ``raw`` as ``fmt``: (text, encoding, warnings); ``label`` names it in errors.

    ``charset`` is one declared outside the bytes (an HTTP header).  PDF has no encoding.
    """
    if fmt == "html":
        from readout.sources.html import decode_html

        return decode_html(raw, label, charset=charset)
    if fmt == "pdf":
        from readout.sources.pdf import decode_pdf

        return decode_pdf(raw, label), None, []
    return decode_plain(raw, label, charset=charset)


def format_of(raw: bytes, *, suffix: str = "", content_type: str | None = None) -> SourceFormat:
    """The format of ``raw``: signature, then media type, then suffix, then a sniff."""
    if is_pdf(raw):
        return "pdf"
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media in _MEDIA_FORMATS:
            return _MEDIA_FORMATS[media]
    known = SUFFIX_FORMATS.get(suffix.lower())
    if known is not None:
        return known
    return "html" if looks_like_html(raw) else "text"


def is_pdf(raw: bytes) -> bool:
    """True when ``raw`` starts with the PDF signature (after stray whitespace)."""
    return raw[:1024].lstrip(b" \t\r\n\x00\xef\xbb\xbf").startswith(b"%PDF-")


_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(raw: bytes) -> bool:
    """True when the first bytes are HTML markup (a doctype, ``<html>``, ``<head>`` …)."""
    head = raw[:2048]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    return _HTML_START.match(head) is not None


def find_documents(folder: Path) -> list[Path]:
    """The files under ``folder`` (recursively) that ``readout parse`` reads, sorted."""
    found = [p for p in folder.rglob("*") if p.suffix.lower() in FOLDER_SUFFIXES and p.is_file()]
    return sorted(found)


def _read_at_most(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as f:
            raw = f.read(limit + 1)
    except OSError as err:
        raise ReadoutInputError(path, f"cannot read: {err.strerror or err}") from None
    if len(raw) > limit:  # the file grew after it was measured
        raise _too_large(path, len(raw), limit)
    return raw


def _too_large(path: Path, size: int, limit: int) -> ReadoutInputError:
    return ReadoutInputError(
        path,
        f"file too large: {_size(size)} is over the limit of {_size(limit)} "
        "(raise it with --max-bytes N)",
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB ({n:,} bytes)"
    return f"{n:,} bytes"


def source_for(
    path: Path | None,
    raw: bytes,
    encoding: str | None,
    fmt: SourceFormat = "text",
    *,
    url: str | None = None,
) -> Source:
    """The record's source for ``raw`` read from ``path`` or fetched from ``url``."""
    return Source(
        path=None if path is None else str(path),
        url=url,
        sha256=hashlib.sha256(raw).hexdigest(),
        format=fmt,
        encoding=encoding,
    )


# ---------------------------------------------------------------------------------------
# Plain text


def decode_text(path: Path, raw: bytes) -> Loaded:
    """Decode a plain-text file read from ``path``."""
    text, encoding, warnings = decode_plain(raw, str(path))
    return Loaded(text, source_for(path, raw, encoding), warnings, raw)


def decode_plain(raw: bytes, label: str, *, charset: str | None = None) -> Decoded:
    """Decode plain text: a declared ``charset`` first, then the rules of the module."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadoutInputError(label, "UTF-16 or UTF-32 text is not supported; save it as UTF-8")
    if looks_binary(raw):
        raise ReadoutInputError(label, "binary file (not text)")
    decoded = decode_declared(raw, [charset] if charset else [])
    if decoded is None:
        raise ReadoutInputError(
            label, "cannot decode the text (it is not UTF-8, Shift_JIS or EUC-JP)"
        )
    text, encoding, warnings = decoded
    if not text.strip():
        raise ReadoutInputError(label, "empty file (only whitespace)")
    return text, encoding, warnings


# Charset labels as pages and servers write them → (Python codec, name the record gives).
# Shift_JIS is read as code page 932, its superset that Japanese pages really use.
_CHARSET_LABELS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        (
            "shift_jis",
            "shift-jis",
            "sjis",
            "x-sjis",
            "ms_kanji",
            "csshiftjis",
            "windows-31j",
            "cp932",
            "ms932",
            "x-ms-cp932",
            "shift_jisx0213",
        ),
        ("cp932", "shift_jis"),
    ),
    **dict.fromkeys(
        ("euc-jp", "euc_jp", "eucjp", "x-euc-jp", "x-euc", "cseucpkdfmtjapanese"),
        ("euc_jp", "euc-jp"),
    ),
    **dict.fromkeys(("iso-2022-jp", "iso2022jp", "csiso2022jp"), ("iso2022_jp", "iso-2022-jp")),
    **dict.fromkeys(("utf-8", "utf8", "unicode-1-1-utf-8"), ("utf-8", "utf-8")),
    # Once a declaration has been read as ASCII, the bytes are not UTF-16 (as browsers do).
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), ("utf-8", "utf-8")),
    # Browsers read Latin-1 and ASCII labels as windows-1252.
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"),
        ("cp1252", "windows-1252"),
    ),
}


def charset_codec(label: str) -> tuple[str, str] | None:
    """(Python codec, record name) for a declared charset label; None if unknown."""
    key = label.strip().strip("\"'").lower()
    if key in _CHARSET_LABELS:
        return _CHARSET_LABELS[key]
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    if not isinstance(info, codecs.CodecInfo) or info.name.startswith(("utf-16", "utf-32")):
        return None
    return info.name, info.name


def decode_declared(raw: bytes, declared: list[str]) -> Decoded | None:
    """Decode ``raw`` in the first charset ``declared`` that reads it, else by detection.

    A UTF-8 byte-order mark wins over any declaration.  When a declared charset does not
    read the bytes, detection decides and a warning names the declaration; when detection
    fails too, the declared charset is used with U+FFFD for the bad bytes.  None when
    nothing decodes.
    """
    warnings: list[str] = []
    fallback: tuple[str, str, str] | None = None  # label, codec, name
    if not raw.startswith(codecs.BOM_UTF8):
        for label in declared:
            found = charset_codec(label)
            if found is None:
                warnings.append(f"unknown charset {label!r} declared; detecting the encoding")
                continue
            codec, name = found
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as err:
                fallback = fallback or (label, codec, name)
                warnings.append(
                    f"declared charset {label!r} does not fit the bytes (byte offset "
                    f"{err.start}); detecting the encoding"
                )
                continue
            better = _better_than_declared(raw, name)
            if better is not None:
                warnings.append(
                    f"declared charset {label!r} does not fit the bytes, which are "
                    f"{better[1]}; read as {better[1]}"
                )
                return better[0], better[1], warnings + better[2]
            return text, name, warnings
    detected = detect_encoding(raw)
    if detected is not None:
        text, encoding, more = detected
        return text, encoding, warnings + more
    if fallback is not None:
        label, codec, name = fallback
        warnings.append(f"read as {label!r} with U+FFFD in place of the bad bytes")
        return raw.decode(codec, "replace"), name, warnings
    return None


_JAPANESE_ENCODINGS = ("shift_jis", "euc-jp", "iso-2022-jp")


def _better_than_declared(raw: bytes, declared: str) -> Decoded | None:
    """A reading that beats a declared charset that decoded ``raw`` without error.

    Clean UTF-8 beats any other declaration (a page converted to UTF-8 whose meta still
    says Shift_JIS); a Japanese reading beats a declared non-Japanese charset (a Japanese
    page labelled ISO-8859-1).  Otherwise the declaration stands.
    """
    if declared == "utf-8" or raw.isascii():
        return None
    detected = detect_encoding(raw)
    if detected is None or detected[1] == declared:
        return None
    if detected[1] == "utf-8" and not detected[2]:
        return detected
    if declared not in _JAPANESE_ENCODINGS and detected[1] in _JAPANESE_ENCODINGS:
        return detected
    return None


# Control bytes that do not occur in text.  Tab, line feed, vertical tab, form feed and
# carriage return do; so do ESC (ISO-2022-JP escapes) and SUB (the end-of-file mark old
# DOS editors wrote).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"


def looks_binary(raw: bytes) -> bool:
    """True for bytes that are not text in any encoding readout reads."""
    if b"\x00" in raw:
        return True
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    # A stray control character or two is a typing accident; more than 1 % is not text.
    return controls > 2 and controls * 100 > len(raw)


_ISO2022_ESCAPE = re.compile(rb"\x1b\$[@B]|\x1b\$\(D|\x1b\(J")
_NON_ASCII_BYTES = bytes(range(128))  # deleted to count the bytes >= 0x80
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")

# Strong evidence of UTF-8: at most this share of the non-ASCII bytes are damaged.
_UTF8_DAMAGE_SHARE = 0.05
# Weak evidence: this many damaged bytes or fewer in a file no legacy encoding reads.
_UTF8_FEW_BAD_BYTES = 4
# A legacy decoding is accepted when this share of its non-ASCII characters is Japanese.
_PLAUSIBLE_SHARE = 0.9

# Python codec and the name the record gives it.
_LEGACY = (("cp932", "shift_jis"), ("euc_jp", "euc-jp"))


def detect_encoding(raw: bytes) -> Decoded | None:
    """Decode ``raw`` by the rules in the module docstring; None when none applies."""
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig", []
        except UnicodeDecodeError:
            return _repair_utf8(raw, "utf-8-sig")
    if raw.isascii() and _ISO2022_ESCAPE.search(raw):
        try:
            return raw.decode("iso2022_jp"), "iso-2022-jp", []
        except UnicodeDecodeError:
            pass  # not ISO-2022-JP after all; plain ASCII is valid UTF-8
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    bad, non_ascii = _utf8_damage(raw)
    if bad <= non_ascii * _UTF8_DAMAGE_SHARE:
        return _repair_utf8(raw, "utf-8")
    legacy = _best_legacy(raw)
    if legacy is not None:
        return legacy
    if bad <= _UTF8_FEW_BAD_BYTES:
        return _repair_utf8(raw, "utf-8")
    return None


def _utf8_damage(raw: bytes) -> tuple[int, int]:
    """(bytes that are not part of a valid UTF-8 sequence, bytes >= 0x80)."""
    escaped = raw.decode("utf-8", "surrogateescape")
    bad = sum(1 for _ in _ESCAPED_BYTE.finditer(escaped))
    return bad, len(raw.translate(None, _NON_ASCII_BYTES))


def _repair_utf8(raw: bytes, encoding: str) -> Decoded:
    bad, _ = _utf8_damage(raw)
    try:
        raw.decode("utf-8")
        first = 0  # not reached: callers only repair what failed to decode
    except UnicodeDecodeError as err:
        first = err.start
    text = raw.decode(encoding, "replace")
    more = f", {bad} bad bytes in all" if bad > 1 else ""
    warning = f"invalid UTF-8 at byte offset {first}{more}; replaced with U+FFFD"
    return text, encoding, [warning]


def _best_legacy(raw: bytes) -> Decoded | None:
    best: tuple[float, float, str, str] | None = None
    for codec, name in _LEGACY:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        share = japanese_share(text)
        if share < _PLAUSIBLE_SHARE:
            continue
        # Between two plausible readings, the one with more hiragana is ordinary prose.
        rank = (share, _hiragana_share(text))
        if best is None or rank > best[:2]:
            best = (*rank, text, name)
    if best is None:
        return None
    return best[2], best[3], []


# What a correctly decoded Japanese document is made of, beyond ASCII: kana, kanji, CJK
# punctuation, full-width forms, and the symbols JIS X 0208 and the NEC rows of code page
# 932 add (○ ※ → ① Ⅰ × and the like).  Half-width katakana count against: old pages do
# use a few, but they are what EUC-JP bytes turn into when read as Shift_JIS.
_JAPANESE = re.compile(
    "[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
    "\u00a7\u00a8\u00b0\u00b1\u00b4\u00b6\u00d7\u00f7\u0391-\u03c9\u0401-\u0451"
    "\u2010-\u203b\u2100-\u21ff\u2200-\u22ff\u2460-\u24ff\u2500-\u257f\u25a0-\u26ff"
    "\u3200-\u33ff]"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")
_HIRAGANA = re.compile("[\u3041-\u309f]")


def _count(pattern: re.Pattern[str], text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def japanese_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that belong in Japanese text.

    1.0 for pure ASCII.  A legacy decoding that produced nonsense scores low: it is full
    of half-width katakana, private-use and C1 control characters.
    """
    non_ascii = _count(_NON_ASCII, text)
    if non_ascii == 0:
        return 1.0
    return _count(_JAPANESE, text) / non_ascii


def _hiragana_share(text: str) -> float:
    non_ascii = _count(_NON_ASCII, text)
    return _count(_HIRAGANA, text) / non_ascii if non_ascii else 0.0
