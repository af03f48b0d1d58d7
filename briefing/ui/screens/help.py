"""The help screen: every key, built from the bindings table
(:mod:`briefing.ui.bindings`) with the app's keymap applied, grouped by where
it applies."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.containers import Vertical
from textual.widgets import Static
from textual.widgets.option_list import Option

from briefing.ui.bindings import SCOPES, TABLE, Key, bindings
from briefing.ui.text import Hanging
from briefing.ui.widgets.navlist import NavList
from briefing.ui.focus import focus_now

KEY_WIDTH = 16


def _keymap(app) -> dict[str, str]:
    # App.set_keymap stores its mapping here; Textual has no public getter.
    return dict(getattr(app, "_keymap", {}) or {})


def key_names(app, k: Key) -> str:
    """The keys of ``k`` as shown to the user, after any keymap override."""
    keys = _keymap(app).get(k.id, k.keys)
    shown = []
    for one in keys.split(","):
        one = one.strip()
        if one:
            shown.append(app.get_key_display(Binding(one, k.action)))
    return " ".join(dict.fromkeys(shown))


def help_rows(app) -> list[tuple[str, str, str]]:
    """(where, keys, description) for every binding, in table order."""
    return [(SCOPES[k.scope], key_names(app, k), k.long) for k in TABLE]


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings("modal")
    HORIZONTAL_BREAKPOINTS = []

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Text("Keys", style="bold", end=""), id="help-title", markup=False)
            yield NavList(*self.options(), id="help-keys")
            yield Static(
                Text("j/k scroll · esc or ? closes · mouse optional", style="italic", end=""),
                id="help-hint",
                markup=False,
            )

    def options(self) -> list[Option]:
        options: list[Option] = []
        where = None
        for n, (scope, keys, description) in enumerate(help_rows(self.app)):
            if scope != where:
                where = scope
                options.append(Option(Text(scope, style="bold underline", end=""), disabled=True))
            head = Text(keys, style="bold", end="")
            head.truncate(KEY_WIDTH, pad=True)
            head.append(" ")
            options.append(Option(Hanging(head, Text(description, end="")), id=f"key-{n}"))
        return options

    def on_mount(self) -> None:
        focus_now(self.query_one("#help-keys", NavList))

    def action_close(self) -> None:
        self.dismiss(None)
