"""One-line renderings of a briefing's items for lists and link rows, as
Rich ``Text`` built from literal strings (see :mod:`briefing.ui.text`)."""

from __future__ import annotations

from rich.text import Text

from briefing.model import Briefing, Source
from briefing.ui.text import Mark, value


def source_row(b: Briefing, source_id: str) -> Text:
    """``Label — Title`` of a cited source (or the bare id if unknown)."""
    s = b.source_by_id.get(source_id)
    if s is None:
        return value(source_id, style="italic")
    out = value(s.label, style="bold")
    if s.title and s.title != s.label:
        out.append(" — ")
        out.append(value(s.title))
    return out


def source_list_row(s: Source, mark: Mark | None = None) -> Text:
    """Publisher, date and title, as the Sources list shows them."""
    out = value(s.publisher or "—", "publisher", mark, style="italic")
    out.append(" · ")
    out.append(value(s.published.human() if s.published else "n.d.", style="italic"))
    out.append("\n")
    out.append(value(s.title, "title", mark, style="bold"))
    return out
