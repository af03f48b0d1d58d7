#!/usr/bin/env python3
"""Where the first-screen time goes: runs the reader (or the minimal app) in
tmux with timestamps taken inside the process, and prints the phases.

    .venv/bin/python benchmarks/trace_startup.py [--runs 7] [--only briefing,minimal]

Inside the process (this file re-runs itself as the program in the tmux
pane, with ``--child``), wrappers record wall-clock times: the script's first
line, imports done (``briefing.cli``, ``briefing.cache``, ``briefing.ui.app``,
``BriefingScreen``; for the minimal app ``textual.app`` and its widgets),
``cache.load`` of the briefing, ``App.run`` called, the driver started
(CSS read and parsed), the screen composed and mounted (``App._ready``), and
the first write of a frame to the terminal. The parent records the launch and
the moment the marker is seen on screen. The wrappers are set in this
process only; nothing in the package is changed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

T_SCRIPT = time.time()

from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _bluf_text() -> None:
    """What-if: BLUF rows as one Text ("1. " + point) instead of a Rich
    Table.grid per row (loses the hanging indent)."""
    from rich.text import Text

    import briefing.ui.panes.bluf as bluf

    def numbered(number, body, width=3):
        return Text.assemble(Text(number.rjust(width) + " ", style="bold"), body)

    bluf.numbered = numbered


def _defer_fill() -> None:
    """What-if: panes other than the one on screen fill their lists after
    the first frame (call_after_refresh) instead of in on_mount."""
    from briefing.ui.panes.base import NavigationPane

    def on_mount(self) -> None:
        self.prepare()
        if self.id == "bluf":
            self.fill_list()
        else:
            self.call_after_refresh(self.fill_list)

    NavigationPane.on_mount = on_mount


def _bluf_only() -> None:
    """What-if (a floor, not usable): compose only the BLUF pane; the other
    three tabs are empty TabPanes."""
    from textual.widgets import Footer, TabbedContent, TabPane

    from briefing.ui.panes.bluf import BlufPane
    from briefing.ui.screens.briefing import BriefingScreen
    from briefing.ui.widgets.header import BriefingHeader

    def compose(self):
        yield BriefingHeader(self.briefing.meta, id="header")
        with TabbedContent(id="tabs", initial="bluf"):
            yield BlufPane(self.briefing)
            yield TabPane("2 Actors", id="actors")
            yield TabPane("3 Timeline", id="timeline")
            yield TabPane("4 Sources", id="sources")
        yield Footer()

    BriefingScreen.compose = compose


def _no_breakpoints() -> None:
    """What-if: no HORIZONTAL/VERTICAL_BREAKPOINTS on the app (the -narrow /
    -wide classes are then never set, so app.tcss rules for them do not apply)."""
    from briefing.ui.app import BriefingApp

    BriefingApp.HORIZONTAL_BREAKPOINTS = []
    BriefingApp.VERTICAL_BREAKPOINTS = []


def _static_footer() -> None:
    """What-if: a one-line Static with the same text instead of Textual's
    Footer, which builds a FooterKey widget per key and rebuilds them all
    (recompose) every time the screen's bindings are refreshed."""
    from textual.widgets import Static

    import briefing.ui.screens.briefing as screen_module

    class StaticFooter(Static):
        DEFAULT_CSS = """
        StaticFooter { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground; }
        """

    def footer() -> Static:
        return StaticFooter(" ⏎ Follow  1234 Panes  esc Back  / Search  q Quit  ? Help               ^p Jump",
                            markup=False)

    screen_module.Footer = footer


def _focus_no_repaint() -> None:
    """What-if: Textual's ``Screen.focused`` reactive without repaint=True.
    In Textual 8.2.8 every focus change repaints the whole screen (a second,
    identical full frame after a pane switch)."""
    from textual.screen import Screen

    Screen.__dict__["focused"]._repaint = False


def _add_css(css: str) -> None:
    from briefing.ui.app import BriefingApp

    BriefingApp.CSS = (BriefingApp.CSS or "") + css


def _gutter() -> None:
    """What-if: ``scrollbar-gutter: stable`` on the lists and the text view,
    so a scrollbar appearing after the first layout does not re-wrap (and
    repaint) the whole pane."""
    _add_css("NavList, SourceText { scrollbar-gutter: stable; }")


def _ansi_theme() -> None:
    """What-if: Textual's "ansi-dark" theme (the terminal's own 16 colours and
    default background) instead of "textual-dark": shorter SGR codes, and no
    background code on plain cells."""
    import briefing.ui.app

    briefing.ui.app.DARK_THEME = "ansi-dark"


def _default_screen() -> None:
    """What-if: the BriefingScreen is the app's default screen
    (``App.get_default_screen``) instead of being pushed in ``on_mount`` over
    an empty default screen that gets composed, laid out and resized first."""
    from textual.app import App

    from briefing.ui.app import BriefingApp
    from briefing.ui.screens.briefing import BriefingScreen

    original_mount = BriefingApp.on_mount

    def get_default_screen(self):
        if self.briefing is not None:
            return BriefingScreen(self.briefing)
        return App.get_default_screen(self)

    def on_mount(self) -> None:
        if self.briefing is None:
            original_mount(self)

    BriefingApp.get_default_screen = get_default_screen
    BriefingApp.on_mount = on_mount


WHATIFS = {"default-screen": _default_screen, "ansi-theme": _ansi_theme, "focus-no-repaint": _focus_no_repaint, "gutter": _gutter, "static-footer": _static_footer, "bluf-text": _bluf_text, "defer-fill": _defer_fill, "bluf-only": _bluf_only,
           "no-breakpoints": _no_breakpoints}


def child(kind: str, out: str) -> None:
    marks: dict[str, float] = {"script": T_SCRIPT}
    writes: list[tuple[float, int]] = []

    def mark(name: str) -> None:
        marks.setdefault(name, time.time())

    base, *whatifs = kind.split("+")
    if base == "briefing":
        import briefing.cache
        import briefing.cli
        import briefing.ui.app
        import briefing.ui.screens.briefing  # noqa: F401
    else:
        sys.path.insert(0, str(HERE))
        import minimal_app  # noqa: F401
    mark("imports")

    import textual.app
    from textual.drivers.linux_driver import LinuxDriver

    original_write = LinuxDriver.write

    def write(self, data: str) -> None:
        writes.append((time.time(), len(data.encode("utf-8", "replace"))))
        if profiler and len(data) > 1000:
            profiler.disable()  # the first frame is out
            profiler.dump_stats(profile_out)
        original_write(self, data)

    LinuxDriver.write = write

    original_start = LinuxDriver.start_application_mode

    profile_out = os.environ.get("BENCH_PROFILE")
    profiler = None
    if profile_out:
        import cProfile

        profiler = cProfile.Profile()

    def start_application_mode(self) -> None:
        mark("driver_start")  # after App prelude: CSS read and parsed
        original_start(self)
        if profiler:
            profiler.enable()

    LinuxDriver.start_application_mode = start_application_mode

    original_ready = textual.app.App._ready

    async def _ready(self) -> None:
        mark("ready")  # compose + mount of the app and its first screen done
        await original_ready(self)

    textual.app.App._ready = _ready

    original_run = textual.app.App.run

    def run(self, *a, **k):
        mark("app_run")
        return original_run(self, *a, **k)

    textual.app.App.run = run

    # Counters up to the first frame: Footer recomposes, focus changes,
    # stylesheet updates of a node and its children, layout refreshes.
    counts: dict[str, int] = {}
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen
    from textual.widgets import Footer

    def count(cls, name: str, key: str, is_async: bool = False) -> None:
        original = getattr(cls, name)

        def bump() -> None:
            if not any(size > 1000 for _, size in writes):
                counts[key] = counts.get(key, 0) + 1

        if is_async:
            async def wrapper(*a, **k):
                bump()
                return await original(*a, **k)
        else:
            def wrapper(*a, **k):
                bump()
                return original(*a, **k)
        setattr(cls, name, wrapper)

    count(Footer, "recompose", "footer_recompose", is_async=True)
    count(Screen, "set_focus", "set_focus")
    count(Stylesheet, "update_nodes", "stylesheet_update_nodes")
    count(Screen, "_refresh_layout", "screen_refresh_layout")
    count(Screen, "_on_resize", "screen_resize_events")

    def dump() -> None:
        Path(out).write_text(json.dumps({"marks": marks, "writes": writes, "counts": counts}))

    import atexit
    import signal

    atexit.register(dump)
    signal.signal(signal.SIGHUP, lambda *_: (dump(), os._exit(0)))

    for name in whatifs:
        WHATIFS[name]()
    if base == "briefing":
        original_load = briefing.cache.load

        def load(*a, **k):
            mark("load_start")
            try:
                return original_load(*a, **k)
            finally:
                mark("load_end")

        briefing.cache.load = load
        sys.argv = ["briefing"]
        briefing.cli.main([])
    else:
        mark("app_init")
        minimal_app.MinimalApp().run()


def parent(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from _pkg import env_for, resolve
    from _term import Tmux, loadavg, median

    state, snapshot = resolve(args.rev)

    py = str(ROOT / ".venv" / "bin" / "python")
    b_markers = ["MINUSMA: The UN Stabilisation", "1. MINUSMA is ending"]
    b_env = {"BRIEFING_CACHE_DIR": "/tmp/bench-cache-first", **env_for(snapshot)}
    kinds = {"briefing": (b_markers, b_env), "minimal": (["Minimal app: four tabs", "Minimal point one"], {})}
    for name in args.only.split(","):
        if name.startswith("briefing+"):
            kinds[name] = (b_markers, b_env)
    kinds = {k: v for k, v in kinds.items() if not args.only or k in args.only.split(",")}
    results: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
    print(f"startup phases in tmux 80x24, median of {args.runs} runs after 1 warm-up; "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load {loadavg()}\n  package: {state}")
    with Tmux() as t:
        for n in range(args.runs + 1):
            for kind, (markers, env) in kinds.items():
                out = f"/tmp/bench-trace-{kind}.json"
                Path(out).unlink(missing_ok=True)
                session = f"{kind}-{n}"
                wall0 = time.time()
                t0 = t.launch(session, [py, str(Path(__file__).resolve()), "--child", kind, out], env=env,
                              cwd="/tmp")
                seen = t.wait_for(session, markers, t0, timeout=30)
                time.sleep(0.3)  # let the remaining writes of the first screen happen
                t.kill(session)
                for _ in range(100):
                    if Path(out).exists():
                        break
                    time.sleep(0.02)
                data = json.loads(Path(out).read_text())
                if n == 0:
                    continue  # warm-up
                m = {k: (v - wall0) * 1000 for k, v in data["marks"].items()}
                w = [((ts - wall0) * 1000, size) for ts, size in data["writes"]]
                big = next((ts for ts, size in w if size > 1000), None)
                m["first_frame_write"] = big if big is not None else float("nan")
                m["marker_seen"] = max(seen.values()) * 1000
                m["bytes_first_second"] = sum(size for ts, size in w if ts < m["marker_seen"] + 1000)
                m["counts"] = data.get("counts", {})
                results[kind].append(m)
            time.sleep(0.1)

    order = [
        ("script", "interpreter start + site (launch -> first line of the script)"),
        ("imports", "imports"),
        ("load_start", "(cli: argument parsing, paths)"),
        ("load_end", "cache.load of the briefing"),
        ("app_init", "(minimal: about to construct the App)"),
        ("app_run", "App() constructed, run() called"),
        ("driver_start", "App.run -> driver started (CSS read + parsed)"),
        ("ready", "compose + mount (app and first screen)"),
        ("first_frame_write", "first frame rendered and written"),
        ("marker_seen", "terminal shows it (tmux + 5 ms polling)"),
    ]
    for kind, runs in results.items():
        print(f"\n{kind}: time since launch (median), and the step from the previous mark")
        prev = 0.0
        for key, label in order:
            vals = [r[key] for r in runs if key in r]
            if not vals:
                continue
            at = median(vals)
            print(f"  {at:7.0f} ms  (+{at - prev:5.0f})  {label}")
            prev = at
        print(f"  bytes written for the first screen: {median([r['bytes_first_second'] for r in runs]):.0f}")
        keys = sorted({k for r in runs for k in r["counts"]})
        print("  until the first frame: " + ", ".join(
            f"{k} {median([r['counts'].get(k, 0) for r in runs]):.0f}" for k in keys))
    return 0


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--rev", default="HEAD", help="commit to snapshot and run (see _pkg.py), or 'working'")
    ap.add_argument("--only", default="", help="briefing, minimal, and what-ifs such as briefing+bluf-text, "
                    "briefing+defer-fill, briefing+bluf-only (combine with +): " + ", ".join(WHATIFS))
    return parent(ap.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
