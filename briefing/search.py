"""Search a briefing (or many): case- and accent-blind, every text field.

A query is words and "quoted phrases". An item matches when every word and
phrase occurs somewhere in it (any field, any order); words match inside
longer words, so results narrow as the user types. Nothing here imports
Textual: the app and ``briefing search`` share this module.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable, Sequence

from briefing.dates import PartialDate, human_iso
from briefing.textfold import find_all, fold, fold_map, original_span, term_pattern

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing: ~3 ms of `briefing search`)
if TYPE_CHECKING:
    # Only named in annotations: `briefing search` through the index then
    # never loads the model (and msgspec), pathlib or typing.
    from pathlib import Path
    from typing import overload

    from briefing.model import Briefing

PANES = ("bluf", "actors", "timeline", "sources")
PANE_TITLES = {
    "bluf": "Bottom line up front",
    "actors": "Actors",
    "timeline": "Timeline",
    "sources": "Sources",
}
_QUERY = re.compile(r'"([^"]*)"?|(\S+)')
SNIPPET_WIDTH = 96
_ODD_SPACE = re.compile(r"\s\s+|[^\S ]")


def parse_query(query: str) -> list[str]:
    """Folded terms of a query: words and quoted phrases, empty ones dropped."""
    terms = []
    for phrase, word in _QUERY.findall(query):
        term = fold(phrase if phrase else word.strip('"'))
        if term:
            terms.append(term)
    return terms


class Doc:
    """One searchable item: a BLUF point, actor, event or source."""

    __slots__ = ("pane", "key", "index", "title", "date", "fields", "blob", "_starts", "aligned")

    def __init__(self, pane: str, key: str, index: int, title: str, date: PartialDate | None,
                 fields: list[tuple[str, str]]):
        self.pane = pane
        self.key = key  # actor/source id, or the index of a BLUF point or event
        self.index = index  # position in its pane's list
        self.title = title
        self.date = date
        self.fields = [(n, t) for n, t in fields if t]  # (name, original text), display order
        # The folded fields joined by newlines, which no folded term contains,
        # so a term never matches across two fields; starts[i] is where field
        # i begins in the blob.
        folded = [fold(t) for _, t in self.fields]
        self._starts: list[int] | None = None
        self.blob = "\n".join(folded)
        # Bit i set: field i is textfold.aligned(), so a match's place in the
        # blob tells where to look for it in the original (the index sets it).
        self.aligned = 0

    @classmethod
    def stored(cls, pane: str, key: str, index: int, title: str, date: PartialDate | None,
               fields: list[tuple[str, str]], blob: str, aligned: int = 0) -> "Doc":
        """A Doc rebuilt from an index row, without folding its text again."""
        doc = cls.__new__(cls)
        doc.pane, doc.key, doc.index, doc.title, doc.date = pane, key, index, title, date
        doc.fields, doc.blob, doc.aligned = fields, blob, aligned
        doc._starts = None
        return doc

    @property
    def starts(self) -> list[int]:
        """Where each field begins in the blob."""
        if self._starts is None:
            starts, at = [], 0
            for part in self.blob.split("\n"):
                starts.append(at)
                at += len(part) + 1
            self._starts = starts
        return self._starts

    def matches(self, terms: list[str]) -> bool:
        blob = self.blob
        for t in terms:
            if t not in blob:
                return False
        return True

    def first_match(self, terms: list[str]) -> tuple[int, int, str | None]:
        """The field holding the earliest match of any term, and when that
        field is aligned, the match's folded offset in it and its term
        (else -1 and None)."""
        blob = self.blob
        first, term = -1, None
        for t in terms:
            p = blob.find(t)
            if p >= 0 and (first < 0 or p < first):
                first, term = p, t
        if first < 0:
            return 0, -1, None
        field = blob.count("\n", 0, first)
        if not self.aligned >> field & 1:
            return field, -1, None
        return field, first - (blob.rfind("\n", 0, first) + 1), term


class FileRef:
    """What a hit from the on-disk index knows of its briefing: the file and
    its title. The reader loads the briefing itself when the hit is opened."""

    __slots__ = ("path", "title")

    def __init__(self, path: Path, title: str):
        self.path = path
        self.title = title


class Hit:
    """A matching item. The snippet is worked out on first use, so a search
    that matches thousands of items costs only what is shown."""

    def __init__(self, briefing: Briefing | FileRef, doc: Doc, terms: list[str]):
        self.briefing = briefing
        self.doc = doc
        self.terms = terms
        # (field, start, end, snippet, spans), worked out on first use.
        self._detail: tuple[str, int, int, str, list[tuple[int, int]]] | None = None

    @property
    def pane(self) -> str:
        return self.doc.pane

    @property
    def path(self) -> Path:
        return self.briefing.path

    @property
    def briefing_title(self) -> str:
        b = self.briefing
        return b.title if isinstance(b, FileRef) else b.meta.title

    def _compute(self) -> tuple[str, int, int, str, list[tuple[int, int]]]:
        if self._detail is None:
            doc = self.doc
            if doc.fields:
                field, at, term = doc.first_match(self.terms)
                name, text = doc.fields[field]
            else:
                name, text, at, term = "", "", -1, None
            spans = locate_near_first(text, self.terms, after=(at, term) if term is not None else None)
            snip, inside = snippet(text, spans)
            start, end = spans[0] if spans else (0, 0)
            self._detail = (name, start, end, snip, inside)
        return self._detail

    @property
    def field(self) -> str:
        """The field the snippet comes from."""
        return self._compute()[0]

    @property
    def start(self) -> int:
        """Where the first match starts in the original text of :attr:`field`."""
        return self._compute()[1]

    @property
    def end(self) -> int:
        return self._compute()[2]

    @property
    def snippet(self) -> str:
        return self._compute()[3]

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The matches inside :attr:`snippet`."""
        return self._compute()[4]

    def to_json(self) -> dict:
        return {
            "briefing": str(self.path),
            "pane": self.doc.pane,
            "id": self.doc.key if self.doc.pane in ("actors", "sources") else self.doc.index,
            "title": self.doc.title,
            "date": self.doc.date.iso() if self.doc.date else None,
            "field": self.field,
            "snippet": self.snippet,
        }


def heading(pane: int, index: int, title: str, date: str | None) -> str:
    """A hit's heading in `briefing search`'s plain output (after its file's
    path, when there are several): the item's date (``date``, ISO as
    PartialDate.iso gives it, or None) and title, a BLUF point's number
    (``pane``: the pane's place in PANES; ``index``: the item's)."""
    when = f"{human_iso(date)}  " if date else ""
    return f"{when}{title}" if pane else f"{when}point {index + 1}"


def hit_line(prefix: str, head: str, snip: str) -> str:
    """A hit in `briefing search`'s plain output: ``prefix`` (two spaces, and
    the file's path when there are several), its :func:`heading` and, on a
    line of its own, its snippet. (briefing.scanstore writes the same lines
    in place, for speed.)"""
    return f"{prefix}{head}\n    {snip}"


def json_prefix(path: str) -> str:
    """What starts each object of a file's hits in `briefing search --json`
    (as ``json.dump(indent=2, ensure_ascii=False)`` writes Hit.to_json in a
    list): its "briefing"."""
    from json.encoder import encode_basestring as quote  # (json.dump's, with ensure_ascii=False)

    return f'  {{\n    "briefing": {quote(path)},\n    '


def json_heading(pane: int, index: int, key: str, title: str, date: str | None) -> str:
    """The part of a hit's object in `briefing search --json` that is its
    item's: from "pane" to the "field" key (see :func:`json_hit`)."""
    from json.encoder import encode_basestring as quote

    name = PANES[pane]
    ident = quote(key) if name in ("actors", "sources") else str(index)
    when = quote(date) if date is not None else "null"
    return f'"pane": "{name}",\n    "id": {ident},\n    "title": {quote(title)},\n    "date": {when},\n    "field": '


def json_hit(prefix: str, head: str, field: str, snip: str) -> str:
    """A hit's object in `briefing search --json`: its file's
    :func:`json_prefix`, its item's :func:`json_heading`, then the field
    and the snippet. (briefing.scanstore makes the same in place.)"""
    from json.encoder import encode_basestring as quote

    return f'{prefix}{head}{quote(field)},\n    "snippet": {quote(snip)}\n  }}'


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
    return docs


def locate(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Every match of every term in ``text``, as original spans, in order."""
    spans: set[tuple[int, int]] = set()
    slow = []
    for term in terms:
        pattern = term_pattern(term)
        if pattern is None:
            slow.append(term)
        else:
            spans.update(m.span() for m in pattern.finditer(text))
    if slow or not spans:
        # Terms the shortcut cannot express, or letters that fold to two
        # (ß, æ): the exact way, through the folded text and its index map.
        folded, where = fold_map(text)
        for term in slow or terms:
            spans.update(original_span(text, where, s, e) for s, e in find_all(folded, term))
    return sorted(spans)


def locate_near_first(text: str, terms: list[str], width: int = SNIPPET_WIDTH,
                      after: tuple[int, str] | None = None) -> list[tuple[int, int]]:
    """The matches a snippet shows: the first one and those in its window.
    Stops reading a long text there, unlike :func:`locate`.

    ``after`` is (p, term) when the text is :func:`~briefing.textfold.aligned`
    and no term occurs in its folded form before offset p, where ``term``
    does: then the first match is ``term``'s first at or after p in the
    original, found without reading what comes before."""
    patterns = [term_pattern(t) for t in terms]
    if None in patterns:
        return locate(text, terms)
    first = -1
    if after is not None:
        m = term_pattern(after[1]).search(text, after[0])  # type: ignore[union-attr]
        first = m.start() if m else -1
    if first < 0:
        firsts = [m.start() for m in (p.search(text) for p in patterns) if m]  # type: ignore[union-attr]
        if not firsts:
            return locate(text, terms)  # e.g. a letter that folds to two (ß)
        first = min(firsts)
    lo, hi = _window(text, first, width)
    spans = {m.span() for p in patterns for m in p.finditer(text, max(0, lo - 64), hi)}  # type: ignore[union-attr]
    return sorted(sp for sp in spans if sp[1] > lo)


def _window(text: str, first: int, width: int, base: int = 0, length: int | None = None) -> tuple[int, int]:
    """Where a snippet around ``first`` starts and ends: on word breaks.

    ``text`` may be a slice of a longer text (``length`` long) that starts at
    ``base``; positions are in the whole text. The caller makes sure the
    slice holds what is looked at (see :func:`window_detail`)."""
    n = len(text) + base if length is None else length
    lo = max(0, first - width // 3)
    if lo > 0:
        space = text.find(" ", lo - base, min(first, lo + 12) - base)
        lo = space + base + 1 if space >= 0 else lo
    hi = min(n, lo + width)
    if hi < n:
        space = text.rfind(" ", max(lo, hi - 12) - base, hi - base)
        hi = space + base if space >= 0 and space + base > first else hi
    return lo, hi


def fold_spaces(text: str) -> str:
    """``text`` with each run of white space folded to one space: what
    :func:`snippet` does to its window, without working out where the
    spans move to. (A printable text without two spaces in a row has no
    run to fold: every white-space character but the space is unprintable.)"""
    if "\n" in text:  # the usual one, a line break in a source's text: ~1 us a snippet less
        text = text.replace("\n", " ")
    if text.isprintable() and "  " not in text:
        return text
    out = " ".join(text.split())
    if text[:1].isspace():
        out = " " + out
    if text[-1:].isspace() and out != " ":
        out += " "
    return out


def snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_WIDTH,
            base: int = 0, length: int | None = None,
            bounds: tuple[int, int] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """A one-line window of ``text`` around its first match, white space
    folded to single spaces, and the match spans that fall inside it, shifted
    to the window. ``text`` may be a slice, as for :func:`_window`;
    ``bounds`` is the window when the caller already knows it."""
    lo, hi = bounds or _window(text, spans[0][0] if spans else 0, width, base, length)
    window = text[lo - base : hi - base]
    prefix = "\u2026" if lo > 0 else ""
    suffix = "\u2026" if hi < (len(text) + base if length is None else length) else ""
    # Fold each run of white space to one space; a position moves left by
    # what the runs before it lost.
    # (Most windows have none: one split, instead of a regex scan, tells.)
    runs = [] if " ".join(window.split()) == window else [m.span() for m in _ODD_SPACE.finditer(window)]
    if not runs:
        shift = len(prefix) - lo
        inside = [(max(s, lo) + shift, min(e, hi) + shift) for s, e in spans if s < hi and e > lo]
        return prefix + window + suffix, inside

    def moved(p: int) -> int:
        lost = 0
        for a, b in runs:
            if p <= a:
                break
            lost += min(p, b) - a - 1 if p < b else b - a - 1
        return p - max(lost, 0) + len(prefix)

    folded = _ODD_SPACE.sub(" ", window)
    inside = [(moved(max(s, lo) - lo), moved(min(e, hi) - lo)) for s, e in spans if s < hi and e > lo]
    return prefix + folded + suffix, inside



def window_detail(window: str, base: int, length: int, at: int, term: str, terms: list[str],
                  width: int = SNIPPET_WIDTH,
                  patterns: list[re.Pattern[str]] | None = None) -> tuple[int, int, str, list[tuple[int, int]]] | None:
    """A hit's first match (start, end), snippet and spans in an aligned
    text, from only the slice ``window`` of it that starts at ``base`` (the
    text is ``length`` long): what :func:`locate_near_first` with
    ``after=(at, term)`` then :func:`snippet` give on the whole text.

    Only for terms without a space that :func:`term_pattern` covers: in an
    aligned text each of their matches is exactly as long as the term, so a
    slice finds the same first match as the whole text does, when it holds
    it. None when it cannot tell: another term, no match in the slice, or
    too little of the text around the match (the caller reads it all).
    ``patterns`` are the terms' patterns, when the caller has checked them."""
    if patterns is None:
        patterns = term_patterns(terms)
        if patterns is None:
            return None
    found = window_first(window, base, length, at, patterns[terms.index(term)], width)
    if found is None:
        return None
    first, lo, hi = found
    spans = sorted({(a + base, b + base) for p in patterns
                    for a, b in (mm.span() for mm in p.finditer(window, max(0, lo - 64) - base, hi - base))})
    spans = [sp for sp in spans if sp[1] > lo]
    start, stop = spans[0] if spans else (0, 0)
    # The snippet's window is around the first span: the same as this one
    # when that is the first match, as it always is in an aligned text (no
    # term matches before ``first``: its folded offset would be before ``at``).
    snip, inside = snippet(window, spans, width, base, length, (lo, hi) if start == first else None)
    return start, stop, snip, inside


def term_patterns(terms: list[str]) -> list[re.Pattern[str]] | None:
    """Each term's :func:`term_pattern`, or None if one has none (a phrase,
    or a character the patterns do not cover): then a match's place in the
    original text is not found from the folded offset alone."""
    patterns = []
    for t in terms:
        p = term_pattern(t) if " " not in t else None
        if p is None:
            return None
        patterns.append(p)
    return patterns


def window_reach(width: int = SNIPPET_WIDTH) -> int:
    """How far before a match a slice must start for :func:`window_detail`:
    everything it looks at lies in [first - reach, first + width) (the
    window around the first match, the matches up to 64 before it, and a
    window around the earliest of those)."""
    return 2 * (width // 3) + 64


def window_first(window: str, base: int, length: int, at: int, pattern: re.Pattern[str],
                 width: int = SNIPPET_WIDTH) -> tuple[int, int, int] | None:
    """For :func:`window_detail`: the first match at or after ``at`` of a
    term's ``pattern`` in the slice, and the snippet's window around it
    (first, lo, hi), or None when the slice cannot tell."""
    end = base + len(window)
    if at < base:
        return None
    m = pattern.search(window, at - base)
    if m is None:
        return None
    first = base + m.start()
    back = window_reach(width)
    if base > max(0, first - back) or (end < length and first + width > end):
        return None
    lo, hi = _window(window, first, width, base, length)
    return first, lo, hi

class Cancelled(Exception):
    """Raised inside :meth:`Searcher.search` when its caller gave up on it."""


class Results(Sequence[Hit]):
    """The hits of one search, in pane order, then file order.

    A list-like view: :class:`Hit` objects are made only for the items that
    are looked at, so a query matching most of a large library costs no more
    than the rows a screen shows. A pane's list of ids may itself be lazy
    (the index counts a pane's hits and reads only its first rows until more
    are asked for), so nothing here walks every hit unless asked to.
    """

    def __init__(self, docs: Sequence[tuple[Briefing | FileRef, Doc]], terms: list[str],
                 by_pane: dict[str, Sequence[int]]):
        self._docs = docs
        self.terms = terms
        self.by_pane = by_pane  # pane -> indexes into docs, file order
        self._panes = [by_pane[p] for p in PANES if by_pane.get(p)]
        self._len = sum(len(ids) for ids in self._panes)
        self._hits: dict[int, Hit] = {}

    def __len__(self) -> int:
        return self._len

    def _id(self, n: int) -> int:
        """The doc index of hit ``n`` (0 <= n < len)."""
        for ids in self._panes:
            if n < len(ids):
                return ids[n]
            n -= len(ids)
        raise IndexError(n)

    def _ids(self, n: int, count: int) -> list[int]:
        """The doc indexes of hits n .. n + count - 1 (fewer at the end)."""
        out: list[int] = []
        for ids in self._panes:
            if n < len(ids):
                out.extend(ids[n : n + count - len(out)])
                if len(out) >= count:
                    break
                n = 0
            else:
                n -= len(ids)
        return out

    if TYPE_CHECKING:
        @overload
        def __getitem__(self, n: int) -> Hit: ...
        @overload
        def __getitem__(self, n: slice) -> list[Hit]: ...
    def __getitem__(self, n: int | slice) -> Hit | list[Hit]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += self._len
        if not 0 <= n < self._len:
            raise IndexError(n)
        i = self._id(n)
        hit = self._hits.get(i)
        if hit is None:
            prefetch = getattr(self._docs, "prefetch", None)
            if prefetch is not None and i not in self._docs:
                prefetch(self._ids(n, 200))
            # A (briefing, doc) pair, or the hit itself (the index may know
            # more of it than its doc).
            entry = self._docs[i]
            hit = self._hits[i] = entry if isinstance(entry, Hit) else Hit(entry[0], entry[1], self.terms)
        return hit

    def counts(self) -> dict[str, int]:
        """Hits per pane, in pane order, panes with none left out."""
        return {p: len(self.by_pane[p]) for p in PANES if self.by_pane.get(p)}

    def matched(self) -> list[int]:
        return sorted(i for ids in self._panes for i in ids)


class Searcher:
    """Searches a set of briefings. Build once; query on every keystroke.

    Typing usually extends the last query, and an item that matches the
    longer query matched the shorter one too, so the search starts from the
    previous result when it can.
    """

    def __init__(self, briefings: list[Briefing]):
        self.briefings = briefings
        self.docs: list[tuple[Briefing, Doc]] = [(b, d) for b in briefings for d in documents(b)]
        self._last: tuple[list[str], list[int]] | None = None

    def _candidates(self, terms: list[str]) -> range | list[int]:
        if self._last is not None:
            old_terms, old_matches = self._last
            if all(any(old in new for new in terms) for old in old_terms):
                return old_matches
        return range(len(self.docs))

    def search(self, query: str, cancelled: Callable[[], bool] | None = None) -> Results:
        """Items matching ``query``, grouped by pane (pane order), in file
        order within a pane. ``cancelled`` is polled now and then; when it
        returns True the search stops with :class:`Cancelled`."""
        terms = parse_query(query)
        by_pane: dict[str, list[int]] = {p: [] for p in PANES}
        if not terms:
            return Results(self.docs, terms, by_pane)
        docs = self.docs
        matched: list[int] = []
        for n, i in enumerate(self._candidates(terms)):
            if cancelled is not None and n % 256 == 0 and cancelled():
                raise Cancelled
            d = docs[i][1]
            if d.matches(terms):
                matched.append(i)
                by_pane[d.pane].append(i)
        self._last = (terms, matched)
        return Results(docs, terms, by_pane)


Stop = namedtuple("Stop", ["pane", "index", "field", "span"])
Stop.__doc__ = """One place n / N visit: a field of an item (pane, index, field
name), and the match's span in it (start, end)."""


def search_stops(results: Sequence[Hit]) -> list[Stop]:
    """Every place to visit for a search, in pane and file order: each hit's
    first match, and in a source every match in its text, one by one."""
    stops: list[Stop] = []
    for hit in results:
        d = hit.doc
        if hit.field != "text":
            stops.append(Stop(d.pane, d.index, hit.field, (hit.start, hit.end)))
        if d.pane == "sources":
            text = dict(d.fields).get("text", "")
            stops.extend(Stop(d.pane, d.index, "text", span) for span in locate(text, hit.terms))
        elif hit.field == "text":
            stops.append(Stop(d.pane, d.index, hit.field, (hit.start, hit.end)))
    return stops
