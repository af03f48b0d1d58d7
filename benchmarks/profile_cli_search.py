#!/usr/bin/env python3
"""Where the time of `briefing search QUERY PATH` goes, phase by phase.

    env -u PYTHONDONTWRITEBYTECODE .venv/bin/python benchmarks/profile_cli_search.py goita [/tmp/bench-lib] [--runs 5]

Runs the same steps as `briefing search` for plain (or --json) output
(through the index: use your own BRIEFING_CACHE_DIR, and search once first
so the index is current) in one process, --runs times, and prints each
phase's milliseconds per run: the imports (first run only), finding the
files, opening the index, bringing it up to date, reading the files' paths,
the search with each hit's snippet and line (LibraryIndex.flat, through
briefing.cli._chunks), and writing (to memory). The
process start (~15 ms) is not in it, nor the second process `briefing
search` forks for part of the files. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    t0 = time.perf_counter()
    from briefing.cli import _chunks, _write_flat  # (what `briefing search` imports)
    from briefing.index import LibraryIndex, use_index
    from briefing.library import discover_names

    imports = (time.perf_counter() - t0) * 1000
    ap = argparse.ArgumentParser()
    ap.add_argument("query")
    ap.add_argument("path", nargs="?", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    print(f"imports {imports:.1f} ms (first run only)")
    print("One process (`briefing search` forks a second for part of the files; not timed here).")
    print("discover  open  update   paths  search   write   total  (ms)   hits")
    for _ in range(args.runs):
        t = [time.perf_counter()]
        files = discover_names(args.path)
        t.append(time.perf_counter())
        assert use_index(len(files)), "fewer files than the index is used for, or the cache is off"
        index = LibraryIndex(short_lived=True)
        t.append(time.perf_counter())
        index.update(files)
        t.append(time.perf_counter())
        paths = index.file_paths()
        t.append(time.perf_counter())
        chunks = _chunks(index, args.query, files, paths, len(files) > 1, args.json)
        t.append(time.perf_counter())
        real, sys.stdout = sys.stdout, io.StringIO()
        try:
            _write_flat([chunks], args.json)
        finally:
            sys.stdout = real
        t.append(time.perf_counter())
        index.close()
        ms = [(b - a) * 1000 for a, b in zip(t, t[1:])]
        print("".join(f"{m:8.1f}" for m in ms) + f"{sum(ms):9.1f}   {sum(count for _p, count, _t in chunks):6d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
