#!/usr/bin/env python3
"""Search benchmarks: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_search.py [--library /tmp/bench-lib]
        [--bundled content/minusma.toml] [--runs 5] [--only inprocess|process]

1. In-process, for (a) the bundled briefing (content/minusma.toml, or the
   test fixture if it does not load) and (b) the generated library (made
   with gen_library.py 1000 --size-kb 150 if missing): time to load every
   file with loader.check(), time to build the Searcher, then the latency of
   Searcher.search() on every keystroke as a user types each query of
   QUERIES character by character -- p50 / p95 / max over all keystrokes --
   alone and with the snippets of a screenful of hits; the on-disk cache
   (briefing.cache) cold and warm; and peak RSS. Each corpus runs in its own
   child process so RSS figures are separate.
2. Whole process, warm (one discarded run, then the median of --runs):
   `briefing search QUERY LIB` vs `rg -i QUERY LIB` -- briefing with its
   on-disk cache warm (BRIEFING_CACHE_DIR=/tmp/bench-cache, filled by the
   discarded run) and with BRIEFING_NO_CACHE=1 --, `briefing search goita` on
   the bundled briefing, `briefing --version`, bare `python -c pass`.
3. `python -X importtime` of `briefing search goita`: top offenders.

Writes every figure as JSON to benchmarks/out/bench-search-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PY = str(VENV / "python") if (VENV / "python").exists() else sys.executable
BRIEFING = str(VENV / "briefing") if (VENV / "briefing").exists() else "briefing"
OUT = ROOT / "benchmarks" / "out"
BENCH_CACHE = Path("/tmp/bench-cache")  # BRIEFING_CACHE_DIR for the whole-process runs

# Typed character by character. A rare word, a common word, names typed
# without accents (as users do), a two-word query and a quoted phrase.
QUERIES = [
    "goita",
    "menaka",
    "security council",
    "wagner 2023",
    "transhumance",  # rare: a few hits per thousand briefings
    "mission",  # common
    '"peace agreement"',
]
SCREENFUL = 50  # hits whose snippets a results list shows at once


def pct(values: list[float], p: float) -> float:
    """Percentile by linear interpolation (p in 0..100)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def rss_now_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --------------------------------------------------------------------------
# In-process (runs in a child: --_child PATH)
# --------------------------------------------------------------------------
def child(path: Path, min_seconds: float, max_reps: int, gc_freeze: bool = False) -> dict:
    import gc
    import resource

    t = time.perf_counter()
    from briefing.library import discover
    from briefing.loader import check
    from briefing.search import Searcher, parse_query

    import_s = time.perf_counter() - t
    rss0 = rss_now_kb()

    files = discover(path)
    t = time.perf_counter()
    briefings, failed = [], 0
    for f in files:
        b, _problems = check(f)
        if b is None:
            failed += 1
        else:
            briefings.append(b)
    load_s = time.perf_counter() - t
    rss_loaded = rss_now_kb()
    nbytes = sum(f.stat().st_size for f in files)
    nbytes += sum(len(s.text.encode()) for b in briefings for s in b.sources if s.text_file)

    t = time.perf_counter()
    searcher = Searcher(briefings)
    build_s = time.perf_counter() - t
    rss_built = rss_now_kb()
    if gc_freeze:  # what-if: the app freezes everything loaded so far
        gc.freeze()

    def typing(screenful: int, reps: int) -> tuple[list[dict], float]:
        """Type every query; time search(), plus (screenful > 0) reading the
        snippets of the first ``screenful`` hits, as a results list would."""
        rows = []
        t_all = time.perf_counter()
        for rep in range(reps):
            for q in QUERIES:
                for k in range(1, len(q) + 1):
                    prefix = q[:k]
                    t0 = time.perf_counter_ns()
                    hits = searcher.search(prefix)
                    for h in hits[:screenful]:
                        h.snippet  # noqa: B018 -- lazy in newer Searchers
                    ms = (time.perf_counter_ns() - t0) / 1e6
                    rows.append({"rep": rep, "query": q, "prefix": prefix, "ms": ms, "hits": len(hits)})
        return rows, time.perf_counter() - t_all

    # One pass to warm up and see how long a pass takes; more passes while
    # they are cheap (the bundled briefing), so percentiles are stable.
    rows, one = typing(0, 1)
    reps = max(1, min(max_reps, int(min_seconds / max(one, 1e-6))))
    if reps > 1:
        rows, _ = typing(0, reps)
    rows_lim, one_lim = typing(SCREENFUL, 1)
    reps_lim = max(1, min(max_reps, int(min_seconds / max(one_lim, 1e-6))))
    if reps_lim > 1:
        rows_lim, _ = typing(SCREENFUL, reps_lim)

    # Decomposition for each keystroke: the match scan alone (Doc.matches
    # over every doc), the rest is building Hits (fold + fold_map + snippet).
    scan = []
    for q in QUERIES:
        for k in range(1, len(q) + 1):
            terms = parse_query(q[:k])
            t0 = time.perf_counter_ns()
            n = sum(1 for _b, d in searcher.docs if d.matches(terms)) if terms else 0
            scan.append({"query": q, "prefix": q[:k], "ms": (time.perf_counter_ns() - t0) / 1e6, "matched": n})

    # The on-disk cache (briefing.cache, when the package has it): a cold
    # pass that builds every entry, then a warm pass that reads them.
    cache_cold_s = cache_warm_s = None
    try:
        import tempfile

        from briefing import cache as _cache
    except ImportError:
        _cache = None
    if _cache is not None:
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
            os.environ["BRIEFING_CACHE_DIR"] = tmp
            os.environ.pop("BRIEFING_NO_CACHE", None)
            t = time.perf_counter()
            for f in files:
                _cache.load(f)
            cache_cold_s = time.perf_counter() - t
            t = time.perf_counter()
            warm = [_cache.load(f)[0] for f in files]
            cache_warm_s = time.perf_counter() - t
            del warm

    panes: dict[str, int] = {}
    blob_chars = 0
    for _b, d in searcher.docs:
        panes[d.pane] = panes.get(d.pane, 0) + 1
        blob_chars += len(d.blob)
    return {
        "path": str(path),
        "files": len(files),
        "failed": failed,
        "bytes": nbytes,
        "docs": len(searcher.docs),
        "docs_by_pane": panes,
        "blob_chars": blob_chars,
        "import_s": import_s,
        "load_s": load_s,
        "build_s": build_s,
        "cache_cold_s": cache_cold_s,
        "cache_warm_s": cache_warm_s,
        "reps": reps,
        "keystrokes": rows,
        "reps_limit": reps_lim,
        "keystrokes_limit": rows_lim,
        "scan": scan,
        "rss_start_kb": rss0,
        "rss_loaded_kb": rss_loaded,
        "rss_built_kb": rss_built,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def run_child(path: Path, min_seconds: float, max_reps: int, gc_freeze: bool = False) -> dict:
    proc = subprocess.run(
        [PY, __file__, "--_child", str(path), "--_min-seconds", str(min_seconds), "--_max-reps", str(max_reps)]
        + (["--gc-freeze"] if gc_freeze else []),
        capture_output=True, text=True, cwd=ROOT,
    )
    if proc.returncode != 0:
        sys.exit(f"child failed on {path}:\n{proc.stderr}")
    return json.loads(proc.stdout)


def summarise(rows: list[dict]) -> dict:
    ms = [r["ms"] for r in rows]
    return {"n": len(ms), "p50": pct(ms, 50), "p95": pct(ms, 95), "max": max(ms), "mean": statistics.fmean(ms)}


def print_inprocess(label: str, r: dict) -> None:
    print(f"\n== In-process: {label} ==")
    print(f"   {r['path']}: {r['files']} file(s), {r['bytes'] / 1e6:.1f} MB with text files, "
          f"{r['failed']} failed to load; {r['docs']} searchable items {r['docs_by_pane']}, "
          f"{r['blob_chars'] / 1e6:.1f} M folded chars")
    print(f"   import briefing.loader+search {r['import_s'] * 1e3:8.1f} ms")
    print(f"   load (check() every file)     {r['load_s'] * 1e3:8.1f} ms"
          f"   ({r['load_s'] / max(1, r['files']) * 1e3:.1f} ms per file)")
    print(f"   build Searcher                {r['build_s'] * 1e3:8.1f} ms")
    print(f"   RSS: start {r['rss_start_kb'] / 1024:.0f} MB, loaded {r['rss_loaded_kb'] / 1024:.0f} MB, "
          f"with Searcher {r['rss_built_kb'] / 1024:.0f} MB, peak {r['peak_rss_kb'] / 1024:.0f} MB")
    if r["cache_cold_s"] is not None:
        print(f"   briefing.cache.load() every file: cold (builds entries) {r['cache_cold_s'] * 1e3:.1f} ms, "
              f"warm {r['cache_warm_s'] * 1e3:.1f} ms ({r['cache_warm_s'] / max(1, r['files']) * 1e3:.2f} ms per file)")
    for name, rows, reps in (("search(q)", r["keystrokes"], r["reps"]),
                             (f"search(q) + snippets of first {SCREENFUL} hits", r["keystrokes_limit"], r["reps_limit"])):
        s = summarise(rows)
        print(f"   per keystroke, {name}: p50 {s['p50']:.2f} ms, p95 {s['p95']:.2f} ms, "
              f"max {s['max']:.2f} ms  ({s['n']} keystrokes = {s['n'] // reps} x {reps} passes)")
    print(f"   {'query':<20} {'keys':>4} {'hits@1st':>9} {'hits@end':>9} {'med ms':>9} {'max ms':>9}"
          f" {'slowest prefix':>15} {'scan-only max':>14}")
    scan = {x["prefix"]: x["ms"] for x in r["scan"]}
    for q in QUERIES:
        rows = [x for x in r["keystrokes"] if x["query"] == q and x["rep"] == 0]
        allq = [x["ms"] for x in r["keystrokes"] if x["query"] == q]
        slow = max(rows, key=lambda x: x["ms"])
        scan_max = max(scan[x["prefix"]] for x in rows)
        print(f"   {q:<20} {len(rows):>4} {rows[0]['hits']:>9} {rows[-1]['hits']:>9} "
              f"{statistics.median(allq):>9.2f} {max(allq):>9.2f} {slow['prefix']!r:>15} {scan_max:>14.2f}")


# --------------------------------------------------------------------------
# Whole process
# --------------------------------------------------------------------------
def wall(cmd: list[str], runs: int, warmup: int = 1, env: dict | None = None) -> dict:
    """Median wall time of ``cmd`` with stdout to /dev/null (like hyperfine)."""
    times, code = [], None
    full_env = {**os.environ, **(env or {})}
    for i in range(warmup + runs):
        t = time.perf_counter()
        code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                              env=full_env).returncode
        dt_ = time.perf_counter() - t
        if i >= warmup:
            times.append(dt_)
    shown = " ".join(f"{k}={v}" for k, v in (env or {}).items())
    return {"cmd": (shown + " " if shown else "") + " ".join(cmd), "runs": runs, "median_s": statistics.median(times), "min_s": min(times),
            "max_s": max(times), "exit": code}


def output_lines(cmd: list[str]) -> int:
    out = subprocess.run(cmd, capture_output=True, cwd=ROOT).stdout
    return out.count(b"\n")


def importtime(args: list[str], top: int = 12, env: dict | None = None) -> dict:
    proc = subprocess.run([PY, "-X", "importtime", BRIEFING, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})})
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            rows.append({"self_us": int(m.group(1)), "cum_us": int(m.group(2)),
                         "depth": (len(m.group(3)) - 1) // 2, "module": m.group(4)})
    top_level = sorted((r for r in rows if r["depth"] == 0), key=lambda r: -r["cum_us"])[:top]
    by_self = sorted(rows, key=lambda r: -r["self_us"])[:top]
    total = sum(r["cum_us"] for r in rows if r["depth"] == 0)
    return {"modules": len(rows), "total_us": total, "top_level": top_level, "by_self": by_self}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--bundled", type=Path, default=ROOT / "content" / "minusma.toml")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per whole-process command (after 1 warm-up)")
    ap.add_argument("--nocache-runs", type=int, default=3,
                    help="timed runs of briefing search on the library with BRIEFING_NO_CACHE=1 (0: skip)")
    ap.add_argument("--only", choices=["inprocess", "process"], default=None)
    ap.add_argument("--process-queries", default="goita,transhumance",
                    help="comma-separated queries for briefing search vs rg on the library")
    ap.add_argument("--gc-freeze", action="store_true",
                    help="what-if: call gc.freeze() after building the Searcher, before typing (in-process only)")
    ap.add_argument("--_child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_min-seconds", type=float, default=3.0, help=argparse.SUPPRESS)
    ap.add_argument("--_max-reps", type=int, default=50, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._child:
        json.dump(child(args._child, args._min_seconds, args._max_reps, args.gc_freeze), sys.stdout)
        return 0

    results: dict = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "cpu": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                                 if l.startswith("model name")), "?") if Path("/proc/cpuinfo").exists() else "?"},
    }
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True, cwd=ROOT).stdout.strip()  # noqa: E731
    results["git"] = {"head": git("rev-parse", "--short", "HEAD"),
                      "dirty": git("status", "--short", "--untracked-files=no", "briefing").splitlines()}
    results["loadavg_start"] = os.getloadavg()
    print(f"briefing search benchmarks, {results['date']}; {results['machine']['cpus']} CPUs "
          f"({results['machine']['cpu']}), Python {results['machine']['python']}, {results['machine']['platform']}")

    print(f"package at {results['git']['head']}"
          + (f" + uncommitted changes to {', '.join(x.split()[-1] for x in results['git']['dirty'])}"
             if results['git']['dirty'] else "") + f"; load average {results['loadavg_start'][0]:.2f}")

    # The bundled briefing, or the fixture while it does not load.
    bundled = args.bundled
    sys.path.insert(0, str(ROOT))
    from briefing.loader import check

    if not bundled.exists() or check(bundled)[0] is None:
        print(f"note: {bundled} missing or does not load; using the test fixture instead")
        bundled = ROOT / "tests" / "fixtures" / "sample" / "sample.toml"
    results["bundled"] = str(bundled)

    if not (args.library / "brief-0000.toml").exists():
        print(f"generating {args.library} (1000 briefings, ~150 KB each) ...", flush=True)
        subprocess.run([PY, str(ROOT / "benchmarks" / "gen_library.py"), "1000", str(args.library), "--size-kb", "150"],
                       check=True)
    manifest = args.library / "MANIFEST.txt"
    if manifest.exists():
        print("library: " + manifest.read_text().replace("\n", "; "))

    if args.only in (None, "inprocess"):
        print(f"\nqueries typed: {QUERIES}", flush=True)
        if args.gc_freeze:
            print("WHAT-IF RUN: gc.freeze() is called after the Searcher is built (the package does not do this)")
        results["gc_freeze"] = args.gc_freeze
        results["inprocess_bundled"] = r = run_child(bundled, 3.0, 50, args.gc_freeze)
        print_inprocess(f"bundled briefing ({bundled.relative_to(ROOT)})", r)
        print("\n(running the library pass; the slow keystrokes take a while)", flush=True)
        results["inprocess_library"] = r = run_child(args.library, 0.0, 1, args.gc_freeze)
        print_inprocess(f"library of {r['files']} briefings", r)

    if args.only in (None, "process"):
        print(f"\n== Whole process (warm: 1 discarded run, then median of {args.runs}; stdout to /dev/null) ==", flush=True)
        proc: dict = {}
        rg = shutil.which("rg")
        if rg is None:
            print("   rg not found: apt-get update && apt-get install -y ripgrep")
        cache_env = {"BRIEFING_CACHE_DIR": str(BENCH_CACHE)}
        no_cache = {"BRIEFING_NO_CACHE": "1"}
        shutil.rmtree(BENCH_CACHE, ignore_errors=True)
        for q in [x for x in args.process_queries.split(",") if x]:
            row: dict = {}
            cmd = [BRIEFING, "search", q, str(args.library)]
            # The first (discarded) run of the cached variant fills the cache.
            row["briefing_cached"] = b = wall(cmd, args.runs, env=cache_env)
            b["lines"] = output_lines(cmd)
            print(f"   briefing search {q!r} LIB, cache warm: {b['median_s'] * 1e3:9.0f} ms "
                  f"({b['lines']} lines out, exit {b['exit']})", flush=True)
            if args.nocache_runs:
                row["briefing_nocache"] = n = wall(cmd, args.nocache_runs, warmup=0, env=no_cache)
                print(f"   briefing search {q!r} LIB, no cache:   {n['median_s'] * 1e3:9.0f} ms "
                      f"(median of {args.nocache_runs})", flush=True)
            if rg:
                g = wall([rg, "-i", q, str(args.library)], max(args.runs, 10))
                g["lines"] = output_lines([rg, "-i", q, str(args.library)])
                row["rg"] = g
                row["ratio_cached"] = b["median_s"] / g["median_s"]
                print(f"   rg -i {q!r} LIB:                    {g['median_s'] * 1e3:9.1f} ms ({g['lines']} lines)"
                      f"   -> briefing/rg = {row['ratio_cached']:.0f}x (cache warm)", flush=True)
            proc[f"library:{q}"] = row
        for name, cmd, env in (
            ("bundled: briefing search goita PATH, cache warm", [BRIEFING, "search", "goita", str(bundled)], cache_env),
            ("bundled: briefing search goita PATH, no cache", [BRIEFING, "search", "goita", str(bundled)], no_cache),
            ("bundled: briefing search goita (no PATH), cache warm", [BRIEFING, "search", "goita"], cache_env),
            ("briefing --version", [BRIEFING, "--version"], {}),
            ("python -c pass (venv interpreter floor)", [PY, "-c", "pass"], {}),
            ("python -c 'import briefing.search, briefing.loader'", [PY, "-c", "import briefing.search, briefing.loader"], {}),
        ):
            w = wall(cmd, max(args.runs, 10), env=env)
            proc[name] = w
            print(f"   {name:<55} median {w['median_s'] * 1e3:7.1f} ms  (min {w['min_s'] * 1e3:.1f}, exit {w['exit']})")
        results["process"] = proc

        print("\n== python -X importtime briefing search goita (bundled) ==")
        imp = importtime(["search", "goita", str(bundled)], env={"BRIEFING_CACHE_DIR": str(BENCH_CACHE)})
        results["importtime"] = imp
        print(f"   {imp['modules']} modules imported, {imp['total_us'] / 1e3:.1f} ms cumulative (top level)")
        print("   top-level imports by cumulative time:")
        for r_ in imp["top_level"]:
            print(f"     {r_['cum_us'] / 1e3:7.1f} ms  {r_['module']}")
        print("   modules by self time:")
        for r_ in imp["by_self"]:
            print(f"     {r_['self_us'] / 1e3:7.1f} ms  {r_['module']}")

    results["loadavg_end"] = os.getloadavg()
    print(f"\nload average at the end {results['loadavg_end'][0]:.2f} (2 cores: above ~1 means other work competed)")
    OUT.mkdir(parents=True, exist_ok=True)
    dest = OUT / f"bench-search-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    dest.write_text(json.dumps(results, indent=1))
    print(f"\nall figures: {dest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
