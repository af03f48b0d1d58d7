"""Every key binding of the reader, as data.

Each row has an id (so ``App.set_keymap`` can rebind it), the keys, the
action, a description, the scope it applies in, and whether the footer shows
it. Widgets take their ``BINDINGS`` from here with :func:`bindings`, and the
help screen is built from the same table, so the two cannot drift apart.
Nothing from a briefing ever goes in here: descriptions are trusted text.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

#: Where a scope applies, in the order the help screen lists them.
SCOPES: dict[str, str] = {
    "app": "Everywhere",
    "briefing": "In a briefing",
    "list": "In any list (panes, detail views, pickers, help)",
    "pane": "In Actors, Timeline and Sources",
    "actors": "In Actors",
    "timeline": "In Timeline",
    "text": "In a source's text",
    "library": "In the library",
    "search": "In the search bar",
    "modal": "In pickers and help",
}

PANES = Binding.Group("Panes", compact=True)


@dataclass(frozen=True)
class Key:
    id: str
    keys: str
    action: str
    description: str
    scope: str
    show: bool = False
    key_display: str | None = None
    priority: bool = False
    group: Binding.Group | None = None
    help: str = ""  # longer description for the help screen

    @property
    def long(self) -> str:
        return self.help or self.description

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            id=self.id,
            group=self.group,
        )


TABLE: tuple[Key, ...] = (
    # everywhere
    Key("app.quit", "q", "quit", "Quit", "app", show=True),
    Key("app.force_quit", "ctrl+q", "quit", "Quit", "app", priority=True,
        help="Quit, even while typing in a text field"),
    Key("app.help", "question_mark", "help", "Help", "app", show=True, key_display="?",
        help="This help: every key"),
    Key("app.palette", "ctrl+p", "command_palette", "Jump", "app", priority=True, key_display="^p",
        help="Command palette: jump to an actor, event or source; switch theme"),
    Key("app.theme", "ctrl+t", "toggle_theme", "Theme", "app", key_display="^t",
        help="Switch between the light and dark theme"),
    Key("app.redraw", "ctrl+l", "redraw", "Redraw", "app", key_display="^l",
        help="Redraw the whole screen (if something else wrote over it)"),
    # briefing screen
    Key("briefing.bluf", "1", "show_pane('bluf')", "Bottom line", "briefing", show=True, group=PANES,
        help="Bottom line up front"),
    Key("briefing.actors", "2", "show_pane('actors')", "Actors", "briefing", show=True, group=PANES),
    Key("briefing.timeline", "3", "show_pane('timeline')", "Timeline", "briefing", show=True, group=PANES),
    Key("briefing.sources", "4", "show_pane('sources')", "Sources", "briefing", show=True, group=PANES),
    Key("briefing.back", "escape,backspace", "back", "Back", "briefing", show=True, key_display="esc",
        help="Back to exactly where you were before the last jump"),
    Key("briefing.search", "slash,ctrl+f", "search", "Search", "briefing", show=True, key_display="/",
        help="Search everything in this briefing (case- and accent-blind)"),
    Key("briefing.next_match", "n", "next_match", "Next match", "briefing",
        help="Next search match, across panes"),
    Key("briefing.previous_match", "N", "previous_match", "Previous match", "briefing",
        help="Previous search match, across panes"),
    Key("briefing.next", "tab", "app.focus_next", "Next area", "briefing",
        help="Next area (list, detail view)"),
    Key("briefing.previous", "shift+tab", "app.focus_previous", "Previous area", "briefing"),
    # lists (every list, picker and detail view)
    Key("list.down", "j,down", "cursor_down", "Down", "list",
        help="Down (in a detail view: scrolls through text, stops on links)"),
    Key("list.up", "k,up", "cursor_up", "Up", "list"),
    Key("list.first", "g,home", "first", "Top", "list"),
    Key("list.last", "G,end", "last", "Bottom", "list"),
    Key("list.page_down", "pagedown,space", "page_down", "Page down", "list"),
    Key("list.page_up", "pageup,b", "page_up", "Page up", "list"),
    Key("list.select", "enter", "select", "Follow", "list", show=True, key_display="⏎",
        help="Follow: a row's citation (pick one if several), a link, or open"),
    # panes with a list beside a detail view
    Key("pane.detail", "l,right", "focus_detail", "Detail", "pane", help="Into the detail view"),
    Key("pane.list", "h,left", "focus_list", "List", "pane", help="Back to the list"),
    # actors
    Key("actors.timeline", "t", "timeline_of_actor", "Events", "actors", show=True,
        help="Timeline filtered to this actor"),
    # timeline
    Key("timeline.filter", "f", "pick_filter", "Filter", "timeline", show=True, help="Filter by actor"),
    Key("timeline.clear", "c", "clear_filter", "Clear", "timeline", show=True,
        help="Clear the actor filter"),
    # source text
    Key("text.down", "j,down", "scroll_down", "Scroll down", "text"),
    Key("text.up", "k,up", "scroll_up", "Scroll up", "text"),
    Key("text.top", "g,home", "scroll_home", "Top", "text"),
    Key("text.bottom", "G,end", "scroll_end", "Bottom", "text"),
    Key("text.page_down", "pagedown,space", "page_down", "Page down", "text"),
    Key("text.page_up", "pageup,b", "page_up", "Page up", "text"),
    # library
    Key("library.problems", "p", "focus_problems", "Problems", "library", show=True,
        help="Go to the files that could not be opened"),
    Key("library.reload", "r", "reload", "Reload", "library", show=True, help="Reload the folder"),
    Key("library.search", "slash,ctrl+f", "search", "Search", "library", show=True, key_display="/",
        help="Search every briefing in the library"),
    Key("library.back", "escape", "back", "Back", "library", help="Back to the list of briefings"),
    # search bar
    Key("search.results", "down", "focus_results", "Results", "search",
        help="From the query into the results"),
    Key("search.query", "slash", "focus_input", "Edit query", "search",
        help="From the results back to the query"),
    Key("search.close", "escape", "close", "Close", "search", show=True, key_display="esc",
        help="Close the search bar; focus returns where it was"),
    # modal screens
    Key("modal.close", "escape", "close", "Close", "modal", show=True, key_display="esc"),
)

_BY_ID = {k.id: k for k in TABLE}
assert len(_BY_ID) == len(TABLE), "binding ids must be unique"


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, for a class's ``BINDINGS``."""
    return [k.binding() for k in TABLE if k.scope == scope]


def key(binding_id: str) -> Key:
    return _BY_ID[binding_id]
