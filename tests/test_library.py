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
