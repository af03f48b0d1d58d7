#!/usr/bin/env python3
"""Measured what-ifs behind the proposals in benchmarks/README.md.

    .venv/bin/python benchmarks/experiments.py [--library /tmp/bench-lib]
        [--files 100] [--runs 5] [--only load,fold,keystroke,gcload,index,jump]

Nothing here changes the package: variants are monkeypatched into this
process only, and prototypes are written under /tmp/bench-index.

load   loader.check() on the first --files briefings, as is and with
       (b) msgspec.structs.fields() memoised per struct, (c) also without
       the tomlpos.scan() pass (positions computed only when a problem is
       reported), (d) the floor: read + tomli.loads alone. Checks that (b)
       and (c) load identical briefings.
fold   Searcher() build with textfold.fold as is and with a whole-string
       fold (NFD + translate + casefold + translate); checks equal output.
keystroke  On the whole library (loaded through briefing.cache): the first
       keystrokes' search() split into scan / Hit objects / sort, with the
       cyclic GC on, off, and with gc.freeze() after loading.
jump   Per keystroke on the library with the folded text in one bytes
       object searched with bytes.find (Python runs per matching item only)
       and a per-character table for one-letter terms (uses index's files).
gcload The library through briefing.cache (warm) + Searcher(), fresh
       process, with the GC as is and paused while loading.
index  Whole-library search without parsing anything at query time:
       (a) every item's folded text in one marshal file, scanned with `in`;
       (b) the same text as one NUL-separated UTF-8 file, mmap'd and searched
       with mmap.find, items found by bisecting an offsets array; (c) SQLite
       FTS5 trigram index (detail=full) of the same text. Each query runs in a
       fresh process (python startup included, no output printing) and is
       compared with `rg -i` on the same library.
"""

from __future__ import annotations

import argparse
import functools
import marshal
from array import array
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")
INDEX = Path("/tmp/bench-index")
QUERIES = ["goita", "transhumance", "security council", "wagner 2023", "mission"]


def best_of(fn, runs: int = 2) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


# --------------------------------------------------------------------------
def exp_load(files: list[Path]) -> None:
    import msgspec
    import tomli

    import briefing.loader as loader
    from briefing.tomlpos import Positions

    n = len(files)
    print(f"\n== load: loader.check() of {n} briefings (best of 2 passes) ==")
    base = [loader.check(f)[0] for f in files]
    t_a = best_of(lambda: [loader.check(f) for f in files])

    real_fields = msgspec.structs.fields
    cached_fields = functools.cache(real_fields)
    real_scan = loader.scan
    try:
        msgspec.structs.fields = cached_fields
        t_b = best_of(lambda: [loader.check(f) for f in files])
        same_b = [loader.check(f)[0] for f in files]
        loader.scan = lambda text: Positions()
        t_c = best_of(lambda: [loader.check(f) for f in files])
        same_c = [loader.check(f)[0] for f in files]
    finally:
        msgspec.structs.fields = real_fields
        loader.scan = real_scan

    def equal(xs, ys) -> bool:
        return all((a.meta, a.bluf, a.actors, a.timeline, a.sources) == (b.meta, b.bluf, b.actors, b.timeline, b.sources)
                   for a, b in zip(xs, ys))

    t_d = best_of(lambda: [tomli.loads(f.read_bytes().decode()) for f in files])
    t_scan = best_of(lambda: [real_scan(f.read_text()) for f in files])
    print(f"   (a) check() as is                               {t_a / n * 1e3:7.1f} ms/file  -> 1000 files {t_a / n * 1000:6.1f} s")
    print(f"   (b) + msgspec.structs.fields memoised            {t_b / n * 1e3:7.1f} ms/file  -> 1000 files {t_b / n * 1000:6.1f} s"
          f"   same briefings: {equal(base, same_b)}")
    print(f"   (c) + no tomlpos.scan() on the success path      {t_c / n * 1e3:7.1f} ms/file  -> 1000 files {t_c / n * 1000:6.1f} s"
          f"   same briefings: {equal(base, same_c)}")
    print(f"   (d) floor: read + tomli.loads only               {t_d / n * 1e3:7.1f} ms/file  -> 1000 files {t_d / n * 1000:6.1f} s")
    print(f"   tomlpos.scan() alone                             {t_scan / n * 1e3:7.1f} ms/file")


# --------------------------------------------------------------------------
_DROP_COMBINING = {c: None for c in range(0x300, 0x110000) if unicodedata.combining(chr(c))}
_EXTRA_T = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe", "ß": "ss"})


def fast_fold(text: str) -> str:
    """Candidate replacement for textfold.fold: whole-string operations
    (NFD, drop combining marks with one translate, casefold, extras)."""
    if text.isascii():
        return " ".join(text.lower().split())
    s = unicodedata.normalize("NFD", text).translate(_DROP_COMBINING).casefold().translate(_EXTRA_T)
    return " ".join(s.split())


def exp_fold(files: list[Path]) -> None:
    import briefing.search as search
    from briefing.loader import check
    from briefing.textfold import fold

    briefings = [b for b in (check(f)[0] for f in files) if b is not None]
    texts = [t for b in briefings for d in search.documents(b) for _, t in d.fields]
    sample = texts + ["".join(chr(c) for c in range(lo, lo + 256)) for lo in range(0, 0x3000, 256)]
    mismatches = [t for t in sample if fold(t) != fast_fold(t)]
    n_chars = sum(map(len, texts))
    non_ascii = sum(len(t) for t in texts if not t.isascii())
    print(f"\n== fold: Searcher() of {len(briefings)} briefings, {n_chars / 1e6:.1f} M chars "
          f"({non_ascii / n_chars:.0%} in fields with a non-ASCII char) ==")
    t_fold = best_of(lambda: [fold(t) for t in texts])
    t_fast = best_of(lambda: [fast_fold(t) for t in texts])
    t_build = best_of(lambda: search.Searcher(briefings))
    real = search.fold
    try:
        search.fold = fast_fold
        t_build_fast = best_of(lambda: search.Searcher(briefings))
    finally:
        search.fold = real
    per = 1000 / len(briefings)
    print(f"   fold() every field as is          {t_fold * 1e3:8.1f} ms   -> 1000 briefings {t_fold * per:5.1f} s")
    print(f"   whole-string fold candidate       {t_fast * 1e3:8.1f} ms   -> 1000 briefings {t_fast * per:5.1f} s"
          f"   (differs on {len(mismatches)} of {len(sample)} texts incl. all chars < U+3000)")
    print(f"   Searcher() as is                  {t_build * 1e3:8.1f} ms   -> 1000 briefings {t_build * per:5.1f} s")
    print(f"   Searcher() with the candidate     {t_build_fast * 1e3:8.1f} ms   -> 1000 briefings {t_build_fast * per:5.1f} s")
    for t in mismatches[:3]:
        diff = next((i for i, (a, b) in enumerate(zip(fold(t), fast_fold(t))) if a != b), None)
        print(f"   mismatch example at {diff}: {fold(t)[max(0, (diff or 0) - 5):(diff or 0) + 5]!r} vs "
              f"{fast_fold(t)[max(0, (diff or 0) - 5):(diff or 0) + 5]!r}")


# --------------------------------------------------------------------------
def exp_keystroke(library: Path) -> None:
    """Where a first keystroke's time goes on the whole library, and what the
    cyclic garbage collector costs there."""
    import gc

    from briefing.cache import load
    from briefing.library import discover
    from briefing.search import Searcher

    os.environ.setdefault("BRIEFING_CACHE_DIR", "/tmp/bench-cache")
    files = discover(library)
    t = time.perf_counter()
    briefings = [b for b in (load(f)[0] for f in files) if b is not None]
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    searcher = Searcher(briefings)
    t_build = time.perf_counter() - t
    print(f"\n== keystroke: first keystrokes on {len(files)} briefings, {len(searcher.docs)} items "
          f"(loaded through briefing.cache in {t_load:.1f} s, Searcher {t_build:.1f} s) ==")
    print(f"   gc counts {gc.get_count()}, objects tracked by gc: {len(gc.get_objects()) / 1e6:.1f} M")

    pauses: list[float] = []
    started: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.append(time.perf_counter() - started.pop())

    gc.callbacks.append(on_gc)

    def typing(reps: int) -> tuple[list[float], float, int]:
        """Type every first letter / short prefix as a new query; return the
        keystroke times, the total full-collection pause and their count."""
        del pauses[:]
        times = []
        for _ in range(reps):
            for q in ("g", "go", "goi", "m", "me", "men", "s", "se", "t", "tr", "w", "wa", "mission"):
                t0 = time.perf_counter()
                hits = searcher.search(q)
                times.append(time.perf_counter() - t0)
                del hits
        return times, sum(pauses), len(pauses)

    def show(label: str, times: list[float], pause: float, n: int) -> None:
        xs = sorted(times)
        p95 = xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]
        print(f"   {label:<34} p50 {statistics.median(xs) * 1e3:6.0f} ms  p95 {p95 * 1e3:6.0f} ms  "
              f"max {xs[-1] * 1e3:6.0f} ms   full GCs {n:3d}, {pause * 1e3:7.0f} ms in them")

    def parts(q: str) -> str:
        from briefing.search import PANES, Hit, parse_query

        terms = parse_query(q)
        t0 = time.perf_counter()
        matched = [i for i, (_b, d) in enumerate(searcher.docs) if d.matches(terms)]
        t1 = time.perf_counter()
        hits = [Hit(searcher.docs[i][0], searcher.docs[i][1], terms) for i in matched]
        t2 = time.perf_counter()
        order = {p: n for n, p in enumerate(PANES)}
        hits.sort(key=lambda h: order[h.doc.pane])
        t3 = time.perf_counter()
        return (f"{q!r}: {len(matched)} items: scan {(t1 - t0) * 1e3:.0f} ms, Hit objects {(t2 - t1) * 1e3:.0f} ms, "
                f"sort {(t3 - t2) * 1e3:.0f} ms")

    reps = 4
    print(f"   typing 13 prefixes x {reps} (each a fresh query, 30k-120k hits):")
    show("gc as is", *typing(reps))
    gc.freeze()
    show("gc.freeze() after loading", *typing(reps))
    for q in ("g", "go", "mission"):
        print(f"     with gc frozen, {parts(q)}")
    gc.unfreeze()
    gc.disable()
    show("gc disabled (lower bound)", *typing(reps))
    gc.enable()
    gc.callbacks.remove(on_gc)


_SCAN = r"""
import marshal, sys, time
from bisect import bisect_right
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    blobs = marshal.load(f)
terms = sys.argv[2:]
hits = [i for i, b in enumerate(blobs) if all(t_ in b for t_ in terms)]
print(len(hits))
"""

def exp_jump(library: Path) -> None:
    """Per-keystroke latency of a different in-memory layout, on the same
    folded text as the Searcher: every item's folded text in one bytes
    object (NUL-separated), searched with bytes.find so Python code runs once
    per *matching* item rather than once per item; one-character terms
    answered from a per-character table of item numbers built once. Returns
    item numbers (Hits would be made lazily, for what is shown)."""
    import gc
    from bisect import bisect_right

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_search import QUERIES as TYPED

    from briefing.search import parse_query

    blobs_path = INDEX / "blobs.marshal"
    if not blobs_path.exists():
        print("\n== jump: run the index experiment first (it writes /tmp/bench-index/blobs.marshal) ==")
        return
    with open(blobs_path, "rb") as f:
        blobs = marshal.load(f)
    t = time.perf_counter()
    parts = [b.encode("utf-8") for b in blobs]
    offsets = array("q", [0])
    for p in parts:
        offsets.append(offsets[-1] + len(p) + 1)
    corpus = b"\0".join(parts) + b"\0"
    del parts
    by_char: dict[int, array] = {}
    for i, b in enumerate(blobs):
        for ch in set(b.encode("utf-8")):
            by_char.setdefault(ch, array("i")).append(i)
    t_build = time.perf_counter() - t
    n_docs = len(blobs)
    del blobs
    gc.freeze()

    def search(terms: list[str]) -> list[int]:
        enc = sorted((x.encode("utf-8") for x in terms), key=len, reverse=True)
        first, rest = enc[0], enc[1:]
        if len(first) == 1:
            ids = by_char.get(first[0], array("i"))
            if not rest:
                return list(ids)
            return [i for i in ids if all(corpus.find(r, offsets[i], offsets[i + 1]) >= 0 for r in rest)]
        out, pos, find = [], 0, corpus.find
        while True:
            pos = find(first, pos)
            if pos < 0:
                return out
            i = bisect_right(offsets, pos) - 1
            hi = offsets[i + 1]
            if not rest or all(find(r, offsets[i], hi) >= 0 for r in rest):
                out.append(i)
            pos = hi

    times = []
    for q in TYPED:
        for k in range(1, len(q) + 1):
            terms = parse_query(q[:k])
            t0 = time.perf_counter()
            n = len(search(terms)) if terms else 0
            times.append((time.perf_counter() - t0, q[:k], n))
    ms = sorted(x[0] * 1e3 for x in times)
    p95 = ms[round(0.95 * (len(ms) - 1))]
    slow = max(times)
    print(f"\n== jump: one bytes corpus + find, {n_docs} items, built in {t_build:.1f} s (gc frozen) ==")
    print(f"   typing {TYPED}: {len(ms)} keystrokes, p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, "
          f"max {ms[-1]:.1f} ms (slowest {slow[1]!r}, {slow[2]} items)")
    long3 = sorted(x[0] * 1e3 for x in times if len(x[1].strip('"')) >= 3)
    print(f"   keystrokes whose query has >= 3 characters ({len(long3)}): p50 {statistics.median(long3):.1f} ms, "
          f"p95 {long3[round(0.95 * (len(long3) - 1))]:.1f} ms")

    # The same keystrokes against the FTS5 trigram index, in process: item
    # numbers for every match (terms under 3 characters cannot use it).
    db_path = INDEX / "fts-full.sqlite"
    if db_path.exists():
        db = sqlite3.connect(db_path)
        db.execute("SELECT count(*) FROM docs WHERE docs MATCH 'warm'").fetchone()
        fts = []
        for q in TYPED:
            for k in range(1, len(q) + 1):
                terms = parse_query(q[:k])
                if not terms or any(len(x) < 3 for x in terms):
                    continue
                match = " AND ".join('"' + x.replace('"', '""') + '"' for x in terms)
                t0 = time.perf_counter()
                n = len(db.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (match,)).fetchall())
                fts.append(((time.perf_counter() - t0) * 1e3, q[:k], n))
        xs = sorted(x[0] for x in fts)
        worst = max(fts)
        print(f"   FTS5 trigram in process, the {len(xs)} keystrokes with every term >= 3 characters: "
              f"p50 {statistics.median(xs):.1f} ms, p95 {xs[round(0.95 * (len(xs) - 1))]:.1f} ms, "
              f"max {xs[-1]:.1f} ms (slowest {worst[1]!r}, {worst[2]} items)")


def exp_gcload(library: Path) -> None:
    """Loading the library through briefing.cache and building the Searcher,
    with the cyclic GC as is and paused for the duration (each in a fresh
    process, so both start alike)."""
    code = r"""
import gc, os, sys, time
from pathlib import Path
from briefing.cache import load
from briefing.library import discover
from briefing.search import Searcher
if sys.argv[2] == "off":
    gc.disable()
files = discover(Path(sys.argv[1]))
t = time.perf_counter()
bs = [b for b in (load(f)[0] for f in files) if b is not None]
t1 = time.perf_counter()
s = Searcher(bs)
t2 = time.perf_counter()
gc.enable()
gc.freeze()
print(f"{t1 - t:.2f} {t2 - t1:.2f}")
"""
    env = {**os.environ, "BRIEFING_CACHE_DIR": os.environ.get("BRIEFING_CACHE_DIR", "/tmp/bench-cache")}
    print(f"\n== gcload: {library} through briefing.cache (warm) + Searcher(), fresh process, best of 2 ==")
    for mode in ("on", "off"):
        runs = [subprocess.run([PY, "-c", code, str(library), mode], capture_output=True, text=True, env=env,
                               cwd=ROOT).stdout.split() for _ in range(2)]
        load_s, build_s = min(float(r[0]) for r in runs), min(float(r[1]) for r in runs)
        print(f"   gc {'as is' if mode == 'on' else 'paused while loading':<22} cache.load {load_s:5.2f} s   Searcher() {build_s:5.2f} s")


_MMAP = r"""
import mmap, sys
from array import array
from bisect import bisect_right
with open(sys.argv[1], "rb") as f:
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
offsets = array("q")
with open(sys.argv[2], "rb") as f:
    offsets.frombytes(f.read())
terms = sorted((t.encode() for t in sys.argv[3:]), key=len, reverse=True)
first, rest = terms[0], terms[1:]
hits, pos, end = [], 0, len(mm)
while True:
    pos = mm.find(first, pos)
    if pos < 0:
        break
    i = bisect_right(offsets, pos) - 1
    lo, hi = offsets[i], offsets[i + 1]
    if all(mm.find(t, lo, hi) >= 0 for t in rest):
        hits.append(i)
    pos = hi
print(len(hits))
"""

_FTS = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
terms = sys.argv[2:]
q = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
print(db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (q,)).fetchone()[0])
"""


def wall(cmd: list[str], runs: int) -> tuple[float, str]:
    out = ""
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        if i:
            times.append(time.perf_counter() - t)
    return statistics.median(times), out


def exp_index(library: Path, runs: int) -> None:
    from briefing.library import discover
    from briefing.loader import check
    from briefing.search import Searcher, parse_query

    files = discover(library)
    print(f"\n== index: whole-library search prototypes over {len(files)} briefings ==")
    INDEX.mkdir(parents=True, exist_ok=True)
    blobs_path, db_path = INDEX / "blobs.marshal", INDEX / "fts-full.sqlite"
    corpus_path, offsets_path = INDEX / "corpus.bin", INDEX / "offsets.bin"
    if not blobs_path.exists():
        t = time.perf_counter()
        searcher = Searcher([b for b in (check(f)[0] for f in files) if b is not None])
        blobs = [d.blob for _b, d in searcher.docs]
        del searcher
        print(f"   load + Searcher from scratch {time.perf_counter() - t:.1f} s")
        with open(blobs_path, "wb") as f:
            marshal.dump(blobs, f)
    else:
        with open(blobs_path, "rb") as f:
            blobs = marshal.load(f)
    if not corpus_path.exists():
        t = time.perf_counter()
        offsets = array("q")
        with open(corpus_path, "wb") as f:
            at = 0
            for b in blobs:
                data = b.encode("utf-8") + b"\0"  # NUL: no folded term contains it
                offsets.append(at)
                f.write(data)
                at += len(data)
            offsets.append(at)
        with open(offsets_path, "wb") as f:
            offsets.tofile(f)
        print(f"   folded corpus file written in {time.perf_counter() - t:.2f} s")
    if not db_path.exists():
        t = time.perf_counter()
        db = sqlite3.connect(db_path)
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(blob, tokenize='trigram')")
        db.executemany("INSERT INTO docs(rowid, blob) VALUES (?, ?)", enumerate(blobs))
        db.commit()
        db.execute("INSERT INTO docs(docs) VALUES('optimize')")
        db.commit()
        db.close()
        print(f"   FTS5 trigram index built in {time.perf_counter() - t:.1f} s")
    del blobs
    print(f"   sizes: folded blobs {blobs_path.stat().st_size / 1e6:.0f} MB (marshal), "
          f"{corpus_path.stat().st_size / 1e6:.0f} MB (corpus.bin); FTS5 trigram db "
          f"{db_path.stat().st_size / 1e6:.0f} MB; library {sum(f.stat().st_size for f in library.rglob('*') if f.is_file()) / 1e6:.0f} MB")
    scan_py = INDEX / "scan.py"
    scan_py.write_text(_SCAN)
    fts_py = INDEX / "fts.py"
    fts_py.write_text(_FTS)
    mmap_py = INDEX / "mmap_scan.py"
    mmap_py.write_text(_MMAP)
    rg = shutil.which("rg")
    t_floor, _ = wall([PY, "-c", "pass"], runs)
    print(f"   fresh process each query (no output printing), median of {runs} warm runs; python -c pass = {t_floor * 1e3:.0f} ms")
    print(f"   {'query':<18} {'rg -i':>8} {'marshal+in':>11} {'(items)':>8} {'mmap+find':>10} {'(items)':>8} {'FTS5 trigram':>13} {'(items)':>8}")
    for q in QUERIES:
        terms = parse_query(q)
        t_rg = wall([rg, "-i", q, str(library)], runs)[0] if rg else float("nan")
        t_scan, n_scan = wall([PY, str(scan_py), str(blobs_path), *terms], runs)
        t_mm, n_mm = wall([PY, str(mmap_py), str(corpus_path), str(offsets_path), *terms], runs)
        if any(len(t) < 3 for t in terms):
            t_fts, n_fts = float("nan"), "n/a"
        else:
            t_fts, n_fts = wall([PY, str(fts_py), str(db_path), *terms], runs)
        print(f"   {q:<18} {t_rg * 1e3:>6.0f}ms {t_scan * 1e3:>9.0f}ms {n_scan:>8} {t_mm * 1e3:>8.0f}ms {n_mm:>8} "
              f"{t_fts * 1e3:>11.0f}ms {n_fts:>8}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="load,fold,keystroke,gcload,index,jump")
    args = ap.parse_args()
    from briefing.library import discover

    files = discover(args.library)[: args.files]
    only = set(args.only.split(","))
    print(f"experiments on {args.library} ({len(files)} files for load/fold); load average {os.getloadavg()[0]:.2f}")
    if "load" in only:
        exp_load(files)
    if "fold" in only:
        exp_fold(files)
    if "keystroke" in only:
        exp_keystroke(args.library)
    if "jump" in only:
        exp_jump(args.library)
    if "gcload" in only:
        exp_gcload(args.library)
    if "index" in only:
        exp_index(args.library, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
