#!/usr/bin/env python3
"""The library screen on a large library, in a real terminal (tmux, 80x24).

    .venv/bin/python benchmarks/bench_library.py [--library /tmp/bench-lib] [--cold-runs 1]
                                                [--warm-runs 5] [--rev HEAD]

Uses a private cache, ``BRIEFING_CACHE_DIR=/tmp/bench-cache-lib``, emptied
before each cold run. For each run it starts ``briefing LIBRARY`` in tmux and
polls the screen every 5 ms for:

* the first row of the list (``brief-0000.toml`` on screen);
* the list complete: the status line reads "N briefings" with N the number
  of *.toml files in the library (it reads "Loading N files…" until then);
* then it presses Enter on the first row and times the briefing screen
  (its tab strip and "Bottom line up front").

Peak RSS is VmHWM of the app's process (/proc/PID/status; the pane's pid is
the python process itself), read when the list is complete and again after
opening. Worker processes the app starts (cold cache warming) are sampled
every poll: the largest sum of their RSS is printed for the cold runs. In the same run, for the target "warm list within 1.5x a single
briefing's first screen", it also times the first screen of the bundled
briefing and of brief-0000.toml, with the same warm cache.

Targets: warm list <= 1.5x the single-briefing first screen; cold list <= 10 s;
open <= 300 ms; RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pkg import env_for, resolve  # noqa: E402
from _term import Tmux, loadavg, median, proc_status  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
CACHE = Path("/tmp/bench-cache-lib")


def library_run(t: Tmux, session: str, lib: Path, n_files: int, env: dict[str, str], timeout: float) -> dict:
    pid_box: dict[str, int] = {}
    peak: dict[str, int] = {"kb": 0, "children_kb": 0, "children_n": 0}

    def sample() -> None:  # VmHWM is a high-water mark; sampled in case the process dies early
        if "pid" not in pid_box:
            try:
                pid_box["pid"] = t.pid(session)
            except Exception:
                return
        kb = proc_status(pid_box["pid"], "VmHWM")
        if kb:
            peak["kb"] = max(peak["kb"], kb)
        # Worker processes (cold cache warming): the sum of their RSS now.
        kids = children(pid_box["pid"])
        if kids:
            peak["children_n"] = max(peak["children_n"], len(kids))
            peak["children_kb"] = max(peak["children_kb"], sum(proc_status(k, "VmRSS") or 0 for k in kids))

    t0 = t.launch(session, [str(VENV / "briefing"), str(lib)], env=env, cwd="/tmp")
    try:
        seen = t.wait_for(session, ["brief-0000.toml", re.compile(rf"\b{n_files} briefings\b")], t0,
                          timeout=timeout, every=sample)
        sample()
        out = {"first_row": seen["brief-0000.toml"], "complete": max(seen.values()), "rss_list_mb": peak["kb"] / 1024,
               "children_n": peak["children_n"], "children_rss_mb": peak["children_kb"] / 1024}
        screen_list = t.capture(session)
        time.sleep(0.3)
        t1 = time.perf_counter()
        t.send(session, "Enter")
        opened = t.wait_for(session, ["2 Actors", "Bottom line up front"], t1, timeout=60)
        out["open"] = max(opened.values())
        time.sleep(0.5)
        sample()
        out["rss_open_mb"] = peak["kb"] / 1024
        out["screen_list"] = screen_list
        out["screen_open"] = t.capture(session)
    finally:
        t.kill(session)
    return out


def children(pid: int) -> list[int]:
    """All descendants of ``pid`` (from /proc/*/stat)."""
    parent_of: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                parent_of[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    out, frontier = [], {pid}
    while frontier:
        frontier = {p for p, pp in parent_of.items() if pp in frontier}
        out += frontier
    return out


def single_run(t: Tmux, session: str, argv: list[str], markers: list[str], env: dict[str, str]) -> float:
    t0 = t.launch(session, argv, env=env, cwd="/tmp")
    try:
        return max(t.wait_for(session, markers, t0, timeout=60).values())
    finally:
        t.kill(session)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=Path, default=Path("/tmp/bench-lib"))
    ap.add_argument("--cold-runs", type=int, default=1)
    ap.add_argument("--warm-runs", type=int, default=5)
    ap.add_argument("--rev", default="HEAD", help="commit to snapshot and run (see _pkg.py), or 'working'")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    lib = args.library
    if not any(lib.glob("brief-*.toml")):
        print(f"generating {lib} (1,000 x 150 KB) ...", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_library.py"), "1000", str(lib),
                        "--size-kb", "150"], check=True)
    n_files = len(list(lib.rglob("*.toml")))
    size_mb = sum(f.stat().st_size for f in lib.rglob("*") if f.is_file()) / 1e6
    state, snapshot = resolve(args.rev)
    env = {"BRIEFING_CACHE_DIR": str(CACHE), **env_for(snapshot)}
    print(f"library screen in tmux 80x24: {lib} ({n_files} briefings, {size_mb:.0f} MB); "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load {loadavg()}\n  package: {state}")

    results: dict[str, list] = {"cold": [], "warm": [], "bundled": [], "brief0": []}
    with Tmux() as t:
        # .pyc files of the snapshot, outside the timed runs
        subprocess.run([str(VENV / "briefing"), "--version"], env={**os.environ, **env}, capture_output=True,
                       cwd="/tmp")
        for n in range(args.cold_runs):
            shutil.rmtree(CACHE, ignore_errors=True)
            r = library_run(t, f"cold-{n}", lib, n_files, env, args.timeout)
            results["cold"].append(r)
            print(f"  cold run {n + 1}: first row {r['first_row'] * 1000:.0f} ms, complete {r['complete']:.2f} s, "
                  f"open {r['open'] * 1000:.0f} ms, peak RSS {r['rss_list_mb']:.0f} MB listed / "
                  f"{r['rss_open_mb']:.0f} MB opened; worker processes seen: {r['children_n']}, "
                  f"their RSS at most {r['children_rss_mb']:.0f} MB together", flush=True)
        if not args.cold_runs:
            library_run(t, "fill", lib, n_files, env, args.timeout)  # fill the cache
        library_run(t, "warmup", lib, n_files, env, args.timeout)  # warm-up, discarded
        bundled = ([str(VENV / "briefing")], ["MINUSMA: The UN Stabilisation", "1. MINUSMA is ending"])
        brief0 = ([str(VENV / "briefing"), str(lib / "brief-0000.toml")], ["2 Actors", "Bottom line up front"])
        single_run(t, "b-warm", *bundled, env)
        single_run(t, "b0-warm", *brief0, env)
        for n in range(args.warm_runs):
            r = library_run(t, f"warm-{n}", lib, n_files, env, args.timeout)
            results["warm"].append(r)
            results["bundled"].append(single_run(t, f"b-{n}", *bundled, env))
            results["brief0"].append(single_run(t, f"b0-{n}", *brief0, env))
            print(f"  warm run {n + 1}: first row {r['first_row'] * 1000:.0f} ms, complete {r['complete'] * 1000:.0f} ms, "
                  f"open {r['open'] * 1000:.0f} ms, peak RSS {r['rss_list_mb']:.0f} / {r['rss_open_mb']:.0f} MB; "
                  f"bundled {results['bundled'][-1] * 1000:.0f} ms, brief-0000 {results['brief0'][-1] * 1000:.0f} ms",
                  flush=True)
    print(f"  load after: {loadavg()}")

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in results[kind]])

    warm_list = med("warm", "complete")
    single = median(results["bundled"])
    single0 = median(results["brief0"])
    rss = max(max(r["rss_list_mb"], r["rss_open_mb"]) for r in results["cold"] + results["warm"])
    rows = []
    if results["cold"]:
        cold = med("cold", "complete")
        rows.append(("cold: list complete", f"{cold:.2f} s", "<= 10 s", cold <= 10, cold / 10))
        rows.append(("cold: first row shown", f"{med('cold', 'first_row') * 1000:.0f} ms", "", None, None))
    rows.append(("warm: first row shown", f"{med('warm', 'first_row') * 1000:.0f} ms", "", None, None))
    rows.append(("warm: list complete", f"{warm_list * 1000:.0f} ms",
                 f"<= 1.5 x {single * 1000:.0f} ms = {1.5 * single * 1000:.0f} ms", warm_list <= 1.5 * single,
                 warm_list / (1.5 * single)))
    rows.append(("  (ratio to the bundled briefing)", f"{warm_list / single:.2f}x", "<= 1.5x", None, None))
    rows.append(("  (ratio to brief-0000.toml alone)", f"{warm_list / single0:.2f}x", "", None, None))
    opn = med("warm", "open")
    rows.append(("warm: open the first briefing (Enter)", f"{opn * 1000:.0f} ms", "<= 300 ms", opn <= 0.3, opn / 0.3))
    rows.append(("peak RSS (VmHWM), any run", f"{rss:.0f} MB", "< 300 MB", rss < 300, rss / 300))
    rows.append(("single briefing: bundled, first screen", f"{single * 1000:.0f} ms", "", None, None))
    rows.append(("single briefing: brief-0000.toml", f"{single0 * 1000:.0f} ms", "", None, None))
    print()
    for label, val, target, ok, ratio in rows:
        verdict = "" if ok is None else ("met" if ok else f"MISSED ({ratio:.2f}x the target)")
        print(f"  {label:42} {val:>10}   {target:28} {verdict}")
    last = results["warm"][-1]
    print("\nscreen with the list complete (last warm run):\n" + last["screen_list"])
    print("\nscreen after Enter:\n" + last["screen_open"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "package": state,
                                         "results": results}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
