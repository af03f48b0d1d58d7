"""Case- and accent-blind text folding, with a map back to the original.

``fold("Goïta")`` and ``fold("GOITA")`` are both ``"goita"``; NFC and NFD
spellings fold alike; runs of white space fold to one space so a phrase
matches across a line break. :func:`fold_map` also returns, for each folded
character, the index of the original character it came from, so a match
found in folded text is highlighted on the original accented characters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that carry no combining mark in Unicode but that readers treat as
# accented forms of a base letter.
_EXTRA = {"ø": "o", "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe", "ß": "ss"}


@lru_cache(maxsize=None)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    folded = base.casefold()
    return "".join(_EXTRA.get(c, c) for c in folded)


def fold(text: str) -> str:
    """The searchable form of ``text``."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join("".join(map(_fold_char, text)).split())


def fold_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and map each folded character to its original index.

    Unlike :func:`fold`, leading and trailing white space is kept (as one
    space), so indexes stay simple; a search term never starts or ends with
    white space, so both find the same matches.
    """
    out: list[str] = []
    where: list[int] = []
    last_space = False
    for i, ch in enumerate(text):
        f = " " if ch.isspace() else _fold_char(ch)
        if f == " ":
            if last_space:
                continue
            last_space = True
        elif f:
            last_space = False
        for c in f:
            out.append(c)
            where.append(i)
    return "".join(out), where


def original_span(text: str, where: list[int], start: int, end: int) -> tuple[int, int]:
    """The original ``[start, end)`` of the folded match ``[start, end)``.

    The end is extended over combining marks that belong to the last
    matched letter, so "Goi" highlights all of "Goï" in NFD text too.
    """
    o_start = where[start]
    o_end = where[end - 1] + 1
    while o_end < len(text) and unicodedata.combining(text[o_end]):
        o_end += 1
    return o_start, o_end
