"""Finding briefing files: a file is one briefing, a folder a library."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing)
if TYPE_CHECKING:
    from pathlib import Path


def discover(path: Path) -> list[Path]:
    """The briefing files at ``path``: itself if a file, else every ``*.toml``
    below it (hidden folders skipped), sorted by path."""
    from pathlib import Path

    if not path.is_dir():
        return [path]
    return [Path(f) for f in discover_names(path)]


def discover_names(path: Path | str) -> list[str]:
    """:func:`discover` of a folder, as strings (a thousand Path objects
    cost `briefing search` a few milliseconds).

    What ``os.walk`` finds (symbolic links to folders are listed, not
    followed; folders that cannot be read are skipped), without its
    ``islink`` call per folder: a library has a folder of text files per
    briefing, and `briefing search` walks it on every run."""
    found: list[str] = []
    folders = [os.fspath(path)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue
        with entries:
            try:
                for entry in entries:
                    name = entry.name
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        if name.endswith(".toml") and not name.startswith("."):
                            found.append(entry.path)
                    elif not name.startswith("."):
                        try:
                            link = entry.is_symlink()
                        except OSError:
                            link = True
                        if not link:
                            folders.append(entry.path)
            except OSError:
                pass
    found.sort()
    return found
