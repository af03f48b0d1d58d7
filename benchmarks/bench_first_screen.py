#!/usr/bin/env python3
"""Time from launch to the first screen, in a real terminal (tmux, 80x24).

    .venv/bin/python benchmarks/bench_first_screen.py [--runs 15] [--only briefing,minimal,...]
                                                     [--no-peers] [--importtime]

For each program: start it in a new tmux session (see ``_term.py``), poll the
screen every 5 ms until its marker texts are all on screen, record the time
since the launch command was sent, close the session and wait for the
program to exit. One warm-up run per program is discarded (it also writes
the .pyc files); then the programs take turns, run by run, so a change in
the machine's load hits all of them alike. Prints the median and p90 of each
and the ratio briefing / minimal app (target: <= 1.15x).

Programs:
  briefing          .venv/bin/briefing (the bundled briefing), warm cache in
                    BRIEFING_CACHE_DIR=/tmp/bench-cache-first
  briefing-nocache  the same with BRIEFING_NO_CACHE=1
  minimal           benchmarks/minimal_app.py: header line, TabbedContent with
                    four TabPanes, an OptionList of 15 items, Footer
  less              less on `briefing content/minusma.toml` piped to a file
  frogmouth         a 6-line Markdown file (venv under /tmp, see _peers.py)
  toolong           a 200-line log file (venv under /tmp)

Markers: briefing waits for the header title *and* the first BLUF point (both
come in the same frame); minimal for its header and first list row; less for
the briefing's title line; frogmouth for the file's paragraph; toolong for the
file's last line (it opens in tail mode).

``--importtime`` also prints the largest imports of the reader and of the
minimal app (``python -X importtime``, outside tmux).

Runs with PYTHONDONTWRITEBYTECODE removed from the environment (this machine
sets it, which would recompile every module on every start).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peers import peer, version  # noqa: E402
from _pkg import env_for, resolve  # noqa: E402
from _term import Tmux, loadavg, median, p90  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
WORK = Path("/tmp/bench-first-screen")
CACHE = "/tmp/bench-cache-first"
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "COLORTERM")}


def prepare(pkg: dict[str, str]) -> dict[str, dict]:
    """The programs, with their argv, extra environment and markers."""
    WORK.mkdir(exist_ok=True)
    txt = WORK / "minusma.txt"
    with txt.open("w") as f:
        subprocess.run([str(VENV / "briefing"), str(ROOT / "content" / "minusma.toml")], stdout=f, check=True,
                       env={**CLEAN_ENV, **pkg}, cwd=WORK)
    md = WORK / "peer.md"
    md.write_text("# Peer test\n\nA small markdown file for the first-screen benchmark.\n\n* one\n* two\n")
    log = WORK / "peer.log"
    log.write_text("".join(f"2023-07-06 12:{n // 60:02d}:{n % 60:02d} INFO peer log line {n:03d}\n"
                           for n in range(1, 201)))
    progs = {
        "briefing": dict(argv=[str(VENV / "briefing")], env={"BRIEFING_CACHE_DIR": CACHE, **pkg},
                         markers=["MINUSMA: The UN Stabilisation", "1. MINUSMA is ending"]),
        "briefing-nocache": dict(argv=[str(VENV / "briefing")], env={"BRIEFING_NO_CACHE": "1", **pkg},
                                 markers=["MINUSMA: The UN Stabilisation", "1. MINUSMA is ending"]),
        "minimal": dict(argv=[str(VENV / "python"), str(ROOT / "benchmarks" / "minimal_app.py")], env={},
                        markers=["Minimal app: four tabs", "Minimal point one"]),
        "less": dict(argv=["less", str(txt)], env={"LESSHISTFILE": "-"},
                     markers=["MINUSMA: The UN Stabilisation Mission in Mali"]),
    }
    return progs


def add_peers(progs: dict[str, dict], install: bool) -> list[str]:
    notes = []
    fm = peer("frogmouth", install)
    if fm:
        progs["frogmouth"] = dict(argv=[str(fm), str(WORK / "peer.md")], env={},
                                  markers=["A small markdown file for the first-screen"])
        notes.append(version("frogmouth"))
    else:
        notes.append("frogmouth: not installable, skipped")
    tl = peer("toolong", install)
    if tl:
        progs["toolong"] = dict(argv=[str(tl), str(WORK / "peer.log")], env={},
                                markers=["peer log line 200"])
        notes.append(version("toolong"))
    else:
        notes.append("toolong: not installable, skipped")
    return notes


def one_run(t: Tmux, name: str, prog: dict, n: int, timeout: float) -> float:
    session = f"{name}-{n}"
    t0 = t.launch(session, prog["argv"], env=prog["env"], cwd=str(WORK))
    try:
        seen = t.wait_for(session, prog["markers"], t0, timeout=timeout)
    finally:
        t.kill(session)
    return max(seen.values())


def importtime(argv: list[str], pkg: dict[str, str], top: int = 12) -> list[tuple[float, str]]:
    """Top-level imports by cumulative time (ms) from ``python -X importtime``."""
    r = subprocess.run(argv, capture_output=True, text=True, env={**CLEAN_ENV, **pkg}, cwd=WORK)
    rows = []
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:  # top level: one space of indent
            rows.append((int(m.group(2)) / 1000, m.group(4)))
    total = sum(ms for ms, _ in rows)
    rows.sort(reverse=True)
    return [(total, "(all top-level imports)")] + rows[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--rev", default="HEAD", help="commit to snapshot and run (see _pkg.py), or 'working'")
    ap.add_argument("--only", default="", help="comma-separated program names")
    ap.add_argument("--no-peers", action="store_true", help="skip frogmouth and toolong")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw timings here")
    args = ap.parse_args()

    state, snapshot = resolve(args.rev)
    progs = prepare(env_for(snapshot))
    notes = [] if args.no_peers else add_peers(progs, install=True)
    if args.only:
        keep = args.only.split(",")
        progs = {k: v for k, v in progs.items() if k in keep}

    print(f"first screen in tmux {80}x{24}, TERM=tmux-256color; {args.runs} runs each after 1 warm-up; "
          f"{time.strftime('%Y-%m-%d %H:%M')}; {platform.python_version()}; load {loadavg()}")
    print(f"  package: {state}")
    for note in notes:
        print(f"  peer: {note}")
    times: dict[str, list[float]] = {k: [] for k in progs}
    with Tmux() as t:
        for name, prog in progs.items():  # warm-up: .pyc files, caches, page cache
            one_run(t, name, prog, 0, args.timeout)
        for n in range(1, args.runs + 1):
            for name, prog in progs.items():
                times[name].append(one_run(t, name, prog, n, args.timeout))
                time.sleep(0.1)
    print(f"  load after: {loadavg()}")
    print()
    print(f"{'program':18} {'median':>9} {'p90':>9} {'min':>9} {'max':>9}")
    for name, xs in times.items():
        ms = [x * 1000 for x in xs]
        print(f"{name:18} {median(ms):7.0f}ms {p90(ms):7.0f}ms {min(ms):7.0f}ms {max(ms):7.0f}ms")
    if "briefing" in times and "minimal" in times:
        ratio = median(times["briefing"]) / median(times["minimal"])
        verdict = "met" if ratio <= 1.15 else f"missed by {(ratio / 1.15 - 1) * 100:.0f}%"
        print(f"\nbriefing / minimal (medians): {ratio:.2f}x  (target <= 1.15x: {verdict})")
        r90 = p90(times["briefing"]) / p90(times["minimal"])
        print(f"briefing / minimal (p90):     {r90:.2f}x")

    if args.importtime:
        py = str(VENV / "python")
        for label, code in (
            ("reader (briefing.cli + briefing.ui.app + BriefingScreen)",
             "import briefing.cli, briefing.cache, briefing.ui.app, briefing.ui.screens.briefing"),
            ("minimal app (textual.app + the widgets it uses)",
             "import textual.app, textual.widgets; from textual.widgets import Footer, OptionList, Static, "
             "TabbedContent, TabPane"),
        ):
            importtime([py, "-X", "importtime", "-c", code], env_for(snapshot))  # warm the .pyc files
            rows = importtime([py, "-X", "importtime", "-c", code], env_for(snapshot))
            print(f"\n-X importtime, {label}:")
            for ms, mod in rows:
                print(f"  {ms:7.1f} ms  {mod}")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "package": state, "times_s": times,
                                         "peers": notes}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
