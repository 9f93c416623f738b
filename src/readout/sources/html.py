"""HTML pages: decode the bytes, then keep the readout's text with its structure.

Decoding (:func:`decode_html_bytes`) follows what browsers do, in this order: a byte-order
mark; the charset the server declared (HTTP ``Content-Type``, for URLs); the page's own
``<meta charset>``, ``<meta http-equiv="Content-Type" content="…; charset=…">`` or XML
declaration; then the detection rules of :mod:`readout.io`.  A declaration that does not
fit the bytes is overruled, with a warning (see :func:`readout.io.decode_declared`).

Extraction (:func:`extract_text`) turns the page into the lines a readout is made of:

1. Markup that is never text goes: scripts, styles, forms' controls, images, ruby
   readings, hidden elements, comments.
2. Site furniture goes: ``<nav>``, ``<aside>``, ``<footer>``, a site ``<header>``, and
   elements whose id or class names furniture (header, footer, gnav, breadcrumbs,
   topicpath/pankuzu, sidebar, pagetop, print, language, sns/share, search …); links to
   the top of the page, to a print view or to another language; blocks made mostly of
   links (navigation bars without a telling name).  An element that holds the page's
   title or most of its text is never furniture, whatever its name.
3. The main content is chosen: ``<main>`` (or ``role="main"``), else the one big
   ``<article>``, else, for old pages laid out with tables, the table cell with the most
   Japanese text outside links (descending into nested layout tables while the cell
   holds nearly all of it), else the whole body.
4. It is written out as text lines: headings and paragraphs as lines with a blank line
   between them, ``<br>`` as a line break, ``<ol>`` items as ``1. …`` and nested ones as
   ``(1) …`` (indented, as the numbered items of a text readout are), ``<ul>`` items as
   ``- …`` bullets, table rows as lines with their cells side by side.  An item that
   already carries its own number (``(1)``, ``①``, ``○``) keeps it and gets no other.
   A number standing alone before a block (``<td>1.</td><td>…</td>``) joins the block's
   first line.  Line breaks in the source between two Japanese characters are dropped,
   as browsers do.
5. Lines that the parser's furniture patterns recognise (``このページのトップへ戻る``,
   ``印刷用``, breadcrumbs …) are dropped; the title (``<h1>``, else ``<title>`` without
   the site name) and the page date are put back at the top when the main content left
   them outside.

The result is the record's ``text``: every offset of the record indexes it, and the
parser reads it exactly as it reads a text readout.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from readout.era import parse_full_date
from readout.errors import ReadoutInputError
from readout.io import Decoded, decode_declared, looks_binary
from readout.stages.furniture import is_furniture
from readout.textnorm import normalize

# ---------------------------------------------------------------------------------------
# Decoding


def decode_html(raw: bytes, label: str, *, charset: str | None = None) -> Decoded:
    """Decode an HTML page and extract its readout text: (text, encoding, warnings)."""
    page, encoding, warnings = decode_html_bytes(raw, label, charset=charset)
    text = extract_text(page)
    if not text.strip():
        raise ReadoutInputError(
            label,
            "no readout text in the HTML page (nothing is left after removing navigation, "
            "scripts and markup)",
        )
    return text, encoding, warnings


def decode_html_bytes(raw: bytes, label: str, *, charset: str | None = None) -> Decoded:
    """The page's markup as a string: BOM, then ``charset``, then the page's meta, then
    detection."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), "utf-16", []
            except UnicodeDecodeError:
                raise ReadoutInputError(label, "cannot decode the page as UTF-16") from None
    if looks_binary(raw):
        raise ReadoutInputError(label, "binary file (not an HTML page)")
    declared = [c for c in (charset, meta_charset(raw)) if c]
    decoded = decode_declared(raw, declared)
    if decoded is None:
        raise ReadoutInputError(
            label,
            "cannot decode the page (it is not UTF-8, Shift_JIS or EUC-JP, and declares no "
            "charset that fits)",
        )
    return decoded


_XML_ENCODING = re.compile(r"""\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_META_CHARSET = re.compile(r"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def meta_charset(raw: bytes) -> str | None:
    """The charset the page declares in its first 8 KB (meta or XML declaration)."""
    head = _COMMENT.sub("", raw[:8192].decode("latin-1"))
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1) if m else None


# ---------------------------------------------------------------------------------------
# A light tree of the page


@dataclass(eq=False)
class _El:
    tag: str
    attrs: dict[str, str]
    parent: _El | None = None
    children: list[_El | str] = field(default_factory=list)
    # Filled by _measure: Japanese characters outside links, all non-space characters,
    # non-space characters inside links, number of links.
    ja: int = 0
    chars: int = 0
    link_chars: int = 0
    links: int = 0

    def cls(self) -> str:
        return self.attrs.get("class", "")

    def iter(self) -> Iterator[_El]:
        """This element and every element below it, in document order."""
        stack: list[_El] = [self]
        while stack:
            el = stack.pop()
            yield el
            stack.extend(c for c in reversed(el.children) if isinstance(c, _El))

    def find(self, pred: Callable[[_El], bool]) -> Iterator[_El]:
        return (el for el in self.iter() if pred(el))

    def ancestors(self) -> Iterator[_El]:
        el = self.parent
        while el is not None:
            yield el
            el = el.parent

    def text(self) -> str:
        """The element's text, whitespace collapsed."""
        parts: list[str] = []
        stack: list[_El | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            else:
                stack.extend(reversed(node.children))
        return collapse("".join(parts))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Never text: dropped with everything inside them.
_SKIP_TAGS = _words(
    "head title script style noscript template iframe frame frameset object embed applet "
    "svg math canvas audio video map area img picture source track input button select "
    "option optgroup textarea datalist rt rp dialog link meta base"
)


def _hidden(attrs: dict[str, str | None]) -> bool:
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").lower().replace(" ", "")
    return "display:none" in style or "visibility:hidden" in style


def _build(parser: LexborHTMLParser, *, keep_hidden: bool = False) -> _El:
    """The page's body as an :class:`_El` tree, without the markup that is never text."""
    top = _El("body", {})
    start = parser.body
    if start is None:
        return top
    stack: list[tuple[LexborNode, _El]] = [(child, top) for child in _children(start)]
    stack.reverse()
    while stack:
        node, parent = stack.pop()
        tag = node.tag or ""
        if tag == "-text":
            parent.children.append(node.text_content or "")
            continue
        if tag.startswith(("-", "!", "_")) or tag in _SKIP_TAGS:
            continue  # comments, doctype and markup that is never text
        attrs = node.attributes
        if not keep_hidden and _hidden(attrs):
            continue
        el = _El(tag.lower(), {k.lower(): (v or "") for k, v in attrs.items()}, parent)
        parent.children.append(el)
        stack.extend((child, el) for child in reversed(list(_children(node))))
    return top


def _children(node: LexborNode) -> Iterator[LexborNode]:
    yield from node.iter(include_text=True)


_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u3005\u4e00-\u9fff\uf900-\ufaff]")


def _measure(root: _El) -> None:
    """Fill the counts of every element under ``root``, bottom-up."""
    order = list(root.iter())
    for el in reversed(order):  # children before parents
        el.ja = el.chars = el.link_chars = el.links = 0
        for child in el.children:
            if isinstance(child, str):
                el.ja += len(_JAPANESE.findall(child))
                el.chars += len(child) - sum(1 for ch in child if ch.isspace())
            else:
                el.ja += child.ja
                el.chars += child.chars
                el.link_chars += child.link_chars
                el.links += child.links
        if el.tag == "a" and el.attrs.get("href") is not None:
            el.links += 1
            el.link_chars = el.chars
            el.ja = 0  # link text is navigation, not readout text


def _remove(el: _El) -> None:
    if el.parent is not None:
        el.parent.children = [c for c in el.parent.children if c is not el]
        el.parent = None


# ---------------------------------------------------------------------------------------
# Furniture


# An id or class token that is exactly one of these names furniture …
_FURNITURE_TOKENS = _words(
    "header footer nav navi gnav gnavi lnav lnavi snav snavi menu megamenu breadcrumb "
    "breadcrumbs topicpath pankuzu crumbs sidebar side sub aside pagetop totop gotop "
    "backtotop print lang language languages sns share social skip skiplink banner banners "
    "search related utility util toolbar tools feedback enquete questionnaire copyright "
    "sitemap"
)
# … and so is one that begins or ends with one of these words (header-wrap, g-nav,
# other-language, site-footer).
_FURNITURE_WORDS = _words(
    "header footer nav navi gnav gnavi lnav navigation globalnav breadcrumb breadcrumbs "
    "topicpath pankuzu sidebar sidenav sidemenu pagetop totop language languages lang sns "
    "share social skip print banner banners search related copyright sitemap photo photos "
    "caption utility"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Links that are furniture wherever they stand, by their whole text.
_FURNITURE_LINK = re.compile(
    r"(?:この)?(?:ページ|頁)の?(?:先頭|トップ|上)へ?(?:戻る)?|(?:先頭|トップ|上)へ(?:戻る)?"
    r"|page\s*top|back\s+to\s+top|to\s+top|top|▲.{0,12}|トップページ|ホーム|home"
    r"|印刷(?:用)?(?:ページ|画面|版)?(?:を表示|する)?|print(?:\s+this\s+page)?|printer\s+friendly"
    r"|(?:in\s+)?english(?:\s+(?:version|page))?|英語(?:版|ページ)?|日本語(?:版|ページ)?|japanese"
    r"|中文|简体中文|繁體中文|한국어|français"
    r"|español|русский|本文へ(?:移動|スキップ|ジャンプ)?|メインコンテンツへ(?:移動|スキップ)?"
    r"|skip\s+to\s+(?:main\s+)?content|skip\s+navigation",
    re.I,
)

# Names of the sites themselves: an <h1> or <title> part that is one of these is a logo.
_SITE_NAMES = frozenset(
    [
        "外務省",
        "防衛省",
        "防衛省・自衛隊",
        "首相官邸",
        "内閣官房",
        "内閣府",
        "Ministry of Foreign Affairs of Japan",
        "Ministry of Foreign Affairs",
        "Ministry of Defense",
        "Japan Ministry of Defense",
        "MOFA",
        "トップページ",
        "ホーム",
    ]
)


def _is_site_name(text: str) -> bool:
    t = text.strip()
    return (
        not t
        or t in _SITE_NAMES
        or t.endswith("ホームページ")
        or (len(t) <= 10 and t.endswith(("省", "省・自衛隊", "官邸")))
    )


def _named_furniture(el: _El) -> bool:
    for value in (el.attrs.get("id", ""), el.cls()):
        for token in value.split():
            words = [w for w in re.split(r"[-_]+", _CAMEL.sub("-", token).lower()) if w]
            if not words:
                continue
            if "".join(words) in _FURNITURE_TOKENS:
                return True
            if words[0] in _FURNITURE_WORDS or words[-1] in _FURNITURE_WORDS:
                return True
    return False


def _furniture_link(el: _El) -> bool:
    if el.tag != "a":
        return False
    href = el.attrs.get("href", "").strip().lower()
    if href.startswith("javascript:") and "print" in href:
        return True
    return _FURNITURE_LINK.fullmatch(el.text()) is not None


def _remove_furniture(body: _El, title: _El | None) -> None:
    keep: set[int] = set()
    if title is not None:
        keep.update(id(a) for a in title.ancestors())
        keep.add(id(title))
    for el in body.find(lambda e: e.tag == "main" or e.attrs.get("role") == "main"):
        keep.update(id(a) for a in el.ancestors())
        keep.add(id(el))
    total = body.ja
    doomed: list[_El] = []
    stack = [body]
    while stack:
        el = stack.pop()
        if el is not body and id(el) not in keep:
            named = el.tag in _FURNITURE_ELEMENTS or el.attrs.get("role") in _FURNITURE_ROLES
            # Never drop most of the page: a wrapper's name is no proof of furniture.
            if (named or _named_furniture(el)) and (total == 0 or el.ja * 2 < total):
                doomed.append(el)
                continue
            if _furniture_link(el):
                doomed.append(el)
                continue
        stack.extend(c for c in reversed(el.children) if isinstance(c, _El))
    for el in doomed:
        _remove(el)


# Photo captions and credits go with the photos.
_FURNITURE_ELEMENTS = frozenset(("nav", "aside", "footer", "header", "figcaption"))
_FURNITURE_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary", "search"))

# Blocks made of links: a navigation bar that its markup does not name.
_LINK_BLOCKS = _words("ul ol dl div table tbody tr td th p section menu center")


def _link_block(el: _El) -> bool:
    return (
        el.tag in _LINK_BLOCKS
        and el.links >= 2
        and el.chars > 0
        and el.link_chars * 10 >= el.chars * 7
    )


# ---------------------------------------------------------------------------------------
# Title and main content


def _find_title(body: _El) -> tuple[_El | None, str | None]:
    """The first ``<h1>`` that is not the site's logo, and its text."""
    for el in body.find(lambda e: e.tag == "h1"):
        text = el.text()
        if not _is_site_name(text):
            return el, text
    return None, None


def title_from_head(parser: LexborHTMLParser) -> str | None:
    """The ``<title>`` without the site's name (``日米外相会談｜外務省`` → ``日米外相会談``)."""
    node = parser.css_first("title")
    if node is None:
        return None
    text = collapse(node.text(deep=True))
    parts = [p.strip() for p in re.split(r"\s*[|｜]\s*|\s+[-–—:]\s+", text)]
    kept = [p for p in parts if not _is_site_name(p)]
    return kept[0] if kept else None


def _choose_root(body: _El) -> _El:
    total = body.ja
    if total == 0:
        return body
    for el in body.find(lambda e: e.tag == "main" or e.attrs.get("role") == "main"):
        if el.ja * 10 >= total * 3:
            return _table_cell(el)
    articles = list(body.find(lambda e: e.tag == "article"))
    if articles:
        best = max(articles, key=lambda e: e.ja)
        if best.ja * 2 >= total:
            return _table_cell(best)
    return _table_cell(body)


def _table_cell(start: _El) -> _El:
    """The layout cell that holds nearly all of ``start``'s Japanese text, if any.

    Descends cell by cell while the best cell leaves at most 15 % of the text outside it:
    navigation cells are links (not counted), the title, date and address cells are short.
    A cell beside a number (``<td>(1)</td><td>…</td>``) is a paragraph of a content
    table, never the page's content cell.
    """
    current = start
    while True:
        cells = [e for e in current.find(lambda e: e.tag in ("td", "th")) if e is not current]
        if not cells:
            return current
        best = max(cells, key=lambda e: e.ja)
        if best.ja == 0 or (current.ja - best.ja) * 100 > current.ja * 15 or _numbered(best):
            return current
        current = best


def _numbered(cell: _El) -> bool:
    row = cell.parent
    if row is None:
        return False
    return any(
        isinstance(c, _El) and c is not cell and _DANGLING.fullmatch(c.text()) is not None
        for c in row.children
    )


# ---------------------------------------------------------------------------------------
# Writing lines


_WHITESPACE = re.compile(r"[ \t\n\r\f\xa0]+")


def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch) in ("W", "F")


def collapse(text: str) -> str:
    """Collapse whitespace as a browser does; a line break between two Japanese
    characters disappears."""

    def space(m: re.Match[str]) -> str:
        run = m.group()
        if "\n" in run or "\r" in run:
            before = text[m.start() - 1] if m.start() > 0 else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if _wide(before) and _wide(after):
                return ""
        return " "

    return _WHITESPACE.sub(space, text).strip(" \u3000")


# A number or bullet standing alone, waiting for the block it numbers.
_DANGLING = re.compile(
    r"[0-9０-９]{1,2}[.．、]?|[(（][0-9０-９]{1,2}[)）]|[①-⑳]|[○◯●◎■□◆◇・]"
    r"|[(（][アイウエオカキクケコサシスセソイロハニホヘトチリヌ][)）]|[一二三四五六七八九十]{1,3}[.．、]"
)
# An item that carries its own number or bullet.
_OWN_MARKER = re.compile(
    r"(?:[(（]\s*[0-9０-９]{1,2}\s*[)）]|[0-9０-９]{1,2}\s*[.．、]|[①-⑳]|[○◯●◎■□◆◇・\-－―]"
    r"|[(（][アイウエオカキクケコサシスセソイロハニホヘトチリヌ][)）])"
)
_KATAKANA_NUMBERS = "アイウエオカキクケコサシスセソタチツテト"

_BLOCK = _words(
    "address article aside blockquote body center dd details dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p "
    "pre section summary table caption thead tbody tfoot tr ul legend"
)
# Blocks set off by a blank line (outside list items).
_PARAGRAPH = _words("p h1 h2 h3 h4 h5 h6 blockquote pre table hr section article address figure dl")


class _Writer:
    """Collects inline text into lines; blocks and ``<br>`` end lines."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []  # (indent, text); ("", 0) is a blank line
        self.buf: list[str] = []
        self.indents: list[int] = []
        self.gap = 0  # 1: a line break is due; 2: a blank line is due
        self.marker: str | None = None

    def text(self, s: str) -> None:
        self.buf.append(s)

    def end_line(self, *, blank: bool = False, holding: bool = False) -> None:
        """End the current line; ``holding`` keeps a lone number for the next block."""
        if holding and _DANGLING.fullmatch(collapse("".join(self.buf))):
            self.buf.append(" ")
            return
        self._flush()
        if blank:
            self.gap = 2

    def br(self) -> None:
        if not self._flush():
            self.gap = 2  # <br><br>: a paragraph break

    def _flush(self) -> bool:
        line = collapse("".join(self.buf))
        self.buf.clear()
        if not line:
            return False
        if self.marker is not None:
            if not _OWN_MARKER.match(line):
                line = self.marker + line
            self.marker = None
        if self.gap == 2 and self.lines and self.lines[-1][1]:
            self.lines.append((0, ""))
        indent = self.indents[-1] if self.indents else 0
        self.lines.append((indent, line))
        self.gap = 0
        return True


@dataclass
class _List:
    ordered: bool
    depth: int  # among ordered lists, 1 for the outermost
    kind: str  # "1", "a", "A", "i", "I"
    next: int
    bare: bool  # list-style: none


_ROMAN = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _number(kind: str, n: int) -> str:
    if kind in ("a", "A") and 1 <= n <= 26:
        letter = chr(ord("a") + n - 1)
        return letter.upper() if kind == "A" else letter
    if kind in ("i", "I") and 1 <= n <= 39:
        out = ""
        for value, digits in _ROMAN:
            while n >= value:
                out += digits
                n -= value
        return out.upper() if kind == "I" else out
    return str(n)


def _marker(lst: _List) -> str:
    n = lst.next
    if not lst.ordered:
        return "- "
    if lst.depth >= 3 and lst.kind == "1" and 1 <= n <= len(_KATAKANA_NUMBERS):
        return f"({_KATAKANA_NUMBERS[n - 1]}) "
    number = _number(lst.kind, n)
    return f"{number}. " if lst.depth == 1 else f"({number}) "


def _bare(el: _El) -> bool:
    style = el.attrs.get("style", "").lower().replace(" ", "")
    return "list-style:none" in style or "list-style-type:none" in style


def _int(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def _render(root: _El) -> list[tuple[int, str]]:
    w = _Writer()
    lists: list[_List] = []
    in_items = 0
    pre = 0
    # Events: an element to enter, the marker of an element to leave, or a text.
    stack: list[tuple[str, _El | str]] = [("enter", root)]
    while stack:
        event, node = stack.pop()
        if isinstance(node, str):
            if pre:
                parts = node.split("\n")
                for i, part in enumerate(parts):
                    if i:
                        w.br()
                    w.text(part)
            else:
                w.text(node)
            continue
        el = node
        tag = el.tag
        if event == "enter":
            if el is not root and _link_block(el):
                continue
            blank = tag in _PARAGRAPH and not in_items
            if tag == "br":
                w.br()
                continue
            if tag in ("ol", "ul", "menu", "dir"):
                ordered = tag == "ol"
                depth = sum(1 for lst in lists if lst.ordered) + (1 if ordered else 0)
                kind = el.attrs.get("type", "1") if ordered else ""
                lists.append(_List(ordered, depth, kind, _int(el.attrs.get("start"), 1), _bare(el)))
                w.end_line(blank=not in_items)
            elif tag == "li":
                w.end_line()
                if lists:
                    lst = lists[-1]
                    lst.next = _int(el.attrs.get("value"), lst.next)
                    w.marker = None if lst.bare or _bare(el) else _marker(lst)
                    lst.next += 1
                w.indents.append(2 * max(len(lists), 1))
                in_items += 1
            elif tag in ("td", "th"):
                if w.buf:
                    w.text(" ")
            elif tag in _BLOCK:
                w.end_line(blank=blank, holding=True)
            if tag == "pre":
                pre += 1
            stack.append(("leave", el))
            stack.extend(
                ("enter", c) if isinstance(c, _El) else ("text", c) for c in reversed(el.children)
            )
        else:
            if tag in ("ol", "ul", "menu", "dir"):
                w.end_line(blank=not in_items)
                if lists:
                    lists.pop()
            elif tag == "li":
                w.end_line()
                w.marker = None
                w.indents.pop()
                in_items -= 1
            elif tag in _BLOCK:
                w.end_line(blank=tag in _PARAGRAPH and not in_items, holding=True)
            if tag == "pre":
                pre -= 1
    w.end_line()
    return w.lines


# ---------------------------------------------------------------------------------------
# Putting it together


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text).text)


def _clean(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop furniture lines and repeated blank lines."""
    out: list[tuple[int, str]] = []
    for indent, text in lines:
        if text and is_furniture(normalize(text).text.strip()):
            continue
        if not text and (not out or not out[-1][1]):
            continue
        out.append((indent, text))
    while out and not out[-1][1]:
        out.pop()
    return out


def _same_title(title: str, line: str) -> bool:
    """``line`` is the title, perhaps with (概要) or a site name added or taken away."""
    a, b = _key(title), _key(line)
    if len(a) < len(b):
        a, b = b, a
    return a == b or (len(b) >= 4 and b in a and len(a) - len(b) <= 12)


def _date_line(text: str) -> bool:
    if len(text) > 40 or _OWN_MARKER.match(text):
        return False
    return parse_full_date(normalize(text).text) is not None


def extract_text(page: str) -> str:
    """The readout text of an HTML page (see the module docstring); "" when none."""
    parser = LexborHTMLParser(page)
    text = _extract(parser, keep_hidden=False)
    if not text:
        # Some pages hide everything until a script shows it: read the hidden parts then.
        text = _extract(parser, keep_hidden=True)
    return text


def _extract(parser: LexborHTMLParser, *, keep_hidden: bool) -> str:
    body = _build(parser, keep_hidden=keep_hidden)
    _measure(body)
    title_el, title = _find_title(body)
    if title is None:
        title = title_from_head(parser)
    _remove_furniture(body, title_el)
    _measure(body)
    root = _choose_root(body)
    lines = _clean(_render(root))
    if not lines:
        return ""
    head = [text for _, text in lines[:12] if text]
    prefix: list[tuple[int, str]] = []
    if title and not any(_same_title(title, t) for t in head[:6]):
        prefix.append((0, title))
    if root is not body and not any(_date_line(t) for t in head[:8]):
        # The page date sits outside the main content (a header cell, a page header).
        inside = {t for _, t in lines}
        outside = [t for _, t in _clean(_render(body)) if t and t not in inside]
        date = next((t for t in outside[:40] if _date_line(t)), None)
        if date is not None:
            prefix.append((0, date))
    if prefix:
        lines = [*prefix, (0, ""), *lines]
    return "".join(" " * indent + text + "\n" for indent, text in lines)
