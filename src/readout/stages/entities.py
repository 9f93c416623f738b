"""Stage: entities — the people, countries and named things a readout mentions.

People are the meeting's participants (filled by the meeting stage), found by
:func:`readout.names.find_person_mentions`, so shortened mentions (林大臣) count too.
Everything else comes from the gazetteer (:func:`readout.gazetteer.find_named`).  A named
thing inside a person's mention is part of the name, not a mention of its own.

Entities are keyed by type and canonical form, so every written form of one thing
(日米「2+2」 and 日米安全保障協議委員会) is one entity with several mentions.  People come
first, in participant order; other entities follow in order of first mention.
"""

from __future__ import annotations

from readout.gazetteer import find_named
from readout.model import Entity
from readout.names import find_person_mentions
from readout.pipeline import Doc, stage
from readout.spans import SpanSet, furniture


@stage("entities", fills=("entities",))
def run(doc: Doc) -> None:
    """Find people, countries and named things, with every mention's span."""
    text, original = doc.text, doc.record.text
    skip = furniture(doc)
    participants = doc.record.meeting.participants
    person_mentions: dict[int, list[tuple[int, int]]] = {}
    person_spans: list[tuple[int, int]] = []
    for s, e, idx in find_person_mentions(text, participants):
        if skip.covers(s):
            continue
        person_mentions.setdefault(idx, []).append(doc.span(s, e))
        person_spans.append((s, e))
    people = SpanSet(person_spans)

    out: list[Entity] = []
    for idx, p in enumerate(participants):
        mentions = person_mentions.get(idx, [])
        first = original[mentions[0][0] : mentions[0][1]] if mentions else p.name
        out.append(
            Entity(
                id="",
                type="PERSON",
                text=first,
                norm=p.name,
                norm_en=p.name_en,
                mentions=mentions,
            )
        )
    by_key: dict[tuple[str, str], Entity] = {}
    for m in find_named(text):
        if skip.covers(m.start) or people.overlaps(m.start, m.end):
            continue
        s, e = doc.span(m.start, m.end)
        key = (m.named.type, m.named.norm)
        ent = by_key.get(key)
        if ent is None:
            ent = Entity(
                id="",
                type=m.named.type,
                text=original[s:e],
                norm=m.named.norm,
                norm_en=m.named.en,
            )
            by_key[key] = ent
            out.append(ent)
        ent.mentions.append((s, e))
    for i, ent in enumerate(out, 1):
        ent.id = f"e{i}"
    doc.record.entities = out
