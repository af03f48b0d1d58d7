"""The back stack of a briefing screen: where you were before each jump.

Like a browser's history, but only backwards: every jump (following a
citation, actor to event, event to actor, filtering the timeline from an
actor, a command palette jump, a search result) first pushes a
:class:`Location`, and Escape or backspace pops one and restores it exactly:
the pane, its selected item, its scroll positions, which part had focus, the
timeline filter, the source text position and mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Deep enough for any real session; the oldest entries fall off.
MAX_DEPTH = 200


@dataclass(frozen=True)
class Location:
    pane: str
    state: dict[str, Any] = field(default_factory=dict)


class History:
    def __init__(self, max_depth: int = MAX_DEPTH) -> None:
        self._stack: list[Location] = []
        self.max_depth = max_depth

    def push(self, location: Location) -> None:
        self._stack.append(location)
        if len(self._stack) > self.max_depth:
            del self._stack[0]

    def pop(self) -> Location | None:
        return self._stack.pop() if self._stack else None

    def __len__(self) -> int:
        return len(self._stack)

    def __bool__(self) -> bool:
        return bool(self._stack)
