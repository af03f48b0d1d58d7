"""An on-disk cache of loaded briefings, so a library opens without parsing.

One entry per briefing file, under the user's cache folder (platformdirs;
``BRIEFING_CACHE_DIR`` overrides it, ``BRIEFING_NO_CACHE=1`` turns it off).
An entry is keyed by the file's absolute path and records the size and
modification time of the file and of every source text file it read; if any
of them changed (edited, touched, deleted, replaced) the entry is stale and
the file is loaded again. Entries are written to a temporary file and renamed
into place, so two processes building the cache at once never see a half
written entry. An entry that cannot be decoded, or comes from another cache
version, is rebuilt, never trusted.

Each entry holds a small summary ahead of the full briefing; :func:`summary`
reads only that, so the library list does not decode source texts.
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import replace
from pathlib import Path
from typing import Callable

import msgspec

from briefing import __version__
from briefing.dates import PartialDate
from briefing.errors import Problem
from briefing.model import Actor, Bluf, Briefing, Event, Meta, Source
from briefing.paths import CACHE_VERSION, cache_dir, cache_enabled, write_atomic

_STAMP = f"{CACHE_VERSION}:{__version__}"


class Stat(msgspec.Struct, array_like=True, frozen=True):
    path: str
    size: int
    mtime_ns: int


class Summary(msgspec.Struct):
    """What the library list shows of a briefing, without loading it."""

    path: str
    ok: bool
    title: str = ""
    as_of: str = ""
    region: str = ""
    classification: str = ""
    bluf: int = 0
    actors: int = 0
    events: int = 0
    sources: int = 0
    problems: list[Problem] = []  # the errors, for the problems view
    warnings: int = 0

    @property
    def errors(self) -> list[str]:
        """The errors, formatted, naming the file as :attr:`path` does."""
        return [(replace(p, path=self.path) if p.path != self.path else p).format() for p in self.problems]


class Payload(msgspec.Struct, array_like=True):
    meta: Meta
    bluf: list[Bluf]
    actors: list[Actor]
    timeline: list[Event]
    sources: list[Source]


class Head(msgspec.Struct, array_like=True):
    stamp: str
    stats: list[Stat]  # the briefing file first, then its text files
    summary: Summary


class Entry(msgspec.Struct, array_like=True):
    head: Head
    problems: list[Problem]
    payload: Payload | None


class Listing(msgspec.Struct, array_like=True):
    """The heads of every file of one library folder, in one file: listing a
    thousand briefings reads this instead of a thousand entries. Each head is
    checked against the files on disk like an entry's, so a stale one is
    never shown."""

    stamp: str
    heads: list[Head]


def _enc(obj: object) -> object:
    if isinstance(obj, PartialDate):
        return obj.iso()
    raise NotImplementedError(type(obj))


def _dec(kind: type, obj: object) -> object:
    if kind is PartialDate:
        return PartialDate.parse(obj)
    raise NotImplementedError(kind)


_ENCODER = msgspec.msgpack.Encoder(enc_hook=_enc)
_HEAD = msgspec.msgpack.Decoder(Head, dec_hook=_dec)
_BODY = msgspec.msgpack.Decoder(tuple[list[Problem], Payload | None], dec_hook=_dec)
_LISTING = msgspec.msgpack.Decoder(Listing, dec_hook=_dec)
# An entry file: the length of the head (4 bytes, big-endian), the head, the
# body. The library list reads the first few hundred bytes of each file.
_LENGTH = struct.Struct(">I")
_BAD = (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError, struct.error)


enabled = cache_enabled


def _entry_path(path: Path) -> Path:
    key = _key(path)
    return cache_dir() / f"v{CACHE_VERSION}" / key[:2] / f"{key}.msgpack"


def _listing_path(folder: Path) -> Path:
    return cache_dir() / f"v{CACHE_VERSION}" / "lists" / f"{_key(folder)}.msgpack"


def _key(path: Path) -> str:
    return hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _stat(path: str) -> Stat:
    try:
        st = os.stat(path)
    except OSError:
        return Stat(path, -1, -1)
    return Stat(path, st.st_size, st.st_mtime_ns)


def _fresh(head: Head, path: Path) -> bool:
    return (
        head.stamp == _STAMP
        and bool(head.stats)
        and head.stats[0].path == str(path)
        and all(_stat(s.path) == s for s in head.stats)
    )


def _summary(path: Path, b: Briefing | None, problems: list[Problem]) -> Summary:
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    if b is None:
        return Summary(str(path), False, problems=errors, warnings=warnings)
    m = b.meta
    return Summary(
        str(path), True, m.title, m.as_of.isoformat(), m.region, m.classification,
        len(b.bluf), len(b.actors), len(b.timeline), len(b.sources), warnings=warnings,
    )


def _read_head(path: Path) -> Head | None:
    try:
        with open(_entry_path(path), "rb") as f:
            (size,) = _LENGTH.unpack(f.read(_LENGTH.size))
            return _HEAD.decode(f.read(size))
    except (OSError, *_BAD):
        return None


def _read(path: Path) -> Entry | None:
    try:
        data = _entry_path(path).read_bytes()
        (size,) = _LENGTH.unpack_from(data)
        head = _HEAD.decode(data[_LENGTH.size : _LENGTH.size + size])
        problems, payload = _BODY.decode(data[_LENGTH.size + size :])
        return Entry(head, problems, payload)
    except (OSError, *_BAD):
        return None


def _write(path: Path, entry: Entry) -> None:
    head = _ENCODER.encode(entry.head)
    _write_atomic(_entry_path(path), _LENGTH.pack(len(head)) + head + _ENCODER.encode((entry.problems, entry.payload)))


def _write_atomic(target: Path, data: bytes) -> None:
    """Write the file whole or not at all (see paths.write_atomic)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(str(target), data, ".msgpack")
    except OSError:
        pass  # a read-only or full cache folder only costs speed


def check_files(path: Path) -> tuple[Briefing | None, list[Problem], list[Path]]:
    # Imported here: a warm cache never needs the parser.
    from briefing.loader import check_files as read

    return read(path)


def _build(path: Path, write: bool = True) -> Entry:
    before = _stat(str(path))
    b, problems, text_files = check_files(path)
    stats = [before] + [_stat(str(p)) for p in text_files]
    payload = None if b is None else Payload(b.meta, b.bluf, b.actors, b.timeline, b.sources)
    entry = Entry(Head(_STAMP, stats, _summary(path, b, problems)), problems, payload)
    # Only cache what did not change while it was read.
    if write and _stat(str(path)) == before:
        _write(path, entry)
    return entry


def _briefing(path: Path, entry: Entry) -> Briefing | None:
    p = entry.payload
    if p is None:
        return None
    return Briefing(path=path, meta=p.meta, bluf=p.bluf, actors=p.actors, timeline=p.timeline, sources=p.sources)


def load(path: str | os.PathLike[str]) -> tuple[Briefing | None, list[Problem]]:
    """Like :func:`briefing.loader.check`, through the cache."""
    b, problems, _stats = load_with_stats(path)
    return b, problems


def load_with_stats(path: str | os.PathLike[str]) -> tuple[Briefing | None, list[Problem], list[Stat]]:
    """:func:`load`, plus the size and mtime of the file and of each source
    text file it read, as they were when it was read: what decides whether
    anything built from it (the search index too) is stale."""
    shown = Path(path)
    key = shown.resolve()
    if not enabled():
        entry = _build(key, write=False)
    else:
        entry = _read(key)
        if entry is not None and not _fresh(entry.head, key):
            entry = None
        if entry is None:
            entry = _build(key)
    b = _briefing(shown, entry)
    problems = [_reshow(p, shown) for p in entry.problems]
    return b, problems, entry.head.stats


def _reshow(p: Problem, shown: Path) -> Problem:
    """Problems name the file as the user gave it, not the cache key."""
    return replace(p, path=str(shown)) if p.path != str(shown) else p


def summary(path: str | os.PathLike[str]) -> Summary:
    """The summary of one briefing, decoding only the head of its entry."""
    shown = Path(path)
    return _shown(_head(shown.resolve()), shown)


def _head(key: Path) -> Head:
    head = _read_head(key) if enabled() else None
    if head is None or not _fresh(head, key):
        head = _build(key, write=enabled()).head
    return head


def _shown(head: Head, shown: Path) -> Summary:
    s = head.summary
    s.path = str(shown)
    return s


def summaries(folder: Path, paths: list[Path], progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> list[Summary] | None:
    """:func:`summary` of every file of a library folder, through the
    folder's listing (one file instead of one entry a briefing). Files whose
    listed head is missing or stale are read again (on every core when there
    are many, see :func:`warm`), then the listing is rewritten. ``progress``
    gets (done, total) of the files read; None if ``cancelled`` said so."""
    if not enabled():
        return [summary(p) for p in paths]
    root = Path(folder).resolve()
    target = _listing_path(root)
    try:
        listing = _LISTING.decode(target.read_bytes())
        listed = {h.stats[0].path: h for h in listing.heads if h.stats} if listing.stamp == _STAMP else {}
    except (OSError, *_BAD):
        listed = {}  # missing, corrupt or from another version: rebuilt
    keys = resolve_below(Path(folder), root, paths)
    heads: list[Head | None] = []
    misses: list[int] = []
    for n, key in enumerate(keys):
        head = listed.get(str(key))
        if head is None or not _fresh(head, key):
            head = None
            misses.append(n)
        heads.append(head)
    if misses:
        warm([paths[n] for n in misses], progress, cancelled)
        for done, n in enumerate(misses, 1):
            if cancelled is not None and cancelled():
                return None
            heads[n] = _head(keys[n])
            if progress is not None:
                progress(done, len(misses))
    complete = [h for h in heads if h is not None]
    if misses or len(listed) != len(complete):
        _write_atomic(target, _ENCODER.encode(Listing(_STAMP, complete)))
    return [_shown(h, p) for h, p in zip(complete, paths)]



def resolve_below(folder: Path, root: Path, paths: list[Path]) -> list[Path]:
    """``p.resolve()`` of each of ``paths``, where ``root`` is the folder's
    own resolve(): for a path below the folder only what is below it is
    looked at (one ``lstat`` a part, for symbolic links), not every part
    from ``/`` again; a thousand files' keys took 25 ms the long way."""
    prefix = os.path.join(os.fspath(folder), "")
    base = os.fspath(root)
    keys = []
    for p in paths:
        name = os.fspath(p)
        if name.startswith(prefix):
            parts = name[len(prefix):].split(os.sep)
            here = prefix
            for part in parts:
                if part in ("", ".", "..") or os.path.islink(here + part):
                    break
                here = os.path.join(here, part, "")
            else:
                keys.append(Path(os.path.join(base, name[len(prefix):])))
                continue
        keys.append(Path(p).resolve())
    return keys


def _is_fresh(path: Path) -> bool:
    key = Path(path).resolve()
    head = _read_head(key)
    return head is not None and _fresh(head, key)


#: Below this many files to read, warming in worker processes costs more
#: (each starts a Python) than it saves.
WARM_FROM = 24


def warm(paths: list[Path], progress: Callable[[int, int], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> int:
    """Read the files whose entries are missing or stale on every core, so a
    large library's first opening takes a fraction of the time. Returns how
    many files it read; 0 when there were too few to be worth it, or worker
    processes could not be started (the callers then read the files one by
    one, as usual)."""
    cores = os.cpu_count() or 1
    if not enabled() or cores < 2:
        return 0
    misses = [p for p in paths if not _is_fresh(p)]
    if len(misses) < WARM_FROM:
        return 0
    import selectors
    import subprocess
    import sys

    # Plain child processes fed paths on stdin (not multiprocessing, which
    # needs the parent's stdio; inside the app that belongs to Textual).
    procs = []
    try:
        for n in range(cores):
            chunk = misses[n::cores]
            proc = subprocess.Popen([sys.executable, "-m", "briefing.cache"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            procs.append(proc)
            assert proc.stdin is not None
            proc.stdin.write(b"\0".join(os.fsencode(p) for p in chunk))
            proc.stdin.close()
        done = 0
        with selectors.DefaultSelector() as sel:
            for proc in procs:
                sel.register(proc.stdout, selectors.EVENT_READ)  # type: ignore[arg-type]
            open_pipes = len(procs)
            while open_pipes:
                for key, _ in sel.select(timeout=0.2):
                    data = os.read(key.fd, 4096)
                    if not data:
                        sel.unregister(key.fileobj)
                        open_pipes -= 1
                        continue
                    done += data.count(b".")
                    if progress is not None:
                        progress(min(done, len(misses)), len(misses))
                if cancelled is not None and cancelled():
                    break
    except OSError:
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None and cancelled is not None and cancelled():
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
    return len(misses)


def _warm_main() -> None:
    """A worker: summarise (and so cache) each NUL-separated path on stdin,
    writing a dot per file done."""
    import sys

    for raw in sys.stdin.buffer.read().split(b"\0"):
        if raw:
            try:
                summary(Path(os.fsdecode(raw)))
            except Exception:  # the parent reads this file again and reports it
                pass
            sys.stdout.write(".")
            sys.stdout.flush()


if __name__ == "__main__":
    _warm_main()
