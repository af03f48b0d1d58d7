"""The key line at the bottom: the few main keys that work where focus is.

One line of text, built from the screen's active bindings (those marked to be
shown in :mod:`briefing.ui.bindings`). Textual's ``Footer`` rebuilds a widget
per key on every change of focus; this redraws a single line, and only when
its text changes, so moving through a list sends nothing for it over a slow
link.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget


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
        self._line = Text("", end="")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._update()

    def line(self) -> Text:
        """Key and label for each shown binding (trusted text only: the
        bindings table, never a briefing)."""
        out = Text("", end="", no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        groups: dict[str, list[str]] = {}
        order: list[tuple[str, str, str]] = []
        active = self.screen.active_bindings
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            binding = active[self.app.COMMAND_PALETTE_BINDING].binding
            palette = (self.app.get_key_display(binding), binding.description)
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            if binding.group is not None and binding.group.compact:
                if binding.group.description not in groups:
                    order.append(("group", binding.group.description, ""))
                groups.setdefault(binding.group.description, []).append(key)
            else:
                order.append(("key", key, binding.description))
        key_style = self.get_component_rich_style("keyline--key")
        for kind, first, second in order:
            keys, label = ("".join(groups[first]), first) if kind == "group" else (first, second)
            out.append(f" {keys} ", style=key_style)
            out.append(f"{label} ")
        if palette is not None:
            out.append(f" {palette[0]} ", style=key_style)
            out.append(palette[1])
        return out

    def _update(self) -> None:
        line = self.line()
        if line.plain != self._line.plain:
            self._line = line
            self.refresh()

    def render(self) -> Text:
        return self._line
