"""Cost per character of the lexicon-driven stages: entities, times and topics.

The bundled reference readout is parsed once (so the meeting stage's participants and the
page date are real), then its text is repeated to ``--chars`` characters and handed, as one
document, to the entities stage, the times stage and ``topics_for``.  Each is timed
``--repeat`` times and the best run is reported; lexicons are compiled before timing.

    python bench/lexicon_speed.py [--chars N] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date
from importlib import resources

import readout
from readout.model import Record
from readout.pipeline import Doc
from readout.stages import entities, times
from readout.textnorm import normalize
from readout.topics import topics_for


def _best(func: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=1_500_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    sample = resources.files("readout").joinpath("samples", "jp-us-2plus2.txt").read_text("utf-8")
    ref = readout.parse(sample)  # participants and page date, and warms every cache
    text = (sample * (args.chars // len(sample) + 1))[: args.chars]
    doc = Doc(record=Record(parser_version="bench", text=text), norm=normalize(text))
    doc.record.meeting.participants = ref.meeting.participants
    doc.published = date.fromisoformat(ref.published) if ref.published else None

    rows = {
        "entities stage": _best(lambda: entities.run(doc), args.repeat),
        "times stage": _best(lambda: times.run(doc), args.repeat),
        "topics_for": _best(lambda: topics_for(doc.text), args.repeat),
    }
    result = {
        name: {
            "seconds": round(sec, 4),
            "us_per_char": round(sec / len(text) * 1e6, 4),
            "chars_per_s": round(len(text) / sec),
        }
        for name, sec in rows.items()
    }
    result["_input"] = {
        "chars": len(text),
        "entities": len(doc.record.entities),
        "mentions": sum(len(e.mentions) for e in doc.record.entities),
        "times": len(doc.record.times),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"{len(text):,} characters (reference readout repeated), best of {args.repeat}")
    for name, r in result.items():
        if not name.startswith("_"):
            print(
                f"  {name:15s} {r['seconds']:.3f} s  {r['us_per_char']:.3f} µs/char  "
                f"{r['chars_per_s'] / 1e6:.1f}M chars/s"
            )


if __name__ == "__main__":
    main()
