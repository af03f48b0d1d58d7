"""The screen for one briefing: header, the four panes in tabs, footer, and
the back stack shared by every jump.

Jumps go through :meth:`BriefingScreen.jump_to`, which records where you are
(a :class:`~briefing.ui.history.Location`) before moving; Escape or backspace
(:meth:`action_back`) pops it and restores the pane exactly. For search:
``screen.reveal_hit(hit)`` jumps to a :class:`briefing.search.Hit`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import TabbedContent, Tabs

from briefing.model import Briefing
from briefing.ui.bindings import bindings
from briefing.ui.history import History, Location
from briefing.ui.panes.actors import ActorsPane
from briefing.ui.panes.base import FIRST_PANE, Link, NavigationPane
from briefing.ui.panes.bluf import BlufPane
from briefing.ui.panes.sources import SourcesPane
from briefing.ui.panes.timeline import TimelinePane
from briefing.ui.rows import source_row
from briefing.ui.text import value
from briefing.ui.widgets.header import BriefingHeader
from briefing.ui.widgets.keyline import KeyLine

if TYPE_CHECKING:  # the search and the pickers are imported when first used
    from briefing.search import Results, Searcher, Stop

PANE_IDS = ("bluf", "actors", "timeline", "sources")


class BriefingScreen(Screen[None]):
    BINDINGS = bindings("briefing")
    # Focus goes straight to the first list (the pane on screen): Textual's
    # default would focus the tab strip first and then lose it again, each
    # time restyling the strip before the first frame.
    AUTO_FOCUS = "NavList"

    def __init__(self, briefing: Briefing, *, from_library: bool = False, search: Any = None) -> None:
        """``search``: a :class:`SearchChoice` made in the library, revealed
        once the screen is up (and n / N then walk this briefing's matches)."""
        super().__init__()
        self.briefing = briefing
        self.from_library = from_library
        self.history = History()
        self._searcher: Searcher | None = None
        self._searcher_lock = threading.Lock()
        self.search_query = ""
        self.stops: list[Stop] = []
        self.stop_index = -1
        self._initial_search = search

    # -- layout --------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield BriefingHeader(self.briefing.meta, id="header")
        with TabbedContent(id="tabs", initial=FIRST_PANE):
            yield BlufPane(self.briefing)
            yield ActorsPane(self.briefing)
            yield TimelinePane(self.briefing)
            yield SourcesPane(self.briefing)
        yield KeyLine()

    def on_mount(self) -> None:
        # The tab strip is for the mouse; keys 1-4 switch panes, so Tab only
        # moves between the list and the detail of the pane on screen.
        strip = self.tabs.query(Tabs)
        if not strip:
            return  # the app is closing before the screen was drawn (q at once): nothing to set up
        strip.first().can_focus = False
        self.pane("bluf").activate()
        if self._initial_search is not None:
            choice, self._initial_search = self._initial_search, None
            self.call_after_refresh(self.follow_search, choice.query, choice.hit)

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#tabs", TabbedContent)

    def pane(self, pane_id: str) -> NavigationPane:
        return self.query_one(f"#{pane_id}", NavigationPane)

    @property
    def active_pane(self) -> NavigationPane:
        return self.pane(self.tabs.active or "bluf")

    # -- switching panes (not a jump: not recorded) -----------------------------
    def show_pane(self, pane_id: str) -> NavigationPane:
        pane = self.pane(pane_id)
        if self.tabs.active != pane_id:
            self.tabs.active = pane_id
        return pane

    def action_show_pane(self, pane_id: str) -> None:
        if pane_id in PANE_IDS:
            self.show_pane(pane_id).activate()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # A click on a tab: put the focus in the pane so keys act on it.
        pane = event.pane
        if isinstance(pane, NavigationPane) and not pane.focused_part():
            pane.activate()

    # -- the back stack ------------------------------------------------------------
    def location(self) -> Location:
        pane = self.active_pane
        return Location(pane.PANE_ID, pane.snapshot())

    def restore(self, location: Location) -> None:
        self.show_pane(location.pane).restore(location.state)

    def action_back(self) -> None:
        location = self.history.pop()
        if location is not None:
            self.restore(location)
            return
        pane = self.active_pane
        if pane.focused_part() not in (None, "list"):
            pane.activate()
        elif self.from_library:
            self.dismiss(None)

    # -- jumps (recorded) ---------------------------------------------------------------
    def jump_to(
        self,
        pane_id: str,
        index: int | None = None,
        *,
        key: str | None = None,
        field: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> bool:
        """Go to item ``index`` (or the actor/source with id ``key``) of a
        pane, recording the current place on the back stack. ``field`` and
        ``span`` mark a character span of that item's field (a search hit).
        Returns False (and stays put) if there is no such item."""
        if index is None and key is not None:
            index = self._index_of_key(pane_id, key)
        if pane_id not in PANE_IDS or index is None:
            return False
        here = self.location()
        pane = self.show_pane(pane_id)
        if not pane.reveal(index, field=field, span=span):
            self.restore(here)
            return False
        self.history.push(here)
        return True

    def reveal_hit(self, hit: Any) -> bool:
        """Jump to a :class:`briefing.search.Hit` and mark its match."""
        return self.jump_to(hit.doc.pane, hit.doc.index, field=hit.field, span=(hit.start, hit.end))

    def _index_of_key(self, pane_id: str, key: str) -> int | None:
        b = self.briefing
        items = {"actors": b.actors, "sources": b.sources}.get(pane_id)
        if items is None:
            return int(key) if key.isdigit() else None
        return next((i for i, item in enumerate(items) if item.id == key), None)

    def follow(self, link: Link) -> None:
        kind, target = link
        if kind == "source":
            self.follow_sources([target])
        elif kind == "event":
            self.jump_to("timeline", target)
        elif kind == "actor":
            self.jump_to("actors", key=target)

    def follow_sources(self, ids: list[str]) -> None:
        """Follow a citation: straight to the source if there is one, a
        picker if there are several."""
        known = [i for i in dict.fromkeys(ids) if i in self.briefing.source_by_id]
        if not known:
            self.notify("This item cites no source.", severity="warning", markup=False)
            return
        if len(known) == 1:
            self.jump_to("sources", key=known[0])
            return
        choices = [(source_row(self.briefing, sid), sid) for sid in known]

        def chosen(source_id: str | None) -> None:
            if source_id is not None:
                self.jump_to("sources", key=source_id)

        from briefing.ui.screens.picker import PickerScreen

        self.app.push_screen(PickerScreen("Follow which source?", choices, id="source-picker"), chosen)

    # -- the timeline filter --------------------------------------------------------------
    def filter_timeline(self, actor_id: str) -> None:
        """Show the timeline filtered to one actor (a recorded jump)."""
        here = self.location()
        timeline = self.show_pane("timeline")
        assert isinstance(timeline, TimelinePane)
        timeline.set_filter(actor_id)
        timeline.activate()
        self.history.push(here)

    def pick_timeline_filter(self) -> None:
        b = self.briefing
        counts = {a.id: len(b.events_of(a.id)) for a in b.actors}
        choices = []
        for a in b.actors:
            text = value(a.name, style="bold")
            n = counts[a.id]
            text.append(Text(f"  {n} event{'' if n == 1 else 's'}", style="italic", end=""))
            choices.append((text, a.id))
        if not choices:
            self.notify("This briefing has no actors to filter by.", markup=False)
            return

        def chosen(actor_id: str | None) -> None:
            if actor_id is not None:
                timeline = self.pane("timeline")
                assert isinstance(timeline, TimelinePane)
                timeline.set_filter(actor_id)
                timeline.activate()

        from briefing.ui.screens.picker import PickerScreen

        self.app.push_screen(PickerScreen("Show the events of which actor?", choices, id="actor-picker"), chosen)

    # -- search ---------------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """This briefing's searcher, built on first use (from any thread)."""
        with self._searcher_lock:
            if self._searcher is None:
                from briefing.search import Searcher

                self._searcher = Searcher([self.briefing])
            return self._searcher

    def action_search(self) -> None:
        from briefing.ui.screens.search import SearchChoice, SearchScreen

        def chosen(choice: SearchChoice | None) -> None:
            if choice is not None:
                self.follow_search(choice.query, choice.hit, choice.results)

        self.app.push_screen(SearchScreen(self.searcher, self.search_query), chosen)

    def follow_search(self, query: str, hit: Any, results: Results | None = None) -> None:
        """Jump to a chosen hit (recorded, so Escape comes back) and keep the
        query's matches for n / N."""
        if results is None or any(h.briefing is not self.briefing for h in results[:1]):
            # From the library (or its index): this briefing's own matches.
            results = self.searcher().search(query)
        from briefing.search import search_stops

        self.search_query = query
        self.stops = search_stops(results)
        here = (hit.doc.pane, hit.doc.index)
        self.stop_index = next((n for n, s in enumerate(self.stops) if (s.pane, s.index) == here), 0)
        if self.stops:
            stop = self.stops[self.stop_index]
            self.jump_to(stop.pane, stop.index, field=stop.field, span=stop.span)

    def _step_match(self, step: int) -> None:
        if not self.stops:
            self.notify("No search yet: press / to search.", markup=False)
            return
        n = self.stop_index + step
        wrapped = not 0 <= n < len(self.stops)
        self.stop_index = n % len(self.stops)
        stop = self.stops[self.stop_index]
        pane = self.show_pane(stop.pane)
        pane.reveal(stop.index, field=stop.field, span=stop.span)
        note = f"Match {self.stop_index + 1} of {len(self.stops)}"
        if wrapped:
            note += " (wrapped around)"
        self.app.clear_notifications()
        self.notify(note, timeout=2, markup=False)

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)
