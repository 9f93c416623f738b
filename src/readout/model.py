"""The readout record: typed model classes, the single source of truth for the contract.

The JSON Schema in ``schema/record.schema.json`` is generated from these classes
(``python -m readout.schema``); a test fails when the committed file is stale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "readout/1"

MeetingKind = Literal[
    "2+2", "foreign_ministers", "defense_ministers", "leaders", "phone_call", "other"
]

Act = Literal[
    "STATE",
    "WELCOME",
    "SUPPORT",
    "THANK",
    "AFFIRM",
    "AGREE",
    "DECIDE",
    "COMMIT",
    "EMPHASIZE",
    "CONCERN",
    "OPPOSE",
    "CONDEMN",
    "REQUEST",
    "DISCUSS",
]
ACTS: tuple[str, ...] = Act.__args__  # type: ignore[attr-defined]

EntityType = Literal[
    "PERSON", "COUNTRY", "PLACE", "ORG", "UNIT", "TREATY", "DOCUMENT", "MECHANISM", "CAPABILITY"
]
DeadlineKind = Literal["by", "start", "in"]
KINDS: tuple[str, ...] = MeetingKind.__args__  # type: ignore[attr-defined]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]
DEADLINE_KINDS: tuple[str, ...] = DeadlineKind.__args__  # type: ignore[attr-defined]
SourceFormat = Literal["text", "html", "pdf"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Source(_Model):
    """Where the record's text came from."""

    path: str | None = None
    url: str | None = None
    sha256: str | None = Field(default=None, description="sha256 of the raw bytes")
    format: SourceFormat = "text"
    encoding: str | None = None


class Participant(_Model):
    name: str
    title: str | None = None
    side: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code")
    name_en: str | None = None
    title_en: str | None = None


class Meeting(_Model):
    kind: MeetingKind = "other"
    date: str | None = Field(default=None, description="ISO date of the meeting itself")
    start: str | None = Field(default=None, description="ISO datetime with UTC offset")
    start_local: str | None = Field(
        default=None, description="the other clock the text gives, ISO datetime with offset"
    )
    duration_minutes: int | None = None
    duration_approximate: bool = False
    location: str | None = None
    sides: list[str] = Field(default_factory=list, description="ISO alpha-2 codes, Japan first")
    participants: list[Participant] = Field(default_factory=list)
    joint_statement: bool = False


class Item(_Model):
    id: str
    number: str | None = None
    start: int
    end: int


class Section(_Model):
    id: str
    number: str | None = None
    title: str | None = None
    start: int
    end: int
    items: list[Item] = Field(default_factory=list)


class Statement(_Model):
    id: str
    section: str | None = None
    item: str | None = None
    speaker: str = Field(description="side code (JP, US, …) or JOINT")
    person: str | None = None
    act: Act
    reaffirmed: bool = False
    target: str | None = None
    text: str
    start: int
    end: int
    topics: list[str] = Field(default_factory=list)


class Entity(_Model):
    id: str
    type: EntityType
    text: str
    norm: str
    norm_en: str | None = None
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class TimeExpression(_Model):
    """A date, time or deadline written in the text, with its resolved value."""

    text: str
    start: int
    end: int
    value: str | None = Field(
        default=None, description="ISO partial date (2025, 2024-04, 2024-01-12) or datetime"
    )
    kind: Literal["date", "year", "month", "time", "relative", "deadline"]


class Commitment(_Model):
    id: str
    statement: str
    actor: str
    action: str
    deadline: str | None = None
    deadline_kind: DeadlineKind | None = None
    start: int
    end: int


class Record(_Model):
    """One parsed readout."""

    schema_: Literal["readout/1"] = Field(default="readout/1", alias="schema")
    parser_version: str
    text: str
    source: Source = Field(default_factory=Source)
    title: str | None = None
    published: str | None = None
    issuers: list[str] = Field(default_factory=list)
    meeting: Meeting = Field(default_factory=Meeting)
    sections: list[Section] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_dict(self) -> dict[str, object]:
        return self.model_dump(by_alias=True, mode="json")

    def to_json(self, indent: int | None = 1) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)
