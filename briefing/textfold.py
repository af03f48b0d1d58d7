"""Case- and accent-blind text folding, with a map back to the original.

``fold("Goïta")`` and ``fold("GOITA")`` are both ``"goita"``; NFC and NFD
spellings fold alike; runs of white space fold to one space so a phrase
matches across a line break. :func:`fold_map` also returns, for each folded
character, the index of the original character it came from, so a match
found in folded text is highlighted on the original accented characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Sequence

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
    if not text.isascii():
        # Fold only the non-ASCII runs letter by letter; the rest in bulk.
        text = _NON_ASCII.sub(lambda m: "".join(map(_fold_char, m.group())), text)
    return " ".join(text.lower().split())


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_SPACE = str.maketrans({c: " " for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"})


def _fold_ascii(segment: str) -> str:
    return segment.lower().translate(_ASCII_SPACE)


def fold_map(text: str) -> tuple[str, Sequence[int]]:
    """Fold ``text`` and map each folded character to its original index.

    Unlike :func:`fold`, white space is not collapsed here (each white-space
    character becomes one space), so most texts fold to the same length and
    the map is simply ``range(len(text))``; :func:`find_all` matches a
    phrase's single spaces against runs of them.
    """
    if text.isascii():
        return _fold_ascii(text), range(len(text))
    parts: list[str] = []
    same_length = True
    pos = 0
    for m in _NON_ASCII.finditer(text):
        parts.append(_fold_ascii(text[pos : m.start()]))
        for ch in m.group():
            f = _fold_char(ch)
            same_length = same_length and len(f) == 1
            parts.append(f)
        pos = m.end()
    parts.append(_fold_ascii(text[pos:]))
    folded = "".join(parts)
    if same_length:
        return folded, range(len(text))
    where: list[int] = []
    for i, ch in enumerate(text):
        where.extend([i] * len(_fold_char(ch) if not ch.isascii() else ch))
    return folded, where


def find_all(folded: str, term: str) -> list[tuple[int, int]]:
    """Every ``[start, end)`` of a folded term in text from :func:`fold_map`."""
    if " " not in term:
        spans = []
        start = folded.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + 1)
        return spans
    pattern = " +".join(re.escape(word) for word in term.split(" "))
    return [m.span() for m in re.finditer(pattern, folded)]


def original_span(text: str, where: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The original ``[start, end)`` of the folded match ``[start, end)``.

    The end is extended over combining marks that belong to the last
    matched letter, so "Goi" highlights all of "Goï" in NFD text too.
    """
    o_start = where[start]
    o_end = where[end - 1] + 1
    while o_end < len(text) and unicodedata.combining(text[o_end]):
        o_end += 1
    return o_start, o_end


# -- finding a folded term in original text, at C speed ---------------------
# For each ASCII character, a regex class of the Latin letters that fold to
# it (e, é, è, É, ...). A term made of such characters becomes a pattern that
# runs on the original text directly, with no folded copy and no index map.
_LATIN = [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]
_MARKS = "[\u0300-\u036f]*"
_CLASSES: dict[str, str] | None = None


def _members() -> dict[str, str]:
    """For each ASCII character, the characters of _LATIN (not white space)
    that fold to it alone, in code point order: what _MEMBERS spells out."""
    members: dict[str, str] = {}
    for code in _LATIN:
        ch = chr(code)
        f = _fold_char(ch)
        if len(f) == 1 and f.isascii() and not ch.isspace():
            members[f] = members.get(f, "") + ch
    return members


# _members(), written out: working it out costs `briefing search` ~2 ms
# before it can search (tests/test_search.py checks the two agree).
_MEMBERS = {
    '!': '!', '"': '"', '#': '#', '$': '$', '%': '%', '&': '&', "'": "'", '(': '(', ')': ')', '*': '*',
    '+': '+', ',': ',', '-': '-', '.': '.', '/': '/', '0': '0', '1': '1', '2': '2', '3': '3', '4': '4',
    '5': '5', '6': '6', '7': '7', '8': '8', '9': '9', ':': ':', ';': ';', '<': '<', '=': '=', '>': '>',
    '?': '?', '@': '@', 'a': 'AaÀÁÂÃÄÅàáâãäåĀāĂăĄąǍǎǞǟǠǡǺǻȀȁȂȃȦȧḀḁẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặ', 'b': 'BbḂḃḄḅḆḇ',
    'c': 'CcÇçĆćĈĉĊċČčḈḉ', 'd': 'DdĎďĐđḊḋḌḍḎḏḐḑḒḓ',
    'e': 'EeÈÉÊËèéêëĒēĔĕĖėĘęĚěȄȅȆȇȨȩḔḕḖḗḘḙḚḛḜḝẸẹẺẻẼẽẾếỀềỂểỄễỆệ', 'f': 'FfḞḟ', 'g': 'GgĜĝĞğĠġĢģǦǧǴǵḠḡ',
    'h': 'HhĤĥĦħȞȟḢḣḤḥḦḧḨḩḪḫẖ', 'i': 'IiÌÍÎÏìíîïĨĩĪīĬĭĮįİıǏǐȈȉȊȋḬḭḮḯỈỉỊị', 'j': 'JjĴĵǰ', 'k': 'KkĶķǨǩḰḱḲḳḴḵ',
    'l': 'LlĹĺĻļĽľŁłḶḷḸḹḺḻḼḽ', 'm': 'MmḾḿṀṁṂṃ', 'n': 'NnÑñŃńŅņŇňǸǹṄṅṆṇṈṉṊṋ',
    'o': 'OoÒÓÔÕÖØòóôõöøŌōŎŏŐőƠơǑǒǪǫǬǭǾǿȌȍȎȏȪȫȬȭȮȯȰȱṌṍṎṏṐṑṒṓỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ', 'p': 'PpṔṕṖṗ',
    'q': 'Qq', 'r': 'RrŔŕŖŗŘřȐȑȒȓṘṙṚṛṜṝṞṟ', 's': 'SsŚśŜŝŞşŠšſȘșṠṡṢṣṤṥṦṧṨṩẛ', 't': 'TtŢţŤťŦŧȚțṪṫṬṭṮṯṰṱẗ',
    'u': 'UuÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųƯưǓǔǕǖǗǘǙǚǛǜȔȕȖȗṲṳṴṵṶṷṸṹṺṻỤụỦủỨứỪừỬửỮữỰự', 'v': 'VvṼṽṾṿ',
    'w': 'WwŴŵẀẁẂẃẄẅẆẇẈẉẘ', 'x': 'XxẊẋẌẍ', 'y': 'YyÝýÿŶŷŸȲȳẎẏẙỲỳỴỵỶỷỸỹ', 'z': 'ZzŹźŻżŽžẐẑẒẓẔẕ', '[': '[',
    '\\': '\\', ']': ']', '^': '^', '_': '_', '`': '`', '{': '{', '|': '|', '}': '}', '~': '~', '\x7f': '\x7f',
}


def _classes() -> dict[str, str]:
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = {f: "[" + "".join(re.escape(c) for c in chars) + "]" for f, chars in _MEMBERS.items()}
    return _CLASSES


@lru_cache(maxsize=256)
def term_pattern(term: str) -> re.Pattern[str] | None:
    """A pattern that finds folded ``term`` in unfolded text, or None when the
    term has a character this shortcut does not cover (then use fold_map)."""
    classes = _classes()
    parts = []
    for ch in term:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in classes:
            parts.append(classes[ch] + _MARKS)
        else:
            return None
    return re.compile("".join(parts))


_UNALIGNED: re.Pattern[str] | None = None


def aligned(text: str) -> bool:
    """Whether every character of ``text`` is white space or one that
    :func:`term_pattern` matches as a single folded ASCII character.

    Then :func:`fold` only drops white space (runs become one space, the ends
    go), so a folded term's first match at folded offset ``p`` is also the
    first match of its :func:`term_pattern` at or after ``p`` in ``text``:
    the index looks for it there instead of reading the text from the start.
    """
    global _UNALIGNED
    if _UNALIGNED is None:
        # The characters _classes() puts in a class.
        members = sorted("".join(_MEMBERS.values()))
        _UNALIGNED = re.compile("[^\\s" + "".join(re.escape(c) for c in members) + "]")
    return _UNALIGNED.search(text) is None
