"""Score floors: the headline scores below which CI fails (``gold/floors.toml``).

Floors only go up: raise one when the parser improves, never lower it to pass.
"""

from __future__ import annotations

import tomllib
from pathlib import Path


def floors_path(gold_dir: Path) -> Path:
    return gold_dir / "floors.toml"


def load_floors(gold_dir: Path, split: str) -> dict[str, float]:
    path = floors_path(gold_dir)
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get(split, {})
    return {k: float(v) for k, v in table.items()}


def below_floors(headline: dict[str, float | None], split: str, gold_dir: Path) -> list[str]:
    """One line per headline score under its floor (a missing score counts as under)."""
    out = []
    for name, floor in sorted(load_floors(gold_dir, split).items()):
        value = headline.get(name)
        if value is None or value < floor:
            shown = "none" if value is None else f"{value:.3f}"
            out.append(f"{split} {name} = {shown} < floor {floor:.3f}")
    return out
