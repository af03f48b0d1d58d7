"""Bottom line up front: the numbered key judgements, each with its
citations and confidence. Enter follows a point's citation."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from briefing.render import citations
from briefing.ui.panes.base import NavigationPane, item_id
from briefing.ui.text import Hanging, Mark, join, label, value


def numbered(number: str, body: Text, width: int = 3) -> Hanging:
    """A row with a hanging indent: ``number`` right-aligned in a narrow
    column, ``body`` wrapped beside it."""
    return Hanging(Text.assemble(Text(number.rjust(width), style="bold"), " ", end=""), body)


class BlufPane(NavigationPane):
    PANE_ID = "bluf"
    TITLE = "1 Bottom line"
    HAS_DETAIL = False
    _marked: int | None = None

    def prepare(self) -> None:
        self.list.reader = True  # the summary row above the points can be long

    def item_count(self) -> int:
        return len(self.briefing.bluf)

    def item_sources(self, index: int) -> list[str]:
        return list(self.briefing.bluf[index].sources)

    def point(self, index: int, mark: Mark | None = None) -> Text:
        b = self.briefing
        p = b.bluf[index]
        body = value(p.text, "text", mark)
        extra = []
        if p.sources:
            extra.append(value(citations(b, p.sources), "sources", mark, style="italic"))
        if p.confidence:
            extra.append(Text(f"{p.confidence} confidence", style="italic", end=""))
        if extra:
            body.append("\n")
            body.append(join(extra, " · "))
        return body

    def item_options(self) -> list[Option]:
        b = self.briefing
        options: list[Option] = []
        if b.meta.summary:
            options.append(Option(value(b.meta.summary, style="italic"), disabled=True))
        options.append(Option(label("Bottom line up front", "bold underline"), disabled=True))
        self._marked = None
        for i in range(len(b.bluf)):
            options.append(Option(numbered(f"{i + 1}.", self.point(i)), id=item_id(i)))
        if not b.bluf:
            options.append(Option(label("(this briefing has no bottom-line points)", "italic"), disabled=True))
        return options

    def fill_list(self, keep: int | None = None) -> None:
        if keep is None and self.briefing.bluf:
            keep = 0
        super().fill_list(keep)
        if keep == 0:
            self.list.scroll_to(y=0, animate=False, immediate=True)

    def update_detail(self, index: int | None) -> None:
        # No detail view: a mark (e.g. a search hit) is drawn on the point
        # itself, and removed from the point that had it before.
        previous = self._marked
        self._marked = index if self.mark else None
        lst = self.list
        for i in {previous, self._marked} - {None}:
            row = lst.index_of(item_id(i))
            if row is not None:
                mark = self.mark if i == self._marked else None
                lst.replace_option_prompt_at_index(row, numbered(f"{i + 1}.", self.point(i, mark)))
