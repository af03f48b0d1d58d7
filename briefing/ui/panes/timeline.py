"""Timeline: events in date order, grouped under year headers, each date at
its own precision, beside a detail view (actors, places, sources). Can be
filtered to one actor (``f`` picks one, ``c`` clears); the filter is shown
above the list while it is on."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static
from textual.widgets.option_list import Option

from briefing.ui.bindings import bindings
from briefing.ui.panes.base import NavigationPane, Tree, item_id
from briefing.ui.rows import source_row
from briefing.ui.text import DATE_WIDTH, Mark, joined, label, link, pair, value



def dated(date: str, body: Text) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=DATE_WIDTH, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(value(date), body)
    return grid


class TimelinePane(NavigationPane):
    PANE_ID = "timeline"
    TITLE = "3 Timeline"
    BINDINGS = bindings("timeline")

    def __init__(self, briefing) -> None:
        super().__init__(briefing)
        self.actor_filter: str | None = None

    def top_parts(self) -> list[Tree]:
        return [(Static("", id="filter-bar", markup=False), [])]

    # -- filter ------------------------------------------------------------------
    def set_filter(self, actor_id: str | None) -> None:
        """Show only the events involving ``actor_id`` (None: all events)."""
        if actor_id is not None and actor_id not in self.briefing.actor_by_id:
            actor_id = None
        keep = self.current_index()
        self.actor_filter = actor_id
        self._update_filter_bar()
        self.fill_list(keep)
        self.refresh_bindings()

    def _update_filter_bar(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        if self.actor_filter is None:
            bar.display = False
            bar.update("")
            return
        actor = self.briefing.actor_by_id[self.actor_filter]
        shown = len(self.briefing.events_of(actor.id))
        text = Text.assemble(
            label("Filter: ", "bold"),
            value(actor.name, style="bold reverse"),
            Text(f"  {shown} of {len(self.briefing.timeline)} events · c clears", style="italic"),
        )
        bar.update(text)
        bar.display = True

    def action_pick_filter(self) -> None:
        self.briefing_screen.pick_timeline_filter()

    def action_clear_filter(self) -> None:
        self.set_filter(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return self.actor_filter is not None
        return True

    def prepare(self) -> None:
        self._update_filter_bar()

    # -- items -------------------------------------------------------------------
    def item_count(self) -> int:
        return len(self.briefing.timeline)

    def item_sources(self, index: int) -> list[str]:
        return list(self.briefing.timeline[index].sources)

    def visible_events(self) -> list[int]:
        if self.actor_filter is None:
            return list(range(len(self.briefing.timeline)))
        return self.briefing.events_of(self.actor_filter)

    def item_options(self) -> list[Option]:
        options: list[Option] = []
        year = None
        for i in self.visible_events():
            e = self.briefing.timeline[i]
            if e.date.year != year:
                year = e.date.year
                options.append(Option(label(str(year), "bold underline"), disabled=True))
            options.append(Option(dated(e.date.human(), value(e.title)), id=item_id(i)))
        if not options:
            options.append(Option(label("(no events)", "italic"), disabled=True))
        return options

    def detail_options(self, index: int) -> list[Option]:
        b = self.briefing
        e = b.timeline[index]
        mark: Mark | None = self.mark
        rows: list[Option] = [
            Option(value(e.title, "title", mark, style="bold"), disabled=True),
            Option(value(e.date.human(), "date", mark, style="italic"), disabled=True),
        ]
        if e.detail:
            rows.append(Option(value(e.detail, "detail", mark), disabled=True))
        if e.places:
            rows.append(Option(pair("Places", joined(e.places, "places", mark)), disabled=True))
        if e.actors:
            rows.append(Option(label("Actors"), disabled=True))
            for aid in e.actors:
                actor = b.actor_by_id.get(aid)
                name = value(actor.name if actor else aid)
                rows.append(Option(link(name), id=self.add_link(("actor", aid))))
        if e.sources:
            rows.append(Option(label("Sources"), disabled=True))
            for sid in e.sources:
                rows.append(Option(link(source_row(b, sid)), id=self.add_link(("source", sid))))
        return rows

    # -- reveal and the back stack -------------------------------------------------
    def reveal(self, index: int, *, field: str | None = None, span: tuple[int, int] | None = None) -> bool:
        if self.actor_filter is not None and index not in self.visible_events():
            self.set_filter(None)
        return super().reveal(index, field=field, span=span)

    def snapshot(self) -> dict[str, Any]:
        state = super().snapshot()
        state["filter"] = self.actor_filter
        return state

    def restore(self, state: dict[str, Any]) -> None:
        if state.get("filter") != self.actor_filter:
            self.set_filter(state.get("filter"))
        super().restore(state)
