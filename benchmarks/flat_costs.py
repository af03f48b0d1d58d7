#!/usr/bin/env python3
"""What `briefing search` spends per hit on a large library, and what-ifs.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/flat_costs.py \
        [QUERY ...] [--runs 5] [--scratch /tmp/flat-costs] [--skip heads,scan]

For each QUERY (default: goita, security, mission), in this one process,
over every file of the index in your cache folder (or BRIEFING_CACHE_DIR;
search the library once first so the index is current), the CPU time of:

  as is      LibraryIndex.flat(): its SQL alone (every row fetched), the
             Python that cuts the snippets (the same rows, replayed), and
             the plain-text formatting (briefing.cli._flat_chunks);
  lookup     the trigram lookup alone, and the rows of sources and of other
             items read for it (id, then the columns flat() reads);
  loose      what-if: the lookup as an AND of the terms' trigrams (no
             position lists), each hit then checked with instr(), as
             flat() computes anyway. Checks the records are the same;
  heads      what-if: a table of every item with sources cut to their first
             H characters (1024, 2048, 4096), built in a copy of the index
             under --scratch; prints its SQL time and how many source hits
             would have to be read again from the full row;
  scan       what-if: no SQL at all. Every item's folded text in one file,
             the original fields and small columns in two others (UTF-16, so
             a character's offset is twice its byte offset), mmap'd; the
             first match in each item found with mmap.find, items found by
             bisecting an offsets array; the rows flat() would have read are
             replayed into it. Checks the records are the same.

All figures are CPU milliseconds, best of --runs, one process; `briefing
search` splits the files between two processes. Nothing in the package is
changed: the what-ifs patch this process only. Prints figures; asserts
nothing (a what-if whose records differ says so).
"""

from __future__ import annotations

import argparse
import array
import bisect
import mmap
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import index as ix  # noqa: E402
from briefing.cli import _flat_chunks  # noqa: E402
from briefing.index import LibraryIndex, index_file  # noqa: E402
from briefing.search import parse_query  # noqa: E402

SOURCES = ix._Flat._LONG  # the first rowid of the sources pane


def best(fn, runs: int) -> tuple[float, object]:
    low, out = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        out = fn()
        low = min(low, time.process_time() - start)
    return low * 1000, out


class Replay:
    """A connection whose flat() query answers from rows given (or made by
    ``make``), every other query from the real connection."""

    def __init__(self, db: sqlite3.Connection, make):
        self.db = db
        self.make = make
        self.sql: tuple[str, list] | None = None

    def execute(self, sql: str, args=()):
        if "instr(blob" in sql and "fields" in sql:
            self.sql = (sql, list(args))
            rows = self.make(sql, list(args))
            return Rows(rows)
        return self.db.execute(sql, args)

    def __getattr__(self, name):
        return getattr(self.db, name)


class Rows:
    def __init__(self, rows: list):
        self.rows, self.at = rows, 0

    def fetchmany(self, n: int) -> list:
        part = self.rows[self.at : self.at + n]
        self.at += n
        return part


def as_is(index: LibraryIndex, query: str, runs: int) -> list:
    real = index.db
    ms_flat, records = best(lambda: index.flat(query), runs)
    captured: dict = {}

    def capture(sql, args):
        captured["rows"] = real.execute(sql, args).fetchall()
        captured["sql"] = (sql, args)
        return captured["rows"]

    index.db = Replay(real, capture)
    try:
        index.flat(query)
        sql, args = captured["sql"]
        ms_sql, _ = best(lambda: real.execute(sql, args).fetchall(), runs)
        index.db = Replay(real, lambda s, a: captured["rows"])
        ms_py, replayed = best(lambda: index.flat(query), runs)
    finally:
        index.db = real
    assert replayed == records
    index.sql = (sql, args)  # for heads()
    paths = index.file_paths()
    ms_fmt, _ = best(lambda: _flat_chunks(records, paths, True, False), runs)
    n = len(records) or 1
    src = sum(1 for r in records if r[0] >= SOURCES)
    print(f"  as is     flat {ms_flat:6.1f}  = SQL {ms_sql:6.1f} + Python {ms_py:6.1f};  format {ms_fmt:5.1f}"
          f"   per hit: SQL {ms_sql / n * 1000:4.1f} us, Python {ms_py / n * 1000:4.1f} us,"
          f" format {ms_fmt / n * 1000:4.1f} us  ({len(records)} hits, {src} in sources)")
    return records


def lookup(db: sqlite3.Connection, query: str, runs: int) -> None:
    terms = parse_query(query)
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms if len(t) >= 3)
    fts = "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?"
    cols = "id, key, title, date, aligned, layout"
    figures = []
    for name, sql in [
        ("lookup", fts),
        ("+ rows, sources", f"SELECT {cols} FROM docs WHERE id IN ({fts} AND rowid >= {SOURCES})"),
        ("+ rows, others", f"SELECT {cols} FROM docs WHERE id IN ({fts} AND rowid < {SOURCES})"),
    ]:
        ms, rows = best(lambda: db.execute(sql, [match]).fetchall(), runs)
        figures.append(f"{name} {ms:6.1f} ({len(rows)})")
    print("  lookup    " + ";  ".join(figures))


def loose(index: LibraryIndex, query: str, runs: int, records: list) -> None:
    terms = parse_query(query)
    if any(" " in t or '"' in t for t in terms) or not any(len(t) >= 3 for t in terms):
        print("  loose     (phrases and short terms only: skipped)")
        return
    exact_match = LibraryIndex._match_sql

    def loose_match(self, terms):
        sql, args, indexed = exact_match(self, terms)
        grams: list[str] = []
        for t in terms:
            for i in range(len(t) - 2):
                if len(t) >= 3 and t[i : i + 3] not in grams:
                    grams.append(t[i : i + 3])
        args[0] = " AND ".join(f'"{g}"' for g in grams)
        return sql, args, indexed

    real = index.db
    checked = " AND ".join(f"p{j} > 0" for j in range(len(terms)))
    index.db = Replay(real, lambda sql, args: real.execute(
        sql.replace(" LIMIT -1 OFFSET 0)", f" LIMIT -1 OFFSET 0) WHERE {checked}"), args).fetchall())
    LibraryIndex._match_sql = loose_match
    try:
        ms, got = best(lambda: index.flat(query), runs)
    finally:
        LibraryIndex._match_sql = exact_match
        index.db = real
    print(f"  loose     flat {ms:6.1f}  records {'the same' if got == records else 'DIFFER'}")


def heads(index: LibraryIndex, runs: int, scratch: Path) -> None:
    copy = scratch / "heads.sqlite"
    if not copy.exists():
        scratch.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(index_file(), copy)
    db = sqlite3.connect(copy)
    db.execute("PRAGMA journal_mode=OFF")
    ahead = ix._Flat.AHEAD
    sql, args = index.sql  # flat()'s own query (see as_is), over docs or over heads
    terms = args[: sql.count("instr(blob, ?)")]

    def flat_sql(table: str, blob: str, fields: str) -> str:
        return (sql.replace("instr(blob,", f"instr({blob},").replace("fields", fields)
                .replace("FROM docs WHERE", f"FROM {table} WHERE"))

    ms_full, _rows = best(lambda: db.execute(flat_sql("docs", "blob", "fields"), args).fetchall(), runs)
    line = [f"full rows {ms_full:6.1f}"]
    db.execute("CREATE TEMP TABLE again(id INTEGER PRIMARY KEY)")
    match_at = sql.index("WHERE id IN (") + len("WHERE id IN (")
    again_sql = sql[:match_at] + "SELECT id FROM temp.again" + sql[sql.index(") LIMIT -1 OFFSET 0)"):]
    for h in (1024, 2048, 4096):
        db.execute("DROP TABLE IF EXISTS heads")
        db.execute("CREATE TABLE heads(id INTEGER PRIMARY KEY, key, title, date, aligned, layout, "
                   "last_start, last_at, last_len, hblob, hfields)")
        db.execute(f"INSERT INTO heads SELECT id, key, title, date, aligned, layout, last_start, last_at, last_len, "
                   f"CASE WHEN id >= {SOURCES} AND last_at IS NOT NULL THEN substr(blob, 1, {h}) ELSE blob END, "
                   f"CASE WHEN id >= {SOURCES} AND last_at IS NOT NULL THEN substr(fields, 1, last_at + {h + ahead + 32}) "
                   f"ELSE fields END FROM docs ORDER BY id")
        db.commit()
        ms, got = best(lambda: db.execute(flat_sql("heads", "hblob", "hfields"), args).fetchall(), runs)
        # A source hit is answered from its head when every term is in it
        # (instr found it whole there); else it is read again from its row.
        # (One term: its 0-based offset, -1 if not found; several: each
        # one's 1-based offset, 0 if not found.)
        missing = (lambda r: r[7] < 0) if len(terms) == 1 else (lambda r: min(r[7:]) == 0)
        again = [(r[0],) for r in got if r[0] >= SOURCES and missing(r)]
        db.execute("DELETE FROM temp.again")
        db.executemany("INSERT INTO temp.again VALUES (?)", again)
        ms_again, _ = best(lambda: db.execute(again_sql, terms).fetchall(), runs)
        line.append(f"H={h}: {ms:6.1f} + {len(again)} read again {ms_again:5.1f} = {ms + ms_again:6.1f}")
    db.close()
    print("  heads     " + ";  ".join(line))


def build_corpus(db: sqlite3.Connection, scratch: Path) -> None:
    """Every item's folded text (UTF-8, NUL after each), its packed fields
    and its small columns (UTF-16-LE), and their offsets."""
    scratch.mkdir(parents=True, exist_ok=True)
    ids, starts = array.array("q"), {n: array.array("q") for n in ("folded", "orig", "meta")}
    at = {n: 0 for n in starts}
    with open(scratch / "folded", "wb") as f_out, open(scratch / "orig", "wb") as o_out, \
            open(scratch / "meta", "wb") as m_out:
        for row in db.execute("SELECT id, key, title, date, aligned, layout, last_start, last_at, last_len, "
                              "blob, fields FROM docs ORDER BY id"):
            i, *small, blob, fields = row
            parts = {"folded": blob.encode() + b"\0", "orig": fields.encode("utf-16-le"),
                     "meta": "\x1f".join("" if v is None else str(v) for v in small).encode("utf-16-le")}
            ids.append(i)
            for n, out in (("folded", f_out), ("orig", o_out), ("meta", m_out)):
                starts[n].append(at[n])
                out.write(parts[n])
                at[n] += len(parts[n])
    for n in starts:
        starts[n].append(at[n])
        (scratch / f"{n}.starts").write_bytes(starts[n].tobytes())
    (scratch / "ids").write_bytes(ids.tobytes())


def scan(index: LibraryIndex, query: str, runs: int, records: list, scratch: Path) -> None:
    terms = parse_query(query)
    if len(terms) != 1 or " " in terms[0] or not terms[0].isascii():
        print("  scan      (one ASCII word only: skipped)")
        return
    corpus = scratch / "corpus"
    if not (corpus / "ids").exists():
        start = time.perf_counter()
        build_corpus(index.db, corpus)
        print(f"  (scan corpus built in {time.perf_counter() - start:.1f} s under {corpus})")
    ids = array.array("q", (corpus / "ids").read_bytes())
    starts = {n: array.array("q", (corpus / f"{n}.starts").read_bytes()) for n in ("folded", "orig", "meta")}
    maps = {}
    for n in ("folded", "orig", "meta"):
        with open(corpus / n, "rb") as f:
            maps[n] = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    folded, orig, meta = maps["folded"], maps["orig"], maps["meta"]
    fst, ost, mst = starts["folded"], starts["orig"], starts["meta"]
    back, ahead = ix._Flat.BACK, ix._Flat.AHEAD
    needle = terms[0].encode()

    def rows(_sql, _args) -> list:
        out = []
        pos, end = 0, fst[-1]
        while True:
            p = folded.find(needle, pos, end)
            if p < 0:
                return out
            d = bisect.bisect_right(fst, p) - 1
            first = p - fst[d]  # folded texts here are ASCII: bytes are characters
            key, title, date, aligned, layout, last_start, last_at, last_len = \
                meta[mst[d] : mst[d + 1]].decode("utf-16-le").split("\x1f")
            doc_id, o = ids[d], ost[d]
            if doc_id < SOURCES:
                cut = orig[o : ost[d + 1]].decode("utf-16-le")
            elif last_start and first >= int(last_start):
                at = first - int(last_start)
                base = max(0, at - back)
                s = int(last_at) + base
                n = min(int(last_len), at + ahead) - base
                cut = orig[o + 2 * s : o + 2 * (s + n)].decode("utf-16-le")
            else:
                cut = None
            out.append((doc_id, key, title, date or None, int(aligned), layout, cut, first, 0))
            pos = fst[d + 1]

    ms_rows, _ = best(lambda: rows(None, None), runs)
    real = index.db
    index.db = Replay(real, rows)
    try:
        ms, got = best(lambda: index.flat(query), runs)
    finally:
        index.db = real
    print(f"  scan      flat {ms:6.1f}  (finding and reading the rows {ms_rows:6.1f})"
          f"  records {'the same' if got == records else 'DIFFER'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("queries", nargs="*", default=["goita", "security", "mission"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/flat-costs"))
    ap.add_argument("--skip", default="", help="comma-separated: lookup,loose,heads,scan")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if not os.path.exists(index_file()):
        print(f"no index at {index_file()}: run `briefing search WORD LIBRARY` once first")
        return 2
    index = LibraryIndex(short_lived=True, create=False)
    print(f"index {index_file()}; CPU ms, best of {args.runs}, one process, every file")
    for query in args.queries:
        print(f"{query}:")
        records = as_is(index, query, args.runs)
        if "lookup" not in skip:
            lookup(index.db, query, args.runs)
        if "loose" not in skip:
            loose(index, query, args.runs, records)
        if "heads" not in skip:
            heads(index, args.runs, args.scratch)
        if "scan" not in skip:
            scan(index, query, args.runs, records, args.scratch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
