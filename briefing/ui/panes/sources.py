"""Sources: the list (publisher, date, title) beside the selected source's
metadata and its full text, wrapped and scrollable. The text view is
virtualised (see :mod:`briefing.ui.widgets.source_text`), so a text of
hundreds of KB opens at once. ``reveal(index, field="text", span=(a, b))``
scrolls the text to a character span and marks it (for search)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static
from textual.widgets.option_list import Option

from briefing.ui.panes.base import NavigationPane, Tree, item_id
from briefing.ui.rows import source_list_row
from briefing.ui.text import Mark, join, joined, label, pair, value
from briefing.ui.focus import focus_now

if TYPE_CHECKING:
    from briefing.ui.widgets.source_text import SourceText

NO_TEXT = "(This briefing has no text for this source.)"


class SourcesPane(NavigationPane):
    PANE_ID = "sources"
    TITLE = "4 Sources"

    def detail_box(self) -> Tree:
        from briefing.ui.widgets.source_text import SourceText  # when the pane is built

        return Vertical(id="reader", classes="detail-box"), [
            (Static("", id="source-meta", markup=False), []), (SourceText(id="detail"), [])]

    @property
    def text_view(self) -> SourceText:
        from briefing.ui.widgets.source_text import SourceText

        return self.query_one("#detail", SourceText)

    def item_count(self) -> int:
        return len(self.briefing.sources)

    def item_options(self) -> list[Option]:
        options = [Option(source_list_row(s), id=item_id(i)) for i, s in enumerate(self.briefing.sources)]
        if not options:
            options.append(Option(label("(no sources)", "italic"), disabled=True))
        return options

    def meta_text(self, index: int, mark: Mark | None) -> Text:
        s = self.briefing.sources[index]
        lines = [value(s.title, "title", mark, style="bold")]
        facts = [
            value(s.label, "short" if s.short else None, mark, style="bold"),
            value(s.publisher, "publisher", mark),
            value(s.published.human() if s.published else "", style="italic"),
        ]
        lines.append(join(facts))
        if s.authors:
            lines.append(pair("By", joined(s.authors, "authors", mark)))
        if s.url:
            lines.append(value(s.url, "url", mark, style="underline"))
        if s.note:
            lines.append(pair("Note", value(s.note, "note", mark)))
        return Text("\n", end="").join(lines)

    def update_detail(self, index: int | None) -> None:
        meta = self.query_one("#source-meta", Static)
        view = self.text_view
        if index is None:
            meta.update(Text(""))
            view.set_text("")
            return
        mark = self.mark
        meta.update(self.meta_text(index, mark))
        s = self.briefing.sources[index]
        view.set_text(s.text or NO_TEXT)
        if s.text and mark and mark[0] == "text":
            # The view may not be laid out yet (pane just shown): scroll after.
            view.call_after_refresh(view.reveal, mark[1], mark[2])

    def on_descendant_focus(self, event) -> None:
        # Reading the text: the list shrinks to give the text the room.
        self.set_class(event.widget is self.text_view, "-reading")

    def open_item(self, index: int) -> None:
        """Enter on a source: read its text."""
        focus_now(self.text_view)

    def reveal(self, index: int, *, field: str | None = None, span: tuple[int, int] | None = None) -> bool:
        if not super().reveal(index, field=field, span=span):
            return False
        if field == "text" and span:
            focus_now(self.text_view)
        return True

    def reveal_text(self, index: int, start: int, end: int) -> bool:
        """Scroll source ``index``'s text to ``[start, end)`` and mark it."""
        return self.reveal(index, field="text", span=(start, end))

    def snapshot(self) -> dict[str, Any]:
        state = super().snapshot()
        view = self.text_view
        state.pop("detail_y", None)
        state["text_offset"] = view.top_offset()
        state["text_mark"] = view.mark
        return state

    def _restore_scroll(self, state: dict[str, Any]) -> None:
        super()._restore_scroll(state)
        view = self.text_view
        view.mark = state.get("text_mark")
        view.scroll_to_offset(state.get("text_offset", 0))
        view.refresh()
