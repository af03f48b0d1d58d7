"""Segments: each indexed file's items laid out so that `briefing search`
cuts a hit's snippet without reading its row back out of SQLite.

`briefing search` prints every hit. A common word in 1,000 briefings has
some 30,000, and reading each one's row back out of the index (briefing.index)
costs more than finding it: a source's row is 22 KB of text and folded text.
So beside the index each indexed file gets a segment holding its items (in
the index's order, pane by pane):

- the folded text of each field, folded character by character
  (:func:`fold_exact`), so that a match's offset in it is its offset in the
  original text, with white space kept as it is (the snippet looks for
  spaces in it instead of in the original); in Latin-1, a character past
  U+00FF written as \\x01, which no term this store looks for holds; a
  NUL after each field;
- each field's original text with every white-space character written as
  a space (the snippet folds runs of them, which then only a search for
  two spaces in a row finds), in Latin-1 where it fits, else UTF-16 (two
  bytes a character, so an offset is still a multiplication);
- each item's key, title and date;
- each item's heading in `briefing search`'s plain output
  (:func:`briefing.search.heading`) and in its JSON
  (:func:`briefing.search.json_heading`), so that a hit's output is made in
  one step (index version 12: 15% of the instructions of the child's half
  of `mission`, fewer);
- the offsets of all of these, as arrays read in place.

The full-text index finds the items; :meth:`Segment.items` finds each
term's first match in the item's folded text with ``mmap.find`` and cuts
the snippet from the original text around the earliest.

An item with a field that does not fold one character to one (``ß`` to
``ss``, a combining mark, a character outside the Basic Multilingual Plane)
holds the text :func:`briefing.textfold.fold` gives instead, so a term is
found where the index finds it; its snippet is worked out from its row.

The segments of the files indexed together lie one after another in a
pack file (:class:`Pack`), at offsets the index keeps: a search maps a few
packs, not a file per briefing (half of 1,000 briefings: 520 files mapped,
read and unmapped took ~30 ms of `mission`'s ~140). A segment is derived
from the index's rows; one that is missing or cannot be read is made again
from them, in a file of its own named by a token the index keeps for the
file, new each time it is indexed (see briefing.index). It is never
trusted: its format and sizes are checked when it is opened.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys
from array import array
from bisect import bisect_left, bisect_right
from json.encoder import encode_basestring as quote  # (json.dump's, with ensure_ascii=False)

from briefing.paths import write_atomic
from briefing.search import SNIPPET_WIDTH, fold_spaces
from briefing.textfold import _NON_ASCII, _fold_char, fold

# The file: MAGIC; the counts (_COUNTS); the arrays of 64-bit integers in
# this machine's byte order, one after another (per item: ids; then, one
# more than the items each, doc_start, doc_field, meta_start and
# head_start (two per item, and one more: its heading, then its JSON
# heading): where each item starts in the folded text, in the fields, in
# the key/title/date text and in the headings; then, one more than the
# fields each, field_start and orig_start:
# where each field starts in the folded and in the original text); bytes
# (per item: whether it folds one to one; per field: its original's
# encoding, then its name's number); the field names; padding to 8 bytes;
# the folded text, the original text, the items' key, title and date, and
# their headings.
# A new layout needs a new MAGIC: segments of the old one are then made
# again from the rows as each is first needed (~10 ms a file, no progress
# shown), so a change that rebuilds the index anyway goes with a new
# INDEX_VERSION in briefing.index, which starts a new folder of segments.
MAGIC = b"BRSCAN05" + (b"L" if sys.byteorder == "little" else b"B")
_COUNTS = struct.Struct("<7q")  # items, fields, bytes of names, of folded text, of original text, of key/title/date,
# of headings
_NAMES: dict[bytes, tuple[list[str], list[str]]] = {}  # field names as a segment holds them -> them, and quoted
# for JSON
_RANGES = [bytes(range(n)) for n in range(256)]  # what name_of may hold, for n names

_NOT_LATIN1 = re.compile("[^\x00-\xff]")
_OTHER_SPACE = re.compile(r"[^\S ]")  # white space but the space


class SegmentError(Exception):
    """A segment file that is missing, damaged or of another format."""


def _fold_run(m: re.Match[str]) -> str:
    return "".join(ch if ch.isspace() else _fold_char(ch) for ch in m.group())


def fold_exact(text: str) -> str | None:
    """``text`` folded as :func:`briefing.textfold.fold` folds it, one
    character for one: white space is kept as it is (fold makes each run one
    space), so a term without a space is found in it exactly where fold's
    text has it, at the offset it has in ``text``. None when a character
    folds to more or fewer than one."""
    if text.isascii():
        return text.lower()
    out = _NON_ASCII.sub(_fold_run, text).lower()
    return out if len(out) == len(text) else None


def _spaced(text: str) -> str:
    """``text`` with every white-space character written as a space; a
    line break, the usual one, replaced without a scan of every character
    (which 1,000 briefings' 150 MB of text took ~2 s of building)."""
    if "\n" in text:
        text = text.replace("\n", " ")
    if text.isprintable():  # (every white-space character but the space is unprintable)
        return text
    return _OTHER_SPACE.sub(" ", text)


def searchable(terms: list[str]) -> bool:
    """Whether the segments answer these folded terms: words (a phrase's
    spaces match runs of white space, which only the index knows) in
    Latin-1 without \\x01 (the mark of other characters) or NUL, one of
    them three letters or more (the index finds the items by its
    trigrams)."""
    return bool(terms) and max(map(len, terms)) >= 3 and all(
        " " not in t and max(map(ord, t)) <= 0xFF and "\x01" not in t and "\0" not in t for t in terms)


def _utf16(text: str) -> bytes | None:
    data = text.encode("utf-16-le", "surrogatepass")
    return data if len(data) == 2 * len(text) else None


def build(items: list[tuple]) -> bytes:
    """A segment of ``items``, each (doc id, key, title, ISO date or None,
    (heading, JSON heading), [(field name, original text), ...]), in the
    index's order."""
    ids, exact, doc_start = array("q"), bytearray(), array("q")
    doc_field, field_start, orig_start = array("q"), array("q"), array("q")
    enc, name_of, meta_start, head_start = bytearray(), bytearray(), array("q"), array("q")
    names: list[str] = []
    folded: list[bytes] = []
    orig: list[bytes] = []
    meta: list[bytes] = []
    heads: list[bytes] = []
    at_folded = at_orig = at_meta = at_head = 0
    for doc_id, key, title, date, both, fields in items:
        ids.append(doc_id)
        doc_start.append(at_folded)
        doc_field.append(len(field_start))
        exacts = [fold_exact(text) for _name, text in fields]
        originals = []
        for _name, text in fields:
            text = _spaced(text)
            try:
                originals.append((0, text.encode("latin-1")))
            except UnicodeEncodeError:
                originals.append((1, _utf16(text)))
        ok = (all(f is not None for f in exacts) and all(o is not None for _e, o in originals)
              and not any("\x1f" in x for x in (key, title, date or "")))  # (the loader lets none in)
        exact.append(ok)
        for (name, text), f, (code, raw) in zip(fields, exacts, originals):
            if name not in names:
                names.append(name)
            field_start.append(at_folded)
            name_of.append(names.index(name))
            f = f if ok else fold(text)
            try:
                data = f.encode("latin-1") + b"\0"  # type: ignore[union-attr]
            except UnicodeEncodeError:
                data = _NOT_LATIN1.sub("\x01", f).encode("latin-1") + b"\0"  # type: ignore[arg-type]
            folded.append(data)
            at_folded += len(data)
            orig_start.append(at_orig)
            enc.append(code)
            raw = raw or b""
            orig.append(raw)
            at_orig += len(raw)
        meta_start.append(at_meta)
        data = "\x1f".join((key, title, date or "")).encode("utf-8", "surrogatepass")
        meta.append(data)
        at_meta += len(data)
        for head in both:
            head_start.append(at_head)
            data = head.encode("utf-8", "surrogatepass")
            heads.append(data)
            at_head += len(data)
    doc_start.append(at_folded)
    doc_field.append(len(field_start))
    field_start.append(at_folded)
    orig_start.append(at_orig)
    meta_start.append(at_meta)
    head_start.append(at_head)
    names_data = "\x1f".join(names).encode("utf-8", "surrogatepass")
    top = [MAGIC, _COUNTS.pack(len(ids), len(enc), len(names_data), at_folded, at_orig, at_meta, at_head),
           ids.tobytes(), doc_start.tobytes(), doc_field.tobytes(), meta_start.tobytes(), head_start.tobytes(),
           field_start.tobytes(), orig_start.tobytes(), bytes(exact), bytes(enc), bytes(name_of), names_data]
    size = sum(map(len, top))
    return b"".join([*top, b"\0" * (-size % 8), *folded, *orig, *meta, *heads])


def write(path: str, data: bytes) -> None:
    """Write a segment or a pack whole or not at all (another process may
    be writing the same segment: the last to finish wins, with the same
    bytes)."""
    write_atomic(path, data, ".seg-tmp")


def pack(segments: list[bytes]) -> tuple[bytes, list[int]]:
    """A pack of ``segments`` (each from :func:`build`): them one after
    another, each at a multiple of 8 bytes; and where each starts."""
    parts: list[bytes] = []
    starts: list[int] = []
    at = 0
    for data in segments:
        starts.append(at)
        parts += (data, b"\0" * (-len(data) % 8))
        at += len(data) + -len(data) % 8
    return b"".join(parts), starts


def _map(path: str) -> mmap.mmap:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError as exc:
        raise SegmentError(f"{path}: {exc.strerror}") from exc
    try:
        return mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:  # (an empty file cannot be mapped)
        raise SegmentError(f"{path}: cannot be mapped") from exc
    finally:
        os.close(fd)


class Pack:
    """A pack file (see :func:`pack`), mapped into memory once for all the
    segments read from it; to be closed after them."""

    def __init__(self, path: str):
        self.path = path
        self.map = _map(path)

    def segment(self, at: int) -> "Segment":
        return Segment(self.path, self.map, at)

    def close(self) -> None:
        self.map.close()


class Segment:
    """One file's segment, mapped into memory and checked; its arrays are
    read where they lie, not copied. The whole file at ``path``, or the one
    at ``at`` in the map of a pack (``mapping``), which it only borrows."""

    def __init__(self, path: str, mapping: mmap.mmap | None = None, at: int = 0):
        self._own = mapping is None
        self.map = _map(path) if mapping is None else mapping
        self._views: list[memoryview] = []
        try:
            self._read_header(path, at)
        except BaseException:
            self.close()
            raise

    def _read_header(self, path: str, base: int) -> None:
        m = self.map
        size = len(m)
        at = base + len(MAGIC) + _COUNTS.size
        if base < 0 or size < at or m[base : base + len(MAGIC)] != MAGIC:
            raise SegmentError(f"{path}: not a segment of this format at {base}")
        docs, fields, n_names, n_folded, n_orig, n_meta, n_heads = _COUNTS.unpack_from(m, base + len(MAGIC))
        n_ints = 6 * docs + 4 + 2 * (fields + 1)
        head = len(MAGIC) + _COUNTS.size + 8 * n_ints + docs + 2 * fields + n_names
        self.folded_at = base + head + -head % 8
        self.orig_at = self.folded_at + n_folded
        self.meta_at = self.orig_at + n_orig
        self.heads_at = self.meta_at + n_meta
        end = self.heads_at + n_heads
        # A file of its own holds the segment and nothing more; a pack, others after it.
        if min(docs, fields, n_names, n_folded, n_orig, n_meta, n_heads) < 0 or (end != size if self._own else end > size):
            raise SegmentError(f"{path}: its parts do not add up at {base}")
        whole = memoryview(m)
        ints = whole[at : at + 8 * n_ints].cast("q")  # the arrays, one after another
        self._views += (whole, ints)
        self.ids = ints[:docs]
        self.doc_start = ints[docs : 2 * docs + 1]
        self.doc_field = ints[2 * docs + 1 : 3 * docs + 2]
        self.meta_start = ints[3 * docs + 2 : 4 * docs + 3]
        self.head_start = ints[4 * docs + 3 : 6 * docs + 4]
        self.field_start = ints[6 * docs + 4 : 6 * docs + fields + 5]
        self.orig_start = ints[6 * docs + fields + 5 :]
        self._views += (self.ids, self.doc_start, self.doc_field, self.meta_start, self.head_start, self.field_start,
                        self.orig_start)  # (released before the map is closed)
        at += 8 * n_ints
        self.exact = m[at : at + docs]
        self.enc = m[at + docs : at + docs + fields]
        self.name_of = m[at + docs + fields : at + docs + 2 * fields]
        raw = m[at + docs + 2 * fields : at + docs + 2 * fields + n_names]
        known = _NAMES.get(raw)
        if known is None:  # (the same few field names in every segment)
            names = raw.decode("utf-8", "surrogatepass").split("\x1f")
            known = _NAMES[raw] = (names, [quote(name) for name in names])
        self.names, self.quoted_names = known
        names = self.names
        if (self.doc_start[-1] != n_folded or self.field_start[-1] != n_folded or self.orig_start[-1] != n_orig
                or self.meta_start[-1] != n_meta or self.head_start[-1] != n_heads or self.doc_field[-1] != fields
                or self.name_of.translate(None, _RANGES[len(names)])):
            raise SegmentError(f"{path}: its parts do not add up")

    def close(self) -> None:
        for view in reversed(self._views):
            view.release()
        self._views.clear()
        if self._own:
            self.map.close()

    def items(self, needles: list[bytes], doc_ids: list[int], out: list[list],
              left: list[tuple[int, int, int]], pane_shift: int, item_mask: int, prefix: str | None = None,
              as_json: bool = False) -> None:
        """Of the items ``doc_ids`` (this file's, in the index's order), append
        each that holds every term (``needles``: the query's terms, each
        :func:`searchable`, in Latin-1) to ``out[doc id >> pane_shift]`` as
        the flat record the index's rows give (see briefing.index._Flat):
        (doc id, key, title, ISO date or None, field, snippet); or, with
        ``prefix``, as its line in `briefing search`'s plain output
        (:func:`briefing.search.hit_line`, ``prefix`` first), or its object
        in its JSON (:func:`briefing.search.json_hit`). An item
        whose text does not fold one to one is appended as None and listed
        in ``left`` as (pane, place in out[pane], doc id), for the caller to
        work out from its row. Raises SegmentError for an id it does not
        hold. (An id is pane, file and item number, see briefing.index: an
        item's place is its pane's first place plus its number.)"""
        m = self.map
        find, rfind = m.find, m.rfind
        base = self.folded_at
        field_start, doc_field, doc_start, ids, exact = self.field_start, self.doc_field, self.doc_start, self.ids, \
            self.exact
        orig_at, orig_start, enc = self.orig_at, self.orig_start, self.enc
        meta_at, meta_start, names, name_of = self.meta_at, self.meta_start, self.names, self.name_of
        heads_at, head_start = self.heads_at, self.head_start
        ellipsis = "\u2026"
        quoted_names = self.quoted_names
        width = SNIPPET_WIDTH
        third = width // 3
        needle, rest = needles[0], needles[1:]
        docs = len(ids)
        firsts = [bisect_left(ids, pane << pane_shift) for pane in range(len(out))]
        for doc_id in doc_ids:
            pane_no = doc_id >> pane_shift
            d = firsts[pane_no] + (doc_id & item_mask)
            if d >= docs or ids[d] != doc_id:
                raise SegmentError(f"item {doc_id} is not in this segment")
            ds = base + doc_start[d]
            de = base + doc_start[d + 1]
            # Every term is there (the lookup may have checked only some),
            # and the snippet is around the earliest match of any.
            p = find(needle, ds, de)
            if p < 0:
                continue
            if rest:
                for other in rest:
                    q = find(other, ds, de)
                    if q < 0:
                        p = -1
                        break
                    if q < p:
                        p = q
                if p < 0:
                    continue
            pane = out[pane_no]
            if not exact[d]:
                left.append((pane_no, len(pane), doc_id))
                pane.append(None)
                continue
            f = bisect_right(field_start, p - base, doc_field[d], doc_field[d + 1]) - 1
            fs = field_start[f]
            length = field_start[f + 1] - fs - 1
            fs += base
            at = p - fs
            # The snippet's window, as briefing.search._window cuts it.
            lo = at - third if at > third else 0
            if lo:
                space = find(b" ", fs + lo, fs + (at if at < lo + 12 else lo + 12))
                if space >= 0:
                    lo = space - fs + 1
            hi = lo + width
            if hi < length:
                space = rfind(b" ", fs + (hi - 12 if hi - 12 > lo else lo), fs + hi)
                if space - fs > at:
                    hi = space - fs
            else:
                hi = length
            o = orig_at + orig_start[f]
            if enc[f]:
                piece = m[o + 2 * lo : o + 2 * hi].decode("utf-16-le", "surrogatepass")
            else:
                piece = m[o + lo : o + hi].decode("latin-1")
            if "  " in piece:  # (every white-space character is a space here)
                piece = fold_spaces(piece)
            if prefix is None:
                key, title, date = m[meta_at + meta_start[d] : meta_at + meta_start[d + 1]] \
                    .decode("utf-8", "surrogatepass").split("\x1f")
                pane.append((doc_id, key, title, date or None, names[name_of[f]],
                             (ellipsis if lo else "") + piece + (ellipsis if hi < length else "")))
            elif as_json:  # (briefing.search.json_hit, in one step)
                h = heads_at + head_start[2 * d + 1]
                pane.append(f"{prefix}{m[h : heads_at + head_start[2 * d + 2]].decode('utf-8', 'surrogatepass')}"
                            f"{quoted_names[name_of[f]]},\n    \"snippet\": "
                            f"{quote((ellipsis if lo else '') + piece + (ellipsis if hi < length else ''))}\n  }}")
            else:  # (briefing.search.hit_line, in one step)
                h = heads_at + head_start[2 * d]
                pane.append(f"{prefix}{m[h : heads_at + head_start[2 * d + 1]].decode('utf-8', 'surrogatepass')}"
                            f"\n    {ellipsis if lo else ''}{piece}{ellipsis if hi < length else ''}")
