"""Read a readout from disk: size limit, format dispatch and encoding detection.

:func:`read_document` turns a path into a :class:`Loaded` (the text every record offset will
index, its :class:`~readout.model.Source` and any warnings), or raises
:class:`~readout.errors.ReadoutInputError` with a one-line message naming the file.

Formats are chosen by file suffix through a small registry of decoders (:func:`decoder`);
anything not registered is read as plain text.  HTML and PDF have placeholders that refuse
the file for now; their real decoders register under the same suffixes.

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
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from readout.errors import ReadoutInputError
from readout.model import Source, SourceFormat

#: Largest file read unless the caller passes ``max_bytes``; readouts are a few KB.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Suffixes picked up when a folder is given (``readout parse DIR``).
FOLDER_SUFFIXES: tuple[str, ...] = (".txt",)


@dataclass
class Loaded:
    """A document read from disk, ready for :func:`readout.parse`."""

    text: str
    source: Source
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Reading and dispatch

Decoder = Callable[[Path, bytes], Loaded]
_DECODERS: dict[str, Decoder] = {}


def decoder(*suffixes: str) -> Callable[[Decoder], Decoder]:
    """Register ``func(path, raw) -> Loaded`` as the decoder for files with ``suffixes``.

    Suffixes are lower case with the dot (``".html"``).  Files with any other suffix are
    read by :func:`decode_text`.
    """

    def register(func: Decoder) -> Decoder:
        for suffix in suffixes:
            _DECODERS[suffix.lower()] = func
        return func

    return register


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
    decode = _DECODERS.get(path.suffix.lower(), decode_text)
    return decode(path, raw)


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


def source_for(path: Path, raw: bytes, encoding: str | None, fmt: SourceFormat = "text") -> Source:
    """The record's source for ``raw`` read from ``path`` (decoders use it)."""
    return Source(
        path=str(path), sha256=hashlib.sha256(raw).hexdigest(), format=fmt, encoding=encoding
    )


# ---------------------------------------------------------------------------------------
# Plain text


def decode_text(path: Path, raw: bytes) -> Loaded:
    """Decode a plain-text file (the default decoder)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadoutInputError(path, "UTF-16 or UTF-32 text is not supported; save it as UTF-8")
    if looks_binary(raw):
        raise ReadoutInputError(path, "binary file (not text)")
    decoded = detect_encoding(raw)
    if decoded is None:
        raise ReadoutInputError(
            path, "cannot decode the text (it is not UTF-8, Shift_JIS or EUC-JP)"
        )
    text, encoding, warnings = decoded
    if not text.strip():
        raise ReadoutInputError(path, "empty file (only whitespace)")
    return Loaded(text, source_for(path, raw, encoding), warnings)


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


Decoded = tuple[str, str, list[str]]  # text, encoding name for Source, warnings

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


# ---------------------------------------------------------------------------------------
# Formats still to come.  Their decoders will replace these placeholders.


@decoder(".html", ".htm")
def _html_not_yet(path: Path, raw: bytes) -> Loaded:
    raise ReadoutInputError(path, "HTML input is not supported yet")


@decoder(".pdf")
def _pdf_not_yet(path: Path, raw: bytes) -> Loaded:
    raise ReadoutInputError(path, "PDF input is not supported yet")
