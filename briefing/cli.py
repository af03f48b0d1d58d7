"""Command line: open the reader, or check and search briefings from the shell.

Exit codes scripts can rely on:
  0  success (check: no errors; search: at least one hit)
  1  check found errors / search found nothing / a briefing could not be opened
  2  usage error, or a path that does not exist (search: any error, like grep)
130  interrupted

The shell commands (check, search, --help, --version) never import Textual.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # (typing.TYPE_CHECKING, without importing typing: ~3 ms of `briefing search`)
if TYPE_CHECKING:
    from pathlib import Path  # (imported where a Path is made: `briefing search` of a library needs none)

    import argparse
    import mmap

    from briefing.search import Results

from briefing import __version__

COMMANDS = ("check", "search")
EPILOG = """\
commands:
  briefing [PATH]                open the reader on a briefing file, or on a
                                 folder of briefings (default: the bundled
                                 MINUSMA briefing); piped, prints it as text
  briefing check [PATH ...]      validate briefing files or folders
  briefing search QUERY [PATH ...]
                                 find text in briefings, like grep

keys in the reader: 1-4 panes, / search, enter follow, escape back, ? help,
q quit. Run 'briefing COMMAND --help' for a command's options.

exit status: 0 ok; 1 problems found, no hits, or a briefing could not be
opened; 2 usage error or missing path; 130 interrupted.
"""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def _paths(values: list[str]) -> list[Path] | None:
    """The files and folders named (by default the bundled briefings), or
    None when one is missing (said on stderr)."""
    from pathlib import Path

    names = _names(values)
    return None if names is None else [Path(n) for n in names]


def _names(values: list[str]) -> list[str] | None:
    """:func:`_paths` as strings: `briefing search` of a library never
    imports pathlib (~4 ms)."""
    if not values:
        from briefing.paths import content_dir

        values = [str(content_dir())]
    missing = [v for v in values if not os.path.exists(v)]
    for v in missing:
        _stderr(f"briefing: {os.path.normpath(v)}: no such file or folder")
    return None if missing else list(values)


def _files(paths: list[Path]) -> list[Path]:
    from briefing.library import discover

    return [f for p in paths for f in discover(p)]


# -- check ---------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    from briefing.loader import check

    paths = _paths(args.paths)
    if paths is None:
        return 2
    files = _files(paths)
    errors = warnings = bad_files = 0
    for f in files:
        _b, problems = check(f)
        for p in problems:
            print(p.format())
        e = sum(p.severity == "error" for p in problems)
        errors += e
        warnings += len(problems) - e
        bad_files += e > 0
    noun = "file" if len(files) == 1 else "files"
    if errors:
        print(f"checked {len(files)} {noun}: {errors} error(s) in {bad_files} file(s), {warnings} warning(s)")
        return 1
    print(f"checked {len(files)} {noun}: no errors, {warnings} warning(s)")
    return 0


# -- search --------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    from briefing.search import parse_query

    if not parse_query(args.query):
        _stderr("briefing search: the query is empty")
        return 2
    paths = _names(args.paths)
    if paths is None:
        return 2
    import gc
    import sqlite3

    # A search of a large library makes some 100,000 objects and no cycle:
    # the collector would walk them again and again (~4 ms).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _search(args, paths)
    except sqlite3.OperationalError as exc:
        from briefing.index import index_file

        _stderr(f"briefing search: the search index {index_file()} is busy ({exc}): another briefing "
                "may be building it; try again in a minute (or set BRIEFING_NO_CACHE=1 to search without it)")
        return 2
    finally:
        if collecting:
            gc.enable()


def _search(args: argparse.Namespace, paths: list[str]) -> int:
    from briefing.index import use_index
    from briefing.library import discover_names, walk_memory

    plain = args.json or not _styled()
    half = _Half.start(args.query, paths, args.json) if plain else None
    # Strings, not Paths, until the index is known not to be used.
    names = [n for p in paths for n in (discover_names(p, walk_memory(p)) if os.path.isdir(p) else [p])]
    many = len(names) > 1
    if use_index(len(names)) and plain:
        files: list = names
        # Plain text or JSON: every hit as a flat record, no spans.
        trust = half.trusted(names) if half is not None else set()
        index, broken = _current_index(files, trust)
        keys = half.split(index, broken) if half is not None else None
        if keys is None and trust:  # the child's part is not used: its files are checked here after all
            index, broken = _current_index(files, set(), index)
        if keys is None:
            parts = [_chunks(index, args.query, files, index.file_paths(), many, args.json)]
        else:
            mid = _split_at(len(keys))
            where = _paths_of(index.unchanged)
            parts = [_chunks(index, args.query, keys[:mid], where, many, args.json)]
            theirs = half.result(keys, index.unchanged)
            if theirs is None:  # the child failed, or found its files changed: its part here too
                index, broken = _current_index(files, set(), index)
                theirs = _chunks(index, args.query, keys[mid:], where, many, args.json)
            parts.append(theirs)
        for problem in broken:
            _stderr(f"briefing search: skipped {problem.format()}")
        _write_flat(parts, args.json)
        if half is not None and keys is not None:
            half.reap()
        if broken:
            return 2
        return 0 if any(count for chunks in parts for _pane, count, _text in chunks) else 1
    if half is not None:
        half.drop()
    from pathlib import Path

    files = [Path(n) for n in names]
    if use_index(len(files)):
        hits, broken = _search_index(args.query, files)
    else:
        hits, broken = _search_files(args.query, files)
    for problem in broken:
        _stderr(f"briefing search: skipped {problem.format()}")
    if args.json:
        import json

        json.dump([h.to_json() for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_hits(hits, many=many)
    if broken:
        return 2
    return 0 if hits else 1


class _Half:
    """`briefing search QUERY FOLDER` on two cores: a forked process
    searches the second part of the folder's indexed files (in path order,
    see :func:`_split_at`), checks that those files are unchanged and
    formats its hits, while this one walks the folder, brings the index up
    to date (checking the first part's files only) and searches the first
    part.

    The child's part stands only if the index needed no update, holds
    exactly the files the walk found, with the stamps the child read, and
    the child found its files unchanged: then it is what searching after
    the update gives. If the first two fail, the child is dropped and this
    process checks and searches every file, the usual way; if the child
    fails or finds a file changed, this process brings the index up to
    date and searches the child's part itself. The child is forked before
    this process opens the index (SQLite connections must not cross a
    fork), opens its own without ever creating or rebuilding it, and only
    reads. Where there is no fork (Windows), one process does it all."""

    def __init__(self, pid: int, pipe: int, root: str, memory: bool, done: int):
        self.keys: list[str] = []  # the walk's files' keys, in path order (see trusted)
        self.pid = pid
        self.pipe = pipe  # the answer: a pipe, or a file in memory (memfd) when ``memory``
        self.memory = memory
        self.done = done  # a pipe whose end comes when the answer is all there
        self.root = root  # the folder's key, ending in a separator

    @classmethod
    def start(cls, query: str, paths: list[str], as_json: bool) -> "_Half | None":
        from briefing.index import INDEX_FROM_FILES, index_file, use_index

        if (not hasattr(os, "fork") or len(paths) != 1 or not os.path.isdir(paths[0])
                or not use_index(INDEX_FROM_FILES) or not os.path.exists(index_file())):
            return None
        root = _folder_key(paths[0])
        from briefing.scanstore import searchable  # (imported once, for both processes)
        from briefing.search import parse_query

        terms = parse_query(query)
        if not searchable(terms):  # the rows answer (see LibraryIndex.flat), through patterns:
            from briefing.textfold import term_pattern

            for term in terms:  # compiled once, for both processes (a few ms a term)
                if " " not in term:
                    term_pattern(term)
        sys.stdout.flush()
        sys.stderr.flush()
        # The child's answer goes to a file in memory where there is one: it
        # writes it all without waiting for this process to read (through a
        # pipe, a megabyte took ~20 ms of this process's time).
        # Either way, the end of a pipe tells this process that the answer is
        # all there: the child closes it before it exits (its exit, which
        # unmaps the index, takes a few milliseconds more).
        try:
            read = write = os.memfd_create("briefing-search")
            memory = True
        except (AttributeError, OSError):
            read = write = -1
            memory = False
        done, told = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: one does it all
            for fd in {read, done, told} - {-1}:
                os.close(fd)
            return None
        if pid:
            os.close(told)
            return cls(pid, read if memory else done, root, memory, done)
        # The child: never returns.
        try:
            os.close(done)
            out = write if memory else told
            for part in _second_half(query, root, as_json):
                view = memoryview(part)
                while view:
                    view = view[os.write(out, view):]
            os.close(told)
        finally:
            os._exit(0)

    def _read(self) -> bytes | mmap.mmap:
        """What the child wrote, once it has written it all (or ended): in
        its file in memory, mapped (its megabytes are written out from
        there, not copied), else read from the pipe."""
        parts = []
        try:
            if self.memory:  # the whole answer is there once the pipe ends
                while os.read(self.done, 1 << 16):
                    pass
                size = os.fstat(self.pipe).st_size
                if size:
                    import mmap

                    return mmap.mmap(self.pipe, size, access=mmap.ACCESS_READ)
                return b""
            while True:  # from a pipe: read as the child writes, to its end
                part = os.read(self.pipe, 1 << 22)
                if not part:
                    break
                parts.append(part)
        finally:
            for fd in {self.pipe, self.done}:
                os.close(fd)
        return b"".join(parts)

    def reap(self) -> None:
        """Wait for the child to end (it has written its answer: see _read).
        Not when this process is about to exit anyway (see run()): the
        system reaps it then, and the child may still be unmapping the
        index."""
        if not _LEAVING:
            os.waitpid(self.pid, 0)

    def drop(self) -> None:
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self._read()
        self.reap()

    def trusted(self, names: list[str]) -> set[str]:
        """The keys of the files (``names``, in path order, as the walk found
        them) in the child's part: the child checks their stamps, so this
        process need not (see :func:`_second_half`)."""
        from briefing.index import _key

        self.keys = [_key(n) for n in names]
        return set(self.keys[_split_at(len(self.keys)):])

    def split(self, index, broken: list) -> list[str] | None:
        """The keys of the files searched (the walk's, see :meth:`trusted`),
        in path order, when the child's part can stand (the first part is
        this process's); else None, and the child is dropped (see the class)."""
        known = index.unchanged
        keys = self.keys
        if broken or known is None or keys != sorted(k for k in known if k.startswith(self.root)):
            self.drop()
            return None
        return keys

    def result(self, keys: list[str], known: dict) -> list | None:
        """The child's chunks (their texts encoded, as slices of what it
        wrote: see :func:`_second_half`), if it searched
        ``keys[_split_at(len(keys)):]`` as ``known`` has them and found those
        files unchanged; else None."""
        import marshal

        view = memoryview(self._read())
        try:
            size = int.from_bytes(view[:8], "little")
            fingerprint, mid, fresh, sizes = marshal.loads(view[8 : 8 + size])
            if not fresh or fingerprint != _fingerprint(keys, known) or mid != _split_at(len(keys)):
                return None
            chunks, at = [], 8 + size
            for pane, count, length in sizes:
                chunks.append((pane, count, view[at : at + length]))
                at += length
        except (EOFError, ValueError, TypeError):
            return None
        return chunks if at == len(view) else None


def _folder_key(folder: Path | str) -> str:
    """The prefix of the index's keys of the files below ``folder``."""
    from briefing.index import _key

    return _key(folder).rstrip(os.sep) + os.sep


def _split_at(files: int) -> int:
    """Where the files split between this process and the child: the child
    takes a little more, as this process also walks the folder first (the
    child checks its files' stamps and encodes its part after searching,
    which for a word with 30,000 hits comes to as much: 48%, not 45%, took
    14 ms off `mission` in 1,000 briefings and nothing from `goita`)."""
    return files * 48 // 100


def _paths_of(known: dict[str, tuple[int, str]]) -> dict[int, str]:
    """:meth:`LibraryIndex.file_paths` from the stamps already read
    (:meth:`LibraryIndex.stamp_texts`: key -> (file id, stamp)): a file's
    key is the path a hit prints."""
    return {fid: key for key, (fid, _stamp) in known.items()}


def _fingerprint(keys: list[str], known: dict) -> int:
    """The files and stamps (as stored, see LibraryIndex.stamp_texts) a part
    was searched under (the same hash seed in both processes: the child is
    a fork)."""
    return hash(tuple([(k, known[k][1]) for k in keys]))


def _second_half(query: str, root: str, as_json: bool) -> list[bytes]:
    """In the child: the chunks of the second part of the files the index
    holds under the folder ``root`` (see :func:`_folder_key`), to be written
    one after another: first, marshalled, what they were searched under
    and each one's pane, hits and length (after its own length, in 8
    bytes); then each one's text, encoded for stdout (the parent writes
    them out as they are, not marshalled: ~2.5 MB for `mission`)."""
    import marshal

    from briefing.index import LibraryIndex, _current, _parsed

    index = LibraryIndex(short_lived=True, create=False)
    index.db.execute("BEGIN")  # the files and what is found in them from one state of the index
    known = index.stamp_texts()
    keys = sorted(k for k in known if k.startswith(root))
    mid = _split_at(len(keys))
    chunks = _chunks(index, query, keys[mid:], _paths_of(known), len(keys) > 1, as_json)
    # Encoded here, in parallel, as stdout would (the parent writes the bytes).
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    texts = [text.encode(encoding, errors) for _pane, _count, text in chunks]
    # Its files' stamps, which this process checks in the parent's stead.
    fresh = all(_current(stamp) for _fid, stamp in _parsed({k: known[k] for k in keys[mid:]}).values())
    head = marshal.dumps((_fingerprint(keys, known), mid, fresh,
                          [(pane, count, len(text)) for (pane, count, _t), text in zip(chunks, texts)]))
    return [len(head).to_bytes(8, "little"), head, *texts]


def _search_files(query: str, files: list[Path]) -> tuple:
    """Read each briefing (through the cache) and search them in memory."""
    from briefing.cache import load
    from briefing.search import Searcher

    briefings, broken = [], []
    for f in files:
        b, problems = load(f)
        if b is None:
            broken.append(next(p for p in problems if p.severity == "error"))
        else:
            briefings.append(b)
    return Searcher(briefings).search(query), broken


def _current_index(files: list, trust: set[str] | None = None, index=None) -> tuple:
    """The on-disk index (``index``, or opened here), brought up to date
    first (with a progress line on a terminal: the first run indexes every
    file), and the files that could not be indexed, with their first error.
    The files whose keys are in ``trust`` are checked by the child (see
    :class:`_Half`)."""
    from briefing.index import LibraryIndex

    if index is None:
        index = LibraryIndex(short_lived=True)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rbriefing: indexing {done}/{total} files…")
        sys.stderr.flush()

    broken = index.update(files, progress=progress if show else None, trust=trust or ())
    if show:
        sys.stderr.write("\r\x1b[K")
    return index, list(broken.values())


def _search_index(query: str, files: list[Path]) -> tuple:
    """Search through the on-disk index (for styled output: hits with spans)."""
    index, broken = _current_index(files)
    return index.search(query, files, windows=True), broken


def _styled() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _print_hits(hits: "Results", many: bool) -> None:
    """Hits grouped by pane, each a heading line and a snippet line. Styled
    (bold headings, the match in reverse video) only on a terminal without
    NO_COLOR; plain text otherwise."""
    from briefing.render import sgr
    from briefing.search import PANE_TITLES

    styled = _styled()
    out = []
    start = 0
    paths: dict[int, str] = {}  # per briefing (by id: they live as long as hits): its path, styled
    dates: dict[object, str] = {}
    for pane, count in hits.counts().items():
        out.append(sgr(f"{PANE_TITLES[pane]} ({count})", "bold", styled=styled))
        for h in hits[start : start + count]:
            doc = h.doc
            head = "  "
            if many:
                where = paths.get(id(h.briefing))
                if where is None:
                    where = paths[id(h.briefing)] = sgr(f"{h.path}: ", "dim", styled=styled)
                head += where
            if doc.date:
                when = dates.get(doc.date)
                if when is None:
                    when = dates[doc.date] = sgr(f"{doc.date.human()}  ", "bold", styled=styled)
                head += when
            out.append(head + (doc.title if pane != "bluf" else f"point {doc.index + 1}"))
            out.append("    " + (sgr(h.snippet, spans=h.spans, styled=True) if styled else h.snippet))
        start += count
    sys.stdout.write("\n".join(out) + "\n" if out else "")


def _chunks(index, query: str, files: list, paths: dict[int, str], many: bool, as_json: bool) -> list[tuple]:
    """Each pane's part of `briefing search`'s plain or JSON output for the
    indexed ``files``: (pane number, hits, text), in pane order;
    :func:`_write_flat` puts the parts together. ``paths``: each file id's
    path (the index's key). Each hit as :func:`_print_hits` prints it
    unstyled, or as ``json.dump(indent=2, ensure_ascii=False)`` writes its
    to_json in a list: made by the index (see LibraryIndex.flat)."""
    from briefing.search import json_prefix

    if as_json:
        prefixes = {fid: json_prefix(path) for fid, path in paths.items()}
    else:
        prefixes = {fid: f"  {path}: " for fid, path in paths.items()} if many else dict.fromkeys(paths, "  ")
    return [(pane, len(lines), (",\n" if as_json else "\n").join(lines))
            for pane, lines in enumerate(index.flat(query, files, prefixes=prefixes, as_json=as_json)) if lines]


def _write_flat(parts: list[list[tuple]], as_json: bool) -> None:
    """Write the output whose parts (each from :func:`_chunks`, of
    files in path order) are ``parts``, in that order. A part's texts may
    come already encoded for stdout (bytes: the child's, see _Half)."""
    from briefing.search import PANE_TITLES, PANES

    panes: dict[int, list] = {}
    for chunks in parts:
        for pane, count, text in chunks:
            panes.setdefault(pane, [0, []])
            panes[pane][0] += count
            panes[pane][1].append(text)
    pieces: list = []
    if as_json:
        for _pane, (_count, texts) in sorted(panes.items()):
            for text in texts:
                pieces += [",\n", text]
        pieces = ["[\n", *pieces[1:], "\n]\n"] if pieces else ["[]\n"]
    else:
        for pane, (count, texts) in sorted(panes.items()):
            pieces.append(f"\n{PANE_TITLES[PANES[pane]]} ({count})")
            for text in texts:
                pieces += ["\n", text]
        if pieces:
            pieces[0] = pieces[0][1:]
            pieces.append("\n")
    if all(isinstance(p, str) for p in pieces):
        sys.stdout.write("".join(pieces))
        return
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write("".join(p if isinstance(p, str) else str(p, encoding, errors) for p in pieces))
        return
    sys.stdout.flush()
    for piece in pieces:  # one after another, not joined: megabytes each
        buffer.write(piece.encode(encoding, errors) if isinstance(piece, str) else piece)
    buffer.flush()


# -- open ----------------------------------------------------------------
def _check_color_system() -> str | None:
    value = os.environ.get("TEXTUAL_COLOR_SYSTEM")
    allowed = ("auto", "standard", "256", "truecolor", "windows")
    if value is not None and value not in allowed:
        return f"TEXTUAL_COLOR_SYSTEM={value!r} is not one of: {', '.join(allowed)} (unset it to detect the terminal)"
    return None


def _run_app(**where: object) -> int:
    problem = _check_color_system()
    if problem:
        _stderr(f"briefing: {problem}")
        return 2
    from briefing.ui.app import BriefingApp

    # Textual writes each frame to the terminal from a second thread. With
    # Python's 5 ms switch interval, that thread waited ~20 ms for the main
    # thread to let go while it built the hidden panes after the first
    # frame; with 1 ms the frame goes out ~2 ms after it is ready.
    sys.setswitchinterval(0.001)
    return BriefingApp(**where).run() or 0  # type: ignore[arg-type]


def cmd_open(args: argparse.Namespace) -> int:
    from briefing.cache import load

    paths = _paths([args.path] if args.path else [])
    if paths is None:
        return 2
    target = paths[0]
    if target.is_dir() and args.path is None:
        from briefing.paths import default_briefing

        target = default_briefing()
    if target.is_dir():
        if sys.stdout.isatty():
            return _run_app(library=target)
        from briefing.cache import summary
        from briefing.library import discover

        for f in discover(target):
            s = summary(f)
            if s.ok:
                print(f"{f}: {s.title} (as of {s.as_of})")
            else:
                print(f"{f}: (cannot be opened: {len(s.errors)} error(s))")
        return 0
    briefing, problems = load(target)
    if briefing is None:
        for p in problems:
            _stderr(p.format())
        _stderr(f"briefing: {target} cannot be opened; fix the errors above ('briefing check {target}' lists them)")
        return 1
    if sys.stdout.isatty():
        return _run_app(briefing=briefing)
    from briefing.render import plain_text

    sys.stdout.write(plain_text(briefing))
    return 0


def build_parsers() -> dict[str, argparse.ArgumentParser]:
    import argparse

    fmt = argparse.RawDescriptionHelpFormatter
    main = argparse.ArgumentParser(
        prog="briefing",
        description="Read structured briefings in the terminal, offline.",
        epilog=EPILOG,
        formatter_class=fmt,
    )
    main.add_argument("path", nargs="?", help="a briefing file or a folder of briefings")
    main.add_argument("--version", action="version", version=f"briefing {__version__}")

    check = argparse.ArgumentParser(
        prog="briefing check",
        description="Validate briefing files. Prints every problem with file, line, item and field, "
        "then a summary. Exit 0 when there are no errors (warnings allowed), 1 when there are, 2 on a usage error.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled briefings)")

    search = argparse.ArgumentParser(
        prog="briefing search",
        description="Find text in briefings: case- and accent-blind; several words must all occur in an item; "
        '"quoted phrases" match as phrases. Exit 0 with hits, 1 with none, 2 on an error (like grep).',
    )
    search.add_argument("query", help='words and "quoted phrases"')
    search.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the bundled briefings)")
    search.add_argument("--json", action="store_true", help="print a JSON array of hits")
    return {"": main, "check": check, "search": search}


def quick_search_args(argv: list[str]) -> object | None:
    """What the search parser makes of ``argv`` (after "search") when it is
    plain: a query and paths, none starting with "-", with ``--json`` first
    or last; else None, and argparse reads it. Building the parsers costs
    `briefing search` ~7 ms (argparse, shutil, locale), a tenth of a warm
    search of a small library."""
    from types import SimpleNamespace

    json = False
    while argv and argv[0] == "--json":
        json, argv = True, argv[1:]
    while argv and argv[-1] == "--json":
        json, argv = True, argv[:-1]
    if not argv or any(a.startswith("-") for a in argv):
        return None
    return SimpleNamespace(query=argv[0], paths=argv[1:], json=json)


def quick_open_args(argv: list[str]) -> object | None:
    """What the main parser makes of ``argv`` when it is plain: nothing, or
    one path not starting with "-"; else None, and argparse reads it.
    Building the parsers is ~5 ms of the first screen."""
    from types import SimpleNamespace

    if len(argv) > 1 or any(a.startswith("-") for a in argv):
        return None
    return SimpleNamespace(path=argv[0] if argv else None)


#: Set by run() for `briefing search`: the process exits as soon as main()
#: returns (see _Half.reap).
_LEAVING = False


def run() -> None:
    """The `briefing` command: :func:`main`, then, for `briefing search`,
    straight out once the output is flushed. Tearing the interpreter down
    frees every hit's objects and module one by one (~5 ms of a search of a
    large library) and nothing is left for it to do: the search starts no
    thread and registers nothing to run at exit. The reader exits the usual
    way (Textual's drivers restore the terminal as it ends)."""
    global _LEAVING
    _LEAVING = sys.argv[1:2] == ["search"]
    code = main()
    if _LEAVING:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # as main() takes it: the reader went away
            pass
        except OSError:
            code = 2
        try:
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv and argv[0] in COMMANDS else ""
    try:
        args = (quick_search_args(argv[1:]) if command == "search"
                else quick_open_args(argv) if command == "" else None)
        if args is None:
            # Intermixed: options may come between or after the paths, as
            # with grep (`briefing search goita --json lib/`).
            args = build_parsers()[command].parse_intermixed_args(argv[1:] if command else argv)
        handler = {"": cmd_open, "check": cmd_check, "search": cmd_search}[command]
        return handler(args)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
