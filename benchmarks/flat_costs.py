#!/usr/bin/env python3
"""What `briefing search` spends per hit on a large library, and what-ifs.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/flat_costs.py \
        [QUERY ...] [--runs 5] [--scratch /tmp/flat-costs] [--skip lookup,loose,heads]

For each QUERY (default: goita, security, mission), in this one process,
over every file of the index in your cache folder (or BRIEFING_CACHE_DIR;
search the library once first so the index is current), the CPU time of:

  sql        LibraryIndex.flat() answering from SQL (segments=False): its query
             alone (every row fetched), the Python that cuts the snippets
             (the same rows, replayed), and the plain-text lines made of
             them (briefing.index._line);
  segments   flat() from the segments: the items the lookup finds, cut from
             the files' segments (see briefing.scanstore), and how many it
             left to their rows; then as `briefing search` runs it, each hit
             made into its plain-text line in the segment. Checks the
             records and the lines are the same;
  lookup     the trigram lookup alone, and the rows of sources and of other
             items read for it (id, then the columns flat() reads);
  loose      what-if: the lookup as an AND of the terms' trigrams (no
             position lists), each hit then checked with instr(), as
             flat() computes anyway. Checks the records are the same;
  heads      what-if: a table of every item with sources cut to their first
             H characters (1024, 2048, 4096), built in a copy of the index
             under --scratch; prints its SQL time, and the time to read
             again from the full row the source hits not in their head.

All figures are CPU milliseconds, best of --runs, one process; `briefing
search` splits the files between two processes. Nothing in the package is
changed: the what-ifs patch this process only. Prints figures; asserts
nothing (a variant whose records differ says so).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import index as ix  # noqa: E402
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
    ms_flat, records = best(lambda: index.flat(query, segments=False), runs)
    captured: dict = {}

    def capture(sql, args):
        captured["rows"] = real.execute(sql, args).fetchall()
        captured["sql"] = (sql, args)
        return captured["rows"]

    index.db = Replay(real, capture)
    try:
        index.flat(query, segments=False)
        sql, args = captured["sql"]
        ms_sql, _ = best(lambda: real.execute(sql, args).fetchall(), runs)
        index.db = Replay(real, lambda s, a: captured["rows"])
        ms_py, replayed = best(lambda: index.flat(query, segments=False), runs)
    finally:
        index.db = real
    assert replayed == records
    index.sql = (sql, args)  # for heads()
    prefixes = _prefixes(index)
    ms_fmt, _ = best(lambda: [ix._line(prefixes, r) for r in records], runs)
    n = len(records) or 1
    src = sum(1 for r in records if r[0] >= SOURCES)
    print(f"  sql       flat {ms_flat:6.1f}  = SQL {ms_sql:6.1f} + Python {ms_py:6.1f};  format {ms_fmt:5.1f}"
          f"   per hit: SQL {ms_sql / n * 1000:4.1f} us, Python {ms_py / n * 1000:4.1f} us,"
          f" format {ms_fmt / n * 1000:4.1f} us  ({len(records)} hits, {src} in sources)")
    return records


def _prefixes(index: LibraryIndex) -> dict[int, str]:
    """What starts each file's hits' lines, as `briefing search` of a library has it."""
    return {fid: f"  {path}: " for fid, path in index.file_paths().items()}


def segments(index: LibraryIndex, query: str, runs: int, records: list) -> None:
    from briefing.scanstore import searchable

    if not searchable(parse_query(query)):
        print("  segments  (a phrase, or a character past U+00FF: SQL answers)")
        return
    left = []
    prefetch = ix._Rows.prefetch
    ix._Rows.prefetch = lambda self, ids: (left.append(len(ids)), prefetch(self, ids))[1]
    try:
        ms, got = best(lambda: index.flat(query), runs)
    finally:
        ix._Rows.prefetch = prefetch
    prefixes = _prefixes(index)
    ms_lines, lines = best(lambda: index.flat(query, prefixes=prefixes), runs)
    same = [line for pane in lines for line in pane] == [ix._line(prefixes, r) for r in records]
    n = len(got) or 1
    print(f"  segments  flat {ms:6.1f}   per hit {ms / n * 1000:4.1f} us;  {left[-1] if left else 0} items left to "
          f"their rows;  records {'the same' if got == records else 'DIFFER'};  as lines {ms_lines:6.1f}"
          f" ({'the same' if same else 'DIFFER'})")


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("queries", nargs="*", default=["goita", "security", "mission"])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/flat-costs"))
    ap.add_argument("--skip", default="", help="comma-separated: lookup,loose,heads")
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
        segments(index, query, args.runs, records)
        if "lookup" not in skip:
            lookup(index.db, query, args.runs)
        if "loose" not in skip:
            loose(index, query, args.runs, records)
        if "heads" not in skip:
            heads(index, args.runs, args.scratch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
