#!/usr/bin/env python3
"""Search through the on-disk index (briefing.index): prints figures, asserts nothing.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/bench_index.py [--library /tmp/bench-lib]

For a generated library (gen_library.py 1000 /tmp/bench-lib --size-kb 150):
the time to build the index from scratch (parsed-briefing cache warm or
cold, as it is), the time to bring it up to date when nothing changed, its
size on disk, then per-keystroke latency of IndexSearcher.search() plus the
snippets of a screenful of hits as a user types each query -- p50 / p95 /
max, with and without the one- and two-letter prefixes (which the trigram
index cannot serve: they are a scan) -- and peak RSS. Then the in-process
Searcher on the bundled briefing for comparison.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["goita", "menaka", "security council", "wagner 2023", "transhumance", "mission", '"peace agreement"']
SCREENFUL = 50


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def typing(search, queries: list[str], reps: int = 3) -> list[tuple[str, float]]:
    out = []
    for _ in range(reps):
        for q in queries:
            for n in range(1, len(q) + 1):
                prefix = q[:n]
                t = time.perf_counter()
                results = search(prefix)
                results.counts()
                for hit in results[:SCREENFUL]:
                    hit.snippet
                out.append((prefix, (time.perf_counter() - t) * 1000))
    return out


def report(label: str, rows: list[tuple[str, float]]) -> None:
    from briefing.search import parse_query

    every = [ms for _, ms in rows]
    longer = [ms for q, ms in rows if all(len(t) >= 3 for t in parse_query(q))]
    print(f"{label}: {len(every)} keystrokes  p50 {pct(every, 50):.1f} ms  p95 {pct(every, 95):.1f} ms"
          f"  max {max(every):.1f} ms")
    if longer and len(longer) != len(every):
        print(f"{label}, terms of 3+ letters only: {len(longer)} keystrokes  p50 {pct(longer, 50):.1f} ms"
              f"  p95 {pct(longer, 95):.1f} ms  max {max(longer):.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/bench-index-cache"))
    ap.add_argument("--fresh", action="store_true", help="delete the index first (a first run)")
    args = ap.parse_args()
    os.environ["BRIEFING_CACHE_DIR"] = str(args.cache)

    from briefing.index import IndexSearcher, LibraryIndex, index_path
    from briefing.library import discover
    from briefing.loader import load
    from briefing.search import Searcher

    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(str(index_path()) + suffix).unlink(missing_ok=True)
    files = discover(args.library)
    print(f"{len(files)} briefings in {args.library}, cache {args.cache}, {time.strftime('%Y-%m-%d %H:%M')}")
    t = time.perf_counter()
    index = LibraryIndex()
    broken = index.update(files, prune=args.library)
    print(f"index brought up to date: {time.perf_counter() - t:.2f} s ({len(broken)} broken files)")
    t = time.perf_counter()
    index.update(files, prune=args.library)
    print(f"up to date again, nothing changed: {(time.perf_counter() - t) * 1000:.0f} ms")
    print(f"index on disk: {index_path().stat().st_size / 1e6:.0f} MB")
    searcher = IndexSearcher(index, files)
    report("index, 1,000 briefings", typing(searcher.search, QUERIES))
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    bundled = Searcher([load(ROOT / "content" / "minusma.toml")])
    report("in memory, bundled briefing", typing(bundled.search, QUERIES + ["goïta", "ménaka", "bamako"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
