"""Finding briefing files in a folder."""

from __future__ import annotations

import os
from pathlib import Path

from briefing.library import discover


def _walked(path: Path) -> list[Path]:
    """What discover found with os.walk before it walked folders itself."""
    found = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [os.path.join(folder, f) for f in files if f.endswith(".toml") and not f.startswith(".")]
    return [Path(f) for f in sorted(found)]


def test_discover_finds_what_os_walk_finds(tmp_path):
    root = tmp_path / "lib"
    for rel in ("a.toml", "b.txt", ".hidden.toml", "sub/c.toml", "sub/deeper/d.toml", "sub/deeper/e.TOML",
                ".git/x.toml", "sub/.cache/y.toml", "z-last/f.toml", "A-upper/g.toml", "x.toml/inner.toml"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    outside = tmp_path / "outside"
    (outside / "o.toml").parent.mkdir(parents=True)
    (outside / "o.toml").write_text("")
    os.symlink(outside, root / "linked-folder")  # listed, not followed
    os.symlink(outside / "o.toml", root / "linked.toml")  # a file link is a file
    os.symlink(tmp_path / "missing.toml", root / "dangling.toml")
    os.mkfifo(root / "pipe.toml")
    got = discover(root)
    assert got == _walked(root)
    assert root / "x.toml" / "inner.toml" in got and root / "linked.toml" in got
    assert not any("outside" in str(p) or ".git" in str(p) or ".cache" in str(p) for p in got)
    assert discover(root / "a.toml") == [root / "a.toml"]
    assert discover(Path(str(root) + "/")) == _walked(Path(str(root) + "/"))


def _settle(root: Path) -> None:
    """Every folder under root last changed a minute ago (see discover_names)."""
    for folder, _dirs, _files in os.walk(root):
        st = os.stat(folder)
        os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns - 60_000_000_000))


def _tree(root: Path) -> None:
    for rel in ("a.toml", "b.txt", ".hidden.toml", "sub/c.toml", "sub/deeper/d.toml", ".git/x.toml", "z/f.toml"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")


def test_a_remembered_walk_finds_what_a_walk_finds_and_lists_only_changed_folders(tmp_path, monkeypatch):
    from briefing.library import discover_names

    root = tmp_path / "lib"
    _tree(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.toml").write_text("")
    os.symlink(outside, root / "linked-folder")
    _settle(root)
    memory = str(tmp_path / "cache" / "walk.json")
    expected = [str(p) for p in _walked(root)]
    assert discover_names(root) == expected
    listed: list[str] = []
    real_scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: (listed.append(os.fspath(p)), real_scandir(p))[1])
    assert discover_names(root, memory) == expected
    assert sorted(listed) == [str(root), str(root / "sub"), str(root / "sub" / "deeper"), str(root / "z")]
    listed.clear()
    assert discover_names(root, memory) == expected and listed == []  # remembered: nothing listed
    (root / "sub" / "new.toml").write_text("")  # the folder's time moves on: listed again, alone
    assert discover_names(root, memory) == sorted([*expected, str(root / "sub" / "new.toml")])
    assert listed == [str(root / "sub")]
    (root / "z" / "f.toml").unlink()
    (root / "sub" / "deeper").rename(root / "sub" / "moved")
    monkeypatch.setattr(os, "scandir", real_scandir)
    got = discover_names(root, memory)
    assert got == [str(p) for p in _walked(root)] and str(root / "sub" / "moved" / "d.toml") in got
    assert str(root / "z" / "f.toml") not in got


def test_a_folder_changed_just_before_its_listing_is_listed_again(tmp_path):
    """A change in the same tick of the clock as the one before it leaves
    the folder's time as it was: a folder listed within seconds of its last
    change is not trusted to say it is unchanged."""
    from briefing.library import discover_names

    root = tmp_path / "lib"
    _tree(root)
    memory = str(tmp_path / "walk.json")
    discover_names(root, memory)  # sub was changed just now: remembered as unsettled
    sub = root / "sub"
    before = os.stat(sub)
    (sub / "late.toml").write_text("")
    os.utime(sub, ns=(before.st_atime_ns, before.st_mtime_ns))  # as if in the same tick
    assert str(sub / "late.toml") in discover_names(root, memory)


def test_a_damaged_or_foreign_walk_memory_is_a_full_walk(tmp_path):
    import json

    from briefing.library import discover_names

    root = tmp_path / "lib"
    _tree(root)
    _settle(root)
    memory = tmp_path / "walk.json"
    expected = discover_names(root)
    discover_names(root, str(memory))
    good = json.loads(memory.read_text())
    sub = good["folders"][str(root / "sub")]
    damaged = [
        b"not json", b"[]", b"{}", json.dumps({**good, "root": str(tmp_path)}).encode(),
        json.dumps({**good, "folders": {str(root): ["x"]}}).encode(),
        json.dumps({**good, "folders": {**good["folders"], str(root / "sub"): [*sub[:2], [".."], sub[3]]}}).encode(),
        json.dumps({**good, "folders": {**good["folders"], str(root / "sub"): [*sub[:2], sub[2], ["../a.toml"]]}}).encode(),
        json.dumps({**good, "folders": {**good["folders"], str(root / "sub"): [*sub[:2], sub[2], [1]]}}).encode(),
    ]
    for data in damaged:
        memory.write_bytes(data)
        assert discover_names(root, str(memory)) == expected, data
    # A folder it names that has become a link is not followed.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.toml").write_text("")
    folders = {**good["folders"], str(root / "sub"): [*sub[:2], [*sub[2], "link"], sub[3]]}
    os.symlink(outside, root / "sub" / "link")
    st = os.stat(root / "sub")
    os.utime(root / "sub", ns=(st.st_atime_ns, sub[0][0]))
    memory.write_text(json.dumps({**good, "folders": folders}))
    assert not any("outside" in p or "/link/" in p for p in discover_names(root, str(memory)))
