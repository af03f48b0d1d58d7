"""Where the cache lives: the user's cache folder as platformdirs has it."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from briefing import paths


@pytest.mark.parametrize("xdg", [None, "", "   ", "/tmp/xdg-cache", "relative/cache", "/tmp/with space/"])
@pytest.mark.parametrize("home", ["/home/analyst", "", "relative-home", None])
def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch, xdg, home):
    monkeypatch.delenv("BRIEFING_CACHE_DIR", raising=False)
    for name, value in (("XDG_CACHE_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = platformdirs.user_cache_dir("briefing", appauthor=False)
    except RuntimeError:  # platformdirs finds no home either: then it is its answer that counts
        assert paths._plain_linux_cache() is None
        return
    assert paths.cache_folder() == expected
    assert str(paths.cache_dir()) == str(platformdirs.user_cache_path("briefing", appauthor=False))
    plain = (xdg or "").startswith("/") or (home or "").startswith("/")
    if sys.platform == "linux" and not hasattr(sys, "getandroidapilevel"):
        # Answered without importing platformdirs in the plain cases.
        assert (paths._plain_linux_cache() is not None) == plain


def test_briefing_cache_dir_overrides_it(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path))
    assert paths.cache_folder() == str(tmp_path) and paths.cache_dir() == tmp_path
