import json

from briefing.model import SECTIONS
from briefing.schema import SCHEMA_FILE, build_schema, render


def test_shipped_schema_matches_the_model():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), "run: python -m briefing.schema"


def test_schema_refuses_unknown_keys_everywhere():
    schema = build_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(SECTIONS)
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False, name
    assert json.loads(json.dumps(schema)) == schema
