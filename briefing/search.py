"""Search a briefing (or many): case- and accent-blind, every text field.

A query is words and "quoted phrases". An item matches when every word and
phrase occurs somewhere in it (any field, any order); words match inside
longer words, so results narrow as the user types. Nothing here imports
Textual: the app and ``briefing search`` share this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.dates import PartialDate
from briefing.model import Briefing
from briefing.textfold import fold, fold_map, original_span

PANES = ("bluf", "actors", "timeline", "sources")
PANE_TITLES = {
    "bluf": "Bottom line up front",
    "actors": "Actors",
    "timeline": "Timeline",
    "sources": "Sources",
}
_QUERY = re.compile(r'"([^"]*)"?|(\S+)')
SNIPPET_WIDTH = 96


def parse_query(query: str) -> list[str]:
    """Folded terms of a query: words and quoted phrases, empty ones dropped."""
    terms = []
    for phrase, word in _QUERY.findall(query):
        term = fold(phrase if phrase else word.strip('"'))
        if term:
            terms.append(term)
    return terms


@dataclass
class Doc:
    """One searchable item: a BLUF point, actor, event or source."""

    pane: str
    key: str  # actor/source id, or the index of a BLUF point or event
    index: int  # position in its pane's list
    title: str
    date: PartialDate | None
    fields: list[tuple[str, str]]  # (field name, original text), in display order
    blob: str = ""  # folded fields joined by a separator no term contains

    def __post_init__(self) -> None:
        if not self.blob:
            self.blob = "\n".join(fold(text) for _, text in self.fields)

    def matches(self, terms: list[str]) -> bool:
        blob = self.blob
        return all(t in blob for t in terms)


@dataclass
class Hit:
    briefing: Briefing
    doc: Doc
    field: str  # the field the snippet comes from
    start: int  # the first match, in the original text of that field
    end: int
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # highlights in snippet

    @property
    def pane(self) -> str:
        return self.doc.pane

    def to_json(self) -> dict:
        return {
            "briefing": str(self.briefing.path),
            "pane": self.doc.pane,
            "id": self.doc.key if self.doc.pane in ("actors", "sources") else self.doc.index,
            "title": self.doc.title,
            "date": self.doc.date.iso() if self.doc.date else None,
            "field": self.field,
            "snippet": self.snippet,
        }


def _join(values: list[str]) -> str:
    return "; ".join(values)


def documents(b: Briefing) -> list[Doc]:
    """Every searchable item of a briefing, pane by pane."""
    docs: list[Doc] = []
    for i, p in enumerate(b.bluf):
        docs.append(Doc("bluf", str(i), i, p.text, None,
                        [("text", p.text), ("sources", _join(b.source_labels(p.sources)))]))
    for i, a in enumerate(b.actors):
        docs.append(Doc("actors", a.id, i, a.name, None, [
            ("name", a.name), ("aliases", _join(a.aliases)), ("kind", a.kind or ""),
            ("affiliation", a.affiliation), ("summary", a.summary),
        ]))
    for i, e in enumerate(b.timeline):
        names = [b.actor_by_id[x].name for x in e.actors if x in b.actor_by_id]
        docs.append(Doc("timeline", str(i), i, e.title, e.date, [
            ("title", e.title), ("detail", e.detail), ("places", _join(e.places)),
            ("actors", _join(names)), ("date", e.date.human()),
        ]))
    for i, s in enumerate(b.sources):
        docs.append(Doc("sources", s.id, i, s.title, s.published, [
            ("title", s.title), ("short", s.short), ("publisher", s.publisher),
            ("authors", _join(s.authors)), ("note", s.note), ("url", s.url), ("text", s.text),
        ]))
    for d in docs:
        d.fields = [(n, t) for n, t in d.fields if t]
    return docs


def locate(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Every match of every term in ``text``, as original spans, in order."""
    folded, where = fold_map(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start >= 0:
            spans.append(original_span(text, where, start, start + len(term)))
            start = folded.find(term, start + 1)
    return sorted(set(spans))


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH) -> tuple[str, list[tuple[int, int]]]:
    """A one-line window of ``text`` around its first match, and the match
    spans that fall inside it, shifted to the window."""
    first = spans[0][0] if spans else 0
    lo = max(0, first - width // 3)
    if lo > 0:
        space = text.rfind(" ", lo - 12, first)
        lo = space + 1 if space >= 0 and space + 1 <= first else lo
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.rfind(" ", max(lo, hi - 12), hi)
        hi = space if space > first else hi
    window = re.sub(r"\s", " ", text[lo:hi])
    prefix = "\u2026" if lo > 0 else ""
    suffix = "\u2026" if hi < len(text) else ""
    shift = len(prefix) - lo
    inside = [(max(s, lo) + shift, min(e, hi) + shift) for s, e in spans if s < hi and e > lo]
    return prefix + window + suffix, inside


class Searcher:
    """Searches a set of briefings. Build once; query on every keystroke."""

    def __init__(self, briefings: list[Briefing]):
        self.briefings = briefings
        self.docs: list[tuple[Briefing, Doc]] = [(b, d) for b in briefings for d in documents(b)]

    def search(self, query: str, limit: int | None = None) -> list[Hit]:
        terms = parse_query(query)
        if not terms:
            return []
        hits: list[Hit] = []
        for b, d in self.docs:
            if d.matches(terms):
                hits.append(self._hit(b, d, terms))
                if limit is not None and len(hits) >= limit:
                    break
        order = {p: n for n, p in enumerate(PANES)}
        hits.sort(key=lambda h: order[h.doc.pane])  # stable: file order within a pane
        return hits

    @staticmethod
    def _hit(b: Briefing, d: Doc, terms: list[str]) -> Hit:
        for name, text in d.fields:
            folded = fold(text)
            if any(t in folded for t in terms):
                spans = locate(text, terms)
                if spans:
                    snip, inside = snippet(text, spans)
                    return Hit(b, d, name, spans[0][0], spans[0][1], snip, inside)
        # Terms matched only across fields: show the first field.
        name, text = d.fields[0]
        snip, inside = snippet(text, [])
        return Hit(b, d, name, 0, 0, snip, inside)


def group(hits: list[Hit]) -> dict[str, list[Hit]]:
    """Hits by pane, in pane order; panes with no hits left out."""
    out: dict[str, list[Hit]] = {}
    for h in hits:
        out.setdefault(h.doc.pane, []).append(h)
    return {p: out[p] for p in PANES if p in out}
