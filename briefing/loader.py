"""Load and validate a briefing file.

read bytes -> size, emptiness and binary checks -> UTF-8 decode (BOM allowed)
-> TOML parse (tomli) -> neutralise control characters -> strict typed
conversion (msgspec), item by item so every problem is reported -> cross
references -> source texts (confined to the briefing's folder) -> sort.

Every failure is a :class:`Problem`; :func:`load` raises one
:class:`ContentError` carrying all of them. Nothing here imports Textual.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import typing
from pathlib import Path

import msgspec
import tomli

from briefing.errors import ContentError, Problem
from briefing.model import SECTIONS, Actor, Bluf, Briefing, Event, Meta, Source, decode_hook
from briefing.sanitize import clean, clean_tree
from briefing.tomlpos import Positions, scan

#: Largest briefing file, and largest source text file, that will be read.
MAX_FILE_BYTES = 16 * 1024 * 1024

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_FIELD = re.compile(r"^\.([A-Za-z0-9_\-]+)")
_TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
    "date": "a date such as 2023-06-16",
    "datetime": "a date with a time",
    "time": "a time",
    "null": "nothing",
}


def _did_you_mean(word: str, choices: typing.Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _unknown_field_hint(name: str, fields: tuple[str, ...]) -> str:
    if name in SECTIONS:
        return f"a key after a [table] header belongs to that table; write the entries under [[{name}]] headers"
    return _did_you_mean(name, fields) or f"the fields are: {', '.join(fields)}"


def _allowed_values(struct: type, name: str) -> list[str] | None:
    hints = typing.get_type_hints(struct)
    hint = hints.get(name)
    values: list[str] = []
    for arg in typing.get_args(hint) or ():
        if typing.get_origin(arg) is typing.Literal:
            values.extend(typing.get_args(arg))
    if typing.get_origin(hint) is typing.Literal:
        values.extend(typing.get_args(hint))
    return values or None


def _friendly(message: str) -> str:
    if message.startswith("Invalid RFC3339 encoded date"):
        return "not a date: write it as 2023-06-16, without quotes"
    m = re.match(r"Expected `([^`]+)`, got `([^`]+)`", message)
    if m:
        want = " or ".join(_TYPE_WORDS.get(t.strip(), t.strip()) for t in m.group(1).split("|"))
        got = _TYPE_WORDS.get(m.group(2), m.group(2))
        return f"expected {want}, got {got}"
    return message


class _LazyLine:
    """A line number looked up only if a problem is actually reported."""

    def __init__(self, reader: "_Reader", section: str, index: int, key: str):
        self.args = (reader, section, index, key)

    def get(self) -> int | None:
        reader, section, index, key = self.args
        return reader.pos.line_of(section, index, key)


class _Reader:
    """Collects the problems of one file while it is read."""

    def __init__(self, path: Path):
        self.path = path
        self.shown = str(path)
        self.problems: list[Problem] = []
        self._text = ""
        self._pos: Positions | None = None
        self.text_files: list[Path] = []  # source text files it tried to read

    @property
    def pos(self) -> Positions:
        """Lines of tables and keys: worked out only when a problem needs one."""
        if self._pos is None:
            self._pos = scan(self._text)
        return self._pos

    def add(self, message: str, **kw: typing.Any) -> None:
        if isinstance(kw.get("line"), _LazyLine):
            kw["line"] = kw["line"].get()
        self.problems.append(Problem(self.shown, message, **kw))

    # -- bytes to text ---------------------------------------------------
    def read_text(self, path: Path, what: str, **kw: typing.Any) -> str | None:
        """Read a UTF-8 file, refusing what is too large, empty or binary."""
        try:
            st = path.stat()
        except OSError as exc:
            self.add(f"cannot read {what}: {exc.strerror or exc}", **kw)
            return None
        if not os.path.isfile(path):
            self.add(f"{what} is not a regular file", **kw)
            return None
        if st.st_size > MAX_FILE_BYTES:
            self.add(
                f"{what} is {st.st_size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                hint="split it, or move long source texts into separate text_file files",
                **kw,
            )
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.add(f"cannot read {what}: {exc.strerror or exc}", **kw)
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            self.add(f"{what} is binary (it contains a NUL byte at line {line}), not UTF-8 text", **kw)
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            line = before.count(b"\n") + 1
            column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
            where = f"line {line}, column {column}"
            self.add(
                f"{what} is not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at {where})",
                hint="save the file as UTF-8",
                **kw,
            )
            return None

    # -- TOML ------------------------------------------------------------
    def parse(self, text: str) -> dict | None:
        if not text.strip():
            self.add("the file is empty", hint="a briefing needs at least a [briefing] table with title and as_of")
            return None
        try:
            doc = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            msg = getattr(exc, "msg", str(exc))
            if msg == "Cannot overwrite a value" or msg.startswith("Cannot declare"):
                msg += " (a key or table is defined twice)"
            self.add(f"TOML syntax: {clean(msg)}", line=getattr(exc, "lineno", None), column=getattr(exc, "colno", None))
            return None
        except RecursionError:
            self.add("TOML nests too deeply to read", hint="flatten nested arrays or tables")
            return None
        self._text = text
        return typing.cast(dict, clean_tree(doc))

    # -- structure ---------------------------------------------------------
    def convert(self, raw: object, struct: type, section: str, index: int | None, label: str) -> typing.Any:
        """Convert one table to ``struct``, reporting every bad field."""
        if not isinstance(raw, dict):
            self.add(f"expected a table, got {_TYPE_WORDS.get(type(raw).__name__, type(raw).__name__)}",
                     line=self.pos.line_of(section, index, None), item=label)
            return None
        data = dict(raw)
        fields = struct.__struct_fields__
        for name in _required(struct):
            if name not in data:
                self.add("required field is missing", field=name, item=label,
                         line=self.pos.line_of(section, index, None), hint=f"add {name} = ...")
        for _ in range(len(data) + 2):
            try:
                return msgspec.convert(data, struct, strict=True, dec_hook=decode_hook)
            except msgspec.ValidationError as exc:
                m = _AT.match(str(exc))
                assert m is not None
                msg, path = m.group("msg"), m.group("path") or ""
                unknown = re.match(r"Object contains unknown field `(.*)`", msg)
                missing = msg.startswith("Object missing required field")
                if unknown:
                    name = unknown.group(1)
                    self.add(
                        "unknown field",
                        field=name,
                        item=label,
                        line=self.pos.line_of(section, index, name),
                        hint=_unknown_field_hint(name, fields),
                    )
                    data.pop(name, None)
                    continue
                if missing:  # reported above, or its bad value was
                    return None
                fm = _FIELD.match(path)
                name = fm.group(1) if fm else None
                text = _friendly(msg)
                hint = None
                if name and msg.startswith("Invalid enum value"):
                    allowed = _allowed_values(struct, name)
                    if allowed:
                        text = f"{msg.removeprefix('Invalid enum value ')} is not allowed"
                        hint = "use one of: " + ", ".join(allowed)
                self.add(text, field=(name + path[len(name) + 1 :]) if name else None, item=label,
                         line=self.pos.line_of(section, index, name), hint=hint)
                if name is None or name not in data:
                    return None
                data.pop(name)
        return None


@functools.cache
def _required(struct: type) -> tuple[str, ...]:
    # msgspec.structs.fields() evaluates annotations on every call: cache it.
    return tuple(f.name for f in msgspec.structs.fields(struct) if f.required)


def _label(section: str, index: int, raw: object) -> str:
    title = ""
    if isinstance(raw, dict):
        for key in ("title", "name", "id", "text"):
            value = raw.get(key)
            if isinstance(value, str) and value:
                title = value if len(value) <= 40 else value[:39] + "\u2026"
                break
    return f'{section}[{index}] "{title}"' if title else f"{section}[{index}]"


def check(path: str | os.PathLike[str]) -> tuple[Briefing | None, list[Problem]]:
    """Read and validate one file. Returns the briefing (None when it has
    errors) and every problem found, warnings included. Never raises for bad
    content."""
    b, problems, _files = check_files(path)
    return b, problems


def check_files(path: str | os.PathLike[str]) -> tuple[Briefing | None, list[Problem], list[Path]]:
    """:func:`check`, plus the source text files the result depends on."""
    path = Path(path)
    r = _Reader(path)
    b, problems = _check(path, r)
    return b, problems, r.text_files


def _check(path: Path, r: _Reader) -> tuple[Briefing | None, list[Problem]]:
    text = r.read_text(path, "the file")
    doc = r.parse(text) if text is not None else None
    if doc is None:
        return None, r.problems

    meta_fields = tuple(Meta.__struct_fields__)
    for key, value in doc.items():
        if key not in SECTIONS:
            table = isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict))
            if not table and key in meta_fields:  # title = "..." above [briefing]
                message, hint = f"'{key}' is outside any section", f"move it under [briefing], with {', '.join(meta_fields)}"
            else:
                message = f"unknown section [{key}]" if table else f"unknown top-level key '{key}'"
                hint = _did_you_mean(key, SECTIONS) or f"the sections are: {', '.join(SECTIONS)}"
            r.add(message, line=r.pos.line_of(key, None, None) or r.pos.line_of(key, 0, None) or r.pos.root.keys.get(key),
                  hint=hint)

    meta: Meta | None = None
    if "briefing" not in doc:
        r.add("the [briefing] table is missing", line=1, hint="add [briefing] with title and as_of")
    else:
        meta = r.convert(doc["briefing"], Meta, "briefing", None, "[briefing]")

    items: dict[str, list] = {}
    for section, (struct, _is_array) in SECTIONS.items():
        if section == "briefing":
            continue
        raw = doc.get(section, [])
        if not isinstance(raw, list):
            r.add(f"[[{section}]] must be an array of tables", line=r.pos.line_of(section, None, None) or r.pos.root.keys.get(section),
                  hint=f"write each entry under its own [[{section}]] header")
            items[section] = []
            continue
        converted = []
        for index, entry in enumerate(raw):
            obj = r.convert(entry, struct, section, index, _label(section, index, entry))
            converted.append(obj)
        items[section] = converted

    bluf: list[Bluf | None] = items["bluf"]
    actors: list[Actor | None] = items["actors"]
    timeline: list[Event | None] = items["timeline"]
    sources: list[Source | None] = items["sources"]
    # Ids and references are checked on the raw tables, so an entry with a
    # bad field still has its references checked: one pass finds everything.
    def raw_items(section: str) -> list[tuple[int, dict]]:
        raw = doc.get(section, [])
        if not isinstance(raw, list):
            return []
        return [(i, e) for i, e in enumerate(raw) if isinstance(e, dict)]

    def unique(section: str) -> set[str]:
        seen: dict[str, int] = {}
        for index, entry in raw_items(section):
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            if ident in seen:
                r.add(
                    f"duplicate id '{ident}' (first used by {section}[{seen[ident]}])",
                    item=_label(section, index, entry),
                    field="id",
                    line=r.pos.line_of(section, index, "id"),
                    hint="give each entry its own id",
                )
            else:
                seen[ident] = index
        return set(seen)

    actor_ids = unique("actors")
    source_ids = unique("sources")

    def refs(section: str, field_name: str, known: set[str], kind: str) -> None:
        for index, entry in raw_items(section):
            values = entry.get(field_name)
            if not isinstance(values, list):
                continue
            for ref in values:
                if isinstance(ref, str) and ref not in known:
                    r.add(
                        f"{kind} id '{ref}' is not defined",
                        item=_label(section, index, entry),
                        field=field_name,
                        line=r.pos.line_of(section, index, field_name),
                        hint=_did_you_mean(ref, known) or f"add a [[{kind}s]] entry with id = \"{ref}\"",
                    )

    for section in ("bluf", "actors", "timeline"):
        refs(section, "sources", source_ids, "source")
        for index, entry in raw_items(section):
            if not entry.get("sources"):
                r.add("cites no source", item=_label(section, index, entry), severity="warning",
                      line=r.pos.line_of(section, index, None), hint='add sources = ["source-id"]')
    refs("timeline", "actors", actor_ids, "actor")

    for index, src in enumerate(sources):
        if src is None:
            continue
        label = _label("sources", index, doc["sources"][index])
        line = _LazyLine(r, "sources", index, "text_file")
        if src.text and src.text_file is not None:
            r.add("has both text and text_file", item=label, field="text_file", line=line, hint="keep one of them")
        elif src.text_file is not None:
            target = _confined(path, src.text_file)
            if target is None:
                r.add(
                    f"text_file '{src.text_file}' points outside the briefing's folder",
                    item=label, field="text_file", line=line,
                    hint="use a path relative to the briefing file, inside its folder",
                )
                continue
            r.text_files.append(target)
            body = r.read_text(target, f"text_file '{src.text_file}'", item=label, field="text_file", line=line)
            if body is not None:
                src.text = clean(body)

    problems = sorted(r.problems, key=Problem.sort_key)
    if meta is None or any(p.severity == "error" for p in problems):
        return None, problems
    briefing = Briefing(
        path=path,
        meta=meta,
        bluf=typing.cast(list, bluf),
        actors=typing.cast(list, actors),
        timeline=sorted(typing.cast(list, timeline), key=lambda e: e.date.sort_key()),
        sources=typing.cast(list, sources),
    )
    return briefing, problems


def _confined(briefing_path: Path, relative: str) -> Path | None:
    """The text file's real path, or None when it leads outside the folder."""
    if not relative or os.path.isabs(relative) or relative.startswith(("\\", "/")) or re.match(r"^[A-Za-z]:", relative):
        return None
    base = briefing_path.parent.resolve()
    target = (base / relative).resolve()
    if target == base or not target.is_relative_to(base):
        return None
    return target


def load(path: str | os.PathLike[str]) -> Briefing:
    """Load a briefing or raise :class:`ContentError` with every problem."""
    briefing, problems = check(path)
    if briefing is None:
        raise ContentError(problems)
    return briefing
