"""Dates at their own precision: a year, a month, or a day.

Sorting rule (documented in docs/format.md): a less precise date sorts at the
start of the span it names, before every more precise date inside it. So
"2014-10" comes before 2014-10-01, and "2014" before "2014-01". Entries with
equal dates keep the order they have in the file.
"""

from __future__ import annotations

import datetime as _dt
import re

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# calendar.month_abbr in the C locale, which Python runs in (without loading
# calendar and locale for it: `briefing search` shows dates).
_MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class PartialDate:
    """A year, a month or a day. Immutable; compares equal by value."""

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int, month: int | None = None, day: int | None = None):
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "month", month)
        object.__setattr__(self, "day", day)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("PartialDate is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.year, self.month, self.day) == (other.year, other.month, other.day)

    def __hash__(self) -> int:
        return hash((self.year, self.month, self.day))

    def __repr__(self) -> str:
        return f"PartialDate({self.iso()!r})"

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        """From a TOML date or a "YYYY" / "YYYY-MM" / "YYYY-MM-DD" string.

        Raises ValueError or TypeError with a message meant for a person.
        """
        if isinstance(value, _dt.datetime):
            raise TypeError("expected a date without a time, e.g. 2023-06-16")
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            raise TypeError(f'a year alone must be a string: write "{value}" in quotes')
        if isinstance(value, bool) or not isinstance(value, str):
            raise TypeError(
                f"expected a date (2023-06-16) or a string \"2023\" or \"2023-06\", "
                f"got {type(value).__name__} {value!r}"[:200]
            )
        m = _PATTERN.match(value.strip())
        if not m:
            raise ValueError(
                f'"{value}" is not a date; write 2023-06-16, "2023-06" or "2023"'[:200]
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f'"{value}": month {month} does not exist')
        if day is not None:
            try:
                _dt.date(year, month, day)  # type: ignore[arg-type]
            except ValueError:
                raise ValueError(f'"{value}": that day does not exist') from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        """ISO string at its own precision: 2013, 2013-07 or 2013-07-16."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def human(self) -> str:
        """2013, Jul 2013 or 16 Jun 2023."""
        return _human(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()


_MONTH_OF = {f"{n:02d}": name for n, name in enumerate(_MONTHS) if n}
_DAY_OF = {f"{n:02d}": str(n) for n in range(1, 32)}


def human_iso(iso: str) -> str:
    """``PartialDate.parse(iso).human()`` for a string from
    :meth:`PartialDate.iso`, without parsing and checking it again (the
    search index stores dates that way; `briefing search` shows thousands:
    looked up, not parsed, they take a third of the time)."""
    year = iso[:4] if iso[0] != "0" else str(int(iso[:4]))
    if len(iso) == 4:
        return year
    if len(iso) == 7:
        return f"{_MONTH_OF[iso[5:7]]} {year}"
    return f"{_DAY_OF[iso[8:10]]} {_MONTH_OF[iso[5:7]]} {year}"


def _human(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return str(year)
    if day is None:
        return f"{_MONTHS[month]} {year}"
    return f"{day} {_MONTHS[month]} {year}"
