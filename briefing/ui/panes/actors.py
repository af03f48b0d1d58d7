"""Actors: the list of people and organisations beside a detail view with
aliases, affiliation, summary, the sources cited and the timeline events that
involve the actor. Enter on a source or event follows it; ``t`` shows the
timeline filtered to the actor."""

from __future__ import annotations

from textual.widgets.option_list import Option

from briefing.ui.bindings import bindings
from briefing.ui.panes.base import NavigationPane, item_id
from briefing.ui.rows import source_row
from briefing.ui.text import Mark, join, joined, label, link, pair, value


class ActorsPane(NavigationPane):
    PANE_ID = "actors"
    TITLE = "2 Actors"
    BINDINGS = bindings("actors")

    def item_count(self) -> int:
        return len(self.briefing.actors)

    def item_sources(self, index: int) -> list[str]:
        return list(self.briefing.actors[index].sources)

    def item_options(self) -> list[Option]:
        options = []
        for i, a in enumerate(self.briefing.actors):
            # The name alone, in plain text: the kind and affiliation head
            # the detail beside it. More names fit on a screen, and a pane
            # switch over SSH costs no style changes for the list.
            options.append(Option(value(a.name), id=item_id(i)))
        if not options:
            options.append(Option(label("(no actors)", "italic"), disabled=True))
        return options

    def detail_options(self, index: int) -> list[Option]:
        b = self.briefing
        a = b.actors[index]
        mark: Mark | None = self.mark
        rows: list[Option] = [Option(value(a.name, "name", mark, style="bold"), disabled=True)]
        facts = join([value(a.kind or "", "kind", mark, style="italic"), value(a.affiliation, "affiliation", mark)])
        if facts.plain:
            rows.append(Option(facts, disabled=True))
        if a.aliases:
            rows.append(Option(pair("Also", joined(a.aliases, "aliases", mark)), disabled=True))
        if a.summary:
            rows.append(Option(value(a.summary, "summary", mark), disabled=True))
        if a.sources:
            rows.append(Option(label("Sources"), disabled=True))
            for sid in a.sources:
                rows.append(Option(link(source_row(b, sid)), id=self.add_link(("source", sid))))
        events = b.events_of(a.id)
        rows.append(Option(label(f"Events ({len(events)})" if events else "Events: none"), disabled=True))
        for ei in events:
            e = b.timeline[ei]
            rows.append(Option(link(value(e.title), date=e.date.human()), id=self.add_link(("event", ei))))
        if events:
            rows.append(Option(label("t: only this actor's events in the timeline", "italic dim"), disabled=True))
        return rows

    def action_timeline_of_actor(self) -> None:
        index = self.current_index()
        if index is not None:
            self.briefing_screen.filter_timeline(self.briefing.actors[index].id)
