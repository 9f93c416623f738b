"""Named things in text: countries, places, bodies, units, treaties, documents, mechanisms,
capabilities — found by the lexicons ``gazetteer.toml`` and ``countries.toml``.

All written forms go into one trie regex, built once per process, so a text is scanned
once whatever the size of the lexicon.  Open classes are generated, not listed:

* numbered units (第12海兵沿岸連隊, 第7艦隊) by a second, literal-prefixed regex;
* treaty articles (日米安全保障条約第5条) and resolutions (安保理決議第2397号) by extending
  a treaty or council mention with the number right after it;
* Japan–partner names (日豪「2+2」, 日比円滑化協定) for every partner in countries.toml;
* forum meetings (G20外相会合, NATO首脳会合);
* abbreviations a text defines in parentheses right after a name (…指針(ガイドライン)),
  found again later in the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from readout.era import to_int
from readout.lexicon import countries, load, trie_regex
from readout.model import EntityType
from readout.termscan import TermScanner, at_boundary

# Entity types listed by name in gazetteer.toml; COUNTRY comes from countries.toml and
# PERSON from the participants.
LISTED_TYPES: tuple[EntityType, ...] = (
    "PLACE",
    "ORG",
    "UNIT",
    "TREATY",
    "DOCUMENT",
    "MECHANISM",
    "CAPABILITY",
)
# A number in a unit, article or resolution: digits or kanji (第五条, 第十二海兵連隊).
_NUMBER = r"[0-9]{1,4}|[〇一二三四五六七八九十百]{1,5}"
# An abbreviation a text defines for the name before it: Latin capitals (ISR, FDO) or a
# katakana word (ガイドライン).  Countries, places and people are left out: a parenthesis
# after them is an aside (インド(ニューデリー)), not a new name.
_ALIAS = re.compile(r"\((?P<a>[A-Z][A-Za-z0-9&+\-]{1,11}|[ァ-ヺー・]{2,15})\)")
_ALIAS_TYPES = frozenset({"ORG", "UNIT", "TREATY", "DOCUMENT", "MECHANISM", "CAPABILITY"})


@dataclass(frozen=True)
class Named:
    """One named thing: its type, canonical Japanese form and English form."""

    type: EntityType
    norm: str
    en: str | None
    articles: str | None = None  # numbering of a treaty's articles: "roman" or "arabic"
    resolutions: str | None = None  # the council whose numbered resolutions follow it


@dataclass(frozen=True)
class Mention:
    """A mention in normalised text: ``text[start:end]`` refers to ``named``."""

    start: int
    end: int
    named: Named


@dataclass(frozen=True)
class _Lexicon:
    scanner: TermScanner[Named | None]  # None: a skip form (東日本)
    units: re.Pattern[str]
    unit_en: dict[str, str]
    unit_hq: tuple[str, str]  # (suffix, English template)
    article: re.Pattern[str]
    article_en: tuple[str, str]  # (without, with a paragraph)
    resolution: re.Pattern[str]
    resolution_en: str
    kuni_names: frozenset[str]  # names written abbreviation + 国 (米国, 英国)
    abbreviations: frozenset[str]  # one-character country abbreviations (日, 米, 豪)
    kuni_word_starts: str
    kuni_shrink_before: str


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st …"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def roman(n: int) -> str:
    """Roman numeral of ``n`` (Article V, III Marine Expeditionary Force)."""
    out = []
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _claim(terms: dict[str, Named | None], form: str, named: Named | None) -> None:
    """Register ``form``; two different things claiming one form is a lexicon error."""
    have = terms.get(form, named)
    if have != named:
        raise ValueError(f"gazetteer: written form {form!r} claimed twice ({have} / {named})")
    terms[form] = named


@cache
def _lexicon() -> _Lexicon:
    raw = load("gazetteer")
    terms: dict[str, Named | None] = {}
    forums: list[tuple[str, Named]] = []
    for type_ in LISTED_TYPES:
        for entry in raw.get(type_, []):
            named = Named(
                type_,
                entry["norm"],
                entry.get("en"),
                entry.get("articles", "arabic") if type_ == "TREATY" else None,
                entry.get("resolutions"),
            )
            for form in (entry["norm"], *entry.get("forms", [])):
                _claim(terms, form, named)
            if "forum" in entry:
                forums.append((entry["forum"], named))
    for form in raw.get("skip", []):
        _claim(terms, form, None)

    # Countries: full names only.  A one-character name is the abbreviation used in
    # compounds (豪 in 日豪), which is not a mention of the country.
    country_raw = load("countries")["country"]
    abbreviations = frozenset(c.abbr for c in countries() if c.abbr)
    kuni_names: set[str] = set()
    for c in countries():
        named = Named("COUNTRY", country_raw[c.code]["names"][0], c.en)
        for name in c.names:
            if len(name) > 1:
                _claim(terms, name, named)
        if c.abbr and c.abbr + "国" in c.names:
            kuni_names.add(c.abbr + "国")

    # Japan and one partner: generated for every partner; explicit entries win.
    compound = raw.get("compound", {})
    partner_en: dict[str, str] = compound.get("partner_en", {})
    for c in countries():
        if c.code == "JP":
            continue
        prefix = "日" + (c.abbr or country_raw[c.code]["names"][0])
        partner = partner_en.get(c.code, c.en)
        for tpl in raw.get("pair", []):
            norm = prefix + tpl["norm"]
            target = terms.get(norm) or Named(tpl["type"], norm, tpl["en"].format(partner=partner))
            for form in tpl["forms"]:
                terms.setdefault(prefix + form, target)
    # A country's forces and ministries (英国海軍, フィリピン国防省).
    for tpl in raw.get("national", []):
        for c in countries():
            if c.code == "JP":
                continue
            heads = [n for n in country_raw[c.code]["names"] if len(n) > 1]
            if c.abbr:
                heads += [c.abbr, c.abbr + "国"]
            for head in heads:
                for suffix in tpl["suffix"]:
                    named = Named(tpl["type"], head + suffix, tpl["en"].format(country=c.en))
                    terms.setdefault(head + suffix, named)
    # Japan's meetings with two partners (日米比首脳会合, 日中韓サミット).
    abbrs = [(c.abbr, c.en) for c in countries() if c.abbr and c.code != "JP"]
    for form in raw.get("trilateral", {}).get("forms", []):
        for a, a_en in abbrs:
            for b, b_en in abbrs:
                if a != b:
                    name = f"日{a}{b}{form}"
                    terms.setdefault(name, Named("ORG", name, f"Japan-{a_en}-{b_en} {form}"))
    for forum, named in forums:
        for tpl in raw.get("meeting", []):
            meeting = Named("ORG", forum + tpl["forms"][0], tpl["en"].format(forum=named.en))
            for form in tpl["forms"]:
                terms.setdefault(forum + form, meeting)

    unit_en = {u["suffix"]: u["en"] for u in raw.get("unit", [])}
    hq, article = raw["unit_headquarters"], raw["article"]
    return _Lexicon(
        scanner=TermScanner(terms),
        units=re.compile(
            rf"第(?P<n>{_NUMBER})(?P<suffix>{trie_regex(list(unit_en))})"
            rf"(?P<hq>{re.escape(hq['suffix'])})?"
        ),
        unit_en=unit_en,
        unit_hq=(hq["suffix"], hq["en"]),
        article=re.compile(rf"第(?P<n>{_NUMBER})条(?:第(?P<p>{_NUMBER})項)?"),
        article_en=(article["en"], article["en_paragraph"]),
        # 決議 is optional: after 安保理決議 it has been read already.
        resolution=re.compile(rf"(?:決議)?第?(?P<n>{_NUMBER})号"),
        resolution_en=raw["resolution"]["en"],
        kuni_names=frozenset(kuni_names),
        abbreviations=abbreviations,
        kuni_word_starts=compound.get("kuni_word_starts", ""),
        kuni_shrink_before=compound.get("kuni_shrink_before", ""),
    )


def lexicon_terms() -> dict[str, Named | None]:
    """Every written form the gazetteer knows (None for skip forms); for tests and tools."""
    return _lexicon().scanner.terms


def _country_fit(lex: _Lexicon, text: str, start: int, end: int) -> int | None:
    """Where a country mention really ends, or None when the name is not one.

    米国務長官 is 米 + 国務長官, 日韓国交 is 日韓 + 国交: a name written abbreviation + 国
    followed by the start of a 国-word, or glued to another abbreviation before it, is an
    abbreviation in a compound.  日本国内 is 日本 + 国内: the mention is the shorter name.
    """
    named = lex.scanner.terms[text[start:end]]
    if named is None or named.type != "COUNTRY" or text[end - 1] != "国":
        return end
    nxt = text[end] if end < len(text) else ""
    form = text[start:end]
    if form in lex.kuni_names:
        if nxt and nxt in lex.kuni_word_starts:
            return None
        if start > 0 and text[start - 1] in lex.abbreviations:
            return None
    elif nxt and nxt in lex.kuni_shrink_before and lex.scanner.terms.get(form[:-1]) == named:
        return end - 1
    return end


def _extend(lex: _Lexicon, text: str, m: Mention) -> Mention:
    """A treaty followed by 第N条, or a council (or its 決議) by 第N号, is the article or
    the resolution."""
    named = m.named
    if named.type == "TREATY":
        a = lex.article.match(text, m.end)
        if a:
            n = to_int(a["n"])
            num = roman(n) if named.articles == "roman" else str(n)
            norm = f"{named.norm}第{n}条"
            if a["p"]:
                p = to_int(a["p"])
                norm += f"第{p}項"
                en = lex.article_en[1].format(n=num, p=p, treaty=named.en)
            else:
                en = lex.article_en[0].format(n=num, treaty=named.en)
            return Mention(m.start, a.end(), Named("TREATY", norm, en, named.articles))
    elif named.resolutions:
        r = lex.resolution.match(text, m.end)
        council = lex.scanner.terms.get(named.resolutions)
        if r and council is not None:
            n = to_int(r["n"])
            en = lex.resolution_en.format(org=council.en, n=n)
            return Mention(m.start, r.end(), Named("DOCUMENT", f"{council.norm}決議第{n}号", en))
    return m


def _units(lex: _Lexicon, text: str) -> Iterator[Mention]:
    for u in lex.units.finditer(text):
        if not at_boundary(text, u.start(), u.end()):
            continue
        n = to_int(u["n"])
        suffix = u["suffix"]
        en = lex.unit_en[suffix].format(ordinal=ordinal(n), roman=roman(n), n=n)
        norm = f"第{n}{suffix}"
        if u["hq"]:
            norm += lex.unit_hq[0]
            en = lex.unit_hq[1].format(unit=en)
        yield Mention(u.start(), u.end(), Named("UNIT", norm, en))


def _aliases(text: str, found: list[Mention]) -> list[Mention]:
    """Mentions of abbreviations the text defines in parentheses after a name."""
    terms = _lexicon().scanner.terms
    aliases: dict[str, tuple[int, Named]] = {}
    for m in found:
        if m.named.type not in _ALIAS_TYPES:
            continue
        a = _ALIAS.match(text, m.end)
        if a and a["a"] not in terms and a["a"] not in aliases:
            aliases[a["a"]] = (a.start("a"), m.named)
    out: list[Mention] = []
    for alias, (first, named) in aliases.items():
        pos = first
        while (pos := text.find(alias, pos)) >= 0:
            if at_boundary(text, pos, pos + len(alias)):
                out.append(Mention(pos, pos + len(alias), named))
            pos += len(alias)
    return out


def _merge(a: list[Mention], b: list[Mention]) -> list[Mention]:
    """Both lists' mentions in text order; where two overlap, the longer (then ``a``'s)."""
    both = sorted(a + b, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in both:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def find_named(text: str) -> list[Mention]:
    """Every named thing in ``text`` (normalised), in text order, without overlaps."""
    lex = _lexicon()

    def accept(t: str, s: int, e: int) -> int | None:
        return _country_fit(lex, t, s, e)

    found: list[Mention] = []
    end = 0
    for s, e, named in lex.scanner.scan(text, accept=accept):
        if s < end:
            continue  # inside an article or resolution number just consumed
        if named is None:
            continue
        m = _extend(lex, text, Mention(s, e, named))
        found.append(m)
        end = m.end
    found = _merge(found, list(_units(lex, text)))
    aliases = _aliases(text, found)
    if aliases:
        found = _merge(found, aliases)
    return found
