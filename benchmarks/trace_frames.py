#!/usr/bin/env python3
"""Where the bytes of a keystroke go: the frames the app writes per key, and
what happened inside the app before each frame.

    .venv/bin/python benchmarks/trace_frames.py [--app briefing|minimal] [--keys 2,3,j] [--rev HEAD]
                                                [--whatif static-footer]

Runs the app in tmux 80x24 (this file re-runs itself as the program, with
``--child``), with wrappers that log, in one timeline: every write to the
terminal (bytes, rows it draws to), Footer recomposes, focus changes, layout
refreshes (``Screen._refresh_layout``), and the compositor refreshes that
produce a frame. The parent sends each key, waits for the output to settle,
and prints for each key its frames and the events before each one. The
wrappers are set in the traced process only; nothing in the package changes.

``--whatif`` applies one of trace_startup.py's what-ifs (e.g. static-footer)
in the traced process.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(kind: str, out: str, whatifs: list[str]) -> None:
    log: list[list] = []  # [time, kind, detail]
    raw: list[list] | None = [] if os.environ.get("TRACE_FRAMES_RAW") else None

    def note(what: str, detail: str = "") -> None:
        log.append([time.time(), what, detail])

    import textual.app  # noqa: F401
    from textual.drivers.linux_driver import LinuxDriver
    from textual.screen import Screen
    from textual.widgets import Footer

    original_write = LinuxDriver.write

    def write(self, data: str) -> None:
        rows = sorted({int(r) for r in re.findall(r"\x1b\[(\d+);\d+H", data)})
        note("write", json.dumps([len(data.encode("utf-8", "replace")), rows]))
        if raw is not None:
            raw.append([log[-1][0], data])
        original_write(self, data)

    LinuxDriver.write = write

    original_recompose = Footer.recompose

    async def recompose(self):
        note("footer-recompose")
        return await original_recompose(self)

    Footer.recompose = recompose

    original_focus = Screen.set_focus

    def set_focus(self, widget, *a, **k):
        note("set-focus", f"{type(widget).__name__}#{getattr(widget, 'id', None)}")
        return original_focus(self, widget, *a, **k)

    Screen.set_focus = set_focus

    original_layout = Screen._refresh_layout

    def _refresh_layout(self, size=None, scroll=False):
        note("refresh-layout", "scroll" if scroll else "")
        return original_layout(self, size, scroll)

    Screen._refresh_layout = _refresh_layout

    original_bindings = Screen.refresh_bindings

    def refresh_bindings(self):
        note("refresh-bindings")
        return original_bindings(self)

    Screen.refresh_bindings = refresh_bindings

    from textual._compositor import Compositor

    original_full = Compositor.render_full_update

    def render_full_update(self, *a, **k):
        note("FULL-repaint")
        return original_full(self, *a, **k)

    Compositor.render_full_update = render_full_update

    import traceback

    original_screen_refresh = Screen.refresh

    def screen_refresh(self, *regions, **k):
        if not regions and (k.get("repaint", True) or k.get("layout")):
            chain = "<".join(f.name for f in reversed(traceback.extract_stack(limit=6)[:-1]))
            note("screen.refresh", f"{','.join(f'{a}={b}' for a, b in k.items())} from {chain}")
        return original_screen_refresh(self, *regions, **k)

    Screen.refresh = screen_refresh

    def dump() -> None:
        Path(out).write_text(json.dumps(log))
        if raw is not None:
            Path(out + ".raw").write_text(json.dumps(raw))

    import atexit
    import signal

    atexit.register(dump)
    signal.signal(signal.SIGHUP, lambda *_: (dump(), os._exit(0)))
    signal.signal(signal.SIGUSR1, lambda *_: dump())

    if kind == "briefing":
        sys.path.insert(0, str(HERE))
        import trace_startup

        for name in whatifs:
            trace_startup.WHATIFS[name]()
        import briefing.cli

        briefing.cli.main([])
    else:
        sys.path.insert(0, str(HERE))
        import minimal_app

        minimal_app.MinimalApp().run()


def parent() -> int:
    import argparse

    sys.path.insert(0, str(HERE))
    from _pkg import env_for, resolve
    from _term import Tmux
    import signal

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--app", default="briefing", choices=["briefing", "minimal"])
    ap.add_argument("--keys", default="j,2,3,j,4,Enter,PageDown")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--whatif", default="")
    ap.add_argument("--env", default="", help="extra VAR=value,VAR=value for the app")
    ap.add_argument("--raw", action="store_true", help="also print what each write draws, row by row "
                    "(escape codes stripped)")
    args = ap.parse_args()
    state, snapshot = resolve(args.rev)
    env = {"BRIEFING_CACHE_DIR": "/tmp/bench-cache-first", **env_for(snapshot)}
    if args.raw:
        env["TRACE_FRAMES_RAW"] = "1"
    for pair in filter(None, args.env.split(",")):
        k, v = pair.split("=", 1)
        env[k] = v
    marker = "1. MINUSMA is ending" if args.app == "briefing" else "Minimal point one"
    out = "/tmp/bench-trace-frames.json"
    Path(out).unlink(missing_ok=True)
    py = str(ROOT / ".venv" / "bin" / "python")
    print(f"frames per key, {args.app}, package: {state}; what-if: {args.whatif or 'none'}; env: {args.env or '-'}")
    with Tmux() as t:
        t0 = t.launch("f", [py, str(Path(__file__).resolve()), "--child", args.app, out, args.whatif],
                      env=env, cwd="/tmp")
        t.wait_for("f", [marker], t0, timeout=30)
        pid = t.pid("f")
        time.sleep(1.0)
        sent: list[tuple[float, str]] = []
        for key in args.keys.split(","):
            sent.append((time.time(), key))
            t.send("f", key)
            time.sleep(1.0)
        os.kill(pid, signal.SIGUSR1)  # dump the log (the process this session started)
        time.sleep(0.3)
        t.kill("f")
    log = json.loads(Path(out).read_text())
    raw = {ts: data for ts, data in json.loads(Path(out + ".raw").read_text())} if args.raw else {}
    bounds = sent + [(float("inf"), "")]
    for (start, key), (end, _) in zip(bounds, bounds[1:]):
        events = [e for e in log if start <= e[0] < end]
        writes = [json.loads(e[2]) for e in events if e[1] == "write"]
        total = sum(w[0] for w in writes)
        print(f"\nkey {key!r}: {total} bytes in {len(writes)} writes")
        pending: list[str] = []
        for ts, what, detail in events:
            if what == "write":
                size, rows = json.loads(detail)
                span = f"rows {rows[0]}-{rows[-1]} ({len(rows)})" if rows else "no rows"
                print(f"  +{(ts - start) * 1000:5.0f} ms  write {size:6d} B, {span}; before it: "
                      f"{', '.join(pending) or '-'}")
                pending = []
                if ts in raw:
                    for row, _col, text in re.findall(r"\x1b\[(\d+);(\d+)H((?:(?!\x1b\[\d+;\d+H).)*)", raw[ts], re.S):
                        plain = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", text).replace("\r\n", "")
                        print(f"      row {int(row):2d}: {plain[:90]!r}")
            else:
                pending.append(what + (f"({detail})" if detail else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], [w for w in sys.argv[4].split("+") if w] if len(sys.argv) > 4 else [])
        raise SystemExit(0)
    raise SystemExit(parent())
