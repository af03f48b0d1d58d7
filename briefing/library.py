"""Finding briefing files: a file is one briefing, a folder a library."""

from __future__ import annotations

import os
import time
from stat import S_ISDIR

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


def discover_names(path: Path | str, remember: str | None = None) -> list[str]:
    """:func:`discover` of a folder, as strings (a thousand Path objects
    cost `briefing search` a few milliseconds).

    What ``os.walk`` finds (symbolic links to folders are listed, not
    followed; folders that cannot be read are skipped), without its
    ``islink`` call per folder: a library has a folder of text files per
    briefing, and `briefing search` walks it on every run.

    With ``remember`` (a file in the user's cache folder), what each folder
    held is kept there with the folder's modification time and inode, and
    a folder whose pair is unchanged is not listed again: 1,001 folders
    take ~6 ms instead of ~15. Adding, removing or renaming an entry changes
    its folder's time; but a change in the same tick of the file system's
    clock as the one before it would not, so a folder changed less than
    _SETTLE_NS before it was listed is listed again every time. The file is
    never trusted: a damaged one, or one of another folder, is a full walk;
    a folder it names that is no longer a folder (a link, say) is skipped,
    and none is walked twice."""
    root = os.fspath(path)
    known = _remembered(remember, root) if remember else None
    seen: dict[str, list] = {}
    found: list[str] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        if known is None:
            names = _list(folder)
        else:
            if folder in seen:
                continue
            try:  # (the folder itself, not what a link there leads to: the walk follows none)
                st = os.stat(folder) if folder is root else os.lstat(folder)
            except OSError:
                continue
            if not S_ISDIR(st.st_mode):
                continue
            stamp = [st.st_mtime_ns, st.st_ino]
            entry = known.get(folder)
            names = _settled_names(entry, stamp)
            if names is None:
                names = _list(folder)
                entry = [stamp, time.time_ns() - st.st_mtime_ns > _SETTLE_NS, *names] if names else None
            if entry is not None:
                seen[folder] = entry
        if names is None:
            continue
        base = folder if folder.endswith(os.sep) else folder + os.sep
        found += [base + name for name in names[1]]
        folders += [base + name for name in names[0]]
    found.sort()
    if remember and seen != known:
        _remember(remember, root, seen)
    return found


def walk_memory(folder: str) -> str | None:
    """Where :func:`discover_names` keeps what it found under ``folder``
    (in the user's cache folder), or None when the cache is off."""
    from binascii import crc32

    from briefing.paths import CACHE_VERSION, cache_enabled, cache_folder

    if not cache_enabled():
        return None
    key = os.path.abspath(folder)  # (the file says which folder it is of: a clash of checksums is a full walk)
    name = f"{crc32(key.encode('utf-8', 'surrogateescape')):08x}.json"
    return os.path.join(cache_folder(), f"v{CACHE_VERSION}", "walks", name)


#: How long a folder's modification time must be in the past when it is
#: listed for the listing to be kept (see discover_names): ample for the
#: coarsest clocks of common file systems (FAT's two seconds).
_SETTLE_NS = 3_000_000_000


def _list(folder: str) -> list[list[str]] | None:
    """The names of the folders to walk and of the briefing files in
    ``folder``, or None if it cannot be read."""
    subs: list[str] = []
    tomls: list[str] = []
    try:
        entries = os.scandir(folder)
    except OSError:
        return None
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
                        tomls.append(name)
                elif not name.startswith("."):
                    try:
                        link = entry.is_symlink()
                    except OSError:
                        link = True
                    if not link:
                        subs.append(name)
        except OSError:
            pass
    return [subs, tomls]


def _settled_names(entry: object, stamp: list[int]) -> list[list[str]] | None:
    """The [folders, files] a remembered ``entry`` names, if it is well
    formed, settled and of a folder whose stamp is still ``stamp``."""
    if not (type(entry) is list and len(entry) == 4 and entry[0] == stamp and entry[1] is True):
        return None
    names = entry[2:]
    for group in names:
        try:
            joined = "".join(group)
        except TypeError:
            return None
        if type(group) is not list or os.sep in joined or "" in group or "." in group or ".." in group:
            return None
    return names


def _remembered(remember: str, root: str) -> dict:
    import json

    try:
        with open(remember, "rb") as f:
            data = json.loads(f.read())
    except (OSError, ValueError):
        return {}
    if type(data) is not dict or data.get("root") != root or type(data.get("folders")) is not dict:
        return {}
    return data["folders"]


def _remember(remember: str, root: str, folders: dict) -> None:
    import json

    from briefing.paths import write_atomic

    try:
        os.makedirs(os.path.dirname(remember), exist_ok=True)
        write_atomic(remember, json.dumps({"root": root, "folders": folders}, ensure_ascii=False,
                                          separators=(",", ":")).encode("utf-8", "surrogatepass"))
    except (OSError, UnicodeError):
        pass  # walked in full next time
