"""PDF files: the text layer, page by page, read with pypdf.

The record's ``text`` is the pages' text with a blank line between pages, tidied in four
ways so that it reads like a text readout:

- a line the layout wrapped is joined to the next one: a line about as wide as the
  widest line of its page, not ending with a full stop, followed by a line that does not
  start with a number or bullet (Japanese lines are joined as they are, Latin words with
  a space);
- a number or bullet left alone on its line (``1.`` before a hanging indent) is joined to
  the line after it;
- a page number alone on the first or last line of a page (``- 2 -``, ``2/5``) is dropped;
- runs of spaces inside a line (justified Latin text) become one space.

A PDF whose pages carry no text — a scan — is refused: readout does no OCR.  So are files
that are not PDFs, damaged ones, and ones locked with a password.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from readout.errors import ReadoutInputError
from readout.io import is_pdf

# pypdf logs what it repairs in damaged files; without a handler of its own those notes
# would go to stderr through logging's last resort, next to readout's one-line messages.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def decode_pdf(raw: bytes, label: str) -> str:
    """The text layer of the PDF ``raw``; ``label`` (path or URL) names it in errors."""
    if not is_pdf(raw):
        raise ReadoutInputError(label, "not a PDF file (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadoutInputError(label, "PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadoutInputError:
        raise
    except FileNotDecryptedError:
        raise ReadoutInputError(label, "PDF is encrypted with a password") from None
    except (PdfReadError, PyPdfError) as err:
        raise ReadoutInputError(label, f"damaged PDF: {err}") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError) as err:
        # pypdf meets malformed objects in damaged files with plain Python errors.
        raise ReadoutInputError(label, f"damaged PDF: {type(err).__name__}: {err}") from None
    if not pages:
        raise ReadoutInputError(label, "PDF has no pages")
    texts = [tidy_page(page) for page in pages]
    if not any(texts):
        raise ReadoutInputError(label, "PDF has no text layer (scanned?)")
    return "\n\n".join(t for t in texts if t) + "\n"


# A number or bullet alone (as in readout.sources.html), and one that starts a line.
_LONE_MARKER = re.compile(
    r"[0-9０-９]{1,2}[.．、]?|[(（][0-9０-９]{1,2}[)）]|[①-⑳]|[○◯●◎■□◆◇・]"
    r"|[(（][アイウエオカキクケコサシスセソイロハニホヘトチリヌ][)）]|[一二三四五六七八九十]{1,3}[.．、]"
)
_MARKER_START = re.compile(
    r"(?:[(（]\s*[0-9０-９]{1,2}\s*[)）]|[0-9０-９]{1,2}\s*[.．、]|[0-9０-９]{1,2}\s|[①-⑳]"
    r"|[○◯●◎■□◆◇・\-－―]|[(（][アイウエオカキクケコサシスセソイロハニホヘトチリヌ][)）]|【)"
)
_PAGE_NUMBER = re.compile(r"[-‐–—−\s]*[0-9]{1,4}[-‐–—−\s]*|[0-9]{1,4}\s*/\s*[0-9]{1,4}")
# A page's lines are wrapped when its widest line is at least this wide (in half-width
# columns), and a line counts as wrapped when it is within a tenth of that width.
_WRAPPED_PAGE = 40
_SENTENCE_END = ("。", "．")
_INNER_SPACES = re.compile(r"(?<=\S)  +(?=\S)")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def tidy_page(page: str) -> str:
    """One page's text layer, tidied as the module docstring says; "" when it has none."""
    lines = [_INNER_SPACES.sub(" ", line.rstrip()) for line in page.splitlines()]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    for i in (-1, 0):
        if lines and _PAGE_NUMBER.fullmatch(lines[i]):
            lines.pop(i)
    widest = max((_width(line) for line in lines), default=0)
    out: list[str] = []
    last_width = 0  # width of the last line of the PDF joined into out[-1]
    for line in lines:
        width = _width(line)
        prev = out[-1] if out else ""
        body = line.strip()
        if prev.strip() and body and _LONE_MARKER.fullmatch(prev.strip()):
            out[-1] = f"{prev} {body}"
        elif (
            prev.strip()
            and body
            and widest >= _WRAPPED_PAGE
            and last_width * 10 >= widest * 9
            and not prev.endswith(_SENTENCE_END)
            and not _MARKER_START.match(body)
        ):
            latin = prev[-1].isascii() and prev[-1].isalnum() and body[0].isascii()
            out[-1] = prev + (" " if latin else "") + body
        else:
            out.append(line)
        last_width = width
    return "\n".join(out).strip("\n")
