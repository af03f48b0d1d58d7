"""The one list widget of the reader: an OptionList that never parses markup.

``NavList`` adds what every list in the app needs on top of Textual's
``OptionList``:

* ``markup=False`` always: prompts are Rich ``Text`` built by
  :mod:`briefing.render`, so text from a briefing is never interpreted;
* j/k/g/G keys with binding ids (from :mod:`briefing.ui.bindings`);
* no wrap-around at the ends (a reader expects the bottom to stay put);
* "reader" mode for detail views, where disabled rows carry text: moving past
  a long run of text scrolls it line by line instead of jumping over it, so
  everything can be read from the keyboard;
* a single click highlights a row, a click on the highlighted row opens it.
"""

from __future__ import annotations

from typing import Iterable

from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.ui.bindings import bindings


class NavList(OptionList, inherit_bindings=False):
    BINDINGS = bindings("list")

    def __init__(
        self,
        *content: Option,
        reader: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.reader = reader
        super().__init__(*content, id=id, classes=classes, markup=False)

    # -- content -----------------------------------------------------------
    def replace(self, options: Iterable[Option], highlight: int | None = None) -> None:
        """Swap in new options; highlight ``highlight`` (an option index) or,
        outside reader mode, the first enabled option."""
        self.set_options(options)
        if highlight is not None:
            self.highlighted = highlight
        else:
            if not self.reader:
                self.highlighted = self._first_enabled()
            self.scroll_to(y=0, animate=False, immediate=True)

    def index_of(self, option_id: str) -> int | None:
        try:
            return self.get_option_index(option_id)
        except Exception:
            return None

    # -- navigation --------------------------------------------------------
    def _enabled(self, index: int) -> bool:
        return 0 <= index < self.option_count and not self.options[index].disabled

    def _first_enabled(self) -> int | None:
        return next((i for i in range(self.option_count) if self._enabled(i)), None)

    def _last_enabled(self) -> int | None:
        return next((i for i in reversed(range(self.option_count)) if self._enabled(i)), None)

    def _next_enabled(self, start: int, step: int) -> int | None:
        i = start + step
        while 0 <= i < self.option_count:
            if self._enabled(i):
                return i
            i += step
        return None

    def _viewport(self) -> tuple[int, int]:
        top = round(self.scroll_offset.y)
        return top, top + max(1, self.scrollable_content_region.height)

    def _visible_near(self, index: int, step: int) -> bool:
        """Is option ``index`` on screen, or at most one line past the edge
        in the direction of travel?"""
        self._update_lines()
        try:
            first = self._index_to_line[index]
        except KeyError:
            return True
        last = first + self._heights.get(index, 1) - 1
        top, bottom = self._viewport()
        if step > 0:
            return first <= bottom
        return last >= top - 1

    def _step(self, step: int) -> None:
        current = self.highlighted
        if self.reader and current is not None and not self._on_screen(current):
            current = None  # scrolled away (wheel, page): start from the screen
        if current is None:
            start = -1 if step > 0 else self.option_count
            # Start from the top (or bottom) of what is on screen.
            top, bottom = self._viewport()
            if self.reader and self.option_count:
                self._update_lines()
                lines = self._lines
                if lines:
                    edge = min(top if step > 0 else bottom - 1, len(lines) - 1)
                    start = lines[max(0, edge)][0] - step
            target = self._next_enabled(start, step)
        else:
            target = self._next_enabled(current, step)
        if self.reader:
            if target is None or not self._visible_near(target, step):
                self.scroll_relative(y=step, animate=False, immediate=True)
                return
        if target is not None:
            self.highlighted = target

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        first = self._first_enabled()
        if self.reader and first is not None and not self._on_screen(first):
            first = None  # reader mode: only highlight what is on screen
        self.highlighted = first
        if first is not None:
            self.scroll_to(y=0, animate=False, immediate=True)

    def action_last(self) -> None:
        self.scroll_end(animate=False, immediate=True)
        last = self._last_enabled()
        if self.reader and last is not None and not self._on_screen(last):
            last = None
        self.highlighted = last

    def _on_screen(self, index: int) -> bool:
        self._update_lines()
        first = self._index_to_line.get(index, 0)
        last = first + self._heights.get(index, 1) - 1
        top, bottom = self._viewport()
        return last >= top and first < bottom

    def action_page_down(self) -> None:
        if self.reader:
            self.scroll_page_down(animate=False)
            self._keep_highlight_visible()
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.reader:
            self.scroll_page_up(animate=False)
            self._keep_highlight_visible()
        else:
            super().action_page_up()

    def _keep_highlight_visible(self) -> None:
        """After a page scroll in reader mode: drop a highlight that went off
        screen, so the next j/k starts from what the user sees."""
        index = self.highlighted
        if index is not None and not self._on_screen(index):
            self.highlighted = None

    # -- mouse ---------------------------------------------------------------
    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # replaces OptionList's click (select at once)
        clicked = event.style.meta.get("option")
        if clicked is None or not self._enabled(clicked):
            return
        if clicked == self.highlighted or event.chain > 1:
            self.highlighted = clicked
            self.action_select()
        else:
            self.highlighted = clicked
