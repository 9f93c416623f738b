"""Statement matching across meetings: when two statements express the same position.

Two statements are the same position when

* the same *speaker class* says them: Japan (``JP``), the counterpart side (any other
  side code: the US in a Japan–US meeting, Australia in a Japan–Australia one) or both
  sides together (``JOINT``);
* their acts fall in the same *act family* (``lexicons/matching.toml``): a welcome and a
  show of support are one stance, a concern and a condemnation one disapproval, but a
  welcome never matches a concern;
* their content is alike, scored in [0, 1] as

  ``0.70 × cosine + 0.20 × entity overlap + 0.10 × topic overlap``

  where *cosine* is that of TF-IDF vectors (IDF cubed, :data:`IDF_POWER`) of character
  2- and 3-grams (Japanese has no spaces; n-grams of characters find 尖閣諸島 inside
  尖閣諸島に対する without a
  tokenizer), computed in plain Python over sparse dicts (no NumPy or scikit-learn);
  *entity overlap* is the Jaccard index of the norms of the entities mentioned inside
  each statement's span; *topic overlap* that of their topics.  When neither statement
  mentions an entity (or a topic), that part takes the cosine's value, so it neither
  helps nor hurts.

The words that frame a statement (両大臣は, 改めて, …ことを確認した) are taken out before the
n-grams are counted, so a reaffirmation in the same words scores as the same wording.

:data:`THRESHOLD` was chosen on the labelled pairs in ``tests/fixtures/pairs`` (the half
with even line numbers); ``python -m readout.matching --evaluate`` reports precision and
recall on the other half.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from readout.lexicon import load

#: Score at or above which two statements are the same position (see the module notes).
THRESHOLD = 0.26
#: IDF raised to this power: sharper weights make the rare words of a statement (its
#: object: 宇宙 vs サイバー) count for more than the pattern readouts repeat.
IDF_POWER = 3.0
WEIGHT_COSINE = 0.70
WEIGHT_ENTITIES = 0.20
WEIGHT_TOPICS = 0.10
NGRAMS = (2, 3)

_PUNCT = re.compile(r"[\s、。,，.．・「」『』()（）〔〕【】:：;；!！?？\"'“”‘’]+")


@cache
def act_families() -> dict[str, str]:
    """Act label → the name of its family."""
    return {act: family for family, acts in load("matching")["family"].items() for act in acts}


@cache
def _strip_patterns() -> tuple[re.Pattern[str], ...]:
    strip = load("matching")["strip"]
    return tuple(re.compile(strip[k]) for k in ("prefix", "markers", "suffix", "ending"))


def speaker_class(speaker: str) -> str:
    """``JP``, ``JOINT``, or ``OTHER`` for the counterpart side (whichever country)."""
    return speaker if speaker in ("JP", "JOINT") else "OTHER"


def act_family(act: str) -> str:
    """The family of ``act`` (an unknown label is a family of its own)."""
    return act_families().get(act, act)


def core_text(text: str) -> str:
    """``text`` without its framing: subject, reaffirmation markers, final predicate."""
    prefix, markers, suffix, ending = _strip_patterns()
    text = unicodedata.normalize("NFKC", text).strip()
    text = prefix.sub("", text, count=1)
    text = markers.sub("", text)
    stripped = ending.sub("", suffix.sub("", text))
    # A statement that is all predicate (…を歓迎した) keeps its words.
    return stripped if len(stripped) >= 4 else text


def subject_length(text: str) -> int:
    """Characters of the subject that opens ``text`` (日本側から、): mentions inside it are
    the speaker, not what the statement is about."""
    m = _strip_patterns()[0].match(text)
    return m.end() if m else 0


def ngrams(text: str) -> Counter[str]:
    """Character 2- and 3-grams of the core text, punctuation removed."""
    chars = _PUNCT.sub("", core_text(text).lower())
    counts: Counter[str] = Counter()
    for n in NGRAMS:
        counts.update(chars[i : i + n] for i in range(len(chars) - n + 1))
    if not counts and chars:
        counts[chars] = 1
    return counts


@dataclass(frozen=True)
class Position:
    """What matching needs to know of one statement."""

    text: str
    speaker: str
    act: str
    entities: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str]:
        """Statements can only match when their keys are equal."""
        return speaker_class(self.speaker), act_family(self.act)


@dataclass
class Vectorizer:
    """Smoothed IDF over a set of texts; TF-IDF vectors normalised to length 1."""

    documents: int = 0
    df: Counter[str] = field(default_factory=Counter)

    @classmethod
    def fit(cls, texts: Iterable[str]) -> Vectorizer:
        vec = cls()
        for text in texts:
            vec.documents += 1
            vec.df.update(ngrams(text).keys())
        return vec

    def idf(self, gram: str) -> float:
        base = math.log((1 + self.documents) / (1 + self.df.get(gram, 0))) + 1.0
        return float(base**IDF_POWER)

    def vector(self, text: str) -> dict[str, float]:
        counts = ngrams(text)
        weights = {g: (1.0 + math.log(c)) * self.idf(g) for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def _jaccard(a: frozenset[str], b: frozenset[str], neutral: float) -> float:
    if not a and not b:
        return neutral
    return len(a & b) / len(a | b)


class Matcher:
    """Scores pairs of positions; the IDF comes from the statements being compared."""

    def __init__(self, corpus: Iterable[str] = (), threshold: float = THRESHOLD) -> None:
        self.vectorizer = Vectorizer.fit(corpus)
        self.threshold = threshold
        self._vectors: dict[str, dict[str, float]] = {}

    def vector(self, text: str) -> dict[str, float]:
        vec = self._vectors.get(text)
        if vec is None:
            vec = self._vectors[text] = self.vectorizer.vector(text)
        return vec

    def content(self, a: Position, b: Position) -> float:
        """Similarity of the content alone, in [0, 1], whoever says it."""
        cos = max(0.0, min(1.0, cosine(self.vector(a.text), self.vector(b.text))))
        ent = _jaccard(a.entities, b.entities, cos)
        top = _jaccard(a.topics, b.topics, cos)
        return WEIGHT_COSINE * cos + WEIGHT_ENTITIES * ent + WEIGHT_TOPICS * top

    def score(self, a: Position, b: Position) -> float:
        """0 when speaker class or act family differ, else :meth:`content`."""
        if a.key != b.key:
            return 0.0
        return round(self.content(a, b), 6)

    def same(self, a: Position, b: Position) -> bool:
        return self.score(a, b) >= self.threshold


def same_wording(a: str, b: str) -> bool:
    """The two texts say it in the same words (framing and reaffirmation markers aside)."""
    return _PUNCT.sub("", core_text(a)) == _PUNCT.sub("", core_text(b))


def wording_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A character-level diff: runs of (``=``|``-``|``+``, text)."""
    ops: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(("=", old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            ops.append(("-", old[i1:i2]))
        if tag in ("insert", "replace"):
            ops.append(("+", new[j1:j2]))
    return ops


def render_diff(ops: Sequence[tuple[str, str]]) -> str:
    """The diff as one line: removed text in 〔−…〕, added text in 〔+…〕."""
    out = []
    for op, text in ops:
        out.append(text if op == "=" else f"〔{'−' if op == '-' else '+'}{text}〕")
    return "".join(out)


def pair_assignment(
    matcher: Matcher, news: Sequence[Position], olds: Sequence[Position]
) -> dict[int, tuple[int, float]]:
    """One-to-one matches, best score first: new index → (old index, score)."""
    scored = []
    for i, a in enumerate(news):
        for j, b in enumerate(olds):
            if a.key != b.key:
                continue
            s = matcher.score(a, b)
            if s >= matcher.threshold:
                scored.append((s, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for s, i, j in scored:
        if i in out or j in used:
            continue
        out[i] = (j, s)
        used.add(j)
    return out


# ---------------------------------------------------------------- labelled pairs

PAIRS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pairs" / "pairs.jsonl"


def position_of(data: Mapping[str, Any]) -> Position:
    """A position from a labelled pair's side; entities and topics found in its text as the
    parser finds them (gazetteer and topic lexicon)."""
    from readout.gazetteer import find_named
    from readout.textnorm import normalize
    from readout.topics import topics_for

    text = str(data["text"])
    norm = normalize(text).text
    subject = subject_length(norm)
    return Position(
        text=text,
        speaker=str(data["speaker"]),
        act=str(data["act"]),
        entities=frozenset(m.named.norm for m in find_named(norm) if m.start >= subject),
        topics=frozenset(topics_for(norm)),
    )


def load_pairs(path: Path = PAIRS) -> list[tuple[Position, Position, bool]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((position_of(row["a"]), position_of(row["b"]), bool(row["same"])))
    return out


@dataclass(frozen=True)
class Evaluation:
    threshold: float
    pairs: int
    precision: float
    recall: float
    true_positive: int
    false_positive: int
    false_negative: int


def evaluate(
    pairs: Sequence[tuple[Position, Position, bool]], threshold: float, matcher: Matcher
) -> Evaluation:
    tp = fp = fn = 0
    for a, b, same in pairs:
        said = matcher.score(a, b) >= threshold
        tp += said and same
        fp += said and not same
        fn += same and not said
    return Evaluation(
        threshold,
        len(pairs),
        tp / (tp + fp) if tp + fp else 1.0,
        tp / (tp + fn) if tp + fn else 1.0,
        tp,
        fp,
        fn,
    )


def split_pairs(
    pairs: Sequence[tuple[Position, Position, bool]],
) -> tuple[list[tuple[Position, Position, bool]], list[tuple[Position, Position, bool]]]:
    """(train, held out): even and odd lines of the file."""
    return list(pairs[0::2]), list(pairs[1::2])


def pairs_matcher(pairs: Sequence[tuple[Position, Position, bool]]) -> Matcher:
    """A matcher whose IDF comes from every text of ``pairs``."""
    return Matcher(t for a, b, _ in pairs for t in (a.text, b.text))


def choose_threshold(pairs: Sequence[tuple[Position, Position, bool]], matcher: Matcher) -> float:
    """The threshold (0.01 steps) with the best F1 on ``pairs``, the middle of ties."""
    best: list[float] = []
    best_f1 = -1.0
    for step in range(1, 100):
        t = step / 100
        e = evaluate(pairs, t, matcher)
        f1 = 2 * e.precision * e.recall / (e.precision + e.recall or 1.0)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = [t], f1
        elif abs(f1 - best_f1) <= 1e-9:
            best.append(t)
    return best[len(best) // 2]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m readout.matching")
    parser.add_argument("--evaluate", action="store_true", help="P/R on the labelled pairs")
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args(argv)
    if not args.evaluate:
        parser.print_help()
        return 0
    pairs = load_pairs(args.pairs)
    train, held = split_pairs(pairs)
    matcher = pairs_matcher(pairs)
    chosen = choose_threshold(train, matcher)
    for name, part, t in (
        ("train (chosen)", train, chosen),
        ("held out @ THRESHOLD", held, THRESHOLD),
        ("all @ THRESHOLD", pairs, THRESHOLD),
    ):
        e = evaluate(part, t, matcher)
        print(
            f"{name:22} threshold {t:.2f}  pairs {e.pairs:4}  precision {e.precision:.3f}  "
            f"recall {e.recall:.3f}  (tp {e.true_positive}, fp {e.false_positive}, "
            f"fn {e.false_negative})"
        )
    if abs(chosen - THRESHOLD) > 1e-9:
        print(f"note: the train half picks {chosen:.2f}; THRESHOLD is {THRESHOLD:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
