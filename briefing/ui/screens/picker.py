"""A small modal list to choose one of several things (which citation to
follow, which actor to filter the timeline by). Dismisses with the chosen
value, or None on Escape."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.ui.bindings import bindings
from briefing.ui.widgets.navlist import NavList
from briefing.ui.focus import focus_now


class PickerScreen(ModalScreen[Any]):
    BINDINGS = bindings("modal")
    HORIZONTAL_BREAKPOINTS = []  # the app's breakpoints are for full screens

    def __init__(self, title: str, choices: list[tuple[Text, Any]], *, id: str | None = None) -> None:
        """``title`` is trusted text; each choice is (display Text, value)."""
        super().__init__(id=id)
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(self.title_text, style="bold", end=""), id="picker-title", markup=False)
            yield NavList(
                *(Option(text, id=f"choice-{n}") for n, (text, _value) in enumerate(self.choices)),
                id="choices",
            )
            yield Static(Text("⏎ choose · esc cancel", style="italic", end=""), id="picker-hint", markup=False)

    def on_mount(self) -> None:
        focus_now(self.query_one("#choices", NavList))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        n = int((event.option_id or "choice-0")[7:])
        self.dismiss(self.choices[n][1])

    def action_close(self) -> None:
        self.dismiss(None)
