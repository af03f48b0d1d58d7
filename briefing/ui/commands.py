"""Command palette (ctrl+p): "Jump to actor: …", "Jump to event: …",
"Jump to source: …" on a briefing, "Open briefing: …" in the library.

Untrusted names are never given to the palette as strings (it parses a
``str`` prompt as markup, and ``Matcher.highlight`` does too): each hit is a
Rich ``Text`` built with :func:`briefing.render.literal`, and the matched
letters are styled here from the matcher's offsets. Matching is accent- and
case-blind (``Goita`` finds ``Goïta``): the matcher runs on the folded
candidate and offsets are mapped back with :func:`briefing.textfold.fold_map`.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefing.textfold import fold, fold_map
from briefing.ui.text import value

#: Longest name put into a command (keeps the fuzzy matcher fast and the
#: palette one line per command).
MAX_NAME = 80


class Target:
    """One palette command: a trusted prefix, an untrusted name, an action."""

    __slots__ = ("kind", "prefix", "name", "action", "folded", "where")

    def __init__(self, kind: str, prefix: str, name: str, action: Callable[[], object]) -> None:
        self.kind = kind
        self.prefix = prefix
        self.name = name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
        self.action = action
        self.folded, self.where = fold_map(self.name)

    @property
    def plain(self) -> str:
        return f"{self.prefix}: {self.name}"

    def display(self, offsets: Iterable[int] = ()) -> Text:
        """The command as Text; ``offsets`` (into the folded name) are the
        matched letters to highlight."""
        name = value(self.name)
        for folded_offset in offsets:
            if 0 <= folded_offset < len(self.where):
                start = self.where[folded_offset]
                name.stylize("reverse", start, start + 1)
        return Text.assemble(Text(f"{self.prefix}: ", style="bold", end=""), name, end="")


def split_query(query: str) -> tuple[str | None, str]:
    """``"actor goi"`` -> ("actors", "goi"): a first word that starts a kind
    ("act", "event", "src", …) narrows the commands to that kind."""
    words = fold(query).split(" ", 1)
    first = words[0]
    if len(first) >= 2 and len(words) > 1 or first in KIND_WORDS:
        for word, kind in KIND_WORDS.items():
            if word.startswith(first) and len(first) >= 2:
                return kind, words[1] if len(words) > 1 else ""
    return None, fold(query)


KIND_WORDS = {
    "actor": "actors", "event": "timeline", "timeline": "timeline", "source": "sources",
    "src": "sources", "open": "library", "briefing": "library",
}


def targets_for(screen: object) -> list[Target]:
    """The palette commands for the screen the palette was opened on."""
    from briefing.ui.screens.briefing import BriefingScreen
    from briefing.ui.screens.library import LibraryScreen

    if isinstance(screen, BriefingScreen):
        b = screen.briefing
        out = [Target("actors", "Jump to actor", a.name, partial(screen.jump_to, "actors", i))
               for i, a in enumerate(b.actors)]
        out += [
            Target("timeline", "Jump to event", f"{e.date.human()} {e.title}", partial(screen.jump_to, "timeline", i))
            for i, e in enumerate(b.timeline)
        ]
        out += [
            Target("sources", "Jump to source", f"{s.label}: {s.title}" if s.label != s.title else s.title,
                   partial(screen.jump_to, "sources", i))
            for i, s in enumerate(b.sources)
        ]
        return out
    if isinstance(screen, LibraryScreen):
        return [
            Target("library", "Open briefing", e.summary.title, partial(screen.open_entry, n))
            for n, e in enumerate(screen.entries)
            if e.ok
        ]
    return []


class JumpCommands(Provider):
    """Jumps to every actor, event and source of the briefing on screen."""

    async def startup(self) -> None:
        self.targets = targets_for(self.screen)

    async def discover(self) -> Hits:
        for t in self.targets:
            yield DiscoveryHit(t.display(), t.action, text=t.plain)

    async def search(self, query: str) -> Hits:
        kind, rest = split_query(query)
        matcher = self.matcher(rest)
        for t in self.targets:
            if kind is not None and t.kind != kind:
                continue
            if not rest:
                yield Hit(1.0, t.display(), t.action, text=t.plain)
                continue
            score = matcher.match(t.folded)
            if score > 0:
                _, offsets = matcher.fuzzy_search.match(matcher.query, t.folded)
                yield Hit(score, t.display(offsets), t.action, text=t.plain)
