"""An on-disk search index for large libraries (SQLite FTS5, trigram).

Scanning every item of a thousand briefings on each keystroke is too slow,
so for a folder the search runs against an index kept under the user's cache
folder (beside :mod:`briefing.cache`). It stores, for every item, the same
folded text :class:`briefing.search.Doc` matches against, plus the original
fields for snippets, and a trigram index over the folded text, so a query
term of three or more characters is looked up instead of scanned for.
Matching is exactly :meth:`Doc.matches` (every term a substring of the folded
text): terms shorter than three characters are checked with ``instr``.
Beside it, each file's segment (briefing.scanstore), in a pack with those
of the files indexed with it, lets `briefing search` cut every hit's snippet
without reading its row back (see LibraryIndex.flat).

The index is brought up to date before each search: a file whose size or
modification time changed (or one of its source text files) is indexed
again, a file that is gone is dropped. SQLite's locking makes two processes
updating at once safe; an index that cannot be read, or comes from another
version, is deleted and rebuilt, never trusted (and so is a segment).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from _thread import RLock  # (threading's RLock, without importing threading)
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from briefing.dates import PartialDate
from briefing.paths import CACHE_VERSION, cache_enabled, cache_folder
from briefing.search import (PANES, SNIPPET_WIDTH, Cancelled, Doc, FileRef, Hit, Results, documents,
                             fold_spaces, heading, hit_line, json_heading, json_hit, parse_query, snippet,
                             term_patterns, window_detail, window_first, window_reach)
from briefing.textfold import aligned

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing, as in briefing.search)
if TYPE_CHECKING:
    from pathlib import Path  # (imported where a Path is made: `briefing search` never needs one)

    from briefing.errors import Problem

INDEX_VERSION = 13  # 8: pages of 16 KiB (see LibraryIndex._connect); 9: scan segments (briefing.scanstore);
# 10: their second layout; 11: in packs; 12: with headings; 13: and JSON headings
PAGE_SIZE = 16384

#: From this many files on, `briefing search` and the library's search bar
#: answer from the index instead of reading every briefing into memory.
INDEX_FROM_FILES = 20


def use_index(files: int) -> bool:
    return files >= INDEX_FROM_FILES and cache_enabled()
_PANE_NO = {p: n for n, p in enumerate(PANES)}

# A doc's rowid is (pane, file id, item index) packed into one integer, so
# the full-text index hands back matches already grouped by pane and file
# without a join or a sort in SQL.
_FILE_SHIFT, _PANE_SHIFT = 20, 52
_ITEM_MASK, _FILE_MASK = (1 << _FILE_SHIFT) - 1, (1 << (_PANE_SHIFT - _FILE_SHIFT)) - 1


def _rowid(pane: int, file_id: int, index: int) -> int:
    return (pane << _PANE_SHIFT) | (file_id << _FILE_SHIFT) | index

_SCHEMA = """
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    title TEXT NOT NULL,
    stamp TEXT NOT NULL,           -- [[path, size, mtime_ns], ...]: file, then its text files
    scan TEXT NOT NULL DEFAULT '', -- names the file's scan segment, new each time it is indexed (see _Segments)
    pack TEXT NOT NULL DEFAULT '', -- the pack that holds that segment (see _Segments), and where in it
    pack_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE docs(
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    pane INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    aligned INTEGER NOT NULL,      -- bit i: field i is textfold.aligned() (see Doc.aligned)
    layout TEXT NOT NULL,          -- per field: name, start in blob, start in fields, length (see _layout)
    last_start INTEGER,            -- the last field's start in blob, start in fields and length (NULL
    last_at INTEGER,               -- when layout is empty): SQL cuts a window of a source's text, its
    last_len INTEGER,              -- last field, out of fields without reading the layout (see _Flat)
    blob TEXT NOT NULL,            -- the folded text Doc.matches() looks in
    fields TEXT NOT NULL           -- name, original text, name, ... joined by U+001F (see _pack)
);
-- (The long texts last: a row's text spills to overflow pages, which are
-- walked to reach any column after it.)
CREATE INDEX docs_file ON docs(file_id);
CREATE VIRTUAL TABLE docs_fts USING fts5(blob, content='docs', content_rowid='id', tokenize='trigram');
"""


def index_path() -> Path:
    from pathlib import Path

    return Path(index_file())


def index_file() -> str:
    """:func:`index_path` as a string (see briefing.paths.cache_folder)."""
    # From briefing.paths, not briefing.cache: that loads msgspec and the
    # model, a third of `briefing search`'s imports when the index is current.
    return os.path.join(cache_folder(), f"v{CACHE_VERSION}", f"search-index-{INDEX_VERSION}.sqlite")


def _key(path: Path | str) -> str:
    """How the index names a file: its absolute path."""
    return os.path.abspath(path)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _current(stamp: list) -> bool:
    """Whether every file of a stamp (``[path, size, mtime_ns]`` each, -1
    and -1 for a file that was missing) still has its size and modification
    time, in one loop: `briefing search` checks some 6,000 files on every
    run."""
    stat = os.stat
    for path, size, mtime in stamp:
        try:
            st = stat(path)
        except OSError:
            if size != -1 or mtime != -1:
                return False
            continue
        if st.st_mtime_ns != mtime or st.st_size != size:
            return False
    return True


def _parsed(texts: dict[str, tuple[int, str]]) -> dict[str, tuple[int, list]]:
    """:meth:`LibraryIndex.stamp_texts` with each stamp parsed (one JSON
    document for every stamp: parsed in one call, not one each)."""
    stamps = json.loads("[" + ",".join(text for _fid, text in texts.values()) + "]")
    return {key: (fid, stamp) for (key, (fid, _t)), stamp in zip(texts.items(), stamps)}


# What _pack joins fields with: a control character the loader never lets
# into a text (it shows them as Control Pictures). Not NUL: SQLite's text
# functions (substr, instr) stop at a NUL.
_SEP = "\x1f"


def _pack(fields: list[tuple[str, str]]) -> str:
    """A doc's fields as one string, cheaper to read back than JSON: names
    and texts joined by _SEP; JSON (it starts with "[", a name never does)
    should one hold a _SEP anyway."""
    parts = [x for pair in fields for x in pair]
    if any(_SEP in x for x in parts):
        return json.dumps(fields, ensure_ascii=False)
    return _SEP.join(parts)


def _layout(fields: list[tuple[str, str]], packed: str, starts: list[int]) -> str:
    """Where each field is, so SQL can cut a window of its text out of the
    packed fields: name, start in the blob, start in ``packed``, length, for
    each field, joined by commas. Empty when ``packed`` is JSON."""
    if packed.startswith("["):
        return ""
    out, at = [], 0
    for (name, text), start in zip(fields, starts):
        at += len(name) + 1
        out.append(f"{name},{start},{at},{len(text)}")
        at += len(text) + 1
    return ",".join(out)


def _unpack(packed: str) -> list[tuple[str, str]]:
    if packed.startswith("["):
        return [tuple(f) for f in json.loads(packed)]  # type: ignore[misc]
    parts = packed.split(_SEP) if packed else []
    return list(zip(parts[::2], parts[1::2]))


def _wal(db: sqlite3.Connection, patience: float = 5.0) -> None:
    """Put ``db`` in WAL mode. While another process is putting a new file
    in WAL mode, this answers "database is locked" at once, without the
    busy timeout's wait: try again for up to ``patience`` seconds."""
    deadline = time.monotonic() + patience
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _earliest(found: Sequence[int]) -> tuple[int, int]:
    """The earliest folded offset of any term (from 1-based ``instr``
    results, 0 for none) and which term is there (the first in the query on
    a tie); (-1, -1) when no term was found."""
    first, t = -1, -1
    for j, p in enumerate(found):
        if p and (first < 0 or p - 1 < first):
            first, t = p - 1, j
    return first, t


def _cut_windows(db: sqlite3.Connection, cuts: Sequence[Sequence[int]]) -> dict[int, str]:
    """doc id -> ``substr(fields, start, length)`` for each (doc id, 1-based
    start, length) of ``cuts``."""
    windows: dict[int, str] = {}
    for batch in range(0, len(cuts), 200):  # 600 SQL variables at most: old SQLite allows 999
        chunk = cuts[batch : batch + 200]
        sql = ("WITH w(id, s, n) AS (VALUES " + ",".join(["(?,?,?)"] * len(chunk)) + ") "
               "SELECT w.id, substr(d.fields, w.s, w.n) FROM w JOIN docs d ON d.id = w.id")
        windows.update(db.execute(sql, [x for c in chunk for x in c]).fetchall())
    return windows


def _plain_snippet(window: str, base: int, lo: int, hi: int, length: int) -> str:
    """The snippet of [lo, hi) of a field of ``length`` characters, cut from
    ``window`` (the field from ``base`` on), as :func:`snippet` makes it
    when no span is wanted."""
    return ("\u2026" if lo > 0 else "") + fold_spaces(window[lo - base : hi - base]) + ("\u2026" if hi < length else "")


def _field_at(layout: str, first: int) -> tuple[list[str], int]:
    """A doc's layout (see :func:`_layout`) split in its parts, and the
    number of the field the folded offset ``first`` falls in."""
    parts = layout.split(",")
    k = len(parts) // 4 - 1
    while k > 0 and int(parts[4 * k + 1]) > first:
        k -= 1
    return parts, k


class _Rows:
    """Index rows as (FileRef, Doc) pairs, fetched when a hit is looked at."""

    _SELECT = ("SELECT d.id, d.file_id, f.path, f.title, d.pane, d.idx, d.key, d.title, d.date, d.fields, d.blob, d.aligned "
               "FROM docs d JOIN files f ON f.id = d.file_id WHERE d.id IN ({})")

    def __init__(self, db: sqlite3.Connection, lock: RLock):
        self.db = db
        self.lock = lock  # the index's: a search may be running in another thread
        self.files: dict[int, FileRef] = {}
        self.dates: dict[str, PartialDate] = {}
        self.ahead: dict[int, tuple[FileRef, Doc]] = {}

    def prefetch(self, doc_ids: Sequence[int]) -> None:
        """Read these rows in one query (hits are usually looked at in order)."""
        if not doc_ids or doc_ids[0] in self.ahead:
            return
        wanted = [i for i in doc_ids if i not in self.ahead]
        if wanted:
            sql = self._SELECT.format(",".join("?" * len(wanted)))
            with self.lock:
                rows = self.db.execute(sql, wanted).fetchall()
            for row in rows:
                self.ahead[row[0]] = self._pair(row)

    def _pair(self, row: tuple) -> tuple[FileRef, Doc]:
        _id, file_id, path, ftitle, pane, idx, key, title, date, fields, blob, aligned = row
        ref = self.files.get(file_id)
        if ref is None:
            from pathlib import Path

            ref = self.files[file_id] = FileRef(Path(path), ftitle)
        when = None
        if date:
            when = self.dates.get(date) or self.dates.setdefault(date, PartialDate.parse(date))
        return ref, Doc.stored(PANES[pane], key, idx, title, when, _unpack(fields), blob, aligned)

    def __contains__(self, doc_id: int) -> bool:
        """Whether a row is already read (and ``prefetch`` would be idle)."""
        return doc_id in self.ahead

    def __getitem__(self, doc_id: int) -> tuple[FileRef, Doc]:
        pair = self.ahead.pop(doc_id, None)
        if pair is None:
            with self.lock:
                row = self.db.execute(self._SELECT.format("?"), (doc_id,)).fetchone()
            pair = self._pair(row)
        return pair


class _WindowHit(Hit):
    """A hit from :class:`_Windows`: its field and snippet known, the span
    of its first match and the matches in its snippet worked out from the
    window of its text on first use (plain or JSON output needs neither)."""

    def __init__(self, ref: FileRef, doc: Doc, terms: list[str], field: str, snip: str, cut: tuple):
        super().__init__(ref, doc, terms)
        self._field = field
        self._snippet = snip
        self._cut = cut  # window_detail's arguments after ``terms``: (window, base, length, at, term, patterns)

    @property
    def field(self) -> str:
        return self._field

    @property
    def snippet(self) -> str:
        return self._snippet

    def _compute(self) -> tuple[str, int, int, str, list[tuple[int, int]]]:
        if self._detail is None:
            window, base, length, at, term, patterns = self._cut
            # Not None: window_first answered for these same arguments.
            detail = window_detail(window, base, length, at, term, self.terms, patterns=patterns)
            assert detail is not None
            self._detail = (self._field, *detail)
        return self._detail


class _Windows:
    """Index rows as hits for `briefing search`, which prints every hit:
    each hit's field and snippet (and on demand its spans) worked out from
    a window of its text cut out in SQL, instead of from the whole row (a
    source carries its text twice, 13 KB each).

    SQL finds the first match of each term in the folded text (``instr``);
    where that field is aligned (its folded offsets are its original ones,
    less the white space folded away) and every term is a word, a window of
    the original text around it tells the snippet exactly
    (:func:`briefing.search.window_detail`): a :class:`_WindowHit`, whose
    doc carries no fields or blob. Any other hit is read whole, a (FileRef,
    Doc) pair, and worked out as :class:`Hit` does."""

    BACK, AHEAD = 160, 96 + 160  # read around a match's folded offset

    def __init__(self, index: "LibraryIndex", terms: list[str]):
        self.rows = index.rows  # the whole-row reader, and its file and date caches
        self.db = index.db
        self.lock = index.lock
        self.terms = terms
        patterns = term_patterns(terms)
        self.fast = patterns is not None  # else every hit is read whole
        self.patterns: list = patterns or []
        self.ahead: dict[int, tuple] = {}
        found = ", ".join("instr(blob, ?)" for _ in terms)
        self._head = f"SELECT id, file_id, pane, idx, key, title, date, aligned, layout, {found} FROM docs WHERE id IN ({{}})"

    def prefetch(self, doc_ids: Sequence[int]) -> None:
        wanted = [i for i in doc_ids if i not in self.ahead]
        for start in range(0, len(wanted), 200):  # 600 SQL variables at most: old SQLite allows 999
            self._read(wanted[start : start + 200])

    def _read(self, wanted: list[int]) -> None:
        terms, rows = self.terms, self.rows
        with self.lock:
            heads = self.db.execute(self._head.format(",".join("?" * len(wanted))), [*terms, *wanted]).fetchall()
        files, dates = rows.files, rows.dates
        cut: list[tuple] = []  # (doc id, 1-based start in fields, length), then what the window is for
        todo: list[tuple] = []
        whole: list[int] = []
        for doc_id, file_id, pane, idx, key, title, date, aligned_bits, layout, *found in heads:
            first, t = _earliest(found)
            if not (self.fast and layout and t >= 0):
                whole.append(doc_id)
                continue
            parts, k = _field_at(layout, first)
            if not aligned_bits >> k & 1:
                whole.append(doc_id)
                continue
            ref = files.get(file_id)
            if ref is None:
                ref = self._file(file_id)
            when = None
            if date:
                when = dates.get(date) or dates.setdefault(date, PartialDate.parse(date))
            at = first - int(parts[4 * k + 1])
            length = int(parts[4 * k + 3])
            base = max(0, at - self.BACK)
            cut.append((doc_id, int(parts[4 * k + 2]) + base + 1, min(length, at + self.AHEAD) - base))
            todo.append((doc_id, ref, Doc.stored(PANES[pane], key, idx, title, when, [], "", aligned_bits),
                         parts[4 * k], base, length, at, t))
        if cut:
            with self.lock:
                windows = _cut_windows(self.db, cut)
            patterns = self.patterns
            for doc_id, ref, doc, name, base, length, at, t in todo:
                window = windows[doc_id]
                term = terms[t]
                found = window_first(window, base, length, at, patterns[t])
                if found is None:
                    whole.append(doc_id)
                    continue
                _first, lo, hi = found
                # The snippet's text needs only its window (window_detail
                # shows the first span is the first match).
                snip = snippet(window, [], SNIPPET_WIDTH, base, length, (lo, hi))[0]
                self.ahead[doc_id] = _WindowHit(ref, doc, terms, name, snip, (window, base, length, at, term, patterns))
        if whole:
            rows.prefetch(whole)
            for doc_id in whole:
                self.ahead[doc_id] = rows[doc_id]

    def _file(self, file_id: int) -> FileRef:
        from pathlib import Path

        with self.lock:
            path, title = self.db.execute("SELECT path, title FROM files WHERE id = ?", (file_id,)).fetchone()
        ref = self.rows.files[file_id] = FileRef(Path(path), title)
        return ref

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self.ahead

    def __getitem__(self, doc_id: int) -> tuple:
        if doc_id not in self.ahead:
            self.prefetch([doc_id])
        return self.ahead.pop(doc_id)


def _id_column(match_sql: str) -> str:
    """The id column of :meth:`LibraryIndex._match_sql`'s SQL, named (a
    query around it may have an id too)."""
    return "docs.id" if match_sql.startswith("SELECT id") else "docs_fts.rowid"


def _by_file_range(match_sql: str, match_args: list, rank: dict[int, int]) -> tuple[str, list]:
    """``match_sql`` (see :meth:`LibraryIndex._match_sql`) kept, in each
    pane, to the ids of the files from the lowest of ``rank`` to the
    highest, and its arguments. The full-text index seeks to such a range
    instead of finding every doc that matches: `briefing search` searches
    part of a library in each of two processes (see briefing.cli._Half),
    whose files are a range when they were indexed in path order. A
    superset of those files' ids otherwise; the caller still keeps to
    the files themselves."""
    if not rank:
        return match_sql.replace("{where}", ""), match_args
    col = _id_column(match_sql)
    lo, hi = min(rank) << _FILE_SHIFT, (max(rank) + 1) << _FILE_SHIFT
    part = match_sql.replace("{where}", f" AND {col} >= ? AND {col} < ?")
    args: list = []
    for n in range(len(PANES)):
        args += [*match_args, (n << _PANE_SHIFT) | lo, (n << _PANE_SHIFT) | hi]
    return " UNION ALL ".join([part] * len(PANES)), args


class _Flat:
    """Every hit of a search as a flat record, for `briefing search`'s plain
    and JSON output, which print every hit and need no spans (the record is
    what :meth:`LibraryIndex.flat` gives).

    One query reads each hit's small columns, each term's first folded
    offset (``instr``) and, outside the sources, its packed fields whole
    (they are short); in a source, the window of its text around the first
    match, cut out in SQL. A second query cuts the window of a source whose
    first match is in another of its fields. The snippet is then worked out as
    :class:`_Windows` does, in one loop without a Hit, a Doc or a
    FileRef per hit. A hit that cannot be cut exactly (a phrase, a field
    that is not aligned, a window that cannot tell) is read whole and
    worked out by :class:`Hit`, as any other search does."""

    BACK, AHEAD = _Windows.BACK, _Windows.AHEAD
    # The sources' fields carry their texts (13 KB each): cut a window out
    # in SQL. Every other pane's packed fields are read whole.
    _LONG = _PANE_NO["sources"] << _PANE_SHIFT

    def __init__(self, index: "LibraryIndex", terms: list[str]):
        self.index = index
        self.terms = terms
        patterns = term_patterns(terms)
        self.fast = patterns is not None  # else every hit is read whole
        self.patterns: list = patterns or []

    def records(self, match_sql: str, match_args: list, rank: dict[int, int], every: bool,
                in_order: bool) -> list[tuple]:
        index, terms, patterns, fast = self.index, self.terms, self.patterns, self.fast
        back, ahead, width = self.BACK, self.AHEAD, SNIPPET_WIDTH
        third = width // 3
        reach = window_reach(width)
        found = [f"p{j}" for j in range(len(terms))]
        # Only the files searched (before reading a row's long columns).
        some = "" if every else f" AND ((id >> {_FILE_SHIFT}) & {_FILE_MASK}) IN (SELECT id FROM temp.search_files)"
        if not every:
            index._rank_table()
        # ... and the full-text lookup kept to them, before that (see _by_file_range).
        if every:
            match_sql = match_sql.replace("{where}", "")
        else:
            match_sql, match_args = _by_file_range(match_sql, match_args, rank)
        # Every hit holds every term: the first match is the earliest term's.
        first = f"{found[0]} - 1" if len(terms) == 1 else f"min({', '.join(found)}) - 1"
        # Outside the sources, the packed fields whole; in a source whose
        # first match is in its last field (its text, usually), the window of
        # that field around it (as _Windows cuts it); else NULL.
        base = f"max(0, {first} - last_start - {back})"
        cut = (f"CASE WHEN id < {self._LONG} THEN fields WHEN {first} >= last_start THEN "
               f"substr(fields, last_at + {base} + 1, min(last_len, {first} - last_start + {ahead}) - {base}) END")
        # One term: its offset is the earliest (0-based: -1 when not found).
        offsets = f"{first}, 0" if len(terms) == 1 else ", ".join(found)
        sql = (f"SELECT id, key, title, date, aligned, layout, {cut}, {offsets} FROM ("
               f"SELECT id, key, title, date, aligned, layout, last_start, last_at, last_len, fields, "
               + ", ".join(f"instr(blob, ?) AS {p}" for p in found)
               + f" FROM docs WHERE id IN ({match_sql}){some} LIMIT -1 OFFSET 0)")
        # (LIMIT -1 OFFSET 0: a subquery SQLite does not flatten, so each
        # instr runs once a row.)
        # Row by row, not fetchall(): each row's fields are let go as soon as
        # its snippet is cut, so the memory they took serves the next rows
        # (fresh memory costs a page fault every 4 KB: ~10 MB of rows, some
        # 2,500 faults for 12,000 hits).
        cursor = index.db.execute(sql, [*terms, *match_args])
        rows: Iterable[tuple] = (row for batch in iter(lambda: cursor.fetchmany(256), []) for row in batch)
        if len(terms) > 1:
            rows = ((*r[:7], *_earliest(r[7:])) for r in rows)
        if not in_order:
            rows = sorted(rows, key=lambda r: (r[0] >> _PANE_SHIFT, rank[(r[0] >> _FILE_SHIFT) & _FILE_MASK],
                                               r[0] & _ITEM_MASK))
        long = self._LONG
        out: list = []
        later: list[tuple] = []  # (place in out, doc id, start in fields, length, record so far, window args)
        whole: list[tuple[int, int]] = []  # (place in out, doc id)
        n = -1
        for doc_id, key, title, date, aligned_bits, layout, fields, first, t in rows:
            n += 1
            out.append(None)
            if not (fast and layout and t >= 0 and first >= 0):
                whole.append((n, doc_id))
                continue
            if doc_id >= long and fields is not None:
                # A window of the source's last field, cut out in SQL.
                k = (layout.count(",") + 1) // 4 - 1
                if not aligned_bits >> k & 1:
                    whole.append((n, doc_id))
                    continue
                name, start, _at, length = layout.rsplit(",", 4)[1:]
                at = first - int(start)
                length = int(length)
                base = at - back if at > back else 0
                text = fields
                m = patterns[t].search(text, at - base)
            else:
                parts = layout.split(",")  # (_field_at, inline: this loop runs once a hit)
                k = len(parts) // 4 - 1
                while k and int(parts[4 * k + 1]) > first:
                    k -= 1
                if not aligned_bits >> k & 1:
                    whole.append((n, doc_id))
                    continue
                at = first - int(parts[4 * k + 1])
                length = int(parts[4 * k + 3])
                if fields is None:
                    base = at - back if at > back else 0
                    later.append((n, doc_id, int(parts[4 * k + 2]) + base + 1, min(length, at + ahead) - base,
                                  (doc_id, key, title, date, parts[4 * k]), base, length, at, t))
                    continue
                # The whole field: a window that starts at 0 and ends at its end.
                fs = int(parts[4 * k + 2])
                text = fields[fs : fs + length]
                base = 0
                name = parts[4 * k]
                # Where no white space was folded away before it, the match is
                # right at its folded offset.
                m = patterns[t].match(text, at) or patterns[t].search(text, at)
            if m is None:
                whole.append((n, doc_id))
                continue
            # What window_first() and _plain_snippet() make of the window
            # ``text`` of a field ``length`` long, from ``base`` on (inline:
            # this loop runs once a hit).
            at = base + m.start()
            end = base + len(text)
            if base > (at - reach if at > reach else 0) or (end < length and at + width > end):
                whole.append((n, doc_id))
                continue
            lo = at - third if at > third else 0
            if lo:
                space = text.find(" ", lo - base, (at if at < lo + 12 else lo + 12) - base)
                if space >= 0:
                    lo = space + base + 1
            hi = lo + width
            if hi < length:
                space = text.rfind(" ", (hi - 12 if hi - 12 > lo else lo) - base, hi - base)
                if space + base > at:
                    hi = space + base
            else:
                hi = length
            piece = text[lo - base : hi - base]
            if not piece.isprintable() or "  " in piece:
                piece = fold_spaces(piece)
            out[n] = (doc_id, key, title, date, name, ("\u2026" if lo else "") + piece + ("\u2026" if hi < length else ""))
        windows = _cut_windows(index.db, [c[1:4] for c in later])
        for n, doc_id, _s, _n, rec, base, length, at, t in later:
            window = windows[doc_id]
            got = window_first(window, base, length, at, patterns[t])
            if got is None:
                whole.append((n, doc_id))
                continue
            _first, lo, hi = got
            out[n] = (*rec, _plain_snippet(window, base, lo, hi, length))
        for (n, _doc_id), record in zip(whole, _whole_records(index, terms, [doc_id for _n, doc_id in whole])):
            out[n] = record
        return out


def _whole_records(index: "LibraryIndex", terms: list[str], doc_ids: list[int]) -> Iterable[tuple]:
    """The flat records (see :class:`_Flat`) of these hits, each read whole
    from its row and worked out by :class:`Hit`, as any other search does."""
    if not doc_ids:
        return
    reader = index.rows
    reader.prefetch(doc_ids)
    for doc_id in doc_ids:
        hit = Hit(*reader[doc_id], terms)
        doc = hit.doc
        yield (doc_id, doc.key, doc.title, doc.date.iso() if doc.date else None, hit.field, hit.snippet)


class _PaneIds(Sequence[int]):
    """One pane's hit ids from a lazy search: the count and the first ids
    are known; the rest are read from the index on first use."""

    def __init__(self, count: int, first: list[int], read_all: Callable[[], list[int]]):
        self.count = count
        self.first = first
        self._read_all = read_all
        self._all: list[int] | None = None

    def __len__(self) -> int:
        return self.count

    def _full(self) -> list[int]:
        if self._all is None:
            self._all = self._read_all()
        return self._all

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            start, stop, step = k.indices(self.count)
            if step == 1 and stop <= len(self.first):
                return self.first[start:stop]
            return self._full()[k]
        if 0 <= k < len(self.first):
            return self.first[k]
        return self._full()[k]

    def __iter__(self):
        return iter(self._full())


def _headings(doc_id: int, key: str, title: str, date: str | None) -> tuple[str, str]:
    """An item's heading in `briefing search`'s plain output and in its JSON
    (see briefing.search), for its segment."""
    pane, index = doc_id >> _PANE_SHIFT, doc_id & _ITEM_MASK
    return heading(pane, index, title, date), json_heading(pane, index, key, title, date)


def _line(prefixes: Mapping[int, str], record: tuple, as_json: bool = False) -> str:
    """A flat record (see LibraryIndex.flat) as its line in `briefing
    search`'s plain output, or its object in its JSON, after its file's
    prefix."""
    doc_id, key, title, date, field, snip = record
    prefix = prefixes[(doc_id >> _FILE_SHIFT) & _FILE_MASK]
    pane, index = doc_id >> _PANE_SHIFT, doc_id & _ITEM_MASK
    if as_json:
        return json_hit(prefix, json_heading(pane, index, key, title, date), field, snip)
    return hit_line(prefix, heading(pane, index, title, date), snip)


def _every_string(strings: Iterable[str]) -> str:
    """A full-text query for the rows that hold every one of ``strings``
    (each quoted: a trigram index finds it anywhere, as a substring)."""
    return " AND ".join('"' + s.replace('"', '""') + '"' for s in strings)


def _segment_name(file_id: int, token: str) -> str:
    return f"{file_id}-{token}.seg"


def _pack_name(token: str) -> str:
    return f"{token}.pack"


class _Segments:
    """The folder of an index's scan segments (see briefing.scanstore).
    Those of the files indexed together are written to one pack, named by a
    token of its own, once their rows are committed; each file's row names
    its pack and where its segment lies in it (files.pack, files.pack_at).
    One that cannot be read there (a process stopped before the pack was
    written, a disk that was full) is made again from those rows when it is
    first needed, in a file of its own named by the file's id and the
    token its row keeps (files.scan), which is new each time it is indexed.

    A pack is deleted once no row names it: until then it also holds the
    segments of its files indexed again since, which are no longer read (at
    most the size of the packs of the first build)."""

    def __init__(self, folder: str):
        self.folder = folder

    def write_pack(self, name: str, data: bytes) -> None:
        """Write the pack ``name`` (see scanstore.pack)."""
        from briefing.scanstore import write

        try:
            os.makedirs(self.folder, exist_ok=True)
            write(os.path.join(self.folder, _pack_name(name)), data)
        except OSError:
            pass  # its segments are made when first needed (see open)

    def drop(self, names: Iterable[str]) -> None:
        for name in names:
            try:
                os.unlink(os.path.join(self.folder, name))
            except OSError:
                pass

    def clear(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)

    def sweep(self, db: sqlite3.Connection) -> None:
        """Delete the packs no row names, and the segments of their own that
        are not current: one made again under a token its file no longer
        has, by a search that raced an update, is left behind otherwise.
        The folder is listed before the rows are read: a pack is written
        after its rows are committed, so the rows read after it is listed
        name it if it is current."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        keep = set()
        for fid, token, pack in db.execute("SELECT id, scan, pack FROM files"):
            keep.add(_segment_name(fid, token))
            keep.add(_pack_name(pack))
        self.drop(n for n in names if n.endswith((".seg", ".pack")) and n not in keep)

    def open(self, db: sqlite3.Connection, mapped: "_MappedPack", file_id: int, token: str, pack: str, at: int):
        """The file's segment: from its pack (mapped by ``mapped``, which the
        caller closes), else from a file of its own, made again from the
        index if there is none that can be read; None if that fails too."""
        from briefing.scanstore import Segment, SegmentError, build, write

        if pack:
            held = mapped.get(self.folder, pack)
            if held is not None:
                try:
                    return held.segment(at)
                except SegmentError:
                    pass
        path = os.path.join(self.folder, _segment_name(file_id, token))
        try:
            return Segment(path)
        except SegmentError:
            pass
        rows = db.execute("SELECT id, key, title, date, fields FROM docs WHERE file_id = ? ORDER BY id",
                          (file_id,)).fetchall()
        try:
            os.makedirs(self.folder, exist_ok=True)
            write(path, build([(i, key, title, date, _headings(i, key, title, date), _unpack(fields))
                               for i, key, title, date, fields in rows]))
            return Segment(path)
        except (OSError, SegmentError):
            return None


class _MappedPack:
    """The one pack a search has mapped, the one the last segment came from
    (see _Segments.open; that segment is closed before the next is opened):
    the pages a search reads of a mapped pack count as its resident memory,
    ~150 MB for half of 1,000 briefings with every pack kept mapped, and
    files in path order mostly follow their packs' order."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.pack = None

    def get(self, folder: str, name: str):
        """The pack ``name`` in ``folder``, mapped; None if it cannot be."""
        from briefing.scanstore import Pack, SegmentError

        if name != self.name:
            self.close()
            self.name = name
            try:
                self.pack = Pack(os.path.join(folder, _pack_name(name)))
            except SegmentError:
                self.pack = None
        return self.pack

    def close(self) -> None:
        if self.pack is not None:
            self.pack.close()
        self.name = self.pack = None


class LibraryIndex:
    """The search index of a set of briefing files."""

    def __init__(self, path: Path | None = None, *, short_lived: bool = False, create: bool = True):
        """``short_lived``: for a process that searches once and exits
        (``briefing search``): a page cache of 1 MiB, which the rows it
        reads one after another take turns in, instead of the 64 MiB the
        app keeps between keystrokes. (Not a memory map, though it reads
        fewer bytes: every page the search touches, and the ones the system
        maps along with it, is unmapped as the process exits, ~10 ms for a
        common word in 1,000 briefings.) ``create=False``: only open an
        index of this version that is there, else raise LookupError (never
        create, rebuild or delete one)."""
        self.path: Path | str = path or index_file()
        self.short_lived = short_lived
        self.db = self._open() if create else self._open_existing()
        if create and _size(f"{self.path}-wal") > 4 << 20:
            self._checkpoint()  # a long log a process left behind (see _checkpoint)
        self.lock = RLock()  # one user of self.db at a time (searches, lazy reads)
        self.rows = _Rows(self.db, self.lock)
        self._generation = 0  # bumped by every update that changes the index
        self._rank_key: object = None
        self._table_key: object = None  # the _rank_key temp.search_files holds
        self._rank: dict[int, int] = {}
        self._in_order = True
        self._every_file = True
        self.unchanged: dict[str, tuple[int, str]] | None = None

    # -- opening -------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            # For a new file (before WAL mode writes its first page; no effect
            # on one that exists): pages of 16 KiB, not 4. A source's row (26
            # KB of text and folded text) is then two reads, not seven, and
            # `briefing search` reads each page with one system call: a common
            # word in 1,000 briefings went from ~190 to ~167 ms.
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")
            _wal(db)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            # KiB of pages kept (see __init__)
            db.execute("PRAGMA cache_size=-1024" if self.short_lived else "PRAGMA cache_size=-65536")
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> sqlite3.Connection:
        """The index, made in a new file if there is none. Another process
        may be opening, making or filling it at the same moment: "database
        is locked" (past the 30 s wait) is raised, never taken for a broken
        file, and only a file that is not an index of this version is
        deleted and made again."""
        db: sqlite3.Connection | None
        try:
            db = self._connect()
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:
            db = None  # not a database at all
        if db is not None:
            try:
                if self._ready(db):
                    return db
            except sqlite3.OperationalError:
                db.close()
                raise
            except sqlite3.DatabaseError:
                pass
            db.close()
        # Not a database, or not an index of this version: start again.
        self._remove()
        db = self._connect()
        if not self._ready(db):
            db.close()
            raise sqlite3.DatabaseError(f"{self.path} changed while it was being made again")
        return db

    def _ready(self, db: sqlite3.Connection) -> bool:
        """Is ``db`` an index of this version? An empty file is made one."""
        if db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION:
            db.execute("SELECT count(*) FROM files").fetchone()
            return True
        # Maybe another process is making it right now: look again holding
        # the write lock (which waits for that process to finish).
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not db.execute("SELECT name FROM sqlite_master").fetchall():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version={INDEX_VERSION}")
                version = INDEX_VERSION
                self._remove_other_versions()
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return version == INDEX_VERSION

    def _open_existing(self) -> sqlite3.Connection:
        if not os.path.exists(self.path):
            raise LookupError(f"no index at {self.path}")
        db = self._connect()
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                raise LookupError(f"{self.path} is not an index of version {INDEX_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(str(self.path) + suffix)
            except OSError:
                pass
        self._segments().clear()

    def _remove_other_versions(self) -> None:
        """Delete the indexes of other versions beside a new one (each is
        rebuilt in a file of its own, and a library's is hundreds of MB)."""
        import re
        import shutil

        folder, name = os.path.split(os.path.abspath(self.path))
        ours = re.fullmatch(r"(.*-)\d+(\.sqlite)", name)
        if ours is None:
            return
        other = re.compile(re.escape(ours[1]) + r"(\d+)" + re.escape(ours[2]) + r"(-wal|-shm|\.scan)?")
        for entry in os.listdir(folder):
            m = other.fullmatch(entry)
            if m and int(m[1]) != INDEX_VERSION:
                path = os.path.join(folder, entry)
                if m[2] == ".scan":
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.unlink(path)
                    except OSError:
                        pass

    def _segments(self) -> "_Segments":
        return _Segments(f"{self.path}.scan")

    def close(self) -> None:
        self.db.close()

    # -- keeping it current ------------------------------------------------------
    def update(self, files: Iterable[Path], progress: Callable[[int, int], None] | None = None,
               prune: Path | None = None, trust: Collection[str] = ()) -> dict[Path, Problem]:
        """Index ``files`` that are new or changed; with ``prune``, drop
        indexed files under that folder that are not in ``files``. Returns
        the files that cannot be searched, with their first error (a broken
        file is not indexed, so it is read again, from the cache, each time).

        The stamps of indexed files whose keys are in ``trust`` are not
        checked: another process checks them (see briefing.cli._Half)."""
        wanted = {_key(f): f for f in files}
        texts = self.stamp_texts()
        # Only the stamps to check are parsed (another process checks those in trust).
        known = _parsed({key: texts[key] for key in wanted if key in texts and key not in trust})
        stale = [key for key in wanted if key not in texts or (key not in trust and not _current(known[key][1]))]
        gone = []
        if prune is not None:
            root = _key(prune) + os.sep
            gone = [fid for key, (fid, _s) in texts.items() if key.startswith(root) and key not in wanted]
        broken: dict[Path, Problem] = {}
        if not stale and not gone:
            self.unchanged = texts  # what update found (stamps as stored), when it changed nothing
            return broken
        self.unchanged = None
        self._generation += 1
        from dataclasses import replace
        from pathlib import Path

        from briefing.cache import load_with_stats, warm
        from briefing.scanstore import build, pack

        wanted = {key: f if isinstance(f, Path) else Path(f) for key, f in wanted.items()}
        warm([wanted[k] for k in stale])  # parse on every core first
        done = 0
        segments = self._segments()
        for start in range(0, max(len(stale), 1), 50):
            batch = []
            made: list[tuple[int, bytes]] = []  # (file id, segment): one pack, written once committed
            dropped: list[str] = []  # names of segments of their own no longer current
            for key in stale[start : start + 50]:
                # Stale exactly when the cache entry it came from is.
                briefing, problems, stats = load_with_stats(Path(key))
                stamp = [[s.path, s.size, s.mtime_ns] for s in stats]
                if briefing is None:
                    first = next((p for p in problems if p.severity == "error"), None)
                    if first is not None:
                        broken[wanted[key]] = replace(first, path=str(wanted[key]))
                batch.append((key, briefing, stamp))
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for fid in gone if start == 0 else ():
                    dropped.append(self._drop(fid))
                for key, briefing, stamp in batch:
                    row = self.db.execute("SELECT id, scan FROM files WHERE path = ?", (key,)).fetchone()
                    if row:
                        self._drop_docs(row[0])
                        dropped.append(_segment_name(*row))
                    if briefing is None:
                        if row:
                            self.db.execute("DELETE FROM files WHERE id = ?", (row[0],))
                        continue  # a broken file has nothing to find; check reports it
                    token = os.urandom(8).hex()
                    if row:
                        fid = row[0]  # a file keeps its id, so its place in the order
                        self.db.execute("UPDATE files SET title = ?, stamp = ?, scan = ? WHERE id = ?",
                                        (briefing.meta.title, json.dumps(stamp), token, fid))
                    else:
                        fid = self.db.execute(
                            "INSERT INTO files(path, title, stamp, scan) VALUES (?, ?, ?, ?)",
                            (key, briefing.meta.title, json.dumps(stamp), token),
                        ).lastrowid
                    items: list[tuple] = []
                    for d in documents(briefing):
                        rowid = _rowid(_PANE_NO[d.pane], fid, d.index)
                        packed = _pack(d.fields)
                        layout = _layout(d.fields, packed, d.starts)
                        last = (d.starts[-1], len(packed) - len(d.fields[-1][1]), len(d.fields[-1][1])) if layout \
                            else (None, None, None)
                        self.db.execute(
                            "INSERT INTO docs(id, file_id, pane, idx, key, title, date, aligned, layout, "
                            "last_start, last_at, last_len, blob, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (rowid, fid, _PANE_NO[d.pane], d.index, d.key, d.title, d.date.iso() if d.date else None,
                             sum(1 << n for n, (_name, text) in enumerate(d.fields) if aligned(text)),
                             layout, *last, d.blob, packed),
                        )
                        self.db.execute("INSERT INTO docs_fts(rowid, blob) VALUES (?, ?)", (rowid, d.blob))
                        iso = d.date.iso() if d.date else None
                        items.append((rowid, d.key, d.title, iso, _headings(rowid, d.key, d.title, iso), d.fields))
                    made.append((fid, build(items)))
                name, data = os.urandom(8).hex(), b""
                if made:
                    data, starts = pack([segment for _fid, segment in made])
                    self.db.executemany("UPDATE files SET pack = ?, pack_at = ? WHERE id = ?",
                                        [(name, at, fid) for (fid, _s), at in zip(made, starts)])
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            if made:
                segments.write_pack(name, data)
            segments.drop(dropped)
            done += len(batch)
            if progress is not None:
                progress(done, len(stale))
        segments.sweep(self.db)
        self._checkpoint()
        return broken

    def _checkpoint(self) -> None:
        """After writing: copy the write-ahead log into the index and empty
        it, if no other process is reading an older state right now (waiting
        a tenth of a second at most). A log left full (`briefing search`
        leaves without closing the index) is read through again by every
        process that opens the index after it: ~95 MB after a first build,
        ~30 ms of each search."""
        self.db.execute("PRAGMA busy_timeout=100")
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError:
            pass  # busy: the next writer's checkpoint does it
        finally:
            self.db.execute("PRAGMA busy_timeout=30000")

    def stamp_texts(self) -> dict[str, tuple[int, str]]:
        """Every indexed file's key -> (file id, stamp as stored: JSON)."""
        with self.lock:
            rows = self.db.execute("SELECT path, id, stamp FROM files").fetchall()
        return {path: (fid, text) for path, fid, text in rows}

    def _file_rank(self, files: Sequence[Path] | None) -> dict[int, int]:
        """File id -> its place in path order, for the files searched
        (worked out once per set of files and state of the index). See
        :meth:`_rank_table` for searches that filter and order in SQL."""
        key = (tuple(files) if files is not None else None, self._generation)
        if self._rank_key != key:
            rows = self.db.execute("SELECT id, path FROM files").fetchall()
            total = len(rows)
            if files is not None:
                wanted = {_key(p) for p in files}
                rows = [r for r in rows if r[1] in wanted]
            self._rank = {fid: n for n, (fid, _path) in enumerate(sorted(rows, key=lambda r: r[1]))}
            self._rank_key = key
            # Files indexed in path order (the usual case) need no sorting.
            self._in_order = list(self._rank) == sorted(self._rank)
            self._every_file = len(self._rank) == total
        return self._rank

    def _rank_table(self) -> None:
        """Keep the last :meth:`_file_rank` in ``temp.search_files`` (id,
        rank), for SQL that keeps to those files or orders by their rank;
        filled only when such SQL runs (the segments need none: ~2 ms of a
        half of 1,000 briefings)."""
        if self._table_key != self._rank_key:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS search_files(id INTEGER PRIMARY KEY, rank INTEGER)")
            self.db.execute("DELETE FROM temp.search_files")
            self.db.executemany("INSERT INTO temp.search_files VALUES (?, ?)", self._rank.items())
            self._table_key = self._rank_key

    def _drop_docs(self, file_id: int) -> None:
        for rowid, blob in self.db.execute("SELECT id, blob FROM docs WHERE file_id = ?", (file_id,)).fetchall():
            self.db.execute("INSERT INTO docs_fts(docs_fts, rowid, blob) VALUES ('delete', ?, ?)", (rowid, blob))
        self.db.execute("DELETE FROM docs WHERE file_id = ?", (file_id,))

    def _drop(self, file_id: int) -> str:
        """Drop a file from the index; the name of its scan segment."""
        token = self.db.execute("SELECT scan FROM files WHERE id = ?", (file_id,)).fetchone()[0]
        self._drop_docs(file_id)
        self.db.execute("DELETE FROM files WHERE id = ?", (file_id,))
        return _segment_name(file_id, token)

    # -- searching -------------------------------------------------------------
    def _match_sql(self, terms: list[str]) -> tuple[str, list[str], bool]:
        """SQL selecting the ids of the docs that hold every term, its
        arguments, and whether it has a full-text lookup (else it is a scan).
        ``{where}`` in it takes more conditions on the id."""
        long_terms = [t for t in terms if len(t) >= 3]
        short_terms = [t for t in terms if len(t) < 3]
        args: list[str] = []
        if long_terms:
            # A trigram index finds a string of three or more characters
            # anywhere in the folded text: exactly the substring test of
            # Doc.matches, without reading the text.
            sql = "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?{where}"
            args.append(_every_string(long_terms))
            if short_terms:
                sql = "SELECT id FROM docs WHERE id IN (" + sql.replace("{where}", "") + "){where}"
        else:
            sql = "SELECT id FROM docs WHERE 1{where}"  # one- and two-letter terms: a scan
        for t in short_terms:
            sql = sql.replace("{where}", " AND instr(blob, ?) > 0{where}")
            args.append(t)
        return sql, args, bool(long_terms)

    def _run(self, cancelled: Callable[[], bool] | None, work: Callable[[], object]) -> object:
        """Run ``work`` (SQL on self.db), stopping when ``cancelled`` says so."""
        if cancelled is not None and cancelled():
            raise Cancelled
        handler = None
        if cancelled is not None:
            def handler() -> int:
                return 1 if cancelled() else 0
            self.db.set_progress_handler(handler, 20_000)
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if cancelled is not None and cancelled():
                raise Cancelled from exc
            raise
        finally:
            if handler is not None:
                self.db.set_progress_handler(None, 0)

    def search(self, query: str, files: Sequence[Path] | None = None,
               cancelled: Callable[[], bool] | None = None, head: int | None = None,
               windows: bool = False) -> Results:
        """Like :meth:`briefing.search.Searcher.search`, over the index (of
        ``files`` only, when given): the same matches, in pane order, then
        file order.

        With ``head``, each pane's hits are counted in SQL and only its first
        ``head`` ids are read; the rest are read when first asked for. Handing
        tens of thousands of ids to Python costs more than finding them, and
        the search bar shows a screenful per pane.

        With ``windows``, each hit's snippet is worked out from a window of
        its text cut out in SQL where that is exact (see :class:`_Windows`),
        and its doc carries no fields or blob: for printing every hit."""
        with self.lock:
            return self._search(query, files, cancelled, head, windows)

    def _search(self, query: str, files: Sequence[Path] | None, cancelled: Callable[[], bool] | None,
                head: int | None, windows: bool = False) -> Results:
        terms = parse_query(query)
        by_pane: dict[str, Sequence[int]] = {p: [] for p in PANES}
        rows = _Windows(self, terms) if windows and terms else self.rows
        if not terms:
            return Results(rows, terms, by_pane)
        sql, args, indexed = self._match_sql(terms)
        rank = self._file_rank(files)
        if head is not None and indexed:
            return self._search_lazy(terms, sql, args, rank, head, cancelled, rows)
        ids: list = self._run(cancelled, lambda: [r[0] for r in self.db.execute(sql.replace("{where}", ""), args)])  # type: ignore[assignment]
        lists: dict[str, list[int]] = {p: [] for p in PANES}
        for i in ids:
            r = rank.get((i >> _FILE_SHIFT) & _FILE_MASK)
            if r is not None:
                lists[PANES[i >> _PANE_SHIFT]].append(i)
        if not self._in_order:
            for chosen in lists.values():
                # In path order of the files, then item order: as Searcher does.
                chosen.sort(key=lambda i: (rank[(i >> _FILE_SHIFT) & _FILE_MASK], i & _ITEM_MASK))
        return Results(rows, terms, dict(lists))

    def flat(self, query: str, files: Sequence[Path] | None = None, segments: bool = True,
             prefixes: Mapping[int, str] | None = None, as_json: bool = False) -> list:
        """Every hit of ``query`` (over ``files`` only, when given) in the
        order :meth:`search` gives them, as flat records: (doc id, key,
        title, ISO date or None, field, snippet). The doc id tells the pane
        (``id >> _PANE_SHIFT``), the file (:meth:`file_paths`) and the item
        index. For printing every hit without spans. With ``prefixes`` (file
        id -> what starts its hits' lines), each hit is instead its line in
        `briefing search`'s plain output (see briefing.search.hit_line), or
        with ``as_json`` its object in its JSON (json_hit), in a list for
        each pane: from the segments, made in one step.

        The full-text index finds the items; each one's snippet is cut from
        its file's segment (see briefing.scanstore), which holds the text at
        the offsets the match is found at, instead of from its row: for
        `mission` in 1,000 briefings (30,000 hits) that took 282 ms of one
        process instead of 362. A phrase, a character a segment does not
        hold, terms of one or two letters only (no lookup), or a segment
        that can be neither read nor made again: the rows answer (see
        :class:`_Flat`), as with ``segments=False``. The same records
        either way."""
        from briefing.scanstore import searchable  # (mmap, struct...: not for a search of one briefing)

        with self.lock:
            terms = parse_query(query)
            if not terms:
                return [] if prefixes is None else [[] for _ in PANES]
            sql, args, _indexed = self._match_sql(terms)
            rank = self._file_rank(files)
            if segments and searchable(terms):
                out = self._from_segments(terms, rank, prefixes, as_json)
                if out is not None:
                    return [record for records in out for record in records] if prefixes is None else out
            records = _Flat(self, terms).records(sql, args, rank, self._every_file, self._in_order)
            if prefixes is None:
                return records
            out = [[] for _ in PANES]
            for record in records:
                out[record[0] >> _PANE_SHIFT].append(_line(prefixes, record, as_json))
            return out

    def _from_segments(self, terms: list[str], rank: dict[int, int],
                       prefixes: Mapping[int, str] | None, as_json: bool = False) -> list[list] | None:
        """:meth:`flat`'s records or lines, a list for each pane: the items
        the full-text index finds for the trigrams of the terms of three
        letters or more, in these files, checked for every term and cut in
        their segments; None if a segment can be neither read nor made
        again. The lookup, the segments' tokens and any row read (to make a
        segment again, or for an item left to its row) come from one state
        of the index, whoever writes to it."""
        own = not self.db.in_transaction  # (the child of `briefing search` reads in one already)
        if own:
            self.db.execute("BEGIN")
        try:
            return self._segment_records(terms, rank, prefixes, as_json)
        finally:
            if own:
                self.db.execute("COMMIT")

    def _segment_records(self, terms: list[str], rank: dict[int, int],
                         prefixes: Mapping[int, str] | None, as_json: bool) -> list[list] | None:
        from briefing.scanstore import SegmentError

        # Trigrams of every term of three letters or more, not each term as a
        # phrase of trigrams: the lookup need not match positions (half the
        # time for `mission`), and the segment checks each term anyway. Not
        # every trigram either: those that cover a term without overlapping,
        # and its last. The lookup reads each one's list of rows, and the
        # others rule out next to nothing more (half a library: `security`
        # 19.5 -> 7.1 ms, 12,825 -> 12,950 items; `mission` 11.3 -> 8.8 ms,
        # `transhumance` 5.6 -> 1.7 ms, the same items).
        grams = list(dict.fromkeys(g for t in terms if len(t) >= 3
                                   for g in (*(t[i : i + 3] for i in range(0, len(t) - 2, 3)), t[-3:])))
        match = _every_string(grams)
        lookup = "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?{where}"
        if self._every_file:
            lookup, args = lookup.replace("{where}", ""), [match]
        else:
            lookup, args = _by_file_range(lookup, [match], rank)
        by_file: dict[int, list[int]] = {}
        for (doc_id,) in self.db.execute(lookup, args):
            by_file.setdefault((doc_id >> _FILE_SHIFT) & _FILE_MASK, []).append(doc_id)
        needles = [t.encode("latin-1") for t in terms]
        folder = self._segments()
        where = {fid: rest for fid, *rest in self.db.execute("SELECT id, scan, pack, pack_at FROM files")}
        out: list[list] = [[] for _ in PANES]
        left: list[tuple[int, int, int]] = []  # (pane, place in out[pane], doc id): worked out from the rows
        mapped = _MappedPack()
        try:
            for fid in sorted((f for f in by_file if f in rank), key=rank.__getitem__):
                segment = folder.open(self.db, mapped, fid, *where[fid])
                if segment is None:
                    return None
                try:
                    segment.items(needles, by_file[fid], out, left, _PANE_SHIFT, _ITEM_MASK,
                                  None if prefixes is None else prefixes[fid], as_json)
                except SegmentError:
                    return None
                finally:
                    segment.close()
        finally:
            mapped.close()
        for (pane, n, _doc_id), record in zip(left, _whole_records(self, terms, [doc_id for *_p, doc_id in left])):
            out[pane][n] = record if prefixes is None else _line(prefixes, record, as_json)
        return out

    def file_paths(self) -> dict[int, str]:
        """File id -> the path a hit prints (``str(hit.path)``): the file's
        key, an absolute, normalised path, which Path leaves as it is."""
        with self.lock:
            return dict(self.db.execute("SELECT id, path FROM files").fetchall())

    def _search_lazy(self, terms: list[str], sql: str, args: list[str], rank: dict[int, int], head: int,
                     cancelled: Callable[[], bool] | None, rows: object) -> Results:
        """Counts per pane and the first ``head`` ids of each, in SQL.

        First the whole search, stopped after a few screenfuls: a rare term
        is answered by that one query. Past that, each pane on its own: its
        first ``head`` ids, and only if it has that many, a count."""
        # The file filter and the order: by rowid when every indexed file is
        # searched and files were indexed in path order (the usual case);
        # else through a temporary table of the files' ranks.
        every = self._every_file
        col = _id_column(sql)
        where = ""
        if not every:
            self._rank_table()
            where = f" AND (({col} >> {_FILE_SHIFT}) & {_FILE_MASK}) IN (SELECT id FROM temp.search_files)"
        order = ""
        if not (every and self._in_order):
            self._rank_table()
            order = (f" ORDER BY {col} >> {_PANE_SHIFT},"
                     f" (SELECT rank FROM temp.search_files WHERE id = ({col} >> {_FILE_SHIFT}) & {_FILE_MASK}),"
                     f" {col} & {_ITEM_MASK}")
        whole_sql = sql.replace("{where}", where) + order + " LIMIT ?"
        pane_sql = sql.replace("{where}", f" AND {col} >= ? AND {col} < ?" + where)
        count_sql = f"SELECT count(*) FROM ({pane_sql})"
        all_sql = pane_sql + order
        head_sql = all_sql + " LIMIT ?"
        enough = head * len(PANES)

        def read() -> dict[str, Sequence[int]]:
            out: dict[str, Sequence[int]] = {p: [] for p in PANES}
            ids = [r[0] for r in self.db.execute(whole_sql, [*args, enough + 1])]
            if len(ids) <= enough:
                for i in ids:
                    out[PANES[i >> _PANE_SHIFT]].append(i)  # type: ignore[attr-defined]
                return out
            for n, pane in enumerate(PANES):
                bounds = [*args, n << _PANE_SHIFT, (n + 1) << _PANE_SHIFT]
                first = [r[0] for r in self.db.execute(head_sql, [*bounds, head])]
                if len(first) < head:
                    out[pane] = first
                    continue
                count = self.db.execute(count_sql, bounds).fetchone()[0]
                out[pane] = first if count == len(first) else _PaneIds(count, first, self._reader(all_sql, bounds))
            return out

        return Results(rows, terms, self._run(cancelled, read))  # type: ignore[arg-type]

    def _reader(self, sql: str, args: list) -> Callable[[], list[int]]:
        def read_all() -> list[int]:
            # Like the rows of hits (self.rows), read from the index as it is
            # now: the app brings it up to date once, before its searches.
            with self.lock:
                return [r[0] for r in self.db.execute(sql, args)]
        return read_all

class IndexSearcher:
    """The :class:`Searcher` interface over an index, for one set of files.
    Safe to call from worker threads: one search runs at a time, and a
    cancelled one gives up its turn at once.

    Each pane's hits are counted in SQL and only its first ``head`` ids read
    (the search bar lists 50 per pane); the rest are read when first used."""

    def __init__(self, index: LibraryIndex, files: Sequence[Path], head: int = 50):
        self.index = index
        self.files = list(files)
        self.head = head

    def search(self, query: str, cancelled: Callable[[], bool] | None = None) -> Results:
        with self.index.lock:
            return self.index.search(query, self.files, cancelled=cancelled, head=self.head)
