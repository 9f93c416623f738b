"""Stage: meeting metadata — kind, date, start (two clocks), duration, place, sides,
participants, joint statement.

Reads the title, the lead paragraph, meta-sections (日時 / 場所 / 出席者) and participant
lines.  Dates relative to the page (本20日, 同日, 昨7日) resolve against ``published``.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from readout.era import full_date_regex, match_to_date, to_int
from readout.lexicon import countries, country_by_code, country_name_index, load, trie_regex
from readout.model import Participant
from readout.names import find_person_phrases, foreign_only_titles
from readout.pipeline import Doc, stage
from readout.stages.structure import PARTICIPANT_LINE

JST = "Asia/Tokyo"
N = r"[0-9〇一二三四五六七八九十]{1,3}"
WEEKDAY = r"(?:\s*[(][月火水木金土日](?:曜日?)?[)])?"
MONTH_DAY = re.compile(
    rf"(?P<rel>本|昨|明|同|去る|翌)?(?:(?P<m>{N})\s*月\s*)?(?P<rel2>本|昨|明|同)?(?P<d>{N})\s*日{WEEKDAY}"
)
REL_DAY = re.compile(rf"(?P<w>本日|同日|昨日|明日|前日|翌日){WEEKDAY}")
TIME = re.compile(
    r"(?P<ampm>午前|午後|未明|早朝|昼|夜|夕刻)?\s*(?P<h>[0-9]{1,2}|正午)\s*(?:時\s*(?:(?P<mi>[0-9]{1,2})\s*分|(?P<half>半))?|:(?P<mi2>[0-9]{2}))"
    r"(?P<mod>頃|ごろ|過ぎ|すぎ)?"
)
TIME_FROM = re.compile(rf"(?:{TIME.pattern})(?=\s*(?:から|より))")
LABEL_BEFORE = re.compile(r"(?P<l>[^\s、,。()0-9]{1,8}?時間)\s*[::]?\s*$")
LABEL_AFTER = re.compile(r"\s*(?:頃|過ぎ)?\s*[((](?P<l>[^()0-9]{1,8}?時間)[))]")
KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百]+(?=\s*(?:年|月|日|時|分|か月|カ月|回))")
OTHER_CLOCK = re.compile(
    rf"[(]\s*(?P<label>[^\s、。():]{{1,8}}?時間)\s*[::]?\s*(?P<rel>同日|翌日|前日)?"
    rf"(?:(?P<m>{N})\s*月\s*)?(?:(?P<d>{N})\s*日\s*)?"
    r"(?:(?P<ampm>午前|午後|未明|早朝|夜)?\s*(?P<h>[0-9]{1,2})\s*時\s*(?:(?P<mi>[0-9]{1,2})\s*分|(?P<half>半))?)?"
    r"[^()]{0,12}[)]"
)
DURATION = re.compile(
    r"(?P<approx>約)?\s*(?:(?<![0-9時:])(?P<h>[0-9]{1,2})\s*時間\s*(?:(?P<mi>[0-9]{1,2})\s*分)?|(?<![0-9時:])(?P<m>[0-9]{1,3})\s*分)\s*(?:間|程度|弱|強|にわたり|にわたって)?"
)
RANGE = re.compile(
    r"(?P<a>(?:午前|午後)?\s*[0-9]{1,2}\s*時\s*(?:[0-9]{1,2}\s*分|半)?(?:頃|過ぎ)?)\s*(?:から|~|-)\s*"
    r"(?P<b>(?:午前|午後)?\s*[0-9]{1,2}\s*時\s*(?:[0-9]{1,2}\s*分|半)?(?P<mod>頃|過ぎ)?)\s*(?:まで)?"
)
PLACE_NIOITE = re.compile(
    r"(?:^|[、,。)]|から|は)\s*(?P<p>[^、,。()「」]{2,40}?)\s*(?:において|にて|で開催)"
)
PLACE_SECTION = re.compile(r"(?:^|\n)場所\s*[::]\s*(?P<p>[^\n]{2,40})")
PLACE_OITE = re.compile(r"[((]\s*於\s*[::]?\s*(?P<p>[^()]{2,40})[))]")
VISITING = re.compile(r"(?P<p>[^、,。()\s]{2,20}?)を訪問中の")
VISITING_JP = re.compile(r"(?:訪日|来日|来訪)中の")


@cache
def _lex() -> dict[str, object]:
    return load("meeting")


@cache
def _kind_res() -> list[tuple[str, re.Pattern[str]]]:
    return [(k["kind"], re.compile(k["pattern"])) for k in _lex()["kind"]]  # type: ignore[attr-defined]


@cache
def _joint_re() -> re.Pattern[str]:
    return re.compile(str(_lex()["joint_statement"]))


@cache
def _abbr_to_code() -> dict[str, str]:
    return {c.abbr: c.code for c in countries() if c.abbr}


@cache
def _compound_re() -> re.Pattern[str]:
    abbrs = "".join(a for a in _abbr_to_code() if a != "日")
    return re.compile(
        rf"日(?P<c>[{abbrs}]+)(?![国本])|日・(?P<n>[^・「」\s]{{2,12}}?)(?=外相|首脳|防衛|外務|「|電話|会談|間)"
    )


@cache
def _side_word_re() -> re.Pattern[str]:
    names = trie_regex(list(country_name_index()))
    return re.compile(rf"(?P<c>{names})(?:国)?側")


@cache
def _place_tz() -> dict[str, str]:
    table: dict[str, str] = _lex()["place_tz"]  # type: ignore[assignment]
    return dict(table)


def kind_of(*texts: str) -> str | None:
    for text in texts:
        if not text:
            continue
        for kind, rx in _kind_res():
            if rx.search(text):
                return kind
    return None


def zone_of_place(place: str | None) -> str | None:
    if not place:
        return None
    for name, tz in _place_tz().items():
        if name in place:
            return tz
    if any(w in place for w in _lex()["japan_places"]):  # type: ignore[attr-defined]
        return JST
    for name in sorted(country_name_index(), key=len, reverse=True):
        if len(name) >= 2 and name in place:
            return country_by_code()[country_name_index()[name]].tz
    return None


def zone_of_label(label: str, place_tz: str | None) -> str | None:
    if label == "日本時間":
        return JST
    named: dict[str, str] = _lex()["clock_label"]  # type: ignore[assignment]
    if label in named:
        return named[label]
    if label == "現地時間":
        return place_tz
    stem = label[: -len("時間")]
    stem = stem[:-1] if stem.endswith("国") and stem not in country_name_index() else stem
    code = country_name_index().get(stem) or country_name_index().get(label[: -len("時間")])
    if code is None:
        return zone_of_place(stem)
    if code == "JP":
        return JST
    # A country with several zones: the place of the meeting knows better.
    if place_tz and zone_of_place_country(place_tz) == code:
        return place_tz
    return country_by_code()[code].tz


def zone_of_place_country(tz: str) -> str | None:
    for c in countries():
        if c.tz == tz:
            return c.code
    for name, ptz in _place_tz().items():
        if ptz == tz:
            code = _country_in(name)
            if code:
                return code
    # US zones other than the capital's.
    if tz.startswith("America/") or tz.startswith("Pacific/Honolulu") or tz == "Pacific/Guam":
        return "US"
    if tz.startswith("Australia/"):
        return "AU"
    return None


def _country_in(text: str) -> str | None:
    for name in sorted(country_name_index(), key=len, reverse=True):
        if len(name) >= 2 and name in text:
            return country_name_index()[name]
    return None


def resolve_day(m: re.Match[str], published: date | None, ref: date | None = None) -> date | None:
    """The date of a month-day or day-only match, read against the page date."""
    base = ref or published
    if base is None:
        return None
    rel = m["rel"] or m["rel2"]
    day = to_int(m["d"])
    month = to_int(m["m"]) if m["m"] else None
    if rel == "昨":
        cand = base - timedelta(days=1)
        return cand if cand.day == day else _nearest(base, month, day)
    if rel in ("明", "翌"):
        cand = base + timedelta(days=1)
        return cand if cand.day == day else _nearest(base, month, day)
    return _nearest(base, month, day)


def _nearest(base: date, month: int | None, day: int) -> date | None:
    """The date with this month/day closest before (or a few days after) ``base``."""
    cands: list[date] = []
    if month is None:
        for dm in (0, -1, 1):
            y, mo = base.year, base.month + dm
            if mo == 0:
                y, mo = y - 1, 12
            elif mo == 13:
                y, mo = y + 1, 1
            with suppress(ValueError):  # 31日 in a 30-day month is simply not a candidate
                cands.append(date(y, mo, day))
    else:
        for y in (base.year, base.year - 1, base.year + 1):
            with suppress(ValueError):
                cands.append(date(y, month, day))
    if not cands:
        return None
    # Readouts report meetings already held: prefer dates up to a week after the page.
    ok = [c for c in cands if (c - base).days <= 7]
    pool = ok or cands
    return min(pool, key=lambda c: abs((c - base).days))


def _hour(ampm: str | None, h: str, mi: str | None, half: str | None) -> tuple[int, int]:
    if h == "正午":
        return 12, 0
    hour = int(h)
    minute = 30 if half else int(mi) if mi else 0
    if ampm in ("午後", "夜", "夕刻") and hour < 12:
        hour += 12
    if ampm == "午前" and hour == 12:
        hour = 0
    return hour, minute


def _iso(dt: datetime, tz: str | None) -> str | None:
    if tz is None:
        return None
    return dt.replace(tzinfo=ZoneInfo(tz)).isoformat()


def _clean_place(p: str) -> str | None:
    p = p.strip(" 、,")
    # Drop a leading time or date phrase that the regex could not exclude.
    p = re.sub(r"^.*?(?:から|より)\s*", "", p) if re.search(r"[0-9]時|日", p[:12]) else p
    p = re.sub(r"^(?:都内|市内)?$", "", p)
    # "…出席のためニューヨーク", "訪問中のシンガポール", "会談は総理大臣官邸": the purpose,
    # the visit and the meeting itself are not the place.
    p = re.sub(r"^.*(?:のため|ため|に際し(?:て)?|の際)", "", p).strip(" 、,")
    p = re.sub(r"^(?:訪問中|滞在中|訪日中|来日中)の", "", p)
    p = re.sub(r"^.*(?:会談|会合|会議|協議)(?:は|が)", "", p)
    if not p or len(p) < 2 or re.search(r"[0-9]+\s*時|会談|会合", p):
        return None
    # A person (…外務大臣は) is not a place; a building named after an office is
    # (総理大臣官邸).
    if find_person_phrases(p) and not re.search(r"官邸|公邸|庁舎|本省|省$", p):
        return None
    return p


HONORIFICS = re.compile(
    r"^(?:(?:The\s+)?(?:Right\s+|Rt\.?\s+)?(?:Honou?rable|Hon\.?)|H\.?\s?E\.?|Dr\.|Mr\.|Ms\.|Mrs\."
    r"|Sen\.|Senator|Gen\.|General|Admiral|Prof\.|His Excellency|Her Excellency)\s+",
    re.IGNORECASE,
)
OFFICE_WORDS = re.compile(
    r"\b(?:of|Minister|Secretary|President|Prime|Chancellor|Premier|Ambassador)\b"
)


def _english(gloss: str) -> tuple[str | None, str | None]:
    """(name_en, title_en) from an English gloss like 'Dr. Raj Kumar, Minister of …'."""
    g = gloss.strip()
    prev = None
    while prev != g:
        prev = g
        g = HONORIFICS.sub("", g).strip()
    # "Biden, Jr., President of …": suffixes stay with the name.
    m = re.match(r"(?P<name>[^,]+?(?:,\s*(?:Jr|Sr|III|II|IV)\.?)?)\s*,\s*(?P<title>.+)$", g)
    if not m:
        return g or None, None
    name, title = m["name"].strip(), m["title"].strip().rstrip(",")
    # "The President of …, Daniel Walker": the office came first.
    if OFFICE_WORDS.search(name) and not OFFICE_WORDS.search(title):
        name, title = HONORIFICS.sub("", title).strip(), re.sub(r"^The\s+", "", name)
    # Post-nominal letters (MP, QC) are not part of the name.
    name = re.sub(r"(?:\s+(?:MP|QC|KC|AC|AO|OBE|CBE|KBE|PhD))+$", "", name)
    return name, title or None


# A side label: 日本側から(は) / 米側: / (韓国側: / 【英国側出席者】.
SIDE_LABEL = re.compile(r"(?P<c>[^\s、,。()()【】\[\]::]{1,8}?)(?:国)?側")


def _side_labels(text: str) -> list[tuple[int, str]]:
    out = []
    for m in SIDE_LABEL.finditer(text):
        word = m["c"]
        code = None
        # The label is the longest country name ending the word (…、米 → 米).
        for k in range(len(word), 0, -1):
            code = country_name_index().get(word[-k:])
            if code:
                break
        if code:
            out.append((m.end(), code))
    return out


def participants_in(texts: list[str], counterparts: list[str]) -> list[Participant]:
    """Participants written in a lead, participant lines or an 出席者 section.

    The side is the country written with the title (豪国防大臣), else the nearest side label
    before the name in the same sentence (日本側から…, 米側:), else the counterpart for a
    foreign-only title or a katakana name, else Japan.
    """
    out: list[Participant] = []
    single = counterparts[0] if len(counterparts) == 1 else None
    for text in texts:
        labels = _side_labels(text)
        for hit in find_person_phrases(text):
            side = hit.side
            if side is None:
                for pos, code in reversed(labels):
                    if pos <= hit.start:
                        if "。" not in text[pos : hit.start]:
                            side = code
                        break
            if side is None:
                foreign = hit.title in foreign_only_titles() or re.fullmatch(
                    r"[\u30a1-\u30fa\u30fc・=]+", hit.name
                )
                side = single if foreign else "JP"
            name_en = title_en = None
            if hit.gloss:
                name_en, title_en = _english(hit.gloss)
            out.append(
                Participant(
                    name=hit.name, title=hit.title, side=side, name_en=name_en, title_en=title_en
                )
            )
    return out


def _dedupe(people: list[Participant]) -> list[Participant]:
    """One participant per person: the same name, or a surname written once and the full
    name elsewhere (川端防衛大臣 and 川端誠一郎防衛大臣), merge into the fuller entry."""
    out: list[Participant] = []
    for p in people:
        same = next((o for o in out if _same_person(o, p)), None)
        if same is None:
            out.append(p)
            continue
        if len(p.name) > len(same.name):
            same.name = p.name
        same.title = same.title or p.title
        same.side = same.side or p.side
        same.name_en = same.name_en or p.name_en
        same.title_en = same.title_en or p.title_en
    return out


def _same_person(a: Participant, b: Participant) -> bool:
    if a.name == b.name:
        return True
    short, full = sorted((a.name, b.name), key=len)
    return (
        a.side == b.side
        and a.title == b.title
        and (full.startswith(short) or full.endswith("・" + short))
    )


def _sides(doc: Doc, title: str, lead: str, participants: list[Participant]) -> list[str]:
    order: list[str] = []

    def add(code: str | None) -> None:
        if code and code not in order:
            order.append(code)

    for m in _compound_re().finditer(title):
        if m["c"]:
            for ch in m["c"]:
                add(_abbr_to_code().get(ch))
        elif m["n"]:
            add(country_name_index().get(m["n"]))
    for p in participants:
        add(p.side)
    for m in _side_word_re().finditer(lead + "\n" + doc.text[:4000]):
        add(country_name_index().get(m["c"]))
    order = [c for c in order if c != "JP"]
    return ["JP", *order]


@stage(
    "meeting",
    fills=(
        "meeting.kind",
        "meeting.date",
        "meeting.start",
        "meeting.start_local",
        "meeting.duration_minutes",
        "meeting.duration_approximate",
        "meeting.location",
        "meeting.sides",
        "meeting.participants",
        "meeting.joint_statement",
    ),
)
def run(doc: Doc) -> None:
    """Read the meeting's metadata from the title, lead and meta-sections."""
    text = doc.text
    title = text[doc.title_span[0] : doc.title_span[1]] if doc.title_span else ""
    lead = text[doc.lead_span[0] : doc.lead_span[1]] if doc.lead_span else ""
    meta = _meta_text(doc)
    info = lead + "\n" + meta if meta else lead
    # Values only (offsets are not read from info): kanji numerals become digits.
    info = KANJI_NUMBER.sub(lambda m: str(to_int(m.group())), info)
    mt = doc.record.meeting

    # Participants: labelled lines between the lead and the body, then the lead itself.
    part_lines = _participant_lines(doc)
    prelim_sides = _sides(doc, title, info, [])
    counterpart = prelim_sides[1] if len(prelim_sides) == 2 else None
    people = _dedupe(participants_in([info, "\n".join(part_lines)], prelim_sides[1:]))
    for p in people:
        if p.side is None and counterpart and not re.search(r"総理|首相", p.title or ""):
            p.side = counterpart
    mt.participants = people
    mt.sides = _sides(doc, title, info, people)
    if len(mt.sides) < 2:
        doc.warn("counterpart not found: sides has Japan only")

    kind = kind_of(title, lead)
    if kind is None:
        jp_titles = {p.title for p in people if p.side == "JP" and p.title}
        table: dict[str, list[str]] = _lex()["kind_by_titles"]  # type: ignore[assignment]
        hits = [k for k, words in table.items() if any(t in words for t in jp_titles)]
        if set(hits) >= {"foreign_ministers", "defense_ministers"}:
            kind = "2+2"
        elif hits:
            kind = hits[0]
    mt.kind = kind or "other"  # type: ignore[assignment]
    if kind is None:
        doc.warn("meeting kind not recognised")

    # Place.
    location = None
    if mt.kind != "phone_call":
        m = PLACE_SECTION.search(meta) or PLACE_OITE.search(info)
        if m:
            location = _clean_place(m["p"])
        if location is None:
            for m2 in PLACE_NIOITE.finditer(info):
                location = _clean_place(m2["p"])
                if location:
                    break
        if location is None:
            m3 = VISITING.search(info)
            if m3:
                location = _clean_place(m3["p"].split("、")[-1])
            elif VISITING_JP.search(info):
                location = "日本"
        mt.location = location
        if location is None and info:
            doc.warn("meeting place not found")
    place_tz = zone_of_place(location)
    if location is None and mt.kind == "phone_call":
        place_tz = JST
    elif location is not None and place_tz is None and len(mt.sides) == 2:
        # A venue we do not know, abroad: the counterpart's country is the best guess.
        place_tz = country_by_code()[mt.sides[1]].tz if mt.sides[1] in country_by_code() else None
        doc.warn(f"time zone of {location} not known; the counterpart's zone is used")

    _date_time(doc, info, place_tz)
    mt.joint_statement = bool(_joint_re().search(text))
    if not info.strip():
        doc.warn("no lead paragraph: meeting date, time and place not read")


def _meta_text(doc: Doc) -> str:
    """Text of meta-sections (日時, 場所, 出席者) that describe the meeting."""
    parts = []
    for sec in doc.record.sections:
        if sec.title and re.match(r"^(?:日時|場所|出席者|参加者|日程|形式|於)", sec.title):
            s = next((i.start for i in doc.items if i.section == sec.id), None)
            e = max((i.end for i in doc.items if i.section == sec.id), default=None)
            head = sec.title
            body = doc.text[s:e] if s is not None and e is not None else ""
            parts.append(f"{head}:{body}")
    return "\n".join(parts)


def _participant_lines(doc: Doc) -> list[str]:
    out = []
    after = doc.lead_span[1] if doc.lead_span else 0
    first_item = min((i.start for i in doc.items), default=len(doc.text))
    collecting = False
    for line in doc.lines:
        if line.furniture or not line.text or line.start < after:
            continue
        if line.start >= first_item and not collecting:
            break
        if PARTICIPANT_LINE.match(line.text):
            collecting = True
            out.append(line.text)
        elif collecting:
            if line.start >= first_item or re.search(r"[。]$", line.text):
                collecting = False
                if line.start >= first_item:
                    break
                continue
            out.append(line.text)
    return out


def _date_time(doc: Doc, info: str, place_tz: str | None) -> None:
    mt = doc.record.meeting
    published = doc.published
    meeting_date: date | None = None
    pos = 0
    label_main: str | None = None
    fm = full_date_regex().search(info)
    md = MONTH_DAY.search(info)
    rd = REL_DAY.search(info)
    candidates = [m for m in (fm, md, rd) if m]
    first = min(candidates, key=lambda m: m.start()) if candidates else None
    if first is fm and fm is not None:
        y, mo, d = match_to_date(fm)
        if mo and d:
            try:
                meeting_date = date(y, mo, d)
            except ValueError:
                meeting_date = None
        pos = fm.end()
        # A weekday after the full date.
        wd = re.match(WEEKDAY, info[pos:])
        pos += wd.end() if wd else 0
    elif first is md and md is not None:
        meeting_date = resolve_day(md, published)
        pos = md.end()
    elif first is rd and rd is not None:
        w = rd["w"]
        if published:
            shift = {"本日": 0, "同日": 0, "昨日": -1, "前日": -1, "明日": 1, "翌日": 1}[w]
            meeting_date = published + timedelta(days=shift)
        pos = rd.end()
    if meeting_date is None:
        meeting_date = published
        if published:
            doc.warn("meeting date not stated; the page date is used")
    mt.date = meeting_date.isoformat() if meeting_date else None
    if meeting_date is None:
        doc.warn("meeting date not found")

    # The clock of the main time is labelled before the date (現地時間7月3日), after it
    # (3月2日(現地時間)) or after the time (午後2時(現地時間)); a parenthesis holding a time
    # is the other clock.
    if first is not None:
        lb = LABEL_BEFORE.search(info, max(0, first.start() - 12), first.start())
        if lb:
            label_main = lb["l"]
    lab = LABEL_AFTER.match(info, pos)
    if lab:
        label_main = label_main or lab["l"]
    tm = TIME.search(info, pos, pos + 40) if pos else TIME.search(info)
    if tm is None:
        # The time may stand later, in a parenthesis of parts: (午後4時00分から、テタテ…).
        tm = TIME_FROM.search(info, pos)
    if tm is not None:
        lab = LABEL_AFTER.match(info, tm.end())
        if lab:
            label_main = label_main or lab["l"]
    other = OTHER_CLOCK.search(info, pos) if pos else OTHER_CLOCK.search(info)
    while other is not None and not other["h"]:
        # A bare "(現地時間)" labels the main clock; the other clock holds a time.
        label_main = label_main or other["label"]
        other = OTHER_CLOCK.search(info, other.end())
    if tm is None or meeting_date is None:
        _duration(mt, info, pos)
        return
    hour, minute = _hour(tm["ampm"], tm["h"], tm["mi"] or tm["mi2"], tm["half"])
    day = meeting_date
    if hour >= 24:
        hour -= 24
        day = day + timedelta(days=1)
    main_dt = datetime(day.year, day.month, day.day, hour, minute)
    # Which clock is the main one written in?
    other_tz: str | None = None
    if other and other["h"]:
        other_tz = zone_of_label(other["label"], place_tz)
    if label_main:
        main_tz = zone_of_label(label_main, place_tz)
    elif other_tz is not None:
        main_tz = place_tz if other_tz == JST else JST
        if main_tz is None:
            main_tz = JST
    elif place_tz in (None, JST):
        main_tz = JST
    else:
        main_tz = place_tz
        doc.warn("meeting clock not stated; the time is read as local time at the meeting place")
    mt.start = _iso(main_dt, main_tz)
    if other and other["h"] and other_tz:
        oh, omi = _hour(other["ampm"], other["h"], other["mi"], other["half"])
        oday = day + timedelta(days={"翌日": 1, "前日": -1}.get(other["rel"] or "", 0))
        if other["d"]:
            od = to_int(other["d"])
            om = to_int(other["m"]) if other["m"] else None
            cand = _nearest(day, om, od)
            oday = cand or day
        mt.start_local = _iso(datetime(oday.year, oday.month, oday.day, oh, omi), other_tz)
    _duration(mt, info, tm.start())
    if tm["mod"] and mt.duration_minutes is not None:
        # "from about 4 p.m." makes the length approximate too.
        mt.duration_approximate = True


def _duration(mt: object, info: str, pos: int) -> None:
    from readout.model import Meeting

    assert isinstance(mt, Meeting)
    rng = RANGE.search(info, pos)
    dur = DURATION.search(info, pos)
    if rng and (dur is None or rng.start() <= dur.start()):
        a = TIME.match(rng["a"].strip())
        b = TIME.match(rng["b"].strip())
        if a and b:
            ha, ma = _hour(a["ampm"], a["h"], a["mi"] or a["mi2"], a["half"])
            hb, mb = _hour(b["ampm"] or a["ampm"], b["h"], b["mi"] or b["mi2"], b["half"])
            minutes = (hb * 60 + mb) - (ha * 60 + ma)
            if minutes < 0:
                minutes += 24 * 60
            mt.duration_minutes = minutes
            mt.duration_approximate = bool(a["mod"] or b["mod"])
            return
    if dur is None:
        return
    # Several parts in a parenthesis (テタテ約20分、ワーキングランチ約60分) add up.
    paren = re.search(r"[((][^()]*$", info[: dur.start()])
    if paren:
        close = info.find(")", dur.start())
        inner = info[dur.start() : close if close != -1 else len(info)]
        parts = [dur, *DURATION.finditer(inner, dur.end() - dur.start())]
        total = sum(_minutes(p) for p in parts)
        mt.duration_minutes = total
        mt.duration_approximate = any(p["approx"] for p in parts)
        return
    mt.duration_minutes = _minutes(dur)
    mt.duration_approximate = bool(dur["approx"])


def _minutes(m: re.Match[str]) -> int:
    if m["h"]:
        return int(m["h"]) * 60 + (int(m["mi"]) if m["mi"] else 0)
    return int(m["m"])
