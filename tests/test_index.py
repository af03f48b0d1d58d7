"""The on-disk search index answers exactly like the in-memory search, stays
current as files change, and is rebuilt, never trusted, when damaged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.cache import load
from briefing.index import INDEX_VERSION, IndexSearcher, LibraryIndex, index_path
from briefing.library import discover
from briefing.search import Cancelled, Searcher, parse_query
from tests.conftest import FIXTURES, MINIMAL

QUERIES = ["goita", "GOÏTA", "ménaka", "menaka", '"security council"', "mission 2013", "m", "go", "a b",
           "12,000 personnel", "zzzz", "ss", "junta goita", '"council security"', "beta"]


@pytest.fixture
def library(tmp_path) -> Path:
    folder = tmp_path / "lib"
    for n in range(4):
        sub = folder / f"b{n}"
        sub.mkdir(parents=True)
        text = (FIXTURES / "sample" / "sample.toml").read_text(encoding="utf-8")
        (sub / "sample.toml").write_text(text.replace("Sample:", f"Sample {n}:"), encoding="utf-8")
        shutil.copy(FIXTURES / "sample" / "beta.txt", sub / "beta.txt")
    (folder / "straße.toml").write_text(
        MINIMAL + '\n[[bluf]]\ntext = "Die Straße nach Ménaka; a b c"\nsources = []\n', encoding="utf-8"
    )
    return folder


def keys(results):
    return [(str(Path(h.path).resolve()), h.pane, h.doc.index, h.field, h.start, h.end, h.snippet, h.spans)
            for h in results]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("short_lived", [False, True], ids=["app", "short-lived"])
def test_index_answers_like_the_in_memory_search(library, query, short_lived):
    files = discover(library)
    index = LibraryIndex(short_lived=short_lived)
    pages = index.db.execute("PRAGMA cache_size").fetchone()[0]
    assert pages == (-1024 if short_lived else -65536)
    assert index.update(files) == {}
    expected = Searcher([load(f)[0] for f in files]).search(query)
    got = index.search(query, files)
    assert got.counts() == expected.counts()
    assert keys(got) == keys(expected)


def test_accented_and_expanding_letters(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    hits = index.search("strasse", files)
    assert [h.snippet[s:e] for h in hits for s, e in h.spans] == ["Straße"]


def test_only_the_files_asked_for(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    some = files[:2]
    assert {h.path for h in index.search("goita", some)} <= {Path(os.path.abspath(f)) for f in some}


def reads(monkeypatch) -> list[Path]:
    """The briefings read from now on (through the cache), in order."""
    import briefing.cache as cache

    seen: list[Path] = []
    real = cache.load_with_stats
    monkeypatch.setattr(cache, "load_with_stats", lambda p: seen.append(p) or real(p))
    return seen


def test_update_reindexes_only_what_changed(library, monkeypatch):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    seen = reads(monkeypatch)
    index.update(files)
    assert seen == []
    target = files[0]
    target.write_text(target.read_text(encoding="utf-8").replace("Assimi Goïta", "Assimi Renamed"), encoding="utf-8")
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
    index.update(files)
    assert seen == [Path(os.path.abspath(target))]
    assert len([h for h in index.search("renamed", files)]) >= 1


def test_text_file_change_is_noticed(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    beta = library / "b0" / "beta.txt"
    beta.write_text("A new word: xylophone.\n", encoding="utf-8")
    st = beta.stat()
    os.utime(beta, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
    index.update(files)
    assert [h.path.parent.name for h in index.search("xylophone", files)] == ["b0"]


@pytest.mark.parametrize("change", ["size", "mtime", "deleted"])
def test_each_stamped_file_is_checked_by_size_and_time(library, monkeypatch, change):
    """A briefing is read again when its file or one of its text files
    changed size or modification time (same size, new time too), or went
    missing; not otherwise."""
    from briefing.index import _current

    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    seen = reads(monkeypatch)
    beta = library / "b1" / "beta.txt"
    st = beta.stat()
    if change == "size":
        beta.write_text(beta.read_text(encoding="utf-8") + "more", encoding="utf-8")
        os.utime(beta, ns=(st.st_atime_ns, st.st_mtime_ns))
    elif change == "mtime":
        os.utime(beta, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    else:
        beta.unlink()
    broken = index.update(files)
    assert seen == [Path(os.path.abspath(library / "b1" / "sample.toml"))]
    assert bool(broken) == (change == "deleted")
    assert _current([[str(library / "gone.txt"), -1, -1]])  # a file missing when stamped, still missing
    assert not _current([[str(library / "gone.txt"), 10, 5]])


def test_deleted_files_are_pruned_and_broken_ones_reported(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files, prune=library)
    shutil.rmtree(library / "b3")
    (library / "b2" / "sample.toml").write_text("[briefing]\n", encoding="utf-8")
    files = discover(library)
    broken = index.update(files, prune=library)
    assert list(broken) == [library / "b2" / "sample.toml"]
    assert "required field is missing" in broken[library / "b2" / "sample.toml"].format()
    parents = {h.path.parent.name for h in index.search("goita", files)}
    assert parents == {"b0", "b1"}
    assert index.db.execute("SELECT count(*) FROM files").fetchone()[0] == 3  # b0, b1, straße


@pytest.mark.parametrize("damage", ["garbage", "empty", "old-version"])
def test_damaged_index_is_rebuilt(library, damage):
    files = discover(library)
    first = LibraryIndex()
    first.update(files)
    # Closed: an index another connection still has open is not deleted
    # (see test_a_busy_index_is_not_taken_for_a_broken_one).
    first.close()
    path = index_path()
    if damage == "garbage":
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.write_bytes(b"not a database" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA user_version={INDEX_VERSION + 99}")
        db.commit()
        db.close()
    index = LibraryIndex()
    index.update(files)
    assert len(index.search("goita", files)) == len(Searcher([load(f)[0] for f in files]).search("goita"))


def test_cancelled_search_stops(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    with pytest.raises(Cancelled):
        index.search("m", files, cancelled=lambda: True)
    searcher = IndexSearcher(index, files)
    assert len(searcher.search("mission")) > 0


class _Racing:
    """A connection whose first look at the index's version is answered
    before another process's creation of it commits, and whose look at its
    tables after: the window in which two processes open a new index."""

    def __init__(self, db: sqlite3.Connection, other: sqlite3.Connection):
        self._db, self._other = db, other

    def execute(self, sql: str, *args):
        result = self._db.execute(sql, *args)
        if sql.startswith("PRAGMA user_version") and self._other is not None:
            other, self._other = self._other, None
            other.execute("COMMIT")  # the other process's schema lands now
        return result

    def __getattr__(self, name: str):
        return getattr(self._db, name)


def test_an_index_another_process_is_creating_is_never_deleted(tmp_path, monkeypatch):
    from briefing import index as index_module

    path = tmp_path / "index.sqlite"
    other = LibraryIndex(path)  # the other process: creates the index...
    other.close()
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    creator = sqlite3.connect(path, isolation_level=None)
    creator.execute("PRAGMA journal_mode=WAL")
    creator.execute("BEGIN IMMEDIATE")
    for statement in index_module._SCHEMA.split(";"):
        if statement.strip():
            creator.execute(statement)
    creator.execute(f"PRAGMA user_version={INDEX_VERSION}")
    inode = path.stat().st_ino
    real = LibraryIndex._connect
    monkeypatch.setattr(LibraryIndex, "_connect", lambda self: _Racing(real(self), creator))
    mine = LibraryIndex(path)  # ...while this one opens it
    assert path.stat().st_ino == inode  # the same file: not deleted and made again
    assert mine.db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    assert creator.execute("SELECT count(*) FROM files").fetchone() == (0,)
    creator.close()


def test_a_busy_index_is_not_taken_for_a_broken_one(tmp_path, monkeypatch):
    """"database is locked" while opening is not corruption: the file stays."""
    path = tmp_path / "index.sqlite"
    LibraryIndex(path).close()
    inode = path.stat().st_ino
    real = LibraryIndex._connect
    calls = []

    def busy_once(self):
        calls.append(1)
        if len(calls) == 1:
            raise sqlite3.OperationalError("database is locked")
        return real(self)

    monkeypatch.setattr(LibraryIndex, "_connect", busy_once)
    with pytest.raises(sqlite3.OperationalError):
        LibraryIndex(path)
    assert path.stat().st_ino == inode


def test_cli_says_when_the_index_is_busy(library, monkeypatch, capsys):
    from briefing import cli, index

    monkeypatch.setattr(index, "INDEX_FROM_FILES", 1)

    def locked(self):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(LibraryIndex, "_connect", locked)
    assert cli.main(["search", "goita", str(library)]) == 2
    err = capsys.readouterr().err
    assert "search index" in err and "busy" in err and "try again" in err and "Traceback" not in err


def test_two_processes_index_at_once(library):
    code = (
        "import sys; from pathlib import Path\n"
        "from briefing.index import LibraryIndex; from briefing.library import discover\n"
        "files = discover(Path(sys.argv[1]))\n"
        "ix = LibraryIndex(); ix.update(files)\n"
        "print(len(ix.search('goita', files)), len(ix.flat('goita', files, segments=True)))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(library)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=dict(os.environ)) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    expected = len(Searcher([load(f)[0] for f in discover(library)]).search("goita"))
    assert [out.split() for out, _ in outs] == [[str(expected)] * 2] * 2
    # Each file's segment is in the pack its row names (the process whose
    # rows were replaced may leave its own pack behind, unused).
    index = LibraryIndex()
    assert _packed(index) == len(discover(library))


def test_cli_search_through_the_index_matches_the_direct_search(library, capsys, monkeypatch):
    import json

    from briefing import cli, index

    outputs = []
    for threshold in (1, 10_000):  # index, then direct
        monkeypatch.setattr(index, "INDEX_FROM_FILES", threshold)
        assert cli.main(["search", "goita", str(library), "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 16


def _order_reversed(library: Path) -> list[Path]:
    """Index the files in reverse path order, so file ids do not follow it."""
    files = discover(library)
    index = LibraryIndex()
    for f in reversed(files):
        index.update([f])
    return files


@pytest.mark.parametrize("head", [1, 2, 50])
@pytest.mark.parametrize("query", QUERIES)
def test_lazy_search_answers_like_the_in_memory_search(library, query, head):
    """The search bar's search counts in SQL and reads the first ids of each
    pane; hits past those are read when asked for, with the same answer."""
    files = discover(library)
    LibraryIndex().update(files)
    expected = Searcher([load(f)[0] for f in files]).search(query)
    got = IndexSearcher(LibraryIndex(), files, head=head).search(query)
    assert got.counts() == expected.counts()
    assert len(got) == len(expected)
    assert keys(got) == keys(expected)
    assert keys(got[-3:]) == keys(expected[-3:])
    assert got.matched() == sorted(got.matched())


@pytest.mark.parametrize("order", ["path", "reversed"])
@pytest.mark.parametrize("head", [1, 50])
@pytest.mark.parametrize("which", ["some", "all"])
def test_lazy_search_of_some_files_in_path_order(library, order, head, which):
    files = _order_reversed(library) if order == "reversed" else discover(library)
    index = LibraryIndex()
    index.update(files)
    some = files[1:4] if which == "some" else files
    for query in ("goita", "mission 2013", '"security council"'):
        expected = Searcher([load(f)[0] for f in some]).search(query)
        got = IndexSearcher(index, some, head=head).search(query)
        assert got.counts() == expected.counts()
        assert keys(got) == keys(expected)
        full = index.search(query, some)
        assert keys(full) == keys(expected)


def test_lazy_search_is_cancelled_too(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    with pytest.raises(Cancelled):
        IndexSearcher(index, files).search("goita", cancelled=lambda: True)


def test_fields_are_packed_and_read_back():
    from briefing.index import _pack, _unpack

    for fields in ([], [("text", "a\nb")], [("name", "x"), ("aliases", "")], [("text", "nul \0 inside"), ("url", "[")]):
        assert _unpack(_pack(fields)) == fields


def tricky_texts() -> list[str]:
    """Accents, NFD marks, ß, the Kelvin sign, matches at the very start
    and end of a text, folded white space that moves a match far on, and
    white space other than the space (alone and in runs)."""
    import unicodedata

    long_gap = "Goïta " + "word\n\n   " * 200 + "ménaka and goita near the end goita"
    texts = [
        "Goïta first, then nothing",
        "at the very end: GOITA",
        "goita",
        unicodedata.normalize("NFD", "Assimi Goïta in Ménaka, and goita again"),
        "Die Straße nach Ménaka und Goïta",
        "\u212aelvin sign, then goita and kelvin",
        long_gap,
        "   leading blanks\tand\n\ngoita " + "filler " * 40 + "menaka",
        "ségou " * 30 + "goïtagoita" + " ségou" * 30,
        "peace\n   agreement with Goïta",
        "odd\u00a0white\tspace: goita\u2028then\u3000menaka,\u00a0\u00a0twice; soft\u00adhyphen",
        "in UTF-16 \u2014 goita\u3000\u3000and\u2029menaka \u2014",
    ]
    return texts


@pytest.fixture
def tricky(tmp_path) -> Path:
    """Texts where a window of the original text is, and is not, enough:
    accents, NFD marks, ß, the Kelvin sign, matches at the very start and
    end of a field, and folded white space that moves a match far on."""
    import json

    texts = tricky_texts()
    folder = tmp_path / "tricky"
    for n in range(3):
        points = "".join(f"\n[[bluf]]\ntext = {json.dumps(t, ensure_ascii=False)}\nsources = []\n"
                         for t in texts[n:] + texts[:n])
        sub = folder / f"t{n}"
        sub.mkdir(parents=True)
        (sub / "t.toml").write_text(MINIMAL + points, encoding="utf-8")
    return folder


@pytest.fixture
def tricky_sources(tmp_path) -> Path:
    """The tricky texts as the texts of sources (a source's last field,
    whose window `briefing search` cuts out in SQL), some after a title
    that matches too, some after a long text that pushes them far on."""
    import json

    texts = [*tricky_texts(), "filler text " * 60 + "goita in the middle of a long text, then menaka" + " more filler" * 60]
    folder = tmp_path / "tricky-sources"
    for n in range(3):
        sources = "".join(
            f'\n[[sources]]\nid = "s{i}"\ntitle = {json.dumps("Goita speaks" if i % 3 == 0 else f"Source {i}")}\n'
            f'published = "2023"\ntext = {json.dumps(t, ensure_ascii=False)}\n'
            for i, t in enumerate(texts[n:] + texts[:n]))
        sub = folder / f"t{n}"
        sub.mkdir(parents=True)
        (sub / "t.toml").write_text(MINIMAL + sources, encoding="utf-8")
    return folder


WINDOW_QUERIES = ["goita", "GOÏTA", "ménaka", "menaka goita", "kelvin", "strasse", "segou", "end", "e",
                  "goitagoita", '"peace agreement"', "goita menaka", "first", "blanks"]


@pytest.mark.parametrize("lib", ["library", "tricky"])
def test_snippets_cut_out_in_sql_are_the_in_memory_ones(lib, request):
    """`briefing search` works snippets out from windows of the texts cut
    out in SQL (windows=True) where that is exact, else from whole rows:
    the same hits, fields, spans and snippets either way."""
    folder = request.getfixturevalue(lib)
    files = discover(folder)
    index = LibraryIndex()
    assert index.update(files) == {}
    searcher = Searcher([load(f)[0] for f in files])
    cut = whole = 0
    for query in (QUERIES + WINDOW_QUERIES):
        expected = searcher.search(query)
        got = index.search(query, files, windows=True)
        assert got.counts() == expected.counts(), query
        assert keys(got) == keys(expected), query
        assert [h.to_json() for h in got] == [h.to_json() for h in expected], query
        cut += sum(not h.doc.fields for h in got)
        whole += sum(bool(h.doc.fields) for h in got)
    assert cut > 20 and whole > 10  # both ways were taken


def test_layout_points_at_each_field_in_the_blob_and_the_packed_fields():
    from briefing.index import _layout, _pack
    from briefing.search import Doc

    doc = Doc("sources", "s", 0, "t", None, [("title", "Goïta  speaks"), ("short", ""), ("note", "Straße\n\nnote"),
                                             ("text", "  x ")])
    packed = _pack(doc.fields)
    parts = _layout(doc.fields, packed, doc.starts).split(",")
    assert len(parts) == 4 * len(doc.fields)
    for n, (name, text) in enumerate(doc.fields):
        got_name, bstart, ostart, length = parts[4 * n : 4 * n + 4]
        assert got_name == name and int(bstart) == doc.starts[n]
        assert packed[int(ostart) : int(ostart) + int(length)] == text
    # Fields packed as JSON have no layout: their hits are read whole.
    odd = [("text", "unit \x1f separator")]
    assert _layout(odd, _pack(odd), [0]) == ""


def test_the_index_lives_in_the_cache_folder(monkeypatch, tmp_path):
    """The index sits beside the cache's entries and follows its switches."""
    from briefing import cache, index

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    assert index_path().parent == tmp_path / f"v{cache.CACHE_VERSION}"
    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    assert index_path().parent == cache.cache_dir() / f"v{cache.CACHE_VERSION}"
    for value, on in ((None, True), ("", True), ("0", True), ("1", False), ("yes", False)):
        if value is None:
            monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
        else:
            monkeypatch.setenv("BRIEFING_NO_CACHE", value)
        assert cache.enabled() is on and index.use_index(100) is on


def test_a_new_index_has_pages_of_16_kib_and_an_old_one_keeps_its_own(library, tmp_path):
    from briefing.index import _SCHEMA, PAGE_SIZE

    index = LibraryIndex(path=tmp_path / "new.sqlite")
    index.update(discover(library))
    assert PAGE_SIZE == 16384 and index.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    index.close()
    old = sqlite3.connect(tmp_path / "old.sqlite")
    old.execute("PRAGMA page_size=4096")
    old.execute("CREATE TABLE t(x)")  # the file's first page written: its size is set
    old.close()
    # Not an index: made again, and then with the new size.
    again = LibraryIndex(path=tmp_path / "old.sqlite")
    assert again.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
    again.close()
    four = sqlite3.connect(tmp_path / "four.sqlite")
    four.execute("PRAGMA page_size=4096")
    four.execute("PRAGMA journal_mode=WAL")
    four.executescript(_SCHEMA)
    four.execute(f"PRAGMA user_version={INDEX_VERSION}")
    four.close()
    # An index of this version with other pages is used as it is.
    kept = LibraryIndex(path=tmp_path / "four.sqlite")
    assert kept.db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert kept.update(discover(library)) == {}
    assert len(kept.search("goita", discover(library))) > 0
    kept.close()


def test_the_write_ahead_log_is_emptied_after_writing_and_when_found_long(library, tmp_path):
    """`briefing search` leaves without closing the index; a log left full
    would be read through again by every process that opens it."""
    path = tmp_path / "index.sqlite"
    index = LibraryIndex(path=path)
    assert index.update(discover(library)) == {}
    assert os.path.getsize(f"{path}-wal") == 0
    # Another process wrote 6 MB and left without emptying the log.
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE junk(x)")
    other.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) "
                  "INSERT INTO junk SELECT randomblob(100000) FROM n")
    assert os.path.getsize(f"{path}-wal") > 4 << 20
    LibraryIndex(path=path)
    assert os.path.getsize(f"{path}-wal") == 0
    assert other.execute("SELECT count(*) FROM junk").fetchone()[0] == 60  # nothing lost
    other.close()
    index.close()


def _flat_expected(hits) -> list[tuple]:
    return [(str(h.path), h.pane, h.doc.index, h.doc.key, h.doc.title, h.doc.date.iso() if h.doc.date else None,
             h.field, h.snippet) for h in hits]


def _flat_got(index: LibraryIndex, records: list[tuple]) -> list[tuple]:
    from briefing.index import _FILE_MASK, _FILE_SHIFT, _ITEM_MASK, _PANE_SHIFT
    from briefing.search import PANES

    paths = index.file_paths()
    return [(paths[(i >> _FILE_SHIFT) & _FILE_MASK], PANES[i >> _PANE_SHIFT], i & _ITEM_MASK, key, title, date,
             field, snippet) for i, key, title, date, field, snippet in records]


@pytest.mark.parametrize("lib", ["library", "tricky", "tricky_sources"])
def test_flat_records_are_the_in_memory_hits(lib, request, monkeypatch):
    """`briefing search`'s plain and JSON output come from flat records
    (LibraryIndex.flat), cut out of windows where that is exact, else
    read whole: the same hits, in the same order, with the same fields and
    snippets as the in-memory search."""
    from briefing import index as index_module

    folder = request.getfixturevalue(lib)
    files = discover(folder)
    index = LibraryIndex()
    assert index.update(files) == {}
    searcher = Searcher([load(f)[0] for f in files])
    read_whole = []
    prefetch = index_module._Rows.prefetch
    monkeypatch.setattr(index_module._Rows, "prefetch", lambda self, ids: (read_whole.extend(ids), prefetch(self, ids)))
    total = 0
    for query in (QUERIES + WINDOW_QUERIES):
        expected = _flat_expected(searcher.search(query))
        assert _flat_got(index, index.flat(query, files, segments=False)) == expected, query
        total += len(expected)
    assert index.flat("", files) == [] and index.flat('""', files) == []
    assert 10 < len(read_whole) < total - 20  # both ways were taken


@pytest.mark.parametrize("order", ["path", "reversed"])
@pytest.mark.parametrize("which", ["some", "gaps", "all"])
def test_flat_records_of_some_files_in_path_order(library, order, which):
    """Part of the files (as each process of `briefing search` takes): the
    full-text lookup is kept to the range of their ids (_by_file_range),
    which with gaps or files indexed out of path order holds others too."""
    files = _order_reversed(library) if order == "reversed" else discover(library)
    index = LibraryIndex()
    index.update(files)
    some = {"some": files[1:4], "gaps": files[::2], "all": files}[which]
    for query in ("goita", "mission 2013", '"security council"', "beta", "m"):
        expected = _flat_expected(Searcher([load(f)[0] for f in some]).search(query))
        assert _flat_got(index, index.flat(query, some, segments=False)) == expected, query


@pytest.mark.parametrize("lib", ["library", "tricky", "tricky_sources"])
def test_cli_plain_and_json_output_through_the_index_are_the_direct_ones(lib, request, capsys, monkeypatch):
    """Byte for byte: the index's flat records printed as text and JSON
    against the hits of the in-memory search printed as before."""
    from briefing import cli, index

    folder = request.getfixturevalue(lib)
    for query in ("goita", "GOÏTA", "menaka goita", '"peace agreement"', "kelvin", "strasse", "e", "zzzz", "beta"):
        for extra in ([], ["--json"]):
            outputs = []
            for threshold in (1, 10_000):  # index, then direct
                monkeypatch.setattr(index, "INDEX_FROM_FILES", threshold)
                code = cli.main(["search", query, str(folder), *extra])
                outputs.append((code, capsys.readouterr()))
            assert outputs[0] == outputs[1], (query, extra)


def test_a_file_key_is_printed_as_it_is(tmp_path, monkeypatch):
    """`briefing search` prints the index's key of a file as the path of its
    hits (str(Path(key))): keys are absolute and normalised, which Path
    leaves alone."""
    from briefing.index import _key

    monkeypatch.chdir(tmp_path)
    for raw in ("a.toml", "./a.toml", "sub/../a.toml", "sub//b.toml", "/x/./y/../z.toml", "//net/share/c.toml",
                "///triple/d.toml", "/trailing/", Path("rel") / "e.toml", "é/ü.toml", " space .toml"):
        key = _key(raw)
        assert str(Path(key)) == key, raw


def _search_output(cli, capsys, argv: list[str]) -> tuple:
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("lib", ["library", "tricky_sources"])
def test_search_on_two_cores_prints_what_one_core_does(lib, request, capsys, monkeypatch):
    """`briefing search QUERY FOLDER` forks a process that searches the
    second part of the files: byte for byte the output of one process, and
    whenever the child's part cannot stand (a file changed or appeared, the
    child failed), the parent searches it all."""
    from briefing import cli, index

    folder = request.getfixturevalue(lib)
    monkeypatch.setattr(index, "INDEX_FROM_FILES", 1)
    used = []
    real_result = cli._Half.result
    monkeypatch.setattr(cli._Half, "result", lambda self, *a: used.append(real_result(self, *a)) or used[-1])
    queries = ["goita", "menaka goita", '"peace agreement"', "strasse", "e", "zzzz"]

    def both(query: str, extra: list[str]) -> None:
        argv = ["search", *extra, query, str(folder)]
        two = _search_output(cli, capsys, argv)
        with monkeypatch.context() as m:
            m.setattr(cli._Half, "start", classmethod(lambda *a: None))
            one = _search_output(cli, capsys, argv)
        assert two == one, (query, extra)

    _search_output(cli, capsys, ["search", "goita", str(folder)])  # builds the index: no fork yet
    assert used == []
    for query in queries:
        for extra in ([], ["--json"]):
            both(query, extra)
    assert len(used) == 2 * len(queries) and all(chunks is not None for chunks in used)
    with monkeypatch.context() as m:  # the child's answer through a pipe, where there is no memfd
        m.delattr(os, "memfd_create", raising=False)
        both("goita", [])
        both("e", ["--json"])
    assert len(used) == 2 * len(queries) + 2 and all(chunks is not None for chunks in used)
    with monkeypatch.context() as m:  # no process to be had: one does it all

        def no_fork():
            raise OSError("no fork")

        m.setattr(os, "fork", no_fork)
        both("goita", [])
    assert len(used) == 2 * len(queries) + 2

    def change(target: Path) -> None:
        target.write_text(target.read_text(encoding="utf-8").replace("goita", "renamed"), encoding="utf-8")
        st = target.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))

    # A changed file in the child's part (whose stamps only the child
    # checks): the child says so, and this process brings the index up to
    # date and searches that part itself.
    change(discover(folder)[-1])
    used.clear()
    both("goita", [])
    assert used == [None]
    both("renamed", ["--json"])
    assert len(used) == 2 and used[1] is not None  # current again
    # A changed file in this process's part: the index is brought up to
    # date, the child's part dropped.
    change(discover(folder)[0])
    used.clear()
    both("goita", [])
    assert used == []  # split() said no: result was never asked
    both("renamed", ["--json"])
    assert len(used) == 1 and used[0] is not None
    used.clear()
    target = discover(folder)[-1]
    # A new file (not indexed yet): the same.
    shutil.copy(target, target.with_name("zz-new.toml"))
    both("goita", [])
    assert used == []
    # The child fails: its part is searched here.
    monkeypatch.setattr(cli, "_second_half", lambda *a: 1 / 0)
    _search_output(cli, capsys, ["search", "goita", str(folder)])  # index the new file
    used.clear()
    both("goita", [])
    both("goita", ["--json"])
    assert used == [None, None]


def test_an_index_is_opened_as_it_is_or_not_at_all(tmp_path, monkeypatch):
    from briefing import index as index_module

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    with pytest.raises(LookupError):
        LibraryIndex(create=False)
    assert not index_path().exists()
    LibraryIndex().close()
    LibraryIndex(create=False).close()
    monkeypatch.setattr(index_module, "INDEX_VERSION", INDEX_VERSION + 1)
    with pytest.raises(LookupError):
        LibraryIndex(path=tmp_path / f"v{index_module.CACHE_VERSION}" / f"search-index-{INDEX_VERSION}.sqlite",
                     create=False)
    assert (tmp_path / f"v{index_module.CACHE_VERSION}" / f"search-index-{INDEX_VERSION}.sqlite").exists()


# -- the scan segments (briefing.scanstore) -----------------------------------
def _pack_files(index: LibraryIndex) -> list[Path]:
    return sorted(Path(f"{index.path}.scan").glob("*.pack"))


def _own_segment_files(index: LibraryIndex) -> list[Path]:
    """Segments made again, each in a file of its own."""
    return sorted(Path(f"{index.path}.scan").glob("*.seg"))


def _packed(index: LibraryIndex) -> int:
    """How many indexed files' segments can be read where their rows say,
    in their packs."""
    from briefing.scanstore import Pack, SegmentError

    count = 0
    for pack, at in index.db.execute("SELECT pack, pack_at FROM files").fetchall():
        try:
            mapped = Pack(f"{index.path}.scan/{pack}.pack")
        except SegmentError:
            continue
        try:
            mapped.segment(at).close()
            count += 1
        except SegmentError:
            pass
        finally:
            mapped.close()
    return count


def _no_sql_records(monkeypatch) -> None:
    """Fail if flat() answers from SQL (the scan was to answer)."""
    from briefing import index as index_module

    def refuse(*args, **kwargs):
        raise AssertionError("answered from SQL")

    monkeypatch.setattr(index_module._Flat, "records", refuse)


@pytest.mark.parametrize("lib", ["library", "tricky", "tricky_sources"])
def test_scanned_records_are_the_in_memory_hits(lib, request, monkeypatch):
    """A word's flat records from a scan of the segments are the in-memory
    search's hits: the same items, order, fields and snippets; items that
    do not fold one character to one (NFD marks, ß) are worked out from
    their rows."""
    from briefing import index as index_module
    from briefing.scanstore import searchable

    folder = request.getfixturevalue(lib)
    files = discover(folder)
    index = LibraryIndex()
    assert index.update(files) == {}
    assert _packed(index) == len(files) and len(_pack_files(index)) == 1 and not _own_segment_files(index)
    searcher = Searcher([load(f)[0] for f in files])
    read_whole = []
    prefetch = index_module._Rows.prefetch
    monkeypatch.setattr(index_module._Rows, "prefetch", lambda self, ids: (read_whole.extend(ids), prefetch(self, ids)))
    sql_records = index_module._Flat.records
    _no_sql_records(monkeypatch)
    scanned = 0
    prefixes = {fid: f"  {path}: " for fid, path in index.file_paths().items()}
    for query in (QUERIES + WINDOW_QUERIES + ["STRASSE", "ß", "gOïTa", "ménaka goïta", "goita e", "goi m"]):
        expected = _flat_expected(searcher.search(query))
        terms = parse_query(query)
        if searchable(terms):
            records = index.flat(query, files, segments=True)
            assert _flat_got(index, records) == expected, query
            scanned += len(expected)
            # As lines of plain output, made in the segments (and from the rows, for those left to them).
            lines = index.flat(query, files, segments=True, prefixes=prefixes)
            assert [line for pane in lines for line in pane] == [index_module._line(prefixes, r) for r in records]
            objects = index.flat(query, files, segments=True, prefixes=prefixes, as_json=True)
            assert [o for pane in objects for o in pane] == [index_module._line(prefixes, r, True) for r in records]
            assert [len(pane) for pane in lines] == [sum(1 for r in records if r[0] >> index_module._PANE_SHIFT == n)
                                                     for n in range(4)]
        else:  # a phrase, or one- and two-letter terms only: the rows answer
            monkeypatch.setattr(index_module._Flat, "records", sql_records)
            assert _flat_got(index, index.flat(query, files, segments=True)) == expected, query
            _no_sql_records(monkeypatch)
    assert scanned > 30
    if lib != "library":
        assert 0 < len(read_whole) < scanned  # both ways were taken


@pytest.mark.parametrize("order", ["path", "reversed"])
@pytest.mark.parametrize("which", ["some", "gaps", "all"])
def test_scanned_records_of_some_files_in_path_order(library, order, which, monkeypatch):
    files = _order_reversed(library) if order == "reversed" else discover(library)
    index = LibraryIndex()
    index.update(files)
    _no_sql_records(monkeypatch)
    some = {"some": files[1:4], "gaps": files[::2], "all": files}[which]
    for query in ("goita", "mission 2013", "beta", "goita m"):
        expected = _flat_expected(Searcher([load(f)[0] for f in some]).search(query))
        assert _flat_got(index, index.flat(query, some, segments=True)) == expected, query


def test_which_queries_the_segments_answer(library, monkeypatch):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    used = []
    real = LibraryIndex._from_segments
    monkeypatch.setattr(LibraryIndex, "_from_segments",
                        lambda self, terms, *rest: used.append(terms) or real(self, terms, *rest))
    for query in ("goita", "zzzz", "goita m", "m", "go", '"security council"', "—", "goita", "ménaka"):
        index.flat(query, files)
    index.flat("goita", files, segments=False)
    # Not a phrase (only the rows know runs of white space), not one- or
    # two-letter terms alone (no lookup), not a character past U+00FF.
    assert used == [["goita"], ["zzzz"], ["goita", "m"], ["goita"], ["menaka"]]


def test_segments_follow_the_files(library):
    """The files indexed together get one pack of segments; a file indexed
    again gets its segment in a new pack, and a pack is deleted once no
    file's row names it; a rebuilt index starts a new folder of them."""
    files = discover(library)
    index = LibraryIndex()
    index.update(files, prune=library)
    first = _pack_files(index)
    assert len(first) == 1 and _packed(index) == len(files)
    target = library / "b1" / "sample.toml"
    target.write_text(target.read_text(encoding="utf-8").replace("Goïta", "Renamed"), encoding="utf-8")
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
    index.update(files, prune=library)
    assert len(_pack_files(index)) == 2 and first[0].exists() and _packed(index) == len(files)
    assert _flat_got(index, index.flat("renamed", files, segments=True)) == \
        _flat_expected(Searcher([load(f)[0] for f in files]).search("renamed"))
    shutil.rmtree(library / "b3")
    files = discover(library)
    index.update(files, prune=library)
    assert _packed(index) == len(files)
    for f in files:  # every file indexed again: no row names the first pack
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 6_000_000_000))
    index.update(files, prune=library)
    assert not first[0].exists() and _packed(index) == len(files)
    assert len(_pack_files(index)) == 1  # all of them, indexed together
    index.close()
    index_path().write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(index_path()) + suffix).unlink(missing_ok=True)
    index = LibraryIndex()
    assert _pack_files(index) == []
    index.update(files)
    assert _packed(index) == len(files)


_DAMAGES = ["missing", "garbage", "empty", "truncated", "other-format", "longer"]


def _damage(target: Path, damage: str) -> None:
    from briefing import scanstore

    data = target.read_bytes()
    if damage == "missing":
        target.unlink()
    elif damage == "garbage":
        target.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        target.write_bytes(b"")
    elif damage == "truncated":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "other-format":
        target.write_bytes(data.replace(scanstore.MAGIC, b"BRSCAN99" + scanstore.MAGIC[-1:], 1))
    else:
        target.write_bytes(data + b"x")


def _indexed_for_goita(library: Path) -> tuple[list[Path], LibraryIndex, list]:
    """The library's files, indexed, and the flat records `goita` should give."""
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    return files, index, _flat_expected(Searcher([load(f)[0] for f in files]).search("goita"))


@pytest.mark.parametrize("damage", _DAMAGES)
def test_a_damaged_pack_leaves_its_segments_to_be_made_again(library, damage, monkeypatch):
    files, index, expected = _indexed_for_goita(library)
    _damage(_pack_files(index)[0], damage)
    _no_sql_records(monkeypatch)
    assert _flat_got(index, index.flat("goita", files, segments=True)) == expected
    # Each segment searched that the pack no longer holds is made again in
    # a file of its own (a longer pack still holds them all).
    made = _own_segment_files(index)
    assert (len(made) == 0) if damage == "longer" else (0 < len(made) <= len(files) - _packed(index))
    assert _flat_got(index, index.flat("goita", files, segments=True)) == expected
    assert _own_segment_files(index) == made  # read as they are, the next time


@pytest.mark.parametrize("damage", _DAMAGES)
def test_a_damaged_segment_of_its_own_is_made_again(library, damage, monkeypatch):
    from briefing import scanstore

    files, index, expected = _indexed_for_goita(library)
    _pack_files(index)[0].unlink()
    index.flat("goita", files, segments=True)
    target = _own_segment_files(index)[1]
    _damage(target, damage)
    if damage != "missing":
        with pytest.raises(scanstore.SegmentError):
            scanstore.Segment(str(target)).close()
    _no_sql_records(monkeypatch)
    assert _flat_got(index, index.flat("goita", files, segments=True)) == expected
    scanstore.Segment(str(target)).close()  # made again from the index


def test_a_segment_that_cannot_be_made_leaves_the_answer_to_sql(library, monkeypatch):
    files, index, expected = _indexed_for_goita(library)
    _pack_files(index)[0].unlink()
    from briefing import scanstore

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scanstore, "write", full)
    assert _flat_got(index, index.flat("goita", files, segments=True)) == expected


def test_fold_exact_finds_words_where_fold_does():
    """fold_exact keeps one character for each (white space as it is), and
    a word is found in it wherever fold's text has it; None where a
    character folds to more or fewer."""
    import unicodedata

    from briefing.scanstore import fold_exact
    from briefing.textfold import fold

    assert fold_exact("Die Straße") is None
    assert fold_exact(unicodedata.normalize("NFD", "Goïta")) is None
    assert fold_exact("Goïta\n  à Ménaka\u00a0\u212aelvin — “x”") == "goita\n  a menaka\u00a0kelvin — “x”"
    words = ["goita", "menaka", "kelvin", "a", "x", "—", "“x”", "ïta", "straße", "strasse"]
    for text in tricky_texts() + ["Goïta\n  à Ménaka\u00a0\u212aelvin — “x”", "ÉCOLE école", "İstanbul ǅemal"]:
        exact = fold_exact(text)
        if exact is None:
            continue
        assert len(exact) == len(text)
        for word in words + fold(text).split():
            assert (word in exact) == (word in fold(text)), (text, word)
            if word in exact:
                at = exact.index(word)
                assert fold(text[at : at + len(word)]) == word, (text, word)


def test_a_new_index_deletes_those_of_other_versions(library):
    folder = index_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    old = [folder / f"search-index-{INDEX_VERSION - 1}.sqlite{s}" for s in ("", "-wal", "-shm")]
    for path in old:
        path.write_bytes(b"old")
    (folder / f"search-index-{INDEX_VERSION - 1}.sqlite.scan").mkdir()
    (folder / f"search-index-{INDEX_VERSION - 1}.sqlite.scan" / "1-ab.seg").write_bytes(b"old")
    keep = folder / "search-index-notes.txt"
    keep.write_text("not ours")
    index = LibraryIndex()
    index.update(discover(library))
    assert not any(p.exists() for p in old)
    assert not (folder / f"search-index-{INDEX_VERSION - 1}.sqlite.scan").exists()
    assert keep.exists() and index_path().exists() and _pack_files(index)


def test_an_item_with_every_trigram_but_not_the_word_is_no_hit(tmp_path):
    """The segments' lookup asks for a word's trigrams, not for them in a
    row: "kelp elves alvin vinyl" has kel, elv, lvi and vin but no kelvin."""
    folder = tmp_path / "lib"
    folder.mkdir()
    texts = ["kelp elves alvin vinyl", "the kelvin scale", "Kelvin and kelp", "nothing here"]
    for n, text in enumerate(texts):
        (folder / f"b{n}.toml").write_text(MINIMAL + f'\n[[bluf]]\ntext = "{text}"\nsources = []\n', encoding="utf-8")
    files = discover(folder)
    index = LibraryIndex()
    index.update(files)
    for query in ("kelvin", "kelvin kelp", "elves kelvin"):
        expected = _flat_expected(Searcher([load(f)[0] for f in files]).search(query))
        assert _flat_got(index, index.flat(query, files)) == expected, query
    assert [r[-1] for r in index.flat("kelvin", files)] == ["the kelvin scale", "Kelvin and kelp"]


def test_a_segment_leaves_to_the_rows_what_it_cannot_hold(tmp_path):
    """An item with a character outside the Basic Multilingual Plane (no
    two-byte UTF-16 offset) or one that folds to two (ß) is left to its row;
    a dash past U+00FF is held (its original in UTF-16) and cut in place,
    as a record, as a line of plain output or as a JSON object."""
    import json

    from briefing import scanstore
    from briefing.index import _ITEM_MASK, _PANE_SHIFT
    from briefing.search import json_heading, json_prefix

    texts = ["plain goita text", "goita \U0001F600 emoji", "Straße goita", "an em \u2014 dash, then goita"]
    items = [(n, str(n), "t", None, (f"point {n + 1}", json_heading(0, n, str(n), "t", None)), [("text", text)])
             for n, text in enumerate(texts)]
    path = str(tmp_path / "x.seg")
    scanstore.write(path, scanstore.build(items))
    segment = scanstore.Segment(path)
    out: list[list] = [[], [], [], []]
    left: list = []
    try:
        segment.items([b"goita"], [0, 1, 2, 3], out, left, _PANE_SHIFT, _ITEM_MASK)
        with pytest.raises(scanstore.SegmentError):
            segment.items([b"goita"], [7], out, left, _PANE_SHIFT, _ITEM_MASK)
        lines: list[list] = [[], [], [], []]
        segment.items([b"goita"], [0, 2, 3], lines, left, _PANE_SHIFT, _ITEM_MASK, "  x.toml: ")
        objects: list[list] = [[], [], [], []]
        segment.items([b"goita"], [3], objects, left, _PANE_SHIFT, _ITEM_MASK, json_prefix("x.toml"), True)
    finally:
        segment.close()
    assert [r and r[-1] for r in out[0]] == ["plain goita text", None, None, "an em \u2014 dash, then goita"]
    assert lines[0] == ["  x.toml: point 1\n    plain goita text", None,
                        "  x.toml: point 4\n    an em \u2014 dash, then goita"]
    assert json.loads(f"[{objects[0][0]}]") == [{"briefing": "x.toml", "pane": "bluf", "id": 3, "title": "t",
                                                 "date": None, "field": "text",
                                                 "snippet": "an em \u2014 dash, then goita"}]
    assert left == [(0, 1, 1), (0, 2, 2), (0, 1, 2)]


def test_a_search_maps_one_pack_at_a_time(library, monkeypatch):
    """A mapped pack's pages count as the search's resident memory: the one
    the last segment came from is unmapped before the next is mapped."""
    from briefing import scanstore

    files, index, expected = _indexed_for_goita(library)
    for f in files[::2]:  # every other file in a pack of its own
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
        index.update([f])
    assert len(_pack_files(index)) == 1 + len(files[::2])
    mapped, most = [], []
    real_init, real_close = scanstore.Pack.__init__, scanstore.Pack.close
    monkeypatch.setattr(scanstore.Pack, "__init__", lambda self, path: (real_init(self, path), mapped.append(self),
                                                                        most.append(len(mapped)))[0])
    monkeypatch.setattr(scanstore.Pack, "close", lambda self: (mapped.remove(self), real_close(self))[1])
    assert _flat_got(index, index.flat("goita", files, segments=True)) == expected
    assert max(most) == 1 and mapped == [] and len(most) > len(files) // 2


def test_a_segment_or_pack_no_row_names_is_swept_by_the_next_update(library):
    files = discover(library)
    index = LibraryIndex()
    index.update(files)
    pack = _pack_files(index)[0]
    orphans = [pack.with_name("999-0123456789abcdef.seg"), pack.with_name("0123456789abcdef.pack")]
    for orphan in orphans:
        orphan.write_bytes(pack.read_bytes())
    target = library / "b1" / "sample.toml"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 3_000_000_000))
    index.update(files)
    assert not any(orphan.exists() for orphan in orphans) and _packed(index) == len(files)
