from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample" / "sample.toml"

MINIMAL = """\
[briefing]
title = "T"
as_of = 2023-07-06
"""


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture
def write(tmp_path: Path):
    """Write a briefing file (text or bytes) in a fresh folder; return its path."""

    def _write(content: str | bytes, name: str = "b.toml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the developer's own cache."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
