#!/usr/bin/env python3
"""The floor for the reader's first screen and keystrokes: a plain Textual app
with the same kinds of widgets as ``briefing`` and nothing else.

    .venv/bin/python benchmarks/minimal_app.py

* a one-line header (a ``Static``) like ``BriefingHeader``;
* a ``TabbedContent`` with four ``TabPane``\\ s;
* an ``OptionList`` of 15 wrapped items in the first pane;
* a ``Footer``.

Keys as in the reader: 1-4 switch panes, j/k move in the list, pagedown pages,
q quits. ``MINIMAL_SWITCH_INTERVAL=0.001`` sets Python's switch interval
as the reader does. Animations follow Textual's default (``TEXTUAL_ANIMATIONS``, "full"
unless set), so ``TEXTUAL_ANIMATIONS=none`` shows what turning them off saves.
The marker text ``MARKER`` is on the first row of the list; the benchmarks
wait for it to be on screen.

Used by bench_first_screen.py and bench_wire_bytes.py; it imports nothing
from ``briefing``.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

MARKER = "Minimal point one"

WORDS = (
    "the mission was asked to leave after the council voted to close it and the "
    "transitional authorities turned to new partners while the armed groups in the "
    "north watched the bases being handed over"
).split()


def point(n: int) -> str:
    # Two to three lines at 80 columns, like a BLUF point.
    body = " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(30 + n % 3 * 8))
    head = MARKER if n == 0 else f"Point {n + 1}"
    return f"{head}: {body}."


class MinimalApp(App[None]):
    CSS = """
    #header { height: 1; background: $panel; }
    TabbedContent { height: 1fr; }
    OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("1", "show('one')", "One"),
        Binding("2", "show('two')", "Two"),
        Binding("3", "show('three')", "Three"),
        Binding("4", "show('four')", "Four"),
        Binding("j", "down", "Down", show=False),
        Binding("k", "up", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(" UNCLASSIFIED  Minimal app: four tabs and a list          as of 2023-07-06", id="header")
        with TabbedContent(initial="one"):
            with TabPane("1 Bottom line", id="one"):
                yield OptionList(*(Option(point(n)) for n in range(15)), id="list")
            with TabPane("2 Actors", id="two"):
                yield Static("Actors pane")
            with TabPane("3 Timeline", id="three"):
                yield Static("Timeline pane")
            with TabPane("4 Sources", id="four"):
                yield Static("Sources pane")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#list", OptionList).focus()

    def action_show(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_down(self) -> None:
        self.query_one("#list", OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one("#list", OptionList).action_cursor_up()


if __name__ == "__main__":
    import os
    import sys

    # MINIMAL_SWITCH_INTERVAL=0.001 gives it the reader's switch interval
    # (briefing.cli._run_app), for comparing like with like.
    if os.environ.get("MINIMAL_SWITCH_INTERVAL"):
        sys.setswitchinterval(float(os.environ["MINIMAL_SWITCH_INTERVAL"]))
    MinimalApp().run()
