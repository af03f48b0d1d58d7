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

from rich.table import Table
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


def link(body: Text, date: str | None = None) -> Table:
    """A followable detail row: a marker, then ``body`` with a hanging
    indent (and a date column for events)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1, no_wrap=True)
    cells: list[Text] = [Text(LINK.strip(), style="bold", end="")]
    if date is not None:
        grid.add_column(width=DATE_WIDTH, no_wrap=True)
        cells.append(value(date, style="bold"))
    grid.add_column(ratio=1)
    cells.append(body)
    grid.add_row(*cells)
    return grid


def join(parts: list[Text], sep: str = " · ") -> Text:
    return Text(sep, end="").join(p for p in parts if p.plain)
