"""Rewrite the README's accuracy table from `readout eval --split test --format md`.

Run through `make scores`.  tests/test_evaluate.py fails when the committed table differs
from what this would write.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from readout.evaluate import default_gold_dir, evaluate, render_md

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- scores:begin -->\n)(.*?)(<!-- scores:end -->)", re.S)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        print(f"{README}: no <!-- scores:begin --> … <!-- scores:end --> block", file=sys.stderr)
        return 1
    table = render_md(evaluate(default_gold_dir(), "test"), "test")
    new = BLOCK.sub(lambda m: m.group(1) + table + m.group(3), text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print(f"updated the scores in {README}")
    else:
        print("scores unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
