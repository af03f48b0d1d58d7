"""A virtual list of many rows of the same height: the library's list.

Why not an OptionList: it measures every option (wrapping its text) when the
options are set, which for a library of a thousand briefings takes ~0.3 s
before the first row shows, and it repaints every visible line when the
highlight moves. Here every row has ``row_height`` lines, so the scroll
height is known without measuring anything; a row is turned into strips only
when it is on screen (``render_line``, the Line API), and moving the
highlight repaints just the two rows that changed.

Rows are Rich ``Text`` lines from a ``render`` callback (one ``Text`` a line,
each cut to the width with an ellipsis), so nothing here parses markup.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.ui.bindings import bindings


class RowList(ScrollView, can_focus=True):
    BINDINGS = bindings("list")
    COMPONENT_CLASSES = {"row-list--highlighted"}

    highlighted: reactive[int | None] = reactive(None, repaint=False)

    class Selected(Message):
        """Enter (or a click on the highlighted row) on row ``index``."""

        def __init__(self, row_list: "RowList", index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index

        @property
        def control(self) -> "RowList":
            return self.row_list

    def __init__(self, render: Callable[[int], list[Text]], *, row_height: int = 1,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._render_row = render
        self.row_height = row_height
        self.row_count = 0
        self._cache: dict[int, list[Strip]] = {}
        self._cache_width = 0

    # -- content -------------------------------------------------------------
    def clear(self) -> None:
        self.row_count = 0
        self._cache.clear()
        self.highlighted = None
        self._resize()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def extend(self, count: int) -> None:
        """``count`` more rows at the end; the first row added to an empty
        list is highlighted."""
        if count <= 0:
            return
        first = self.row_count == 0
        self.row_count += count
        self._resize()
        if first:
            self.highlighted = 0
        self.refresh()

    def _resize(self) -> None:
        self.virtual_size = Size(self._width(), self.row_count * self.row_height)

    def _width(self) -> int:
        return self.scrollable_content_region.width

    # -- drawing -------------------------------------------------------------
    def _strips(self, index: int, width: int) -> list[Strip]:
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        strips = self._cache.get(index)
        if strips is None:
            if len(self._cache) > 256:
                self._cache.clear()
            console = self.app.console
            strips = []
            for line in self._render_row(index)[: self.row_height]:
                line = line.copy()
                line.truncate(width, overflow="ellipsis")
                # Text.render leaves out the Text's own style (its caller
                # applies it): put it under the spans' styles here.
                strip = Strip(list(line.render(console, end="")))
                strips.append(strip.apply_style(console.get_style(line.style)) if line.style else strip)
            strips += [Strip([])] * (self.row_height - len(strips))
            self._cache[index] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self._width()
        base = self.rich_style
        index, line = divmod(round(self.scroll_offset.y) + y, self.row_height)
        if not 0 <= index < self.row_count:
            return Strip.blank(width, base)
        style = base
        if index == self.highlighted:
            style = base + self.get_component_rich_style("row-list--highlighted", partial=True)
        strip = self._strips(index, width)[line]
        return strip.apply_style(style).crop_extend(0, width, style).apply_meta({"row": index})

    def on_resize(self) -> None:
        self._resize()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # -- highlight -----------------------------------------------------------
    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_lines(index * self.row_height, self.row_height)
        if new is not None:
            self.scroll_to_row(new)

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or self.row_count == 0:
            return None
        return max(0, min(index, self.row_count - 1))

    def scroll_to_row(self, index: int) -> None:
        h = self.row_height
        self.scroll_to_region(Region(0, index * h, max(1, self._width()), h),
                              animate=False, immediate=True, force=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height)

    def _move(self, step: int) -> None:
        if self.row_count:
            self.highlighted = 0 if self.highlighted is None else self.highlighted + step

    # -- actions -------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(self._page())

    def action_page_up(self) -> None:
        self._move(-self._page())

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = self.row_count - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.highlighted))

    # -- mouse ---------------------------------------------------------------
    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("row")
        if index is None:
            return
        event.stop()
        if index == self.highlighted or event.chain > 1:
            self.highlighted = index
            self.action_select()
        else:
            self.highlighted = index

