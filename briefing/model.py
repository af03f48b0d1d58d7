"""The briefing data model: typed, strict structs (msgspec).

msgspec does the type checking and refuses unknown fields; the loader turns
its messages into :class:`briefing.errors.Problem`. Nothing here imports
Textual.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import msgspec

from briefing.dates import PartialDate

Confidence = Literal["low", "moderate", "high"]
ActorKind = Literal[
    "person",
    "government",
    "armed-force",
    "armed-group",
    "mission",
    "organisation",
    "country",
    "company",
    "other",
]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class Meta(_Strict):
    title: str
    as_of: _dt.date
    summary: str = ""
    classification: str = ""
    region: str = ""
    tags: list[str] = []


class Bluf(_Strict):
    text: str
    sources: list[str] = []
    confidence: Confidence | None = None


class Actor(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    kind: ActorKind | None = None
    affiliation: str = ""
    summary: str = ""
    sources: list[str] = []


class Event(_Strict):
    date: PartialDate
    title: str
    detail: str = ""
    actors: list[str] = []
    places: list[str] = []
    sources: list[str] = []


class Source(_Strict):
    id: str
    title: str
    short: str = ""
    publisher: str = ""
    authors: list[str] = []
    published: PartialDate | None = None
    url: str = ""
    note: str = ""
    text: str = ""
    text_file: str | None = None

    @property
    def label(self) -> str:
        """The short name used in citations."""
        return self.short or self.id


# The sections of a briefing file: TOML key -> (struct, is an array of tables).
SECTIONS: dict[str, tuple[type[_Strict], bool]] = {
    "briefing": (Meta, False),
    "bluf": (Bluf, True),
    "actors": (Actor, True),
    "timeline": (Event, True),
    "sources": (Source, True),
}


def field_names(struct: type[_Strict]) -> tuple[str, ...]:
    return struct.__struct_fields__


@dataclass
class Briefing:
    """One loaded, validated briefing, with its look-up tables."""

    path: Path
    meta: Meta
    bluf: list[Bluf]
    actors: list[Actor]
    timeline: list[Event]  # sorted chronologically (stable)
    sources: list[Source]
    actor_by_id: dict[str, Actor] = field(default_factory=dict)
    source_by_id: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.actor_by_id = {a.id: a for a in self.actors}
        self.source_by_id = {s.id: s for s in self.sources}

    def events_of(self, actor_id: str) -> list[int]:
        """Indexes into :attr:`timeline` of the events that involve an actor."""
        return [i for i, e in enumerate(self.timeline) if actor_id in e.actors]

    def source_labels(self, ids: list[str]) -> list[str]:
        return [self.source_by_id[i].label if i in self.source_by_id else i for i in ids]


def decode_hook(kind: type, value: object) -> object:
    if kind is PartialDate:
        return PartialDate.parse(value)
    raise NotImplementedError
