"""The search bar: type, see every match across the panes, pick one.

Opened with ``/`` or ctrl+f over a briefing or a library. Results follow each
keystroke; the search itself runs in a worker thread, and a newer keystroke
cancels the one still running, so typing never waits. The list is grouped by
pane with counts; each row shows the item and a snippet with the match
highlighted. Enter dismisses with the chosen hit; Escape with None, and the
screen underneath gets its focus back as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from briefing.render import highlighted, literal
from briefing.search import PANE_TITLES, Cancelled, Hit, Results, Searcher, parse_query
from briefing.ui.bindings import bindings
from briefing.ui.focus import focus_now
from briefing.ui.text import label
from briefing.ui.widgets.navlist import NavList

#: Rows listed per pane; the counts always cover every hit, and n / N visit all.
ROWS_PER_PANE = 50


@dataclass(frozen=True)
class SearchChoice:
    query: str
    hit: Hit
    results: Results


def hit_row(hit: Hit, many: bool, width: int = 78) -> Text:
    """Two lines, each cut to ``width`` cells: where the hit is, then its
    snippet with the match marked."""
    head = Text("", end="")
    if many:
        head.append(literal(hit.briefing_title, "italic"))
        head.append(" › ")
    if hit.doc.pane == "bluf":
        head.append(label(f"Point {hit.doc.index + 1}"))
    else:
        if hit.doc.date is not None and hit.doc.pane == "timeline":
            head.append(literal(hit.doc.date.human() + "  ", "bold"))
        head.append(literal(hit.doc.title, "bold"))
    body = Text("  ", end="")
    body.append(highlighted(hit.snippet, hit.spans))
    for line in (head, body):  # one line each: cut to fit, never wrapped
        line.truncate(width, overflow="ellipsis")
    return Text("\n", end="").join([head, body])


def summary_line(results: Results | None, query: str) -> Text:
    if not query.strip():
        return label('Words match anywhere in an item; "quoted words" match as a phrase.', "italic")
    if results is None:
        return label("Searching…", "italic")
    if not results:
        return label("No matches.", "italic")
    parts = [f"{PANE_TITLES[p]} {n:,}" for p, n in results.counts().items()]
    # Items, not matches: n / N then step through every match, and a
    # source's text may hold several ("Match 2 of 8" after "6 items").
    noun = "item matches" if len(results) == 1 else "items match"
    return label(f"{len(results):,} {noun}: " + " · ".join(parts), "")


class SearchScreen(ModalScreen["SearchChoice | None"]):
    BINDINGS = bindings("search")
    HORIZONTAL_BREAKPOINTS = []

    def __init__(self, searcher: Callable[[], Searcher], query: str = "", *, many: bool = False,
                 min_letters: int = 1) -> None:
        """``searcher`` makes (or returns the cached) :class:`Searcher`; it is
        called in the worker, so building it never blocks the screen. With
        ``min_letters`` (a large library), a query none of whose terms is
        that long is not run: a letter or two matches most of a thousand
        briefings, and no index helps with that."""
        super().__init__(id="search")
        self.min_letters = min_letters
        self.make_searcher = searcher
        self.initial = query
        self.many = many
        self.results: Results | None = None
        self.results_query: str | None = None  # the query self.results answer
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(self.initial, placeholder="Search this briefing" if not self.many else "Search every briefing",
                        id="search-input")
            yield Static(summary_line(None, ""), id="search-status", markup=False)
            yield NavList(id="search-results")

    def on_mount(self) -> None:
        focus_now(self.query_one("#search-input", Input))
        if self.initial:
            self.run_search(self.initial)

    # -- searching -----------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        if not event.value.strip() or self.too_short(event.value):
            self.workers.cancel_group(self, "search")
            self.show_results(event.value, None)
            return
        self.query_one("#search-status", Static).update(summary_line(None, event.value))
        self.run_search(event.value)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        try:
            searcher = self.make_searcher()
            results = searcher.search(query, cancelled=lambda: worker.is_cancelled)
            rows = self.build_rows(results, lambda: worker.is_cancelled)
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, query, results, rows)

    def build_rows(self, results: Results, cancelled: Callable[[], bool]) -> list[Option]:
        """Option rows (made in the worker: snippets cost the most)."""
        rows: list[Option] = []
        width = max(20, self.app.size.width - 8)
        start = 0
        for pane, count in results.counts().items():
            if cancelled():
                raise Cancelled
            rows.append(Option(label(f"{PANE_TITLES[pane]} ({count:,})", "bold underline"), disabled=True))
            for n in range(start, start + min(count, ROWS_PER_PANE)):
                rows.append(Option(hit_row(results[n], self.many, width), id=f"hit-{n}"))
            if count > ROWS_PER_PANE:
                more = count - ROWS_PER_PANE
                rows.append(Option(label(f"  … {more} more: n / N reach them, or add a word", "italic"), disabled=True))
            start += count
        return rows

    def show_results(self, query: str, results: Results | None, rows: list[Option] | None = None) -> None:
        if query != self.query_text:
            return  # an older search finished after a newer keystroke
        self.results = results
        self.results_query = query
        status = summary_line(results, query)
        if query.strip() and self.too_short(query):
            status = label(f"Type {self.min_letters} letters or more to search every briefing.", "italic")
        self.query_one("#search-status", Static).update(status)
        self.query_one("#search-results", NavList).replace(rows or [])

    # -- choosing ----------------------------------------------------------------
    def choose(self, n: int) -> None:
        if self.results is not None and 0 <= n < len(self.results):
            self.dismiss(SearchChoice(self.query_text, self.results[n], self.results))

    def too_short(self, query: str) -> bool:
        return all(len(t) < self.min_letters for t in parse_query(query))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.too_short(self.query_text):
            return
        if self.results_query != self.query_text:
            # Enter came before the worker answered (typed ahead, or keys
            # batched by a slow link): answer this query now.
            self.workers.cancel_group(self, "search")
            if not self.query_text.strip():
                return
            self.results = self.make_searcher().search(self.query_text)
            self.results_query = self.query_text
            self.choose(0)
            return
        results_list = self.query_one("#search-results", NavList)
        option = results_list.highlighted_option
        if option is not None and option.id and option.id.startswith("hit-"):
            self.choose(int(option.id[4:]))
        elif self.results:
            self.choose(0)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("hit-"):
            self.choose(int(event.option_id[4:]))

    def action_focus_results(self) -> None:
        results_list = self.query_one("#search-results", NavList)
        if results_list.option_count:
            focus_now(results_list)

    def action_focus_input(self) -> None:
        focus_now(self.query_one("#search-input", Input))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "search")
        self.dismiss(None)
