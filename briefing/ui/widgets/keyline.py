"""The key line at the bottom: the few main keys that work where focus is.

One line of text, built from the screen's active bindings (those marked to be
shown in :mod:`briefing.ui.bindings`). Textual's ``Footer`` rebuilds a widget
per key on every change of focus; this redraws a single line, and only when
its text changes, so moving through a list sends nothing for it over a slow
link.

The keys of the screen and the app (the same in every pane) come first; the
keys of the focused area (a list's Enter, Actors' ``t``...) follow them.
Switching panes then changes only the end of the line, which is all that
goes over the wire. When the line is too narrow, the shared part is cut
first: the focused area's keys are the ones a newcomer is looking for.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


#: (keys, label) of the screen's and app's bindings, and of the focused area's.
Parts = tuple[list[tuple[str, str]], list[tuple[str, str]]]


class KeyLine(Widget):
    COMPONENT_CLASSES = {"keyline--key"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyLine > .keyline--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: Parts = ([], [])

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._update()

    def parts(self) -> Parts:
        """Key and label of each shown binding (trusted text only: the
        bindings table, never a briefing): the screen's and app's, and the
        focused area's."""
        shared: list[tuple[str, str]] = []
        local: list[tuple[str, str]] = []
        seen: set[str] = set()
        groups: dict[str, list[str]] = {}
        order: list[tuple[list[tuple[str, str]], str, str, str]] = []
        active = self.screen.active_bindings
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            binding = active[self.app.COMMAND_PALETTE_BINDING].binding
            palette = (self.app.get_key_display(binding), binding.description)
        for node, binding, enabled, _tooltip in active.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            side = shared if node is self.screen or node is self.app else local
            key = self.app.get_key_display(binding)
            if binding.group is not None and binding.group.compact:
                if binding.group.description not in groups:
                    order.append((side, "group", binding.group.description, ""))
                groups.setdefault(binding.group.description, []).append(key)
            else:
                order.append((side, "key", key, binding.description))
        for side, kind, first, second in order:
            side.append(("".join(groups[first]), first) if kind == "group" else (first, second))
        if palette is not None:
            shared.append(palette)
        return shared, local

    def line(self, width: int) -> Text:
        """The line at ``width`` cells: shared keys, then the local keys (in
        the theme's colours of the moment)."""
        key_style = self.get_component_rich_style("keyline--key")

        def text(items: list[tuple[str, str]]) -> Text:
            out = Text("", end="", no_wrap=True)
            for keys, label in items:
                out.append(f" {keys} ", style=key_style)
                out.append(f"{label} ")
            return out

        shared, local = text(self._parts[0]), text(self._parts[1])
        if shared.cell_len + local.cell_len > width:
            shared.truncate(max(0, width - local.cell_len - 1), overflow="ellipsis")
            shared.append(" ")
        out = Text("", end="", no_wrap=True, overflow="ellipsis")
        out.append_text(shared)
        out.append_text(local)
        out.truncate(width, overflow="ellipsis", pad=True)
        return out

    def _update(self) -> None:
        parts = self.parts()
        if parts != self._parts:
            self._parts = parts
            self.refresh()

    def render(self) -> Text:
        return self.line(self.size.width)
