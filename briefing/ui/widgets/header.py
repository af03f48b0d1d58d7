"""The one-line header of a briefing: classification, title, as-of date.

The classification and the date are never cut off; when the line is too
narrow the title is shortened with an ellipsis. All three come from the
briefing and are drawn as literal text."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from briefing.model import Meta
from briefing.render import literal


class BriefingHeader(Widget):
    DEFAULT_CSS = """
    BriefingHeader {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, meta: Meta, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meta = meta

    def line(self, width: int) -> Text:
        m = self.meta
        left = literal(f" {m.classification} ", "bold reverse") if m.classification else Text("", end="")
        right = literal(f" as of {m.as_of.isoformat()} ", "italic")
        room = width - left.cell_len - right.cell_len - 2
        title = literal(m.title, "bold")
        if room < 1:
            # Very narrow: classification first, then the date, no title.
            return Text.assemble(left, right, end="")
        if cell_len(m.title) > room:
            title.truncate(room, overflow="ellipsis")
        gap = max(0, width - left.cell_len - 1 - title.cell_len - right.cell_len)
        return Text.assemble(left, " ", title, " " * gap, right, end="")

    def render(self) -> Text:
        text = self.line(self.size.width)
        text.no_wrap = True
        text.overflow = "crop"
        return text
