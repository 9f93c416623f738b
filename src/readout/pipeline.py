"""The parser: an ordered list of stages, each declaring the record fields it fills.

A stage is a plain function ``(doc) -> None`` registered with :func:`stage`.  It reads the
normalised text and what earlier stages left on the :class:`Doc`, and fills the record
fields it declares.  ``PIPELINE`` is the order they run in; ``readout stages`` prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from readout.model import Record
from readout.textnorm import NormText


@dataclass
class Line:
    """One line of the normalised text (offsets are normalised, end excludes the newline)."""

    start: int
    end: int
    text: str
    indent: int = 0
    furniture: bool = False


@dataclass
class ItemSpan:
    """An item of a section, in normalised offsets: where statements are looked for."""

    section: str
    item: str
    start: int
    end: int


@dataclass
class Doc:
    """What the stages share while one readout is parsed."""

    record: Record
    norm: NormText
    lines: list[Line] = field(default_factory=list)
    title_span: tuple[int, int] | None = None
    date_span: tuple[int, int] | None = None
    lead_span: tuple[int, int] | None = None
    published: date | None = None
    items: list[ItemSpan] = field(default_factory=list)
    # Normalised span of each statement and whether it is reported speech (…旨発言), by
    # statement id (filled by the statements stage).
    clauses: dict[str, tuple[int, int, bool]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The normalised text every stage reads."""
        return self.norm.text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the original text's offsets."""
        return self.norm.span(start, end)

    def warn(self, message: str) -> None:
        if message not in self.record.warnings:
            self.record.warnings.append(message)


StageFunc = Callable[[Doc], None]


@dataclass(frozen=True)
class Stage:
    name: str
    version: int
    fills: tuple[str, ...]
    func: StageFunc
    doc: str = ""

    @property
    def qualified_name(self) -> str:
        return f"readout.{self.name}.v{self.version}"


_REGISTRY: dict[str, Stage] = {}


def stage(
    name: str, *, fills: tuple[str, ...], version: int = 1
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name`` that fills the record fields ``fills``."""

    def register(func: StageFunc) -> StageFunc:
        summary = (func.__doc__ or "").strip().splitlines()
        _REGISTRY[name] = Stage(name, version, fills, func, summary[0] if summary else "")
        return func

    return register


# The order the parser runs in.  Names only; the functions live in readout.stages.
ORDER: tuple[str, ...] = (
    "furniture",
    "structure",
    "meeting",
    "statements",
    "entities",
    "times",
    "commitments",
)


def pipeline() -> list[Stage]:
    """The registered stages in running order."""
    import readout.stages  # noqa: F401  (registers the stages)

    return [_REGISTRY[name] for name in ORDER if name in _REGISTRY]
