"""The on-disk cache: rebuilt when anything it depends on changes, never
trusted when corrupt or from another version, safe with two writers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import cache
from tests.conftest import MINIMAL

DOC = MINIMAL + '\n[[sources]]\nid = "s"\ntitle = "S"\ntext_file = "s.txt"\n'


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def brief(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "s.txt").write_text("first text")
    path = lib / "b.toml"
    path.write_text(DOC)
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.msgpack"))


def bump(path: Path) -> None:
    """Move the mtime forward so a change is visible even on coarse clocks."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_second_load_comes_from_the_cache(brief, cache_folder, monkeypatch):
    b1, _ = cache.load(brief)
    assert len(entries(cache_folder)) == 1
    calls = []
    monkeypatch.setattr(cache, "check_files", lambda p: calls.append(p))
    b2, _ = cache.load(brief)
    assert calls == [] and b2.meta.title == b1.meta.title == "T"
    assert b2.sources[0].text == "first text"
    assert b2.path == brief


def test_edit_invalidates(brief):
    cache.load(brief)
    brief.write_text(DOC.replace('title = "T"', 'title = "Edited"'))
    bump(brief)
    assert cache.load(brief)[0].meta.title == "Edited"


def test_touch_invalidates(brief, monkeypatch):
    cache.load(brief)
    bump(brief)
    calls = []
    real = cache.check_files
    monkeypatch.setattr(cache, "check_files", lambda p: calls.append(p) or real(p))
    cache.load(brief)
    assert len(calls) == 1


def test_text_file_change_invalidates(brief):
    cache.load(brief)
    txt = brief.parent / "s.txt"
    txt.write_text("second text, longer")
    bump(txt)
    assert cache.load(brief)[0].sources[0].text == "second text, longer"


def test_deleted_file_is_an_error_not_a_cached_briefing(brief):
    cache.load(brief)
    brief.unlink()
    b, problems = cache.load(brief)
    assert b is None and "cannot read" in problems[0].message


def test_deleted_text_file_is_noticed(brief):
    cache.load(brief)
    (brief.parent / "s.txt").unlink()
    b, problems = cache.load(brief)
    assert b is None and problems[0].field == "text_file"
    # and creating it again is noticed too
    (brief.parent / "s.txt").write_text("back")
    assert cache.load(brief)[0].sources[0].text == "back"


def test_replaced_file_is_noticed(brief, tmp_path):
    cache.load(brief)
    other = tmp_path / "other.toml"
    other.write_text(DOC.replace('title = "T"', 'title = "Replacement!"'))
    os.replace(other, brief)
    assert cache.load(brief)[0].meta.title == "Replacement!"


def test_broken_file_problems_are_cached_and_reported(tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("[briefing]\ntitle = 1\n")
    _b, p1 = cache.load(bad)
    monkeypatch.setattr(cache, "check_files", lambda p: pytest.fail("should come from the cache"))
    b, p2 = cache.load(bad)
    assert b is None and p1 == p2 and p2[0].path == str(bad)


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01\x02", b"\x93\xa1x\x90\xc0", b"\xff" * 100])
def test_corrupt_entry_is_rebuilt(brief, cache_folder, garbage):
    cache.load(brief)
    (entry,) = entries(cache_folder)
    entry.write_bytes(garbage)
    b, problems = cache.load(brief)
    assert b.meta.title == "T" and problems == []
    assert entry.read_bytes() != garbage  # rewritten
    assert cache.summary(brief).title == "T"


def test_entry_from_another_version_is_rebuilt(brief, cache_folder, monkeypatch):
    cache.load(brief)
    monkeypatch.setattr(cache, "_STAMP", "999:old")
    calls = []
    real = cache.check_files
    monkeypatch.setattr(cache, "check_files", lambda p: calls.append(p) or real(p))
    cache.load(brief)
    assert len(calls) == 1


def test_summary_without_decoding_texts(brief):
    s = cache.summary(brief)
    assert (s.ok, s.title, s.as_of, s.sources) == (True, "T", "2023-07-06", 1)
    s2 = cache.summary(brief)
    assert s2 == s


def test_unwritable_cache_folder_still_loads(brief, tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker / "cache"))
    assert cache.load(brief)[0].meta.title == "T"


def test_cache_can_be_turned_off(brief, cache_folder, monkeypatch):
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    assert cache.load(brief)[0].meta.title == "T"
    assert entries(cache_folder) == []


def run_twice_at_once(code: str, lib: Path, cache_folder: Path) -> None:
    """Run ``code`` (given ``lib`` as argv[1]) in two processes at once,
    sharing ``cache_folder``; each must print "ok"."""
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache_folder))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(lib)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"


def test_two_processes_build_the_cache_at_once(tmp_path, cache_folder):
    lib = tmp_path / "many"
    lib.mkdir()
    for i in range(40):
        (lib / f"b{i:02d}.toml").write_text(DOC.replace('title = "T"', f'title = "T{i}"').replace("s.txt", "t.txt"))
    (lib / "t.txt").write_text("shared text " * 1000)
    code = (
        "import sys; from pathlib import Path; from briefing import cache\n"
        "paths = sorted(Path(sys.argv[1]).glob('*.toml'))\n"
        "for _ in range(3):\n"
        "    for p in paths:\n"
        "        b, probs = cache.load(p)\n"
        "        assert b is not None and b.meta.title == 'T' + str(int(p.stem[1:])), (p, probs)\n"
        "print('ok')\n"
    )
    run_twice_at_once(code, lib, cache_folder)
    assert len(entries(cache_folder)) == 40
    assert not list(cache_folder.rglob(".tmp-*"))
    for p in sorted(lib.glob("*.toml")):
        assert cache.load(p)[0].meta.title.startswith("T")


def test_warm_reads_a_large_library_in_worker_processes(tmp_path, cache_folder, monkeypatch):
    lib = tmp_path / "many"
    lib.mkdir()
    for i in range(30):
        (lib / f"b{i:02d}.toml").write_text(MINIMAL.replace('title = "T"', f'title = "W{i}"'))
    files = sorted(lib.glob("*.toml"))
    seen = []
    assert cache.warm(files, progress=lambda done, total: seen.append((done, total))) == 30
    assert seen[-1] == (30, 30)
    assert len(entries(cache_folder)) == 30
    monkeypatch.setattr(cache, "check_files", lambda p: pytest.fail("should be cached"))
    assert [cache.summary(f).title for f in files] == [f"W{i}" for i in range(30)]
    assert cache.warm(files) == 0  # all fresh: nothing to do


def test_warm_leaves_small_sets_to_the_caller(brief, cache_folder):
    assert cache.warm([brief]) == 0
    assert entries(cache_folder) == []


# -- the library listing: one file for a folder's summaries -------------------

def listings(cache_folder: Path) -> list[Path]:
    return sorted(cache_folder.rglob("lists/*.msgpack"))


def small_library(tmp_path: Path, n: int = 3) -> tuple[Path, list[Path]]:
    lib = tmp_path / "shelf"
    lib.mkdir()
    for i in range(n):
        (lib / f"b{i}.txt").write_text(f"text {i}")
        (lib / f"b{i}.toml").write_text(
            DOC.replace('title = "T"', f'title = "L{i}"').replace('"s.txt"', f'"b{i}.txt"'))
    return lib, sorted(lib.glob("*.toml"))


def test_summaries_come_from_one_listing_once_read(tmp_path, cache_folder, monkeypatch):
    lib, files = small_library(tmp_path)
    assert [s.title for s in cache.summaries(lib, files)] == ["L0", "L1", "L2"]
    assert len(listings(cache_folder)) == 1
    # Second time: neither the parser nor the entries are read.
    monkeypatch.setattr(cache, "check_files", lambda p: pytest.fail("should be listed"))
    monkeypatch.setattr(cache, "_read_head", lambda p: pytest.fail("should be listed"))
    summaries = cache.summaries(lib, files)
    assert [s.title for s in summaries] == ["L0", "L1", "L2"]
    assert [s.path for s in summaries] == [str(f) for f in files]


@pytest.mark.parametrize("change", ["edit", "touch", "text file", "delete text file", "replace"])
def test_a_listed_summary_is_checked_against_the_files(tmp_path, cache_folder, change):
    lib, files = small_library(tmp_path)
    cache.summaries(lib, files)
    target = files[1]
    if change == "edit":
        target.write_text(target.read_text().replace('"L1"', '"Edited"'))
    elif change == "touch":
        bump(target)
    elif change == "text file":
        (lib / "b1.txt").write_text("changed, and longer")
    elif change == "delete text file":
        (lib / "b1.txt").unlink()
    else:
        replacement = lib / "new.toml"
        replacement.write_text(MINIMAL.replace('title = "T"', 'title = "Replacement"'))
        os.replace(replacement, target)
    built = []
    real = cache.check_files
    cache.check_files = lambda p: built.append(p) or real(p)  # type: ignore[assignment]
    try:
        summaries = cache.summaries(lib, files)
    finally:
        cache.check_files = real  # type: ignore[assignment]
    assert built == [target.resolve()]
    if change == "edit":
        assert summaries[1].title == "Edited"
    elif change == "replace":
        assert summaries[1].title == "Replacement"
    elif change == "delete text file":
        assert not summaries[1].ok and "b1.txt" in "".join(summaries[1].errors)
    assert [s.title for n, s in enumerate(summaries) if n != 1] == ["L0", "L2"]


def test_summaries_follow_added_and_removed_files(tmp_path, cache_folder):
    lib, files = small_library(tmp_path)
    cache.summaries(lib, files)
    files[0].unlink()
    (lib / "z.toml").write_text(MINIMAL.replace('title = "T"', 'title = "Added"'))
    now = sorted(lib.glob("*.toml"))
    assert [s.title for s in cache.summaries(lib, now)] == ["L1", "L2", "Added"]
    assert [s.title for s in cache.summaries(lib, now)] == ["L1", "L2", "Added"]


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", b"\x92\xa1x\x90"])
def test_a_corrupt_listing_is_rebuilt(tmp_path, cache_folder, junk):
    lib, files = small_library(tmp_path)
    cache.summaries(lib, files)
    (listing,) = listings(cache_folder)
    listing.write_bytes(junk)
    assert [s.title for s in cache.summaries(lib, files)] == ["L0", "L1", "L2"]
    assert listing.read_bytes() != junk


def test_summaries_report_progress_and_stop_when_cancelled(tmp_path, cache_folder):
    lib, files = small_library(tmp_path)
    seen = []
    cache.summaries(lib, files, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    for f in files:
        bump(f)
    assert cache.summaries(lib, files, cancelled=lambda: True) is None


def test_summaries_without_a_cache(tmp_path, cache_folder, monkeypatch):
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")
    lib, files = small_library(tmp_path)
    assert [s.title for s in cache.summaries(lib, files)] == ["L0", "L1", "L2"]
    assert not cache_folder.exists()


def test_two_processes_list_one_folder_at_once(tmp_path, cache_folder):
    lib, files = small_library(tmp_path, n=12)
    code = (
        "import sys; from pathlib import Path; from briefing import cache\n"
        "lib = Path(sys.argv[1]); paths = sorted(lib.glob('*.toml'))\n"
        "for n in range(5):\n"
        "    if n == 2:\n"
        "        (lib / 'b3.toml').touch()  # a change half way: the listing is rewritten\n"
        "    titles = [s.title for s in cache.summaries(lib, paths)]\n"
        "    assert titles == ['L' + p.stem[1:] for p in paths], titles\n"
        "print('ok')\n"
    )
    run_twice_at_once(code, lib, cache_folder)
    assert len(listings(cache_folder)) == 1
    assert not list(cache_folder.rglob(".tmp-*"))
    assert sorted(s.title for s in cache.summaries(lib, files)) == sorted(f"L{i}" for i in range(12))


def test_keys_below_a_folder_are_what_resolve_gives(tmp_path, monkeypatch):
    """The listing's keys of a folder's files, worked out from the folder's
    own resolve(), are each file's resolve(): through symbolic links to
    files and folders, a linked library folder, ``..`` and ``.`` parts,
    relative paths, and paths outside the folder."""
    from briefing.cache import resolve_below

    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.toml").write_text("x")
    (real / "sub" / "b.toml").write_text("x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.toml").write_text("x")
    (real / "link.toml").symlink_to(elsewhere / "c.toml")
    (real / "linked-dir").symlink_to(elsewhere)
    (tmp_path / "library").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    for folder in (real, tmp_path / "library", Path("library"), Path("real/sub/.."), Path("./real")):
        paths = [folder / "a.toml", folder / "sub" / "b.toml", folder / "link.toml",
                 folder / "linked-dir" / "c.toml", folder / "sub" / ".." / "a.toml",
                 Path(str(folder) + "/./a.toml"), elsewhere / "c.toml", Path("real") / "a.toml"]
        assert resolve_below(folder, folder.resolve(), paths) == [p.resolve() for p in paths], folder
