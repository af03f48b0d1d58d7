"""The scan store: the search index's items laid out for `briefing search`
to scan, as grep does, when a word is in most of a library.

For a rare word the full-text index (briefing.index) answers at once. A
common one in 1,000 briefings has some 30,000 hits, and reading each hit's
row back out of SQLite costs more than finding it: scanning the text costs
less. So beside the index each indexed file gets a segment file holding its
items (in the index's order, pane by pane):

- the folded text of each field, folded character by character
  (:func:`fold_exact`), so that a match's offset in it is its offset in the
  original text, with white space kept as it is (the snippet looks for
  spaces in it instead of in the original); in Latin-1, a character past
  U+00FF written as \\x01, which no term this store searches for holds; a
  NUL after each field;
- each field's original text, in Latin-1 where it fits, else UTF-16 (two
  bytes a character, so an offset is still a multiplication);
- each item's key, title and date;
- the offsets of all of these, as arrays.

An item with a field that does not fold one character to one (``ß`` to
``ss``, a combining mark, a character outside the Basic Multilingual Plane)
holds the text :func:`briefing.textfold.fold` gives instead, so a term is
found where the index finds it; its hits are worked out from its row in the
index (see :meth:`Segment.hits`).

A segment is derived from the index's rows and named by the file's id and
stamp: a file that changed gets a new one, and one that cannot be read is
made again from the index (see briefing.index). It is never trusted: its
sizes and format are checked when it is opened.
"""

from __future__ import annotations

import marshal
import mmap
import os
import re
import struct
from array import array
from bisect import bisect_right

from briefing.search import SNIPPET_WIDTH, fold_spaces
from briefing.textfold import _NON_ASCII, _fold_char, fold

FORMAT = 1
MAGIC = b"BRSCAN01"
_HEAD = struct.Struct("<8sq")  # magic, length of the marshalled header

_NOT_LATIN1 = re.compile("[^\x00-\xff]")


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


def searchable(terms: list[str]) -> bool:
    """Whether a segment can answer these folded terms: words (a phrase's
    spaces match runs of white space, which only the index knows) in
    Latin-1 without \\x01 (the mark of other characters) or NUL."""
    return bool(terms) and all(
        " " not in t and max(map(ord, t)) <= 0xFF and "\x01" not in t and "\0" not in t for t in terms)


def _utf16(text: str) -> bytes | None:
    data = text.encode("utf-16-le", "surrogatepass")
    return data if len(data) == 2 * len(text) else None


def build(items: list[tuple]) -> bytes:
    """A segment of ``items``, each (doc id, key, title, ISO date or None,
    [(field name, original text), ...]), in the index's order."""
    ids, exact, doc_start = array("q"), bytearray(), array("q")
    doc_field, field_start, orig_start = array("q"), array("q"), array("q")
    enc, name_of, meta_start = bytearray(), bytearray(), array("q")
    names: list[str] = []
    folded: list[bytes] = []
    orig: list[bytes] = []
    meta: list[bytes] = []
    at_folded = at_orig = at_meta = 0
    for doc_id, key, title, date, fields in items:
        ids.append(doc_id)
        doc_start.append(at_folded)
        doc_field.append(len(field_start))
        exacts = [fold_exact(text) for _name, text in fields]
        originals = []
        for _name, text in fields:
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
            data = _NOT_LATIN1.sub("\x01", f if ok else fold(text)).encode("latin-1") + b"\0"  # type: ignore[arg-type]
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
    doc_start.append(at_folded)
    doc_field.append(len(field_start))
    field_start.append(at_folded)
    orig_start.append(at_orig)
    meta_start.append(at_meta)
    header = marshal.dumps((FORMAT, ids.tobytes(), bytes(exact), doc_start.tobytes(), doc_field.tobytes(),
                            field_start.tobytes(),
                            orig_start.tobytes(), bytes(enc), bytes(name_of), names, meta_start.tobytes(),
                            at_folded, at_orig, at_meta))
    return b"".join([_HEAD.pack(MAGIC, len(header)), header, *folded, *orig, *meta])


def write(path: str, data: bytes) -> None:
    """Write a segment whole or not at all (another process may be writing
    the same one: the last to finish wins, with the same bytes)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def needles(terms: list[str]) -> tuple[int, bytes, list[tuple[int, bytes]]]:
    """For :meth:`Segment.hits`: the term to scan for (the longest, usually
    the rarest), its place in the query and its bytes, and the others with
    theirs (the bytes a segment holds: Latin-1)."""
    lead = max(range(len(terms)), key=lambda j: len(terms[j]))
    return lead, terms[lead].encode("latin-1"), [(j, t.encode("latin-1")) for j, t in enumerate(terms) if j != lead]


class Segment:
    """One file's segment, mapped into memory and checked."""

    def __init__(self, path: str):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise SegmentError(f"{path}: {exc.strerror}") from exc
        try:
            self.map = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
        except (OSError, ValueError) as exc:  # (an empty file cannot be mapped)
            raise SegmentError(f"{path}: cannot be mapped") from exc
        finally:
            os.close(fd)
        try:
            self._read_header(path)
        except BaseException:
            self.map.close()
            raise

    def _read_header(self, path: str) -> None:
        m = self.map
        try:
            magic, length = _HEAD.unpack_from(m, 0)
            if magic != MAGIC or not 0 < length <= len(m) - _HEAD.size:
                raise ValueError("not a segment")
            (version, ids, exact, doc_start, doc_field, field_start, orig_start, enc, name_of, names, meta_start,
             n_folded, n_orig, n_meta) = marshal.loads(m[_HEAD.size : _HEAD.size + length])
            if version != FORMAT:
                raise ValueError("another format")
            self.ids, self.exact, self.doc_start = array("q", ids), exact, array("q", doc_start)
            self.doc_field, self.field_start = array("q", doc_field), array("q", field_start)
            self.orig_start, self.enc, self.name_of = array("q", orig_start), enc, name_of
            self.names, self.meta_start = list(names), array("q", meta_start)
        except (ValueError, TypeError, EOFError, struct.error) as exc:
            raise SegmentError(f"{path}: {exc}") from exc
        docs, fields = len(self.ids), len(self.enc)
        self.folded_at = _HEAD.size + length
        self.orig_at = self.folded_at + n_folded
        self.meta_at = self.orig_at + n_orig
        if (len(m) != self.meta_at + n_meta or len(exact) != docs or len(self.doc_field) != docs + 1
                or len(self.doc_start) != docs + 1 or self.doc_start[-1] != n_folded
                or len(self.field_start) != fields + 1 or len(self.orig_start) != fields + 1
                or len(name_of) != fields or len(self.meta_start) != docs + 1
                or self.field_start[-1] != n_folded or self.orig_start[-1] != n_orig or self.meta_start[-1] != n_meta
                or self.doc_field[-1] != fields or name_of.translate(None, bytes(range(len(names))))):
            raise SegmentError(f"{path}: its parts do not add up")

    def close(self) -> None:
        self.map.close()

    def hits(self, query: tuple[int, bytes, list[tuple[int, bytes]]], out: list[list],
             left: list[tuple[int, int, int]]) -> None:
        """Append each item holding every term of ``query`` (see
        :func:`needles`; terms that are :func:`searchable`) to
        ``out[pane]``, pane by pane, as the flat record the index's rows
        give (see briefing.index._Flat): (doc id, key, title, ISO date or
        None, field, snippet). An item whose text does not fold one to one
        is appended as None and listed in ``left`` as (pane, place in
        out[pane], doc id), for the caller to work out from the index."""
        from briefing.index import _PANE_SHIFT

        m = self.map
        find, rfind = m.find, m.rfind
        base = self.folded_at
        field_start, doc_field, doc_start, ids, exact = self.field_start, self.doc_field, self.doc_start, self.ids, \
            self.exact
        orig_at, orig_start, enc = self.orig_at, self.orig_start, self.enc
        meta_at, meta_start, names, name_of = self.meta_at, self.meta_start, self.names, self.name_of
        lead, needle, others = query
        width = SNIPPET_WIDTH
        third = width // 3
        pos, end = base, base + doc_start[-1]
        while True:
            p = find(needle, pos, end)
            if p < 0:
                return
            d = bisect_right(doc_start, p - base) - 1
            ds, de = base + doc_start[d], base + doc_start[d + 1]
            pos = de
            t = lead
            for j, other in others:
                q = find(other, ds, de)
                if q < 0:
                    break
                if q < p or (q == p and j < t):
                    p, t = q, j
            else:
                doc_id = ids[d]
                pane = out[doc_id >> _PANE_SHIFT]
                if not exact[d]:
                    left.append((doc_id >> _PANE_SHIFT, len(pane), doc_id))
                    pane.append(None)
                    continue
                f = bisect_right(field_start, p - base, doc_field[d], doc_field[d + 1]) - 1
                fs = base + field_start[f]
                at = p - fs
                length = field_start[f + 1] - field_start[f] - 1
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
                if not piece.isprintable() or "  " in piece:
                    piece = fold_spaces(piece)
                key, title, date = m[meta_at + meta_start[d] : meta_at + meta_start[d + 1]] \
                    .decode("utf-8", "surrogatepass").split("\x1f")
                pane.append((doc_id, key, title, date or None, names[name_of[f]],
                             ("\u2026" if lo else "") + piece + ("\u2026" if hi < length else "")))
