"""Finding briefing files: a file is one briefing, a folder a library."""

from __future__ import annotations

import os
from pathlib import Path


def discover(path: Path) -> list[Path]:
    """The briefing files at ``path``: itself if a file, else every ``*.toml``
    below it (hidden folders skipped), sorted by path."""
    if not path.is_dir():
        return [path]
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if f.endswith(".toml") and not f.startswith(".")]
    return [Path(f) for f in sorted(found)]
