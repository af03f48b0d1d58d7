"""The one rendering path for text that comes from a briefing.

Every string from a briefing file is shown literally: it becomes a Rich
``Text`` built from the plain string (never parsed as markup), and it was
already stripped of terminal controls by the loader. The panes, the search
results and the CLI all build their text here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

    from briefing.model import Actor, Briefing, Event, Source  # annotations only: `briefing search` skips the model

HIGHLIGHT = "bold reverse"


def literal(value: str, style: str = "") -> Text:
    """Untrusted text as a Text object; markup in it stays plain characters."""
    from rich.text import Text  # here, so the shell commands never load Rich

    return Text(value, style=style, end="")


def highlighted(value: str, spans: list[tuple[int, int]], style: str = HIGHLIGHT) -> Text:
    text = literal(value)
    for start, end in spans:
        text.stylize(style, start, end)
    return text


_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}


def sgr(value: str, style: str = "", spans: list[tuple[int, int]] = (), styled: bool = True,
        highlight: str = HIGHLIGHT) -> str:
    """Untrusted ``value`` as a terminal line for the shell commands: ``style``
    on the whole and ``highlight`` on ``spans``, as SGR codes when ``styled``,
    else the bare characters. Styles are named in this module, never taken
    from a briefing; the text itself was made safe by the loader."""
    if not styled or (not style and not spans):
        return value

    def codes(names: str) -> str:
        return ";".join(dict.fromkeys(_SGR[n] for n in names.split() if n in _SGR))

    base = codes(style)
    mark = codes(f"{style} {highlight}")
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        if start > at:
            out.append(f"\x1b[{base}m{value[at:start]}\x1b[0m" if base else value[at:start])
        out.append(f"\x1b[{mark}m{value[start:end]}\x1b[0m")
        at = end
    if at < len(value):
        out.append(f"\x1b[{base}m{value[at:]}\x1b[0m" if base else value[at:])
    return "".join(out)


def citations(b: Briefing, ids: list[str]) -> str:
    return ", ".join(b.source_labels(ids))


def source_line(s: Source) -> str:
    """Publisher, date and title, the way the Sources list shows a source."""
    parts = [s.publisher or "—", s.published.human() if s.published else "n.d.", s.title]
    return " · ".join(parts)


def event_line(e: Event) -> str:
    return f"{e.date.human()}  {e.title}"


def actor_line(a: Actor) -> str:
    return f"{a.name} ({a.kind})" if a.kind else a.name


def plain_text(b: Briefing) -> str:
    """The whole briefing as plain text, for a pipe or a file."""
    out: list[str] = []
    m = b.meta
    out.append(m.title)
    head = [f"as of {m.as_of.isoformat()}"]
    if m.classification:
        head.append(m.classification)
    if m.region:
        head.append(m.region)
    out.append(" · ".join(head))
    if m.summary:
        out += ["", m.summary]
    out += ["", "BOTTOM LINE UP FRONT"]
    for n, p in enumerate(b.bluf, 1):
        extra = [citations(b, p.sources)] if p.sources else []
        if p.confidence:
            extra.append(f"{p.confidence} confidence")
        out.append(f"{n:>2}. {p.text}" + (f" [{'; '.join(extra)}]" if extra else ""))
    out += ["", "ACTORS"]
    for a in b.actors:
        out.append(f"- {actor_line(a)}")
        if a.aliases:
            out.append(f"    also: {', '.join(a.aliases)}")
        if a.affiliation:
            out.append(f"    affiliation: {a.affiliation}")
        if a.summary:
            out.append(f"    {a.summary}")
    out += ["", "TIMELINE"]
    for e in b.timeline:
        out.append(f"- {event_line(e)}")
        if e.detail:
            out.append(f"    {e.detail}")
        if e.places:
            out.append(f"    places: {', '.join(e.places)}")
    out += ["", "SOURCES"]
    for s in b.sources:
        out.append(f"- [{s.label}] {source_line(s)}")
        if s.authors:
            out.append(f"    by {', '.join(s.authors)}")
        if s.url:
            out.append(f"    {s.url}")
    return "\n".join(out) + "\n"
