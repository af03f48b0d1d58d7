"""The terminal output: only changed cells are written, and the screen the
terminal ends up showing is exactly the one Textual composed.

Each check feeds two emulated terminals (pyte): one gets Textual's own
output for every update, the other what :class:`briefing.ui.wire.Wire` makes
of the same updates. After every step both must show the same characters in
the same colours and attributes.
"""

from __future__ import annotations

import pyte
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from briefing.ui.app import BriefingApp
from briefing.ui.wire import DiffUpdate, Wire, _pen_of, _transition

from .conftest import hostile_briefing, long_briefing

SIZE = (80, 24)


class Terminals:
    """Two emulated terminals fed the full and the diffed output."""

    def __init__(self, width: int, height: int, erase: bool = False) -> None:
        self.width, self.height = width, height
        self.full = pyte.Screen(width, height)
        self.diff = pyte.Screen(width, height)
        self._full = pyte.Stream(self.full)
        self._diff = pyte.Stream(self.diff)
        self.wire = Wire(erase)
        self.every_frame = False
        self.full_bytes = self.diff_bytes = 0

    def feed(self, update, console: Console) -> None:
        full = update.render_segments(console)
        diff = self.wire.encode(update, self.width, self.height, console)
        self.full_bytes += len(full.encode())
        self.diff_bytes += len(diff.encode())
        self._full.feed(full)
        self._diff.feed(diff)
        if self.every_frame:
            self.assert_same("a frame")

    def assert_same(self, step: str = "") -> None:
        assert self.diff.display == self.full.display, step
        for y in range(self.height):
            full_row, diff_row = self.full.buffer[y], self.diff.buffer[y]
            for x in range(self.width):
                assert seen(diff_row[x]) == seen(full_row[x]), (step, x, y, full_row[x], diff_row[x])


def seen(char: pyte.screens.Char) -> tuple:
    """What a cell looks like: a blank shows only its background, unless
    it is reversed, underlined or struck through."""
    if char.data == " " and not (char.reverse or char.underscore or char.strikethrough):
        return (" ", char.bg)
    return tuple(char)


def tap(monkeypatch, terminals: Terminals) -> None:
    """Route every screen update of the (headless) app through both
    terminals, comparing them after every frame, not only after every key."""
    terminals.every_frame = True
    def _display(self, screen, renderable):
        if DiffUpdate.handles(renderable):
            terminals.feed(renderable, self.console)

    monkeypatch.setattr(BriefingApp, "_display", _display)


STEPS = ["2", "j", "j", "l", "3", "j", "G", "4", "enter", "pagedown", "pagedown", "1", "j",
         "ctrl+t", "slash", *"menaka", "down", "enter", "n", "question_mark", "escape", "ctrl+t"]


@pytest.mark.parametrize("erase", [False, True], ids=["spaces", "erase"])
async def test_diffed_output_shows_what_textual_composed(sample, monkeypatch, erase):
    terminals = Terminals(*SIZE, erase=erase)
    tap(monkeypatch, terminals)
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        terminals.assert_same("first screen")
        for key in STEPS:
            await pilot.press(key)
            await pilot.pause()
            terminals.assert_same(key)
    # Same pictures for far fewer bytes (not a timing: a byte count).
    assert terminals.diff_bytes < terminals.full_bytes / 3


@pytest.mark.parametrize("erase", [False, True], ids=["spaces", "erase"])
async def test_diffed_output_with_hostile_text(tmp_path, monkeypatch, erase):
    from briefing.loader import load

    terminals = Terminals(100, 30, erase=erase)
    tap(monkeypatch, terminals)
    app = BriefingApp(briefing=load(hostile_briefing(tmp_path)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ["2", "j", "3", "4", "enter", "1"]:
            await pilot.press(key)
            await pilot.pause()
            terminals.assert_same(key)


@pytest.mark.parametrize("erase", [False, True], ids=["spaces", "erase"])
async def test_a_long_source_scrolls_the_same(tmp_path, monkeypatch, erase):
    from briefing.loader import load

    terminals = Terminals(*SIZE, erase=erase)
    tap(monkeypatch, terminals)
    app = BriefingApp(briefing=load(long_briefing(tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ["4", "enter", "pagedown", "j", "j", "pageup", "G", "g", "3", "pagedown", "pagedown", "k"]:
            await pilot.press(key)
            await pilot.pause()
            terminals.assert_same(key)


# -- the encoder on its own ------------------------------------------------------

CONSOLE = Console(color_system="256", width=20, file=open("/dev/null", "w"), legacy_windows=False)


def layout(rows: dict[int, list[Segment]], width: int = 20, x: int = 0) -> LayoutUpdate:
    y0 = min(rows)
    strips = [[Strip(rows[y])] for y in range(y0, max(rows) + 1)]
    return LayoutUpdate(strips, Region(x, y0, width - x, len(strips)))


def test_unchanged_cells_are_not_written():
    t = Terminals(20, 3)
    plain = Style(color="white", bgcolor="black")
    t.feed(layout({0: [Segment("hello world".ljust(20), plain)]}), CONSOLE)
    first = t.diff_bytes
    t.feed(layout({0: [Segment("hello World".ljust(20), plain)]}), CONSOLE)
    t.assert_same()
    assert t.diff_bytes - first < 30  # one move, one style, one character
    before = t.diff_bytes
    t.feed(layout({0: [Segment("hello World".ljust(20), plain)]}), CONSOLE)
    assert t.diff_bytes == before  # nothing changed: nothing written


def test_cells_that_look_the_same_are_not_written():
    """A new style that shows the same (other mouse metadata, a colour
    that maps to the same code, another foreground on a blank) is not a
    change: a scrollbar track in the background's colour appearing over
    blank cells sends nothing."""
    t = Terminals(20, 2)
    eight_bit = Console(color_system="256", force_terminal=True, width=20)
    base = Style(color="white", bgcolor="color(234)")
    t.feed(layout({0: [Segment("text".ljust(20), base)], 1: [Segment(" " * 20, base)]}), eight_bit)
    before = t.diff_bytes
    t.feed(layout({
        0: [Segment("text", base + Style(meta={"option": 1})), Segment(" " * 16, base)],
        1: [Segment(" " * 10, Style(color="red", bgcolor="color(234)", bold=True, meta={"@mouse.down": "x"})),
            Segment(" " * 10, Style(color="white", bgcolor="#1c1c1c"))],  # #1c1c1c is colour 234
    }), eight_bit)
    t.assert_same()
    assert t.diff_bytes == before
    # A blank that is reversed or underlined shows its foreground: written.
    t.feed(layout({1: [Segment(" ", base + Style(reverse=True)), Segment(" " * 19, base)]}), eight_bit)
    t.assert_same()
    assert t.diff_bytes > before


def test_wide_characters_and_combining_marks():
    t = Terminals(20, 2)
    s = Style(color="red")
    t.feed(layout({0: [Segment("ab漢字cd".ljust(18), s)], 1: [Segment("e\u0301te\u0301".ljust(18), s)]}), CONSOLE)
    t.assert_same("wide")
    # Wide characters moved by one column: every one is rewritten whole.
    # (Writing over one half of a wide character is left out: terminals
    # disagree on what is shown, and Textual never splits one.)
    t.feed(layout({0: [Segment("字字字", Style(bold=True))]}, x=1), CONSOLE)
    t.assert_same("shifted")
    t.feed(layout({1: [Segment("é\u0301x", s)]}, x=0), CONSOLE)
    t.assert_same("marks")


def test_a_link_falls_back_to_textual_and_forgets_the_screen():
    t = Terminals(20, 2)
    t.feed(layout({0: [Segment("plain".ljust(20))]}), CONSOLE)
    linked = Style(link="https://example.org")
    update = layout({1: [Segment("link".ljust(20), linked)]})
    out = t.wire.encode(update, 20, 2, CONSOLE)
    assert out == update.render_segments(CONSOLE)
    assert t.wire.rows == [[None] * 20, [None] * 20]


def test_forget_makes_the_next_update_complete():
    t = Terminals(20, 2)
    update = layout({0: [Segment("same".ljust(20))], 1: [Segment("rows".ljust(20))]})
    t.feed(update, CONSOLE)
    assert t.wire.encode(update, 20, 2, CONSOLE) == ""
    t.wire.forget()
    assert "same" in t.wire.encode(update, 20, 2, CONSOLE)
    assert t.wire.encode(update, 20, 2, CONSOLE) == ""
    # A new size forgets too.
    assert "same" in t.wire.encode(update, 21, 2, CONSOLE)


COLORS = st.one_of(st.none(), st.sampled_from(["red", "color(33)", "color(250)", "#102030", "default"]))
STYLES = st.builds(
    Style, color=COLORS, bgcolor=COLORS, bold=st.sampled_from([None, True, False]),
    dim=st.sampled_from([None, True]), italic=st.sampled_from([None, True]),
    underline=st.sampled_from([None, True]), reverse=st.sampled_from([None, True]),
    strike=st.sampled_from([None, True]),
)


@settings(max_examples=300, deadline=None)
@given(STYLES, STYLES, st.sampled_from(["256", "truecolor", "standard"]))
def test_every_style_change_ends_in_the_same_pen(before, after, system):
    """From any pen to any other, the short transition leaves the terminal
    in the state a full reset and the new codes would (as pyte sees it)."""
    from rich.color import ColorSystem

    cs = {"256": ColorSystem.EIGHT_BIT, "truecolor": ColorSystem.TRUECOLOR, "standard": ColorSystem.STANDARD}[system]
    a, b = _pen_of(before, cs), _pen_of(after, cs)
    short, full = pyte.Screen(4, 1), pyte.Screen(4, 1)
    pyte.Stream(short).feed(_transition(None, a) + _transition(a, b) + "x")
    pyte.Stream(full).feed(_transition(None, b) + "x")
    assert short.buffer[0][0] == full.buffer[0][0]
    assert len(_transition(a, b)) <= len(_transition(None, b))


async def test_ctrl_l_forgets_the_screen(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        assert app.wire is not None
        app.wire.encode(layout({0: [Segment("x" * 20)]}), 20, 2, CONSOLE)
        assert app.wire.rows[0][0] == ("x", None)
        await pilot.press("ctrl+l")
        assert app.wire.rows == [[None] * 20, [None] * 20]


def test_full_redraw_turns_the_diff_off(sample, monkeypatch):
    monkeypatch.setenv("BRIEFING_FULL_REDRAW", "1")
    assert BriefingApp(briefing=sample).wire is None


def test_blank_stretches_are_erased_on_terminals_that_can():
    t = Terminals(30, 2, erase=True)
    bg = Style(color="white", bgcolor="blue")
    t.feed(layout({0: [Segment("x" * 30, bg)], 1: [Segment("y" * 30, bg)]}, width=30), CONSOLE)
    before = t.diff_bytes
    update = layout({0: [Segment("ab" + " " * 12 + "cd" + " " * 14, bg)],
                     1: [Segment(" " * 10 + "z" * 20, Style(bgcolor="blue"))]}, width=30)
    out = t.wire.encode(update, 30, 2, CONSOLE)
    t._full.feed(update.render_segments(CONSOLE))
    t._diff.feed(out)
    t.assert_same()
    # Each row is erased from its first change (ESC[K) and only the text is
    # written; the blanks between are skipped, not written.
    assert out.count("\x1b[K") == 2 and " " * 8 not in out
    assert len(out) < 70
    assert before > 0


def test_a_row_is_never_erased_in_reverse_video():
    """Erased cells take the pen's attributes in some terminals: a row erased
    right after a reversed cell (a scrollbar thumb) must not turn reverse."""
    t = Terminals(30, 2, erase=True)
    s = Style(color="white", bgcolor="blue")
    thumb = Style(color="cyan", bgcolor="blue", reverse=True)
    t.feed(layout({0: [Segment("x" * 30, s)], 1: [Segment("y" * 30, s)]}, width=30), CONSOLE)
    update = layout({0: [Segment("a" * 29, s), Segment(" ", thumb)],
                     1: [Segment("b", s), Segment(" " * 20, s), Segment("c", s), Segment(" " * 8, s)]}, width=30)
    out = t.wire.encode(update, 30, 2, CONSOLE)
    t._full.feed(update.render_segments(CONSOLE))
    t._diff.feed(out)
    t.assert_same()


def test_each_row_takes_the_shorter_way():
    """A row of scattered changes is not erased; a row that is mostly
    blanks is; the move to the next row is CR LF when that is shorter."""
    t = Terminals(40, 3, erase=True)
    s = Style(color="white", bgcolor="blue")
    t.feed(layout({y: [Segment(f"line {y} ".ljust(40, "x"), s)] for y in range(3)}, width=40), CONSOLE)
    update = layout({0: [Segment("line 0 ".ljust(20, "x") + "Y" + "x" * 19, s)],
                     1: [Segment("short", s), Segment(" " * 35, s)],
                     2: [Segment("line 2 ".ljust(40, "x"), s)]}, width=40)
    out = t.wire.encode(update, 40, 3, CONSOLE)
    t._full.feed(update.render_segments(CONSOLE))
    t._diff.feed(out)
    t.assert_same()
    assert out.startswith("\x1b[1;21H")
    assert "\r\n" in out and out.count("\x1b[K") == 1


@pytest.mark.parametrize("term, tmux, bce", [
    ("xterm-256color", False, True), ("screen", False, False), ("screen", True, True),
    ("tmux-256color", False, True), ("no-such-terminal-xyz", False, False), ("", False, False)])
def test_bce_comes_from_terminfo(term, tmux, bce):
    """GNU screen leaves erased cells in the default colour: no erasing
    there; tmux erases with the background whatever its TERM says. (Each in
    its own process: curses reads terminfo only once.)"""
    import subprocess
    import sys

    code = f"from briefing.ui.wire import terminal_has_bce; print(terminal_has_bce({term!r}, {tmux!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(bce)


async def test_coming_back_from_a_suspension_forgets_the_screen(sample):
    """After SIGTSTP and fg the terminal was cleared: everything is drawn again."""
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.wire.encode(layout({0: [Segment("x" * 20)]}), 20, 2, CONSOLE)
        app.app_resume_signal.publish(app)
        await pilot.pause()
        assert app.wire.rows == [[None] * 20, [None] * 20]


# A few styles a frame mixes: plain, bold, two backgrounds, and the ones a
# blank shows (reverse, underline), so rows can be erased in either way.
FRAME_STYLES = [Style(color="white", bgcolor="color(234)"), Style(color="white", bgcolor="color(234)", bold=True),
                Style(color="color(250)", bgcolor="color(17)"), Style(color="cyan", bgcolor="color(234)", reverse=True),
                Style(color="white", bgcolor="color(234)", underline=True), None]
RUNS = st.lists(st.tuples(st.sampled_from(["", " ", "  ", " " * 9, "ab", "word ", "é", "字"]),
                          st.integers(0, len(FRAME_STYLES) - 1)), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.integers(0, 3), RUNS, min_size=1, max_size=4), min_size=1, max_size=5),
       st.booleans(), st.integers(0, 6))
def test_any_sequence_of_frames_shows_what_textual_would(frames, erase, x):
    """Frames of random rows (text, blanks and wide characters in styles that
    do and do not show on a blank), each drawn from column ``x``: after
    every one, the diffed terminal shows what Textual's output shows."""
    t = Terminals(16, 4, erase=erase)
    for rows in frames:
        segments = {}
        for y, runs in rows.items():
            line = [Segment(text * 2 if text in ("ab", "é") else text, FRAME_STYLES[n]) for text, n in runs]
            width = sum(s.cell_length for s in line)
            line.append(Segment(" " * max(0, 16 - x - width), FRAME_STYLES[0]))
            segments[y] = Strip(line).crop(0, 16 - x).extend_cell_length(16 - x)
        y0, y1 = min(segments), max(segments)
        strips = [[segments.get(y, Strip.blank(16 - x, FRAME_STYLES[0]))] for y in range(y0, y1 + 1)]
        t.feed(LayoutUpdate(strips, Region(x, y0, 16 - x, len(strips))), CONSOLE)
        t.assert_same()
