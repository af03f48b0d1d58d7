#!/usr/bin/env python3
"""Bytes written to the terminal per keystroke, at 80x24 in tmux.

    .venv/bin/python benchmarks/bench_wire_bytes.py [--runs 3] [--only briefing,less,...] [--rev HEAD]

What a keystroke costs on a slow SSH link is the bytes the program writes to
its terminal. For each program: start it in tmux (see ``_term.py``), pipe
everything it writes into a file (``tmux pipe-pane``) from the launch, wait
for the first screen and for the output to settle, then for each key in turn:
switch the pipe to a new file, send the key, wait until the file has not grown
for 0.5 s, and record its size. Each sequence is run ``--runs`` times (fresh
start each time) and the median per key is printed, with a breakdown of the
bytes (text, SGR colour/style codes, cursor moves, other escapes) and the
number of screen rows redrawn. The raw bytes of the last run go to
``benchmarks/out/wire/``.

Sequences:
  briefing            BLUF: j, j; then 2 (Actors), 3 (Timeline), j, j; 4 (Sources),
                      enter (into the source text), pagedown, pagedown
  briefing-anim       the same with BRIEFING_ANIMATIONS=1
  briefing-truecolor  the same with COLORTERM=truecolor (24-bit colour codes)
  minimal             benchmarks/minimal_app.py: j, j, 2, 3 (Textual default: animations on)
  minimal-noanim      the same with TEXTUAL_ANIMATIONS=none
  less                less on the bundled briefing as text: space, space, j

Target: <= 2 KB per keystroke for a tab switch, a selection move and a page
scroll. 256 colours (TERM=tmux-256color, no COLORTERM) unless stated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _pkg import env_for, resolve  # noqa: E402
from _term import Tmux, loadavg, median, wire_stats  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
WORK = Path("/tmp/bench-wire")
OUT = ROOT / "benchmarks" / "out" / "wire"
CACHE = "/tmp/bench-cache-first"
TARGET = 2048

BRIEFING_KEYS = [("j", "BLUF: j (next point)"), ("j", "BLUF: j again"),
                 ("2", "2: tab switch to Actors"), ("3", "3: tab switch to Timeline"),
                 ("j", "Timeline: j"), ("j", "Timeline: j again"),
                 ("4", "4: tab switch to Sources"), ("Enter", "Sources: enter (focus the text)"),
                 ("PageDown", "Sources text: pagedown"), ("PageDown", "Sources text: pagedown again")]
MINIMAL_KEYS = [("j", "list: j"), ("j", "list: j again"), ("2", "2: tab switch"), ("3", "3: tab switch")]
LESS_KEYS = [("Space", "space (page)"), ("Space", "space again"), ("j", "j (one line)")]


def sequences(pkg: dict[str, str]) -> dict[str, dict]:
    briefing = [str(VENV / "briefing")]
    b_marker = ["1. MINUSMA is ending"]
    b_env = {"BRIEFING_CACHE_DIR": CACHE, **pkg}
    minimal = [str(VENV / "python"), str(ROOT / "benchmarks" / "minimal_app.py")]
    return {
        "briefing": dict(argv=briefing, env=b_env, markers=b_marker, keys=BRIEFING_KEYS),
        "briefing-anim": dict(argv=briefing, env={**b_env, "BRIEFING_ANIMATIONS": "1"}, markers=b_marker,
                              keys=BRIEFING_KEYS),
        "briefing-truecolor": dict(argv=briefing, env={**b_env, "COLORTERM": "truecolor"}, markers=b_marker,
                                   keys=BRIEFING_KEYS),
        "minimal": dict(argv=minimal, env={}, markers=["Minimal point one"], keys=MINIMAL_KEYS),
        "minimal-noanim": dict(argv=minimal, env={"TEXTUAL_ANIMATIONS": "none"}, markers=["Minimal point one"],
                               keys=MINIMAL_KEYS),
        "less": dict(argv=["less", str(WORK / "minusma.txt")], env={"LESSHISTFILE": "-"},
                     markers=["MINUSMA: The UN Stabilisation Mission"], keys=LESS_KEYS),
    }


def settle(path: Path, quiet: float = 0.5, limit: float = 8.0) -> int:
    """Wait until ``path`` has not grown for ``quiet`` seconds; its size."""
    start = last_change = time.perf_counter()
    size = -1
    while True:
        now = time.perf_counter()
        new = path.stat().st_size if path.exists() else 0
        if new != size:
            size, last_change = new, now
        if now - last_change >= quiet or now - start > limit:
            return size
        time.sleep(0.02)


def run_sequence(t: Tmux, name: str, seq: dict, n: int) -> list[tuple[int, bytes, str]]:
    """[(bytes, data, screen after)] for the first screen and each key."""
    session = f"{name}-{n}"
    d = WORK / session
    d.mkdir(parents=True, exist_ok=True)
    for f in d.glob("*.bin"):
        f.unlink()
    first = d / "00-first.bin"
    t0 = t.launch(session, seq["argv"], env=seq["env"], cwd=str(WORK))
    t.pipe(session, first)
    results = []
    try:
        t.wait_for(session, seq["markers"], t0, timeout=30)
        size = settle(first, quiet=0.7)
        results.append((size, first.read_bytes(), t.capture(session)))
        for k, (key, _label) in enumerate(seq["keys"], 1):
            f = d / f"{k:02d}-{key}.bin"
            t.pipe(session, f)
            time.sleep(0.05)  # the new pipe is in place before the key
            t.send(session, key)
            size = settle(f)
            results.append((size, f.read_bytes() if f.exists() else b"", t.capture(session)))
    finally:
        t.pipe(session, None)
        t.kill(session)
    return results


def describe(data: bytes) -> str:
    s = wire_stats(data)
    return (f"text {s['text']} ({s['spaces']} spaces), SGR {s['sgr']} in {s['sgr_n']} codes, "
            f"cursor moves {s['cup']} ({s['cup_n']}), modes {s['mode']}, other {s['csi_other'] + s['osc'] + s['esc_other']}; "
            f"{s['rows']} rows redrawn")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--rev", default="HEAD", help="commit to snapshot and run (see _pkg.py), or 'working'")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    state, snapshot = resolve(args.rev)
    pkg = env_for(snapshot)
    WORK.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with (WORK / "minusma.txt").open("w") as f:
        subprocess.run([str(VENV / "briefing")], stdout=f, check=True, env={**env, **pkg}, cwd=WORK)
    seqs = sequences(pkg)
    if args.only:
        seqs = {k: v for k, v in seqs.items() if k in args.only.split(",")}

    print(f"bytes per keystroke in tmux 80x24, TERM=tmux-256color; median of {args.runs} runs; "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load {loadavg()}\n  package: {state}")
    OUT.mkdir(parents=True, exist_ok=True)
    table: dict[str, list[dict]] = {}
    with Tmux() as t:
        for name, seq in seqs.items():
            run_sequence(t, name, seq, 0)  # warm-up: .pyc files, cache
            runs = [run_sequence(t, name, seq, n) for n in range(1, args.runs + 1)]
            labels = ["first screen"] + [label for _, label in seq["keys"]]
            rows = []
            for k, label in enumerate(labels):
                sizes = [r[k][0] for r in runs]
                data = runs[-1][k][1]
                (OUT / f"{name}-{k:02d}.bin").write_bytes(data)
                rows.append(dict(label=label, median=median(sizes), sizes=sizes, stats=wire_stats(data)))
            (OUT / f"{name}-screens.txt").write_text(
                "\n\n".join(f"== {labels[k]} ==\n{runs[-1][k][2]}" for k in range(len(labels))))
            table[name] = rows
            print(f"\n{name}  ({' '.join(f'{k}={v}' for k, v in seq['env'].items() if k != 'PYTHONPATH') or 'defaults'})")
            for k, row in enumerate(rows):
                over = ""
                if k > 0 and name.startswith("briefing"):
                    over = "  ok" if row["median"] <= TARGET else f"  OVER 2 KB ({row['median'] / TARGET:.1f}x)"
                spread = f" [{min(row['sizes'])}-{max(row['sizes'])}]" if len(set(row['sizes'])) > 1 else ""
                print(f"  {row['label']:34} {row['median']:8.0f} B{spread}{over}")
                print(f"  {'':34}   {describe(runs[-1][k][1])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "package": state,
                                         "table": table}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
