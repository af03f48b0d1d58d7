"""The JSON Schema of the briefing format, generated from the model.

Editors with a TOML language server (taplo, VS Code's Even Better TOML)
validate and complete a briefing whose first line is
``#:schema <path-or-url-of>/briefing.schema.json``. The shipped file is
regenerated with ``python -m briefing.schema`` and a test keeps it in step
with the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from briefing.dates import PartialDate
from briefing.model import SECTIONS

SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "briefing.schema.json"

_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DESCRIPTIONS = {
    "briefing": "What the briefing is: title and as_of are required.",
    "bluf": "Bottom line up front: the points an analyst briefs from.",
    "actors": "People, governments, forces, groups, missions, organisations and countries.",
    "timeline": "Dated events; date is a TOML date or a string \"YYYY\" / \"YYYY-MM\".",
    "sources": "The source documents; their text inline (text) or in a file beside the briefing (text_file).",
}


def _hook(kind: type) -> dict:
    if kind is PartialDate:
        return {
            "description": 'A TOML date (2023-06-16), or a string "2023-06" or "2023" for month or year precision.',
            "type": "string",
            "pattern": _DATE_PATTERN,
        }
    raise NotImplementedError


def build_schema() -> dict:
    structs = [struct for struct, _ in SECTIONS.values()]
    _refs, defs = msgspec.json.schema_components(structs, schema_hook=_hook, ref_template="#/$defs/{name}")
    properties = {}
    for (name, (struct, is_array)), ref in zip(SECTIONS.items(), _refs):
        prop: dict = {"type": "array", "items": ref} if is_array else dict(ref)
        prop["description"] = _DESCRIPTIONS[name]
        properties[name] = prop
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "briefing.schema.json",
        "title": "briefing file",
        "description": "A structured briefing read by the `briefing` terminal app.",
        "type": "object",
        "properties": properties,
        "required": ["briefing"],
        "additionalProperties": False,
        "$defs": defs,
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
