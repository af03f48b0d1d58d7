"""The reader app. Thin: it picks the first screen and holds app-wide keys.

``BriefingApp(briefing=b)`` opens one briefing; ``BriefingApp(library=folder)``
lists the briefings in a folder. Only ``briefing.ui`` imports Textual.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.screen import Screen

from briefing.ui.wire import DiffUpdate, Wire, terminal_has_bce

from briefing.model import Briefing
from briefing.ui.bindings import bindings

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


def full_redraw_wanted() -> bool:
    """BRIEFING_FULL_REDRAW=1 writes every update as Textual composes it,
    for comparison or if a terminal ever shows a stale cell."""
    return os.environ.get("BRIEFING_FULL_REDRAW", "").strip() == "1"


def animations_wanted() -> bool:
    """Animations cost bytes over SSH: off unless BRIEFING_ANIMATIONS=1."""
    return os.environ.get("BRIEFING_ANIMATIONS", "").strip() == "1"


def jump_commands() -> type:
    """The command palette's jump provider, imported when the palette opens."""
    from briefing.ui.commands import JumpCommands

    return JumpCommands


class BriefingApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "briefing"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {jump_commands}
    # Screens get -narrow / -normal / -wide classes, used by app.tcss.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-normal"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def __init__(
        self,
        briefing: Briefing | None = None,
        library: Path | None = None,
        *,
        loader: Callable | None = None,
    ) -> None:
        if (briefing is None) == (library is None):
            raise ValueError("give either a briefing or a library folder")
        super().__init__()
        self.briefing = briefing
        self.library = Path(library) if library is not None else None
        self.loader = loader
        self.animation_level = "full" if animations_wanted() else "none"
        self.theme = DARK_THEME
        self.wire: Wire | None = None if full_redraw_wanted() else Wire(erase=terminal_has_bce())

    def _display(self, screen: Screen, renderable) -> None:
        """Every screen update passes here on its way to the terminal: sent
        as the difference from what the terminal shows (:mod:`briefing.ui.wire`)."""
        driver = self._driver
        if (self.wire is not None and DiffUpdate.handles(renderable)
                and driver is not None and not driver.is_inline and not self.is_headless):
            renderable = DiffUpdate(self.wire, renderable, self.size.width, self.size.height)
        super()._display(screen, renderable)

    def on_mount(self) -> None:
        # Back from a suspension (SIGTSTP, then fg): the terminal was
        # cleared, so nothing it showed can be assumed.
        self.app_resume_signal.subscribe(self, self._resumed)

    def _resumed(self, _app: App) -> None:
        self.action_redraw()

    def on_resize(self) -> None:
        if self.wire is not None:
            self.wire.forget()

    def action_redraw(self) -> None:
        """ctrl+l: forget what the terminal shows and paint it all again."""
        if self.wire is not None:
            self.wire.forget()
        self.screen.refresh(repaint=True)

    def get_default_screen(self) -> Screen:
        """The first screen is the briefing (or the library) itself, not a
        blank screen with it pushed on top: one layout pass, not several,
        before the first frame."""
        if self.briefing is not None:
            from briefing.ui.screens.briefing import BriefingScreen

            return BriefingScreen(self.briefing)
        from briefing.ui.screens.library import LibraryScreen, load_entry

        assert self.library is not None
        return LibraryScreen(self.library, loader=self.loader or load_entry)

    def action_help(self) -> None:
        from briefing.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
