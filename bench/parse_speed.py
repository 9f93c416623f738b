"""How fast readout parses, next to raw SudachiPy tokenization and GiNZA's full pipeline.

The bundled reference readout is parsed again and again, each copy as its own document
through ``readout.parse`` in this one process, until ``--chars`` characters have gone
through.  The same text is then tokenized line by line with SudachiPy (split mode C,
sudachidict-core), which is the floor for any parser that starts by tokenizing.  GiNZA
runs on one copy only (it is two to three orders of magnitude slower) when it is installed.

    python bench/parse_speed.py [--chars N] [--ginza-chars N] [--json]

SudachiPy comes with ``pip install -e ".[bench]"``; GiNZA is not installed by the project
(see the install notes: it pins other versions of SudachiPy and spaCy).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from importlib import resources
from typing import Any

import readout
from machine_info import machine  # bench/machine_info.py

SAMPLE_NAME = "jp-us-2plus2.txt"


def bench_readout(sample: str, copies: int) -> dict[str, Any]:
    started = time.perf_counter()
    readout.parse(sample, {"path": "warm-up"})  # loads the lexicons once
    first = time.perf_counter() - started
    started = time.perf_counter()
    for i in range(copies):
        readout.parse(sample, {"path": f"copy-{i}"})
    elapsed = time.perf_counter() - started
    chars = copies * len(sample)
    return {
        "chars": chars,
        "documents": copies,
        "seconds": elapsed,
        "chars_per_s": chars / elapsed,
        "documents_per_s": copies / elapsed,
        "first_parse_s": first,
    }


def bench_sudachi(sample: str, copies: int) -> dict[str, Any] | None:
    try:
        from sudachipy import Dictionary, SplitMode  # type: ignore[import-untyped]
    except ImportError:
        return None
    started = time.perf_counter()
    dictionary = Dictionary(dict="core")
    # SudachiPy 0.7 renamed create() to tokenizer(); 0.6 (which GiNZA pins) has only create().
    make = getattr(dictionary, "tokenizer", None) or dictionary.create
    tokenizer = make(mode=SplitMode.C)
    load = time.perf_counter() - started
    lines = [line for line in sample.splitlines() if line.strip()]
    tokens = 0
    started = time.perf_counter()
    for _ in range(copies):
        for line in lines:
            tokens += len(tokenizer.tokenize(line))
    elapsed = time.perf_counter() - started
    chars = copies * len(sample)
    return {
        "chars": chars,
        "tokens": tokens,
        "seconds": elapsed,
        "chars_per_s": chars / elapsed,
        "dictionary_load_s": load,
    }


def bench_ginza(sample: str, chars: int) -> dict[str, Any] | None:
    try:
        import ja_ginza  # type: ignore[import-not-found]  # noqa: F401
        import spacy  # type: ignore[import-not-found]
    except ImportError:
        return None
    started = time.perf_counter()
    nlp = spacy.load("ja_ginza")
    load = time.perf_counter() - started
    lines = [line for line in sample.splitlines() if line.strip()]
    copies = max(1, math.ceil(chars / len(sample)))
    started = time.perf_counter()
    for _ in range(copies):
        for _doc in nlp.pipe(lines):
            pass
    elapsed = time.perf_counter() - started
    total = copies * len(sample)
    return {
        "chars": total,
        "seconds": elapsed,
        "chars_per_s": total / elapsed,
        "model_load_s": load,
        "spacy": spacy.__version__,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chars", type=int, default=1_500_000, help="characters to parse")
    ap.add_argument("--ginza-chars", type=int, default=10_000, help="characters for GiNZA")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    sample = resources.files("readout").joinpath("samples", SAMPLE_NAME).read_text("utf-8")
    copies = max(1, math.ceil(args.chars / len(sample)))
    report: dict[str, Any] = {"machine": machine(), "sample_chars": len(sample)}
    report["readout"] = bench_readout(sample, copies)
    report["sudachi"] = bench_sudachi(sample, copies)
    if report["sudachi"]:
        ratio = report["readout"]["chars_per_s"] / report["sudachi"]["chars_per_s"]
        report["readout_over_sudachi"] = ratio
    report["ginza"] = bench_ginza(sample, args.ginza_chars)

    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    m = report["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['platform']}")
    r = report["readout"]
    print(
        f"readout {m['readout']}: {r['chars']:,} chars in {r['documents']:,} documents, "
        f"{r['seconds']:.2f} s → {r['chars_per_s']:,.0f} chars/s "
        f"({r['documents_per_s']:,.1f} documents/s; first parse {r['first_parse_s']:.2f} s)"
    )
    s = report["sudachi"]
    if s:
        print(
            f"SudachiPy (mode C, core, line by line): {s['chars']:,} chars, {s['seconds']:.2f} s"
            f" → {s['chars_per_s']:,.0f} chars/s (dictionary load {s['dictionary_load_s']:.2f} s)"
        )
        print(f"readout / SudachiPy: {report['readout_over_sudachi']:.2f}")
    else:
        print("SudachiPy: not installed (pip install -e '.[bench]')")
    g = report["ginza"]
    if g:
        print(
            f"GiNZA (ja_ginza, spaCy {g['spacy']}): {g['chars']:,} chars, {g['seconds']:.2f} s"
            f" → {g['chars_per_s']:,.0f} chars/s (model load {g['model_load_s']:.2f} s)"
        )
    else:
        print("GiNZA: not installed")


if __name__ == "__main__":
    main()
