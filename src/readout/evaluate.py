"""Score the parser against gold annotations: ``readout eval``.

Per field, over every gold file of a split:

* metadata — exact match per meeting field (and title, page date, issuers);
* sections and items — found when the start is within ``TOLERANCE`` characters (sections
  also need the same title);
* statement segmentation — boundary precision/recall/F1 with a tolerance of ``TOLERANCE``
  characters, and whole-statement matches (both ends within the tolerance);
* speaker, act (accuracy and macro-F1, confusion matrix), reaffirmed, person and target —
  over statements matched to gold by overlap (intersection over union ≥ 0.5);
* entities — mention precision/recall/F1 by type, exact spans;
* commitments — precision/recall/F1 (overlap ≥ 1/3 of the union), deadline accuracy
  (value and kind) over matched commitments.

``--errors`` lists every disagreement with its text, the gold and the predicted labels.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from readout.api import parse
from readout.gold import MEETING_KEYS, Gold, find_gold, load_gold
from readout.model import ACTS, Record, Source, Statement

TOLERANCE = 2
STATEMENT_IOU = 0.5
COMMITMENT_IOU = 1 / 3
HEADLINE = ("speaker", "act", "metadata", "commitment_recall")


def default_gold_dir() -> Path:
    """The repository's own gold corpus (``gold/`` beside ``src/``)."""
    return Path(__file__).resolve().parents[2] / "gold"


# --- counters ----------------------------------------------------------------------------


@dataclass
class Acc:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Disagreement:
    file: str
    part: str
    text: str
    gold: str
    predicted: str

    def line(self) -> str:
        return (
            f"{self.file}\t{self.part}\t{self.text}\tgold={self.gold}\tpredicted={self.predicted}"
        )


@dataclass
class Scores:
    files: int = 0
    metadata: dict[str, Acc] = field(default_factory=lambda: defaultdict(Acc))
    sections: PRF = field(default_factory=PRF)
    items: PRF = field(default_factory=PRF)
    boundaries: PRF = field(default_factory=PRF)
    segments: PRF = field(default_factory=PRF)
    speaker: Acc = field(default_factory=Acc)
    act: Acc = field(default_factory=Acc)
    reaffirmed: Acc = field(default_factory=Acc)
    person: Acc = field(default_factory=Acc)
    target: Acc = field(default_factory=Acc)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    entities: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    commitments: PRF = field(default_factory=PRF)
    deadline: Acc = field(default_factory=Acc)
    errors: list[Disagreement] = field(default_factory=list)

    # Headline figures.
    def metadata_accuracy(self) -> float | None:
        total = sum(a.total for a in self.metadata.values())
        return sum(a.correct for a in self.metadata.values()) / total if total else None

    def act_macro_f1(self) -> float | None:
        labels = {g for g, _ in self.confusion} | {p for _, p in self.confusion}
        if not labels:
            return None
        f1s = []
        for label in sorted(labels):
            tp = self.confusion[(label, label)]
            fp = sum(n for (g, p), n in self.confusion.items() if p == label and g != label)
            fn = sum(n for (g, p), n in self.confusion.items() if g == label and p != label)
            f1s.append(PRF(tp, fp, fn).f1 or 0.0)
        return sum(f1s) / len(f1s)

    def entity_total(self) -> PRF:
        total = PRF()
        for prf in self.entities.values():
            total.tp += prf.tp
            total.fp += prf.fp
            total.fn += prf.fn
        return total

    def headline(self) -> dict[str, float | None]:
        return {
            "speaker": self.speaker.value,
            "act": self.act.value,
            "metadata": self.metadata_accuracy(),
            "commitment_recall": self.commitments.recall,
        }


# --- matching ----------------------------------------------------------------------------


def _nfkc(value: object) -> str:
    return (
        re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))) if value is not None else ""
    )


def _same_time(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    try:
        x, y = datetime.fromisoformat(str(a)), datetime.fromisoformat(str(b))
    except ValueError:
        return str(a) == str(b)
    return x.replace(tzinfo=None) == y.replace(tzinfo=None) and x.utcoffset() == y.utcoffset()


def _same(key: str, gold: object, pred: object) -> bool:
    if key in ("start", "start_local"):
        return _same_time(gold, pred)
    if key == "participants":

        def norm(ps: Any) -> list[tuple[str, str, str]]:
            return sorted(
                (_nfkc(p.get("name")), _nfkc(p.get("title")), str(p.get("side"))) for p in ps or []
            )

        return norm(gold) == norm(pred)
    if isinstance(gold, str) or isinstance(pred, str):
        return _nfkc(gold) == _nfkc(pred)
    return gold == pred


def _show(value: object) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(f"{p.get('name')}/{p.get('title')}/{p.get('side')}" for p in value)
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _pair_by_overlap(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best overlap first."""
    cands = sorted(
        (
            (_iou(g, p), i, j)
            for i, g in enumerate(gold)
            for j, p in enumerate(pred)
            if _iou(g, p) >= threshold
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _match_points(gold: Iterable[int], pred: Iterable[int], tol: int) -> PRF:
    g = sorted(set(gold))
    p = sorted(set(pred))
    used: set[int] = set()
    tp = 0
    for x in g:
        best = None
        for j, y in enumerate(p):
            if (
                j not in used
                and abs(x - y) <= tol
                and (best is None or abs(x - y) < abs(x - p[best]))
            ):
                best = j
        if best is not None:
            used.add(best)
            tp += 1
    return PRF(tp, len(p) - tp, len(g) - tp)


def _add(total: PRF, part: PRF) -> None:
    total.tp += part.tp
    total.fp += part.fp
    total.fn += part.fn


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --- scoring -----------------------------------------------------------------------------


def score_file(gold: Gold, record: Record, scores: Scores) -> None:
    """Add one gold file's comparison to ``scores``."""
    name = gold.path.name.removesuffix(".gold.json")
    err = scores.errors
    scores.files += 1

    def meta(key: str, g: object, p: object) -> None:
        ok = _same(key, g, p)
        scores.metadata[key].add(ok)
        if not ok:
            err.append(
                Disagreement(
                    name, f"meeting.{key}" if key in _MEETING else key, "", _show(g), _show(p)
                )
            )

    for key in ("title", "published"):
        if key in gold.checked:
            meta(key, getattr(gold, key), getattr(record, key))
    if "issuers" in gold.checked:
        meta("issuers", list(gold.issuers), record.issuers)
    if "meeting" in gold.checked:
        pred_meeting = record.meeting.model_dump(mode="json")
        for key, value in gold.meeting.items():
            meta(key, value, pred_meeting.get(key))

    if "sections" in gold.checked:
        _score_sections(gold, record, scores, name)
    if "statements" in gold.checked:
        _score_statements(gold, record, scores, name)
    if "entities" in gold.checked:
        _score_entities(gold, record, scores, name)
    if "commitments" in gold.checked:
        _score_commitments(gold, record, scores, name)


_MEETING = set(MEETING_KEYS)


def _score_sections(gold: Gold, record: Record, scores: Scores, name: str) -> None:
    text = gold.text
    used: set[int] = set()
    for gs in gold.sections:
        hit = next(
            (
                j
                for j, ps in enumerate(record.sections)
                if j not in used
                and abs(ps.start - gs.start) <= TOLERANCE
                and _nfkc(ps.title) == _nfkc(gs.title)
            ),
            None,
        )
        if hit is None:
            scores.sections.fn += 1
            scores.errors.append(
                Disagreement(
                    name,
                    "section missed",
                    _clip(text[gs.start : gs.end], 30),
                    f"{gs.number} {gs.title or ''}".strip(),
                    "-",
                )
            )
        else:
            used.add(hit)
            scores.sections.tp += 1
    for j, ps in enumerate(record.sections):
        if j not in used:
            scores.sections.fp += 1
            scores.errors.append(
                Disagreement(
                    name,
                    "section spurious",
                    _clip(text[ps.start : ps.end], 30),
                    "-",
                    f"{ps.number} {ps.title or ''}".strip(),
                )
            )
    gold_items = [it for s in gold.sections for it in s.items]
    pred_items = [it for s in record.sections for it in s.items]
    used = set()
    for gi in gold_items:
        hit = next(
            (
                j
                for j, pi in enumerate(pred_items)
                if j not in used and abs(pi.start - gi.start) <= TOLERANCE
            ),
            None,
        )
        if hit is None:
            scores.items.fn += 1
            scores.errors.append(
                Disagreement(name, "item missed", _clip(text[gi.start : gi.end], 40), gi.id, "-")
            )
        else:
            used.add(hit)
            scores.items.tp += 1
    for j, pi in enumerate(pred_items):
        if j not in used:
            scores.items.fp += 1
            scores.errors.append(
                Disagreement(name, "item spurious", _clip(text[pi.start : pi.end], 40), "-", pi.id)
            )


def _score_statements(gold: Gold, record: Record, scores: Scores, name: str) -> None:
    gold_spans = [(s.start, s.end) for s in gold.statements]
    pred = record.statements
    pred_spans = [(s.start, s.end) for s in pred]
    _add(
        scores.boundaries,
        _match_points(
            [x for sp in gold_spans for x in sp], [x for sp in pred_spans for x in sp], TOLERANCE
        ),
    )
    exact = sum(
        1
        for g in gold_spans
        if any(abs(g[0] - p[0]) <= TOLERANCE and abs(g[1] - p[1]) <= TOLERANCE for p in pred_spans)
    )
    _add(scores.segments, PRF(exact, len(pred_spans) - exact, len(gold_spans) - exact))
    pairs = _pair_by_overlap(gold_spans, pred_spans, STATEMENT_IOU)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, gs in enumerate(gold.statements):
        if i not in matched_g:
            scores.errors.append(
                Disagreement(
                    name, "statement missed", _clip(gs.text), f"{gs.speaker}/{gs.act}", "-"
                )
            )
    for j, ps in enumerate(pred):
        if j not in matched_p:
            scores.errors.append(
                Disagreement(
                    name, "statement spurious", _clip(ps.text), "-", f"{ps.speaker}/{ps.act}"
                )
            )
    for i, j in pairs:
        _compare_statement(gold.statements[i], pred[j], scores, name)


def _compare_statement(gs: Any, ps: Statement, scores: Scores, name: str) -> None:
    def check(acc: Acc, part: str, g: object, p: object) -> None:
        ok = g == p
        acc.add(ok)
        if not ok:
            scores.errors.append(Disagreement(name, part, _clip(gs.text), _show(g), _show(p)))

    check(scores.speaker, "speaker", gs.speaker, ps.speaker)
    check(scores.act, "act", gs.act, ps.act)
    scores.confusion[(gs.act, ps.act)] += 1
    if gs.reaffirmed is not None:
        check(scores.reaffirmed, "reaffirmed", gs.reaffirmed, ps.reaffirmed)
    if gs.has_person:
        check(scores.person, "person", gs.person, ps.person)
    if gs.has_target:
        check(scores.target, "target", gs.target, ps.target)


def _score_entities(gold: Gold, record: Record, scores: Scores, name: str) -> None:
    g = {(e.type, a, b) for e in gold.entities for a, b in e.mentions}
    p = {(e.type, a, b) for e in record.entities for a, b in e.mentions}
    for etype in sorted({t for t, _, _ in g | p}):
        gt = {x for x in g if x[0] == etype}
        pt = {x for x in p if x[0] == etype}
        _add(scores.entities[etype], PRF(len(gt & pt), len(pt - gt), len(gt - pt)))
    for t, a, b in sorted(g - p, key=lambda x: x[1]):
        scores.errors.append(Disagreement(name, "entity missed", gold.text[a:b], t, "-"))
    for t, a, b in sorted(p - g, key=lambda x: x[1]):
        scores.errors.append(Disagreement(name, "entity spurious", gold.text[a:b], "-", t))


def _score_commitments(gold: Gold, record: Record, scores: Scores, name: str) -> None:
    gold_spans = [(c.start, c.end) for c in gold.commitments]
    pred = record.commitments
    pairs = _pair_by_overlap(gold_spans, [(c.start, c.end) for c in pred], COMMITMENT_IOU)
    _add(scores.commitments, PRF(len(pairs), len(pred) - len(pairs), len(gold_spans) - len(pairs)))
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, gc in enumerate(gold.commitments):
        if i not in matched_g:
            scores.errors.append(
                Disagreement(
                    name,
                    "commitment missed",
                    _clip(gc.action),
                    _deadline(gc.deadline, gc.deadline_kind),
                    "-",
                )
            )
    for j, pc in enumerate(pred):
        if j not in matched_p:
            scores.errors.append(
                Disagreement(
                    name,
                    "commitment spurious",
                    _clip(pc.action),
                    "-",
                    _deadline(pc.deadline, pc.deadline_kind),
                )
            )
    for i, j in pairs:
        gc, pc = gold.commitments[i], pred[j]
        g, p = _deadline(gc.deadline, gc.deadline_kind), _deadline(pc.deadline, pc.deadline_kind)
        scores.deadline.add(g == p)
        if g != p:
            scores.errors.append(Disagreement(name, "deadline", _clip(gc.action), g, p))


def _deadline(value: str | None, kind: str | None) -> str:
    return f"{value or '-'} ({kind or '-'})"


# --- running -----------------------------------------------------------------------------


def split_dir(gold_dir: Path, split: str | None) -> Path:
    """The folder holding a split's gold files (the folder itself when it has no splits)."""
    if split is None:
        return gold_dir
    sub = gold_dir / split
    return sub if sub.is_dir() else gold_dir


def evaluate(gold_dir: Path, split: str | None = None) -> Scores:
    """Parse every gold file's readout and score it; raises GoldError on a bad gold file."""
    folder = split_dir(gold_dir, split)
    scores = Scores()
    for path in find_gold(folder):
        gold = load_gold(path)
        record = parse(gold.text, Source(path=str(gold.text_path)))
        score_file(gold, record, scores)
    return scores


# --- reporting ---------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def rows(scores: Scores) -> list[tuple[str, str, str]]:
    """(group, measure, value) rows of the report, in a stable order."""
    out: list[tuple[str, str, str]] = []
    h = scores.headline()
    out.append(("headline", "speaker accuracy", _fmt(h["speaker"])))
    out.append(("headline", "act accuracy", _fmt(h["act"])))
    out.append(("headline", "metadata exact match", _fmt(h["metadata"])))
    out.append(("headline", "commitment recall", _fmt(h["commitment_recall"])))
    for key in sorted(scores.metadata):
        a = scores.metadata[key]
        out.append(("metadata", key, f"{_fmt(a.value)} ({a.correct}/{a.total})"))
    for label, prf in (("sections", scores.sections), ("items", scores.items)):
        out.append(
            (
                "structure",
                f"{label} P / R / F1",
                f"{_fmt(prf.precision)} / {_fmt(prf.recall)} / {_fmt(prf.f1)}",
            )
        )
    b, s = scores.boundaries, scores.segments
    out.append(
        (
            "statements",
            f"boundaries P / R / F1 (±{TOLERANCE})",
            f"{_fmt(b.precision)} / {_fmt(b.recall)} / {_fmt(b.f1)}",
        )
    )
    out.append(
        (
            "statements",
            f"whole statements P / R / F1 (±{TOLERANCE})",
            f"{_fmt(s.precision)} / {_fmt(s.recall)} / {_fmt(s.f1)}",
        )
    )
    out.append(
        (
            "statements",
            "speaker accuracy (matched)",
            f"{_fmt(scores.speaker.value)} ({scores.speaker.correct}/{scores.speaker.total})",
        )
    )
    out.append(
        (
            "statements",
            "act accuracy (matched)",
            f"{_fmt(scores.act.value)} ({scores.act.correct}/{scores.act.total})",
        )
    )
    out.append(("statements", "act macro-F1 (matched)", _fmt(scores.act_macro_f1())))
    for label, acc in (
        ("reaffirmed", scores.reaffirmed),
        ("person", scores.person),
        ("target", scores.target),
    ):
        out.append(
            ("statements", f"{label} accuracy", f"{_fmt(acc.value)} ({acc.correct}/{acc.total})")
        )
    total = scores.entity_total()
    out.append(
        (
            "entities",
            "all types P / R / F1",
            f"{_fmt(total.precision)} / {_fmt(total.recall)} / {_fmt(total.f1)}",
        )
    )
    for etype in sorted(scores.entities):
        prf = scores.entities[etype]
        out.append(
            (
                "entities",
                f"{etype} P / R / F1",
                f"{_fmt(prf.precision)} / {_fmt(prf.recall)} / {_fmt(prf.f1)}",
            )
        )
    c = scores.commitments
    out.append(
        ("commitments", "P / R / F1", f"{_fmt(c.precision)} / {_fmt(c.recall)} / {_fmt(c.f1)}")
    )
    out.append(
        (
            "commitments",
            "deadline accuracy (matched)",
            f"{_fmt(scores.deadline.value)} ({scores.deadline.correct}/{scores.deadline.total})",
        )
    )
    return out


def confusion_rows(scores: Scores) -> list[list[str]]:
    labels = [a for a in ACTS if any(a in pair for pair in scores.confusion)]
    table = [["gold \\ predicted", *labels]]
    for g in labels:
        table.append([g, *(str(scores.confusion[(g, p)] or "·") for p in labels)])
    return table


def render_table(scores: Scores, split: str | None) -> str:
    lines = [f"readout eval — {scores.files} gold files" + (f", split {split}" if split else "")]
    width = max(len(m) for _, m, _ in rows(scores))
    group = None
    for g, measure, value in rows(scores):
        if g != group:
            lines.append(f"\n{g}")
            group = g
        lines.append(f"  {measure:<{width}}  {value}")
    lines.append("\nact confusion (rows gold, columns predicted)")
    table = confusion_rows(scores)
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        lines.append("  " + "  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True)))
    return "\n".join(lines) + "\n"


def render_md(scores: Scores, split: str | None) -> str:
    head = (
        f"Scores on the `{split}` split ({scores.files} readouts)"
        if split
        else (f"Scores ({scores.files} readouts)")
    )
    lines = [
        head + ", from `readout eval" + (f" --split {split}" if split else "") + " --format md`:",
        "",
        "| group | measure | score |",
        "|---|---|---|",
    ]
    lines += [f"| {g} | {m} | {v} |" for g, m, v in rows(scores)]
    return "\n".join(lines) + "\n"


def render_json(scores: Scores, split: str | None) -> str:
    data = {
        "split": split,
        "files": scores.files,
        "headline": scores.headline(),
        "metadata": {
            k: {"accuracy": a.value, "correct": a.correct, "total": a.total}
            for k, a in sorted(scores.metadata.items())
        },
        "sections": scores.sections.as_dict(),
        "items": scores.items.as_dict(),
        "statement_boundaries": scores.boundaries.as_dict(),
        "statements_exact": scores.segments.as_dict(),
        "tolerance_chars": TOLERANCE,
        "speaker_accuracy": scores.speaker.value,
        "act_accuracy": scores.act.value,
        "act_macro_f1": scores.act_macro_f1(),
        "reaffirmed_accuracy": scores.reaffirmed.value,
        "person_accuracy": scores.person.value,
        "target_accuracy": scores.target.value,
        "act_confusion": {f"{g}->{p}": n for (g, p), n in sorted(scores.confusion.items())},
        "entities": {t: prf.as_dict() for t, prf in sorted(scores.entities.items())},
        "entities_all": scores.entity_total().as_dict(),
        "commitments": scores.commitments.as_dict(),
        "deadline_accuracy": scores.deadline.value,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render_errors(scores: Scores) -> str:
    return "".join(e.line() + "\n" for e in scores.errors)
