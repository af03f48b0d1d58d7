#!/usr/bin/env python3
"""Where the time goes: cProfile of loading and of typing queries.

    .venv/bin/python benchmarks/profile_search.py [PATH] [--files 50] [--top 18]

PATH is a briefing or a folder (default /tmp/bench-lib); only the first
--files briefings are used so a run takes seconds. Prints the top functions
by own time and by cumulative time for (1) loader.check() of every file,
(2) building the Searcher, (3) typing every query of bench_search.QUERIES
character by character. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_search import QUERIES  # noqa: E402

from briefing.library import discover  # noqa: E402
from briefing.loader import check  # noqa: E402
from briefing.search import Searcher  # noqa: E402


def show(title: str, prof: cProfile.Profile, top: int) -> None:
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        st = pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key)
        st.print_stats(top)
        text = out.getvalue()
        body = text[text.index("ncalls"):] if "ncalls" in text else text
        print(f"\n--- {title}: top {top} by {key} ---")
        print(body.rstrip())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--files", type=int, default=50)
    ap.add_argument("--top", type=int, default=18)
    args = ap.parse_args()

    files = discover(args.path)[: args.files]
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    briefings = [b for b in (check(f)[0] for f in files) if b is not None]
    prof.disable()
    print(f"load: {len(files)} files in {time.perf_counter() - t:.2f} s (under cProfile)")
    show("loader.check()", prof, args.top)

    prof = cProfile.Profile()
    prof.enable()
    searcher = Searcher(briefings)
    prof.disable()
    show("Searcher()", prof, args.top)

    prof = cProfile.Profile()
    t = time.perf_counter()
    n = 0
    prof.enable()
    for q in QUERIES:
        for k in range(1, len(q) + 1):
            searcher.search(q[:k])
            n += 1
    prof.disable()
    print(f"\ntyping: {n} keystrokes over {len(searcher.docs)} items in {time.perf_counter() - t:.2f} s (under cProfile)")
    show("Searcher.search() per keystroke", prof, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
