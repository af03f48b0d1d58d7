"""Building blocks for what the panes show, all as Rich ``Text``.

The rule for untrusted text (anything read from a briefing file): it only
ever reaches the screen through :func:`briefing.render.literal` (or
``highlighted``), which makes a ``Text`` from the plain string. Labels written
here in the code are trusted and are also built as ``Text`` (never markup), so
no widget ever has a string to parse. Widgets that would parse a ``str``
(Static, Label, OptionList, notify, the command palette) are only given
``Text`` objects, and lists are built with ``markup=False`` as a second guard.
"""

from __future__ import annotations

from typing import Iterator

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from briefing.render import HIGHLIGHT, literal

#: (field, start, end): a span to highlight in one field of the shown item,
#: e.g. a search hit.
Mark = tuple[str, int, int]

LINK = "› "
DATE_WIDTH = 11  # "16 Jun 2023"


def label(value: str, style: str = "bold") -> Text:
    """A trusted label (written in this code, never from a briefing)."""
    return Text(value, style=style, end="")


def value(text: str, field: str | None = None, mark: Mark | None = None, style: str = "") -> Text:
    """Untrusted ``text``, with the marked span highlighted when ``mark`` is
    for ``field``."""
    out = literal(text, style)
    if mark and field and mark[0] == field and mark[2] > mark[1]:
        out.stylize(HIGHLIGHT, max(0, mark[1]), min(len(text), mark[2]))
    return out


def joined(values: list[str], field: str | None = None, mark: Mark | None = None) -> Text:
    """A list field, joined the way :mod:`briefing.search` joins it ("; "),
    so a search span in the joined string lands on the right characters."""
    return value("; ".join(values), field, mark)


def pair(name: str, body: Text) -> Text:
    """``name: body`` with a trusted name."""
    return Text.assemble(label(f"{name}: ", "bold"), body, end="")


class Hanging:
    """``head``, then ``body`` wrapped beside it with a hanging indent (the
    lines after the first start under the body's first character).

    What a two-column ``Table.grid`` draws, at half its cost: a list
    measures every row's height when it is filled, and a table measures
    its columns each time.

    The segments of the last width are kept: a list renders each row twice
    at the same width (once to measure its height, once to draw it), and
    wrapping is most of the first screen's drawing time."""

    def __init__(self, head: Text, body: Text) -> None:
        self.head = head
        self.body = body
        self._drawn: tuple[int, list[Segment]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, list(self._segments(console, width)))
        yield from self._drawn[1]

    def _segments(self, console: Console, width: int) -> Iterator[Segment]:
        indent = self.head.cell_len
        lines = self.body.wrap(console, max(1, width - indent), overflow="fold") or [Text("")]
        blank = Text(" " * indent, end="")
        for n, line in enumerate(lines):
            yield from Text.assemble(self.head if n == 0 else blank, line, end="").render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.head.cell_len + 1, options.max_width)


def link(body: Text, date: str | None = None) -> Hanging:
    """A followable detail row: a marker, then ``body`` with a hanging
    indent (and a date column for events)."""
    head = Text.assemble(Text(LINK.strip(), style="bold"), " ", end="")
    if date is not None:
        when = value(date, style="bold")
        when.truncate(DATE_WIDTH, pad=True)
        head.append_text(when)
        head.append(" ")
    return Hanging(head, body)


def join(parts: list[Text], sep: str = " · ") -> Text:
    return Text(sep, end="").join(p for p in parts if p.plain)
