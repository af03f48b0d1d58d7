"""Focus a widget at once.

``Widget.focus()`` defers the change to the next turn of the event loop, so
keys that arrive in the same burst (typed ahead, or batched by a slow SSH
link: "2j" sent together) would still go to the old widget. Moving the focus
synchronously makes "switch pane, then move" behave the same however fast
the keys come.
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    try:
        screen = widget.screen
    except Exception:  # not mounted (yet): fall back to the deferred way
        widget.focus(scroll_visible=False)
        return
    screen.set_focus(widget, scroll_visible=False)
