"""A read-only, soft-wrapped, virtualised view of a (possibly huge) text.

Why not a Static: a Static renders its whole content on every layout, which
stalls on a source text of hundreds of KB. Why not a read-only TextArea: it
works, but builds a full wrapped document with its own per-line structures;
measured on a 750 KB text at 80 columns it takes ~0.5 s to load and ~0.3 s to
re-wrap on a resize, while this widget takes ~15 ms for both (see
tests/ui/test_source_text.py for the budget it is held to).

How it works: the text is kept as one string. Wrapping computes only a list of
``(start, end)`` character offsets per screen line, with a regular expression
for text whose characters are all one cell wide (almost all prose) and a
cell-aware loop for the rest (wide CJK characters, combining marks). Drawing
(``render_line``, the Line API) slices just the lines on screen. Offsets are
character offsets into the original text, so a search hit's span maps
straight to a screen line with a bisect.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.ui.bindings import bindings

_PARAGRAPH = re.compile(r"[^\n]*")
# Characters that take no cell (controls, combining marks, zero-width
# spaces and joiners, variation selectors). A paragraph with one of these, or
# with a wide character, is wrapped by cells instead of by characters.
_ZERO_WIDTH = re.compile(
    "[\x00-\x1f\x7f\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a"
    "\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff]"
)
_WORD = re.compile(r"\S+\s*|\s+")


_LIST_START = re.compile(r"^\s*(?:[-*•·–>|#]|\d+[.)]|[a-z][.)]\s|\[)")


def reflow(text: str) -> str:
    """Undo hard line wrapping, keeping every character offset.

    Many source texts arrive wrapped at a fixed column (~72-80). Wrapped again
    at another width they turn ragged, so a line break is turned into a space
    when it was evidently made by a wrapping tool: the next line's first word
    would not have fitted on the line (the text's wrap column is estimated
    from its line lengths), and the next line does not start a list item.
    Blank lines, short lines and lists are kept. A text that does not look
    hard-wrapped is returned unchanged. One character for one, so search
    spans into the original text stay valid.
    """
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 8:
        return text
    column = lengths[int(len(lengths) * 0.95) - 1]
    if not 30 <= column <= 160:
        return text
    joins: list[int] = []
    candidates = 0
    offset = 0
    for line, nxt in zip(lines, lines[1:]):
        offset += len(line)
        if line.strip() and nxt.strip():
            candidates += 1
            first = nxt.split(None, 1)[0]
            if len(line.rstrip()) + 1 + len(first) > column and not _LIST_START.match(nxt):
                joins.append(offset)
        offset += 1  # the newline
    if not joins or len(joins) < 0.6 * candidates:
        return text
    chars = list(text)
    for i in joins:
        chars[i] = " "
    return "".join(chars)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Screen lines of ``text`` wrapped at ``width`` cells, as character
    ``(start, end)`` offsets (``end`` excludes a trailing newline)."""
    width = max(1, width)
    pattern = re.compile(r"[^\n]{1,%d}(?:[ \t]+|$)|[^\n]{%d}" % (width, width))
    lines: list[tuple[int, int]] = []
    append = lines.append
    for para in _PARAGRAPH.finditer(text):
        start, end = para.span()
        if start == end:
            # An empty paragraph; the regex also yields an empty match right
            # after each non-empty one, which is not a line.
            if start == 0 or text[start - 1] == "\n":
                append((start, start))
            continue
        chunk = para.group()
        if len(chunk) <= width and chunk.isascii() and "\t" not in chunk:
            append((start, end))
        elif chunk.isascii() and "\t" not in chunk or (
            not _ZERO_WIDTH.search(chunk) and cell_len(chunk) == len(chunk)
        ):
            for m in pattern.finditer(chunk):
                append((start + m.start(), start + m.end()))
        else:
            _wrap_cells(chunk, start, width, append)
    if not lines:
        lines.append((0, 0))
    return lines


def _wrap_cells(chunk: str, offset: int, width: int, append) -> None:
    """Greedy word wrap by terminal cells, for text with wide or zero-width
    characters."""
    line_start = 0
    used = 0
    for m in _WORD.finditer(chunk):
        word = m.group()
        word_cells = cell_len(word.rstrip())
        if used and used + word_cells > width:
            append((offset + line_start, offset + m.start()))
            line_start, used = m.start(), 0
        if word_cells > width:
            # A word wider than the line: break it by cells.
            for i, ch in enumerate(word, m.start()):
                size = get_character_cell_size(ch)
                if used + size > width and used:
                    append((offset + line_start, offset + i))
                    line_start, used = i, 0
                used += size
            continue
        used += cell_len(word)
    append((offset + line_start, offset + len(chunk)))


class SourceText(ScrollView, can_focus=True, inherit_bindings=False):
    """Scrollable, wrapped text; ``reveal`` scrolls to and marks a span."""

    BINDINGS = bindings("text")
    COMPONENT_CLASSES = {"source-text--mark"}
    DEFAULT_CSS = """
    SourceText {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;  /* a scrollbar appearing must not re-wrap */
        & > .source-text--mark { text-style: bold reverse; }
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = ""
        self._lines: list[tuple[int, int]] = [(0, 0)]
        self._starts: list[int] = [0]
        self._wrap_width = 0
        self.mark: tuple[int, int] | None = None
        self.set_text(text)

    # -- content -------------------------------------------------------------
    @property
    def text(self) -> str:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._lines)

    def set_text(self, text: str, *, reflow_lines: bool = True) -> None:
        # Tabs become spaces and hard line breaks inside paragraphs become
        # spaces (see reflow), one for one, so character offsets stay valid.
        text = text.replace("\t", " ")
        self._text = reflow(text) if reflow_lines else text
        self.mark = None
        self._wrap_width = 0
        self._rewrap()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def _width(self) -> int:
        return self.scrollable_content_region.width

    def _rewrap(self) -> None:
        width = self._width()
        if width <= 0 or width == self._wrap_width:
            return
        anchor = self.top_offset() if self._wrap_width else 0
        self._wrap_width = width
        self._lines = wrap_offsets(self._text, width)
        self._starts = [s for s, _ in self._lines]
        self.virtual_size = Size(width, len(self._lines))
        if anchor:
            self.scroll_to(y=self.line_of(anchor), animate=False, immediate=True)

    def on_resize(self) -> None:
        self._rewrap()

    # -- positions -----------------------------------------------------------
    def line_of(self, offset: int) -> int:
        """The screen line showing character ``offset``."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def top_offset(self) -> int:
        """The character offset of the first line on screen (survives a
        re-wrap, so it is what a snapshot of the view stores)."""
        y = min(round(self.scroll_offset.y), len(self._lines) - 1)
        return self._lines[max(0, y)][0]

    def scroll_to_offset(self, offset: int) -> None:
        self._rewrap()
        self.scroll_to(y=self.line_of(offset), animate=False, immediate=True, force=True)

    def reveal(self, start: int, end: int) -> None:
        """Mark ``text[start:end]`` and scroll it into view, a third of the
        way down the view so the lines before it give context."""
        start = max(0, min(start, len(self._text)))
        end = max(start, min(end, len(self._text)))
        self.mark = (start, end) if end > start else None
        self._rewrap()
        line = self.line_of(start)
        height = max(1, self.scrollable_content_region.height)
        self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)
        self.refresh()

    def clear_mark(self) -> None:
        self.mark = None
        self.refresh()

    # -- drawing -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self._rewrap()
        width = self._width()
        base = self.rich_style
        n = round(self.scroll_offset.y) + y
        if not 0 <= n < len(self._lines):
            return Strip.blank(width, base)
        start, end = self._lines[n]
        text = self._text[start:end]
        mark = self.mark
        if mark and mark[0] < end and mark[1] > start:
            a = max(mark[0], start) - start
            b = min(mark[1], end) - start
            marked = base + self.get_component_rich_style("source-text--mark", partial=True)
            segments = [Segment(text[:a], base), Segment(text[a:b], marked), Segment(text[b:], base)]
        else:
            segments = [Segment(text, base)]
        return Strip(segments).crop_extend(0, width, base)

    # -- actions -------------------------------------------------------------
    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_scroll_down(self) -> None:
        self.scroll_relative(y=1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_relative(y=-1, animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)
