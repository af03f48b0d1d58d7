"""Where things are in a TOML file: the line of each table, array item and key.

The TOML parser returns plain values without positions. To point a person at
the line of a bad field we scan the text once, tracking strings, comments and
brackets so a header-like line inside a multi-line string is not mistaken for
a header. This is a locator, not a parser: anything it cannot place falls back
to the nearest enclosing line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tomli

from briefing.sanitize import clean

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*[.=]")


@dataclass
class Block:
    line: int
    keys: dict[str, int] = field(default_factory=dict)


@dataclass
class Positions:
    """Lines (1-based) of tables, array-of-table items and their keys."""

    tables: dict[str, Block] = field(default_factory=dict)
    arrays: dict[str, list[Block]] = field(default_factory=dict)
    root: Block = field(default_factory=lambda: Block(1))

    def item(self, array: str, index: int) -> Block | None:
        blocks = self.arrays.get(array)
        if blocks and 0 <= index < len(blocks):
            return blocks[index]
        return None

    def line_of(self, array: str | None, index: int | None, key: str | None) -> int | None:
        """Best line for ``array[index].key`` (or a table's key when index is None)."""
        if array is None:
            block: Block | None = self.root
        elif index is None:
            block = self.tables.get(array)
        else:
            block = self.item(array, index)
        if block is None:
            # An inline array (`actors = [...]`): point at its key.
            return self.root.keys.get(array) if array else None
        if key is not None and key in block.keys:
            return block.keys[key]
        return block.line


def _unquote(key: str) -> str:
    """A key as the parser (and then the sanitiser) sees it."""
    if len(key) >= 2 and key[0] == "'" and key[-1] == "'":
        return clean(key[1:-1])
    if len(key) >= 2 and key[0] == '"' and key[-1] == '"':
        try:
            return clean(next(iter(tomli.loads(f"{key} = 0"))))
        except (tomli.TOMLDecodeError, StopIteration):
            return key[1:-1]
    return key


def scan(text: str) -> Positions:
    pos = Positions()
    current = pos.root
    depth = 0  # bracket/brace depth of values spanning lines
    in_ml: str | None = None  # the delimiter of an open multi-line string
    for lineno, line in enumerate(text.split("\n"), start=1):
        i = 0
        n = len(line)
        if in_ml is None and depth == 0:
            m = _HEADER.match(line)
            if m and m.group(1) == "[[" and line.lstrip().startswith("[["):
                name = ".".join(_unquote(p.strip()) for p in m.group(2).split("."))
                current = Block(lineno)
                pos.arrays.setdefault(name, []).append(current)
                continue
            if m and line.lstrip().startswith("["):
                name = ".".join(_unquote(p.strip()) for p in m.group(2).split("."))
                current = Block(lineno)
                pos.tables[name] = current
                continue
            km = _KEY.match(line)
            if km:
                current.keys.setdefault(_unquote(km.group(1)), lineno)
        # Walk the line to keep string/bracket state for the next one.
        while i < n:
            if in_ml is not None:
                end = line.find(in_ml, i)
                if end < 0:
                    break
                i = end + 3
                in_ml = None
                continue
            ch = line[i]
            if ch == "#":
                break
            if ch in "\"'":
                triple = line[i : i + 3]
                if triple in ('"""', "'''"):
                    in_ml = triple
                    i += 3
                    continue
                j = i + 1
                while j < n and line[j] != ch:
                    j += 2 if (ch == '"' and line[j] == "\\") else 1
                i = j + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth = max(0, depth - 1)
            i += 1
    return pos
