"""Finding briefing files: a file is one briefing, a folder a library."""

from __future__ import annotations

from pathlib import Path


def discover(path: Path) -> list[Path]:
    """The briefing files at ``path``: itself if a file, else every ``*.toml``
    below it (hidden folders skipped), sorted by path."""
    if not path.is_dir():
        return [path]
    found = []
    for p in path.rglob("*.toml"):
        rel = p.relative_to(path)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.is_file():
            found.append(p)
    return sorted(found)
