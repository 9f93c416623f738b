"""Stage: statements — split items into one statement per act by one speaker.

Per sentence:

1. find subject markers (日本側から, 林大臣は, 日米双方は) and clause boundaries: a cue
   predicate in a connective form (…歓迎し、 …確認するとともに、 …旨発言した上で、);
2. drop boundaries that sit inside reported speech (a cue before a later 旨 with no new
   subject between them belongs to what was said);
3. each clause gets the subject written in it, else the nearest subject before it in the
   item; これに対し with no subject passes the turn to the other side; an agreement or
   discussion with no joint subject is JOINT;
4. the governing predicate (the cue nearest the clause end) decides the act; reported
   speech takes the act of its content's final cue, else STATE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from readout.lexicon import countries, country_name_index, load, trie_regex
from readout.model import Participant, Statement
from readout.names import find_person_mentions, short_titles
from readout.pipeline import Doc, ItemSpan, stage
from readout.topics import topics_for

JOINT = "JOINT"
REAFFIRM = re.compile(
    r"改めて|あらためて|再確認|再度|再び|引き続き|(?<![積み])重ねて|再表明|再強調|再認識"
)
SENTENCE = re.compile(r"[^。\n]*(?:。[)」』]*|\n|$)")
# Connectives that always join two acts, even before a later 旨 (…歓迎するとともに、…旨述べた).
STRONG_CONNECTIVE = re.compile(
    r"(?:とともに|と共に|た上で|上で|たのに対し(?:て)?|のに対し(?:て)?|たところ|ところ|一方(?:で)?"
    r"|ほか|他)[、,]"
)
# A verb of saying in a connective form ends a speech act of its own (…謝意を述べ、
# …について説明し、): it is never part of reported content.
SAYING = re.compile(r"(?:述べ|表明し|発言し|説明し|伝え|言及し|紹介し|指摘し|要請し|求め|強調し)$")
# Connective forms after a predicate that end a clause inside a sentence; the weak ones
# (連用形: …歓迎し、) may also sit inside reported content.
CONNECTIVE = re.compile(
    rf"{STRONG_CONNECTIVE.pattern}|(?:つつ|し|して|い|べ|め|え|け|き|され|られ|れ|があり|ながら)[、,]"
)
# "…より概要以下のとおり述べた。" announces a speech given in the items that follow.
SPEECH_BLOCK = re.compile(
    r"(?:以下|次)の(?:とおり|通り)[^。、]{0,6}?(?:述べ|発言|説明|言及|表明|強調)"
)
# A deeper level folded into its item still shows its marker at a line start.
FOLDED_MARKER = re.compile(
    r"(?:[((](?:[0-9]{1,2}|[アイウエオカキクケコ]|[イロハニホヘトチリヌ])[))]|[①-⑳]|[○◯●・]|-(?=\s))\s*"
)
TURN_REPLY = re.compile(
    r"(?:これに対し(?:て)?|それに対し(?:て)?|これに応じ(?:て)?|これを受けて)[、,]"
)
# What may follow the final cue of reported content: inflection and a verb of expressing
# (…歓迎する, …強く支持している, …謝意を表したい), not a new predicate (…議論をリードしていく).
CONTENT_TAIL = re.compile(
    r"(?:の意)?(?:を(?:表明|表|示|述べ|申し上げ|伝え)[^、,]{0,5})?"
    r"(?:する|した|し|している|していた|したい|します|しました|いたします|しております|しており"
    r"|していく|していきたい|る|た|ます|ました|たい"
    r"|であり|である|です|だ|の意を表する|を表する)?(?:と(?:の)?)?"
)
# Who an act is addressed to: a side or country right before 側に / に対し.
TARGET = re.compile(r"(?:国)?側に(?:対し(?:て)?)?|に対し(?:て)?")
# A request names whom it asks by 側に, に対し, or as the doer: 米側の一層の取組を要請.
TARGET_OF_REQUEST = re.compile(rf"{TARGET.pattern}|(?:国)?側の")
WORD_BEFORE = re.compile(r"[^\s、,。はがをのにへと]{1,8}$")


@dataclass(frozen=True)
class Cue:
    act: str
    rx: re.Pattern[str]
    strong: bool
    noun: bool
    light: bool = False


@dataclass
class Subject:
    start: int
    end: int
    speaker: str
    person: str | None
    joint: bool
    particle: str


@cache
def cues() -> tuple[Cue, ...]:
    out = []
    for c in load("acts")["cue"]:
        out.append(
            Cue(
                c["act"],
                re.compile(c["pattern"]),
                c["strength"] == "strong",
                bool(c.get("noun")),
                c["strength"] == "light",
            )
        )
    return tuple(out)


@cache
def _any_cue() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c.rx.pattern})" for c in cues()))


@cache
def _reported() -> re.Pattern[str]:
    return re.compile(load("acts")["reported"]["marker"])


@cache
def _abbrs() -> str:
    return "".join(c.abbr for c in countries() if c.abbr and c.abbr != "日")


@cache
def _subject_re() -> re.Pattern[str]:
    lex = load("speakers")
    particles = lex["subject_particles"]
    joint = "|".join(
        p.replace("{abbr}", _abbrs()).replace("{{", "{").replace("}}", "}") for p in lex["joint"]
    )
    names = trie_regex([n for n in country_name_index() if n != "日"] + ["我が方", "当方", "先方"])
    titles = trie_regex(short_titles())
    return re.compile(
        rf"(?P<joint>{joint}){particles}(?=[、,]|\s|[^\u3041-\u3096])"
        rf"|(?P<side>{names}|日本|我が国)(?:国)?側(?P<p1>{particles})"
        rf"|(?P<title>{titles})(?P<p2>から(?:は|も)?|より(?:は|も)?|は(?=[、,])|も(?=[、,]))"
    )


# Characters a name before a title is written in (no hiragana: の大臣 is not a name).
NAME_RUN = re.compile(r"[\u3005\u3400-\u9fff\uf900-\ufaff\u30a0-\u30ff・=]{1,14}$")


def _side_of_word(word: str) -> str | None:
    if word in ("我が方", "当方", "我が国"):
        return "JP"
    return country_name_index().get(word)


def _subjects(doc: Doc, sentence: str, base: int) -> list[Subject]:
    out: list[Subject] = []
    participants = doc.record.meeting.participants
    for m in _subject_re().finditer(sentence):
        if _in_brackets(sentence, m.start()):
            continue
        if m["joint"]:
            out.append(Subject(base + m.start(), base + m.end(), JOINT, None, True, ""))
        elif m["side"]:
            code = _side_of_word(m["side"])
            if code == "先方":
                code = None
            if code:
                out.append(Subject(base + m.start(), base + m.end(), code, None, False, m["p1"]))
        else:
            run = NAME_RUN.search(sentence, max(0, m.start() - 14), m.start())
            name_run = run.group() if run else ""
            # The name is some suffix of the run before the title (冒頭石井大臣 → 石井).
            found = None
            for k in range(len(name_run), -1, -1):
                found = _resolve_person(name_run[len(name_run) - k :], m["title"], participants)
                if found is not None:
                    start = m.start() - k
                    break
            if found is None:
                continue
            side, person = found
            out.append(Subject(base + start, base + m.end(), side, person, False, m["p2"]))
    return out


def _resolve_person(
    name: str, title: str, participants: list[Participant]
) -> tuple[str, str | None] | None:
    """(side, participant name) of a person subject; None when it is nobody we know."""
    if name:
        hits = find_person_mentions(name + title, participants)
        if hits and hits[0][0] == 0:
            p = participants[hits[0][2]]
            return (p.side or "JP"), p.name
        # A country before the title: 米国務長官から, 豪外相は.
        code = country_name_index().get(name) or country_name_index().get(name.rstrip("国"))
        if code:
            same = [p for p in participants if p.side == code and p.title and title in p.title]
            return code, (same[0].name if len(same) == 1 else None)
        return None
    # A bare title (大臣から): the one participant with that title, Japan's first.
    same = [p for p in participants if p.title and (title in p.title or p.title in title)]
    jp = [p for p in same if p.side == "JP"]
    pick = jp if len(jp) == 1 else same if len(same) == 1 else []
    if pick:
        return (pick[0].side or "JP"), pick[0].name
    if title in ("大臣", "総理", "首相"):
        return "JP", None
    return None


def _in_brackets(s: str, pos: int) -> bool:
    return s.count("「", 0, pos) > s.count("」", 0, pos)


# Acts that a wish (…確認したい, …合意したい) does not perform; expressive acts
# (歓迎したい, 感謝したい) are performed by saying them.
NOT_BY_WISH = {"AFFIRM", "AGREE", "DECIDE", "COMMIT", "DISCUSS"}
WISH = re.compile(r"(?:し)?たい(?:と(?:の)?)?$|(?:し)?たく$")


def classify(clause: str) -> tuple[str, bool]:
    """(act, reported) of one clause, from its governing predicate."""
    rep = _last_reported(clause)
    if rep is not None and len(clause) - rep.end() <= 12:
        content = clause[: rep.start()]
        act = _act_of(content[-14:], reported_content=True)
        if act in NOT_BY_WISH and WISH.search(content):
            act = None
        if act is not None and act != "STATE":
            return act, True
        verb = _act_of(rep.group(0), reported_content=True)
        if verb in ("EMPHASIZE", "REQUEST"):
            return verb, True
        return "STATE", True
    # The governing predicate ends the clause; its cue and object are in the last words.
    act = _act_of(clause[-40:])
    return act or "STATE", False


def _last_reported(clause: str) -> re.Match[str] | None:
    """The last 旨-predicate (…旨発言した) in ``clause``."""
    found = None
    for found in _reported().finditer(clause):  # noqa: B007 - the last one is wanted
        pass
    return found


# Between an object noun and the verb of saying that governs it: particles, the 意 / 立場
# of a stance, and adverbs (謝意を述べた, 強い反対の意を改めて表明, 支持表明, 賛意が示された).
OBJECT_GAP = re.compile(
    r"(?:する|している)?の?(?:意|立場|念|意向|姿勢|考え)?(?:を|が|の|は|も)?"
    r"(?:改めて|あらためて|再度|再び|強く|重ねて|心から|深く|引き続き|全面的に)?(?:を|が)?"
)
# After the governing cue only inflection follows (…確認した, …一致しました, …を表明):
# kana, and not many of them.  A cue followed by more content words is not governing
# (…で確認した目標に基づき、…進めてきた).
TRAILING_CONNECTIVE = re.compile(
    r"(?:とともに|と共に|上で|のに対し(?:て)?|ところ|一方(?:で)?|ほか|他|つつ|ながら)$"
)
WORDS = re.compile(r"[0-9A-Za-z\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff]")
KANJI = re.compile(r"[\u3400-\u9fff]")


def _act_of(text: str, reported_content: bool = False) -> str | None:
    """The act of the governing cue at the end of ``text``; verbs of saying and light verbs
    take the act of the noun they govern."""
    text = TRAILING_CONNECTIVE.sub("", re.sub(r"[、,。\s]+$", "", text))
    hits: list[tuple[int, int, Cue]] = []
    for cue in cues():
        hits.extend((m.start(), m.end(), cue) for m in cue.rx.finditer(text))
    if not hits:
        return None
    rank = {True: 2, False: 1}
    best = max(hits, key=lambda h: (h[1], rank[h[2].strong] - h[2].light))
    tail = text[best[1] :]
    if reported_content:
        if not CONTENT_TAIL.fullmatch(tail):
            return None
    elif len(tail) > 10 or KANJI.search(tail):
        return None
    return _resolve(text, hits, best)


def _resolve(text: str, hits: list[tuple[int, int, Cue]], hit: tuple[int, int, Cue]) -> str | None:
    cue = hit[2]
    if cue.strong:
        return cue.act
    # The object: the nearest cue that ends just before the verb.
    objects = [h for h in hits if h[1] <= hit[0] and OBJECT_GAP.fullmatch(text[h[1] : hit[0]])]
    if objects:
        obj = max(objects, key=lambda h: h[1])
        if obj[2].strong:
            return obj[2].act
        if cue.light and not obj[2].light:
            return _resolve(text, hits, obj)  # 説明があった: the act of 説明
    return None if cue.light else cue.act


@stage(
    "statements",
    fills=(
        "statements",
        "statements.speaker",
        "statements.person",
        "statements.act",
        "statements.reaffirmed",
        "statements.target",
        "statements.topics",
    ),
)
def run(doc: Doc) -> None:
    """Split items into statements and attribute speaker and act."""
    meta = {
        s.id
        for s in doc.record.sections
        if s.title and re.match(r"^(?:日時|場所|出席者|参加者|日程|形式)", s.title)
    }
    n = 0
    # A speech announced as a block (…より概要以下のとおり述べた) carries its speaker into
    # the items that follow in the same section.
    block: Subject | None = None
    block_section: str | None = None
    for item in doc.items:
        if item.section in meta:
            continue
        inherited = block if block_section == item.section else None
        found, block_after = _item_statements(doc, item, inherited)
        if block_after is not None:
            block, block_section = block_after, item.section
        for st, span in found:
            n += 1
            st.id = f"st{n}"
            doc.record.statements.append(st)
            doc.clauses[st.id] = span
    if doc.items and n == 0:
        doc.warn("no statements found in the numbered body")
    elif not doc.items:
        doc.warn("no readout body (sections or items) found")
    if doc.lead_span is None and not any(
        _subjects(doc, doc.text[i.start : i.end], i.start) for i in doc.items
    ):
        doc.warn("no meeting lead and no speaker: this does not look like a meeting readout")


def _other_side(doc: Doc, side: str | None) -> str | None:
    sides = doc.record.meeting.sides
    if side and len(sides) == 2 and side in sides:
        return sides[1] if side == sides[0] else sides[0]
    return None


def _item_statements(
    doc: Doc, item: ItemSpan, inherited: Subject | None = None
) -> tuple[list[tuple[Statement, tuple[int, int, bool]]], Subject | None]:
    """The item's statements, and the speaker of a speech block it announces (if any)."""
    text = doc.text
    out: list[tuple[Statement, tuple[int, int, bool]]] = []
    last: Subject | None = inherited
    block: Subject | None = None
    for sm in SENTENCE.finditer(text, item.start, item.end):
        s, e = sm.start(), min(sm.end(), item.end)
        sentence = text[s:e]
        if not WORDS.search(sentence):
            continue  # a stray closer (…。)。) or an empty line
        subjects = _subjects(doc, sentence, s)
        bounds = _boundaries(sentence, s, subjects)
        starts = [s, *bounds]
        ends = [*bounds, e]
        for cs, ce in zip(starts, ends, strict=True):
            # Trim surrounding spaces, and a folded sub-level marker ((1) , ①), so the
            # span is the clause itself.
            while cs < ce and text[cs] in " \t\n":
                cs += 1
            folded = FOLDED_MARKER.match(text, cs, ce)
            if folded:
                cs = folded.end()
            while ce > cs and text[ce - 1] in " \t\n":
                ce -= 1
            if ce <= cs:
                continue
            clause = text[cs:ce]
            own = [sb for sb in subjects if cs <= sb.start < ce]
            # The subject nearest the predicate governs (日本側から、…について、双方は…確認
            # した: 双方), except in reported speech, where later ones belong to the content.
            subject: Subject | None = None
            if own:
                subject = own[0] if _last_reported(clause) else own[-1]
            act, reported = classify(clause)
            if subject is None and last is None and not reported and _act_of(clause[-40:]) is None:
                # Nobody speaks and nothing is done: prose, not a statement.
                continue
            speaker: str
            person: str | None = None
            if subject is None:
                if TURN_REPLY.match(clause) and last is not None and not last.joint:
                    other = _other_side(doc, last.speaker)
                    speaker = other or JOINT
                    last = Subject(cs, cs, speaker, None, speaker == JOINT, "")
                elif last is not None:
                    speaker, person = last.speaker, last.person
                else:
                    speaker = JOINT if act in _SHARED else (doc.record.meeting.sides or ["JP"])[0]
            else:
                speaker, person = subject.speaker, subject.person
                last = subject
            if (
                act in ("AGREE", "DISCUSS")
                and speaker != JOINT
                and not (subject and subject.particle in ("は", "が"))
            ):
                # Agreeing and discussing take two; a single side "from" whom words came
                # did not agree alone.
                speaker, person = JOINT, None
            if SPEECH_BLOCK.search(clause) and speaker != JOINT:
                block = Subject(cs, cs, speaker, person, False, "")
            reaffirmed = _reaffirmed(clause)
            target = _target(clause, speaker, act, reported, doc.record.meeting.sides)
            os_, oe = doc.span(cs, ce)
            out.append(
                (
                    Statement(
                        id="",
                        section=item.section,
                        item=item.item,
                        speaker=speaker,
                        person=person,
                        act=act,
                        reaffirmed=reaffirmed,
                        target=target,
                        text=doc.record.text[os_:oe],
                        start=os_,
                        end=oe,
                        topics=topics_for(clause),
                    ),
                    (cs, ce, reported),
                )
            )
    return out, block


_SHARED = {"AGREE", "AFFIRM", "DISCUSS", "DECIDE", "COMMIT"}


def _boundaries(sentence: str, base: int, subjects: list[Subject]) -> list[int]:
    """Absolute offsets where a new clause starts inside the sentence."""
    reported = [m for m in _reported().finditer(sentence)]
    subj_pos = [sb.start - base for sb in subjects]
    out: list[int] = []
    for m in CONNECTIVE.finditer(sentence):
        cut = m.end()
        if cut >= len(sentence.rstrip("。)」 \n")):
            continue
        # The cue may end inside the connective (求め、: the cue is 求め) or before it
        # (確認するとともに、), with a little inflection between.
        before = sentence[max(0, m.start() - 24) : m.end() - 1]
        slack = len(m.group()) - 1 + 3
        is_rep = any(r.end() >= m.start() - 2 and r.start() < m.start() + 1 for r in reported)
        if not is_rep:
            cm = None
            for cm in _any_cue().finditer(before):  # noqa: B007 - the last cue is wanted
                pass
            if cm is None or len(before) - cm.end() > slack or _act_of(before[: cm.end()]) is None:
                continue
            # A cue inside reported speech: a later 旨 with no new subject in between.
            strong = STRONG_CONNECTIVE.fullmatch(m.group()) is not None or bool(
                SAYING.search(sentence[: m.end() - 1])
            )
            nxt_rep = next((r for r in reported if r.start() >= cut), None)
            nxt_sub = next((p for p in subj_pos if p >= cut), None)
            inside = nxt_rep is not None and (nxt_sub is None or nxt_sub > nxt_rep.start())
            if not strong and inside:
                prev_sub = max((p for p in subj_pos if p < m.start()), default=None)
                if prev_sub is not None or not out:
                    continue
        if _in_brackets(sentence, m.start()):
            continue
        out.append(base + cut)
    # A reply inside a sentence (…旨述べたのに対し、) is caught above; a turn-taking
    # phrase that opens a sentence is not a boundary.
    return sorted(set(out))


def _reaffirmed(clause: str) -> bool:
    """改めて / 再確認 / 引き続き / 再び anywhere in the statement, reported content included."""
    return bool(REAFFIRM.search(clause))


def _target(clause: str, speaker: str, act: str, reported: bool, sides: list[str]) -> str | None:
    scope = clause
    if reported:
        # Outside what was said: the words right after the speaker (…から、北朝鮮に対し、)
        # and the verb of saying.
        rep = _last_reported(clause)
        scope = clause[:30] + "\n" + (clause[rep.start() :] if rep else "")
    pattern = TARGET_OF_REQUEST if act == "REQUEST" else TARGET
    for m in pattern.finditer(scope):
        w = WORD_BEFORE.search(scope, max(0, m.start() - 8), m.start())
        if w is None:
            continue
        word = w.group()
        # The side word is the longest suffix that names a country (…についても米 → 米).
        for k in range(len(word), 0, -1):
            piece = word[-k:]
            code = _side_of_word(piece) or country_name_index().get(piece.removesuffix("国"))
            if code:
                # The target is a side of the meeting (北朝鮮に対し… names no side).
                if code != speaker and code in sides:
                    return code
                break
    return None
