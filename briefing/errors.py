"""The one error type for bad content, and the problems it carries.

Every failure to read a briefing becomes a :class:`Problem` (file, line, item,
field, what was wrong, how to fix it). Loading collects all of them and raises
a single :class:`ContentError`, so a user fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefing.sanitize import clean

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None
    column: int | None = None
    item: str | None = None
    field: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    @property
    def location(self) -> str:
        where = clean(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        """One line (two with a hint) a person can act on; always plain text."""
        parts = [f"{self.location}: {self.severity}:"]
        if self.item:
            parts.append(f"{self.item}:")
        if self.field:
            parts.append(f"field '{self.field}':")
        parts.append(self.message)
        text = " ".join(parts)
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.column or 0)


class ContentError(Exception):
    """A briefing file could not be used. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
