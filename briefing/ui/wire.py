"""Fewer bytes to the terminal: write only the cells that changed.

Textual redraws whole lines of every region it repaints, and styles each run
of text as ``ESC[0m ESC[<all codes>m text``. Over a slow SSH link that is
most of what a keystroke costs: a tab switch repaints the screen several
times (focus changes, the scrollbar appearing), and moving the highlight in
a list redraws every visible line of it.

:class:`Wire` keeps a copy of what the terminal shows (a character and a
style for each cell) and turns each screen update into the shortest
sequence that brings the terminal to the new picture:

* cells that already show the right character in the right style are
  skipped (a cursor move jumps over them, unless rewriting a short gap is
  shorter than the move);
* a style code is written only where the style changes, and only the parts
  that changed (``ESC[1m`` to add bold, not a reset and every colour again).

It works on the strips Textual has already composed, so what is shown is
exactly what Textual would have shown. Anything it does not model (a
hyperlink, a control segment) makes it hand the update back to Textual's
own output and forget what the terminal shows, so the next update is
written in full. The copy is also forgotten when the terminal is resized,
and on ctrl+l (redraw), for when something else wrote to the terminal.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

# The SGR code of each of Rich's attribute bits, in bit order (bold, dim,
# italic, underline, blink, blink2, reverse, conceal, strike, underline2,
# frame, encircle, overline): what Textual itself writes for them, and the
# code that turns each off again (22 ends both bold and dim).
_ATTRIBUTE_CODES = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "21", "51", "52", "53")
_OFF_CODES = ("22", "22", "23", "24", "25", "25", "27", "28", "29", "24", "54", "54", "55")
_BOLD_DIM = 0b11
# Attributes that show on a blank cell; the others (bold, dim, italic,
# blink, conceal) and the foreground colour do not, unless reversed.
_SHOW_ON_BLANK = sum(1 << n for n in (3, 6, 8, 9, 10, 11, 12))

Cell = tuple[str, "Style | None"]  # ("", style) follows a double-width character
Pen = tuple[int, tuple[str, ...], tuple[str, ...]]  # attribute bits, fg codes, bg codes
Cursor = tuple[int, int]  # (row, column); -1: not known
Look = tuple[list, list, int]  # a new row's pens, blank backgrounds, closing blanks' start (see Wire._write)
_PLAIN: Pen = (0, (), ())

#: Rewrite up to this many unchanged cells between two changed runs rather
#: than move the cursor over them (a move is ``ESC[row;colH``, 6-8 bytes).
GAP = 6
#: Erase a stretch of this many blanks (``ESC[nX``, then a move past them)
#: rather than write spaces. Only on terminals that fill erased cells with
#: the current background colour (terminfo ``bce``).
ERASE_FROM = 8


def terminal_has_bce(term: str | None = None, in_tmux: bool | None = None) -> bool:
    """Does the terminal fill erased cells with the current background
    colour (terminfo's ``bce`` flag: xterm, VTE, kitty... but not GNU
    screen)? Only then may blanks be erased instead of written. tmux does
    (its erase commands take the current background; seen with
    ``capture-pane -e``) although its terminfo entries do not say so."""
    term = os.environ.get("TERM", "") if term is None else term
    if in_tmux is None:
        in_tmux = bool(os.environ.get("TMUX"))
    if not term:
        return False
    if term.startswith("tmux") or in_tmux:
        return True
    try:
        import curses

        curses.setupterm(term, sys.__stdout__.fileno() if sys.__stdout__ else -1)
        return curses.tigetflag("bce") == 1
    except Exception:  # no curses, no terminfo entry: write the blanks
        return False


class Unsupported(Exception):
    """An update with something the cell copy cannot model."""


class Wire:
    def __init__(self, erase: bool = False) -> None:
        self.erase = erase  # the terminal has bce: ESC[K and ESC[nX may blank cells
        self.width = 0
        self.height = 0
        self.rows: list[list[Cell | None]] = []  # None: not known
        # Pens by the id of their style (hashing a Rich Style runs Python
        # code; an id does not). The style is kept with its pen, so its id
        # cannot be reused while the entry lives.
        self._pens: dict[int, tuple[Style | None, Pen]] = {}
        self._color_system: ColorSystem | None = None
        self._codes: dict[tuple[Pen | None, Pen], str] = {}  # SGR from one pen to another

    def forget(self) -> None:
        """Assume nothing about what the terminal shows: the next update is
        written in full."""
        self.rows = [[None] * self.width for _ in range(self.height)]

    # -- encoding ------------------------------------------------------------
    def encode(self, update: CompositorUpdate, width: int, height: int, console: Console) -> str:
        """The bytes that bring the terminal from what it shows to what
        ``update`` draws (and remember the result). Falls back to Textual's
        own output, forgetting the copy, for anything it cannot model."""
        if (width, height) != (self.width, self.height):
            self.width, self.height = width, height
            self.forget()
        color_system = console._color_system or ColorSystem.TRUECOLOR  # as Textual's Strip.render
        if color_system != self._color_system:
            self._pens.clear()
            self._color_system = color_system
        try:
            fragments = list(_fragments(update))
            rows = self._apply(fragments)
        except Unsupported:
            self.forget()
            return update.render_segments(console)
        except Exception:
            self.forget()
            raise
        return self._write(rows)

    def _apply(self, fragments: list[tuple[int, int, Strip]]) -> dict[int, tuple[list, list, int, int]]:
        """Lay each fragment's cells onto a copy of its row: {y: (old row,
        new row, first x touched, last x touched)}."""
        rows: dict[int, tuple[list, list, int, int]] = {}
        for y, x, strip in fragments:
            if not 0 <= y < self.height:
                continue
            cells = _cells(strip)
            if not cells:
                continue
            if y in rows:
                old, new, lo, hi = rows[y]
            else:
                old = self.rows[y]
                new, lo, hi = list(old), self.width, -1
            end = min(self.width, x + len(cells))
            if x < 0 or x >= end:
                continue
            new[x:end] = cells[: end - x]
            lo, hi = min(lo, x), max(hi, end - 1)
            # Where the fragment meets the rest of the row, a double-width
            # character may have lost a half: the terminal shows a blank.
            for i in (x - 1, x, end - 1, end):
                if 0 <= i < self.width and _broken(new, i):
                    new[i] = (" ", new[i][1])
                    lo, hi = min(lo, i), max(hi, i)
            rows[y] = (old, new, lo, hi)
        return rows

    def _write(self, rows: dict[int, tuple[list, list, int, int]]) -> str:
        out: list[str] = []
        pen: Pen | None = None  # unknown until the first code of this update
        cursor: Cursor = (-1, -1)
        for y in sorted(rows):
            old, new, lo, hi = rows[y]
            pens = [self._pen(c[1]) if c is not None else None for c in new]
            # The background of each blank cell (None: not blank), for the
            # stretches that may be erased instead of written.
            blanks = [p[2] if p is not None and c[0] == " " and not p[0] & _SHOW_ON_BLANK else None
                      for c, p in zip(new, pens)]
            look = (pens, blanks, _blank_tail(blanks) if self.erase else self.width)
            best = self._row(y, old, new, lo, hi, pen, cursor, look)
            if self.erase:
                erased = self._row_erased_first(y, old, new, lo, hi, pen, cursor, look)
                if erased is not None and len(erased[0]) < len(best[0]):
                    best = erased
            text, pen, cursor = best
            out.append(text)
            self.rows[y] = new
        if pen is not None and pen != _PLAIN:
            out.append("\x1b[0m")
        return "".join(out)

    def _row_erased_first(self, y: int, old: list, new: list, lo: int, hi: int, pen: Pen | None,
                          cursor: Cursor, look: Look) -> tuple[str, Pen | None, Cursor] | None:
        """The row written the other way: erase it from its first change to
        the end (``ESC[K``, in the background of its blanks), then write
        what is not blank. Shorter when a row full of text becomes one with
        stretches of blanks between its words and columns."""
        start = next((s for s, _ in self._runs(old, new, lo, hi)), None)
        if start is None:
            return None
        pens, blanks, _tail = look
        # The background to erase in: that of the first blank from there.
        first = next((i for i in range(start, len(new)) if blanks[i] is not None), None)
        if first is None:
            return None
        blank, bg = new[first], blanks[first]
        out = [_move(cursor, y, start)]
        # Erased cells take the pen's attributes in some terminals: none
        # that show on a blank (reverse, underline...) may be on.
        if pen is not None and not pen[0] & _SHOW_ON_BLANK:
            want = (pen[0], pen[1], bg)
        else:
            want = pens[first]
        if want != pen:
            out.append(self._transition(pen, want))
            pen = want
        out.append("\x1b[K")
        erased = old[:start] + [blank] * (len(new) - start)
        text, pen, cursor = self._row(y, erased, new, start, len(new) - 1, pen, (y, start), look)
        return "".join(out) + text, pen, cursor

    def _row(self, y: int, old: list, new: list, lo: int, hi: int, pen: Pen | None,
             cursor: Cursor, look: Look) -> tuple[str, Pen | None, Cursor]:
        """The bytes that bring row ``y`` from ``old`` to ``new`` (changes
        only in [lo, hi]), given the pen and cursor before; and the pen
        and cursor after. ``look``: each new cell's pen, its background if
        it is a blank, and where the row's closing stretch of blanks starts."""
        out: list[str] = []
        width = self.width
        pens, blanks, tail = look
        transition = self._transition
        for start, end in self._runs(old, new, lo, hi):
            out.append(_move(cursor, y, start))
            i = at = start  # the next cell to draw; the cursor's column
            while i <= end:
                cell = new[i]
                if cell is None or cell[0] == "":
                    i += 1
                    continue  # covered by the double-width character before it
                text = cell[0]
                want = pens[i]
                blank = blanks[i] is not None
                if blank and pen is not None and not pen[0] & _SHOW_ON_BLANK:
                    # A blank shows only its background: keep the pen's
                    # other attributes and colour rather than change them.
                    want = (pen[0], pen[1], want[2])
                if want != pen:
                    out.append(transition(pen, want))
                    pen = want
                if blank and self.erase:
                    if i >= tail:  # blanks to the end of the row: erase them
                        out.append("\x1b[K")
                        break
                    n = _same_run(blanks, i, end)
                    if n >= ERASE_FROM:  # erase n cells; the cursor stays
                        out.append(f"\x1b[{n}X")
                        i += n
                        if i <= end:
                            out.append(f"\x1b[{n}C")
                            at = i
                        continue
                out.append(text)
                i += 1
                at = i + 1 if i < width and new[i] is not None and new[i][0] == "" else i
            # After the last column the cursor waits to wrap: its column is
            # not known, its row is.
            cursor = (y, at) if at < width else (y, -1)
        return "".join(out), pen, cursor

    def _same(self, old: Cell | None, new: Cell) -> bool:
        """Does the terminal already show ``new`` where it shows ``old``?
        The styles may differ in what does not show: mouse metadata, a
        colour the colour system maps to the same code, the foreground of a
        blank."""
        if old is None or old[0] != new[0]:
            return False
        was, now = self._pen(old[1]), self._pen(new[1])
        if was == now:
            return True
        if new[0] != " " or (was[0] | now[0]) & _SHOW_ON_BLANK:
            return False
        return was[2] == now[2]

    def _runs(self, old: list, new: list, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """Inclusive (start, end) ranges of changed cells in [lo, hi], with
        short unchanged gaps folded in and double-width characters kept
        whole."""
        start = end = -1
        last = len(new) - 1
        same = self._same
        for i in range(lo, hi + 1):
            cell = new[i]
            if cell is None:
                continue
            was = old[i]
            if was is not None and (was == cell or same(was, cell)):
                continue
            if start < 0:
                start = end = i
            elif i - end - 1 <= GAP:
                end = i
            else:
                yield _whole(old, new, start, end, last)
                start = end = i
        if start >= 0:
            yield _whole(old, new, start, end, last)

    def _transition(self, current: Pen | None, want: Pen) -> str:
        """:func:`_transition`, remembered: a screen uses few pens."""
        key = (current, want)
        code = self._codes.get(key)
        if code is None:
            if len(self._codes) > 4096:
                self._codes.clear()
            code = self._codes[key] = _transition(current, want)
        return code

    def _pen(self, style: Style | None) -> Pen:
        """The codes ``style`` is written with (see ``self._pens``)."""
        entry = self._pens.get(id(style))
        if entry is not None and entry[0] is style:
            return entry[1]
        pen = _pen_of(style, self._color_system or ColorSystem.TRUECOLOR)
        if len(self._pens) > 4096:
            self._pens.clear()
        self._pens[id(style)] = (style, pen)
        return pen


def _same_run(blanks: list, i: int, end: int) -> int:
    """How many blanks of the background of blank ``i`` start there (up to ``end``)."""
    bg = blanks[i]
    n = i
    while n <= end and blanks[n] == bg:
        n += 1
    return n - i


def _blank_tail(blanks: list) -> int:
    """Where the row's run of blanks of one background up to the last
    column starts (the row's width if it does not end in blanks)."""
    i = len(blanks)
    if not i or blanks[-1] is None:
        return i
    bg = blanks[-1]
    while i > 0 and blanks[i - 1] == bg:
        i -= 1
    return i


def _move(cursor: Cursor, y: int, x: int) -> str:
    """The shortest way from ``cursor`` to row ``y``, column ``x``: nothing,
    forward on the same row, a new line from the row above (CR LF: never
    from the last row, so it cannot scroll), or an absolute move."""
    row, col = cursor
    if row == y and col == x:
        return ""
    moves = [f"\x1b[{y + 1};{x + 1}H"]
    if row == y and 0 <= col < x:
        moves.append(f"\x1b[{x - col}C" if x - col > 1 else "\x1b[C")
    elif row == y - 1 and row >= 0:
        moves.append("\r\n" + (f"\x1b[{x}C" if x > 1 else "\x1b[C" if x else ""))
    return min(moves, key=len)


def _whole(old: list, new: list, start: int, end: int, last: int) -> tuple[int, int]:
    """Widen a run so it never starts or ends inside a double-width
    character, old or new: half of one cannot be rewritten."""
    def placeholder(cells: list, i: int) -> bool:
        cell = cells[i]
        return cell is not None and cell[0] == ""

    while start > 0 and (placeholder(new, start) or placeholder(old, start)):
        start -= 1
    while end < last and (placeholder(new, end + 1) or placeholder(old, end + 1)):
        end += 1
    return start, end


def _wide(cell: Cell | None) -> bool:
    return cell is not None and not cell[0].isascii() and get_character_cell_size(cell[0][0]) == 2


def _broken(row: list, i: int) -> bool:
    """Is cell ``i`` half of a double-width character without its other half?"""
    cell = row[i]
    if cell is None:
        return False
    if cell[0] == "":
        return i == 0 or not _wide(row[i - 1])
    if _wide(cell):
        return i + 1 >= len(row) or row[i + 1] is None or row[i + 1][0] != ""
    return False


def _fragments(update: CompositorUpdate) -> Iterator[tuple[int, int, Strip]]:
    """(y, x, strip) for each piece of line the update draws."""
    if isinstance(update, LayoutUpdate):
        region = update.region
        for y, line in enumerate(update.strips, region.y):
            x = region.x
            for strip in line:
                yield y, x, strip
                x += strip.cell_length
    elif isinstance(update, ChopsUpdate):
        # Only the span [x1, x2) of a line is fresh: a chop reaching past it
        # may hold what is behind a widget that was not redrawn.
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                if strip is None or x >= x2 or end <= x1:
                    continue
                if x < x1 or end > x2:
                    strip = strip.crop(max(0, x1 - x), min(end, x2) - x)
                    x = max(x, x1)
                yield y, x, strip
    else:
        raise Unsupported(type(update).__name__)


def _cells(strip: Iterable) -> list[Cell]:
    cells: list[Cell] = []
    append = cells.append
    for text, style, control in strip:
        if control or (style is not None and style._link):
            raise Unsupported("control or link")
        if text.isascii():
            if not text.isprintable():
                raise Unsupported("control character")
            cells += [(ch, style) for ch in text]
            continue
        for ch in text:
            size = get_character_cell_size(ch)
            if size == 2:
                append((ch, style))
                append(("", style))
            elif size == 1:
                append((ch, style))
            elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
                raise Unsupported("control character")
            elif cells:  # a combining mark: part of the cell before it
                prev, prev_style = cells[-1]
                if prev == "":
                    raise Unsupported("mark after a double-width character")
                cells[-1] = (prev + ch, prev_style)
            else:
                raise Unsupported("mark at the start of a fragment")
    return cells


def _pen_of(style: Style | None, color_system: ColorSystem) -> Pen:
    if style is None:
        return _PLAIN
    bits = style._attributes & style._set_attributes
    fg = tuple(style._color.downgrade(color_system).get_ansi_codes()) if style._color is not None else ()
    bg = tuple(style._bgcolor.downgrade(color_system).get_ansi_codes(False)) if style._bgcolor is not None else ()
    return bits, fg, bg


def _codes(bits: int) -> list[str]:
    return [code for n, code in enumerate(_ATTRIBUTE_CODES) if bits & (1 << n)]


def _transition(current: Pen | None, want: Pen) -> str:
    """The SGR sequence from pen ``current`` (None: unknown) to ``want``:
    what is added or changed and what is turned off, or a reset and
    everything when that is shorter."""
    bits, fg, bg = want
    reset = ";".join(["0", *_codes(bits), *fg, *bg])
    if current is None:
        return f"\x1b[{reset}m"
    cbits, cfg, cbg = current
    off = cbits & ~bits
    on = bits & ~cbits
    parts: list[str] = []
    if off & _BOLD_DIM:
        parts.append("22")  # ends bold and dim both: put back the one still wanted
        on |= bits & cbits & _BOLD_DIM
        off &= ~_BOLD_DIM
    parts += dict.fromkeys(_OFF_CODES[n] for n in range(off.bit_length()) if off & (1 << n))
    parts += _codes(on)
    if fg != cfg:
        parts += fg or ("39",)
    if bg != cbg:
        parts += bg or ("49",)
    delta = ";".join(parts)
    if not delta:
        return ""
    return f"\x1b[{delta if len(delta) <= len(reset) else reset}m"


class DiffUpdate(CompositorUpdate):
    """A compositor update that renders as the difference from what the
    terminal shows (see :class:`Wire`)."""

    def __init__(self, wire: Wire, update: CompositorUpdate, width: int, height: int) -> None:
        self.wire = wire
        self.update = update
        self.size = (width, height)

    @staticmethod
    def handles(update: object) -> bool:
        return isinstance(update, (LayoutUpdate, ChopsUpdate))

    def render_segments(self, console: Console) -> str:
        return self.wire.encode(self.update, *self.size, console)
