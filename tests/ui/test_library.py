"""The library screen: a folder of briefings, loaded in a worker thread."""

from __future__ import annotations

import threading
from pathlib import Path

from briefing.ui.app import BriefingApp
from briefing.ui.screens.briefing import BriefingScreen
from briefing.ui.screens.library import Entry, LibraryScreen, load_entry

from tests.conftest import MINIMAL

from .conftest import HOSTILE, hostile_briefing, library_folder, screen_text

SIZE = (80, 24)


async def wait_loaded(pilot, app) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert not screen.busy
    return screen


async def test_library_lists_briefings_and_problems(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_loaded(pilot, app)
        text = screen_text(app)
        assert text.count("Sample: the Ménaka corridor") == 2
        assert "as of 2023-07-06 · Mali · 2 actors · 3 events · 2 sources" in text
        assert "one/sample.toml" in text and "two/sample.toml" in text
        # The broken file is listed with its problem, not hidden, no crash.
        assert "Could not be opened: 1 file" in text
        assert "broken.toml" in text
        assert "as_of" in text
        assert len(screen.entries) == 3


async def test_library_open_and_return(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        await pilot.press("j", "enter")  # the second copy
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.briefing.path == folder / "two" / "sample.toml"
        # Jumps inside the briefing are undone first, then Escape leaves it.
        await pilot.press("enter")  # follow point 1's citation
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library
        lst = library.query_one("#library-list")
        assert lst.highlighted == 1
        assert app.focused is lst


async def test_library_problems_panel_gets_focus(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        await pilot.press("p")
        assert app.focused is library.query_one("#problems")
        await pilot.press("enter", "escape")
        assert app.focused is library.query_one("#library-list")
        await pilot.press("r")
        await wait_loaded(pilot, app)
        assert len(library.entries) == 3


async def test_library_loads_in_a_thread_without_blocking(tmp_path):
    """The loader runs off the UI thread; the screen shows progress while it
    waits, and the UI keeps answering keys."""
    folder = library_folder(tmp_path)
    gate = threading.Event()
    threads = []

    def slow_loader(path: Path) -> Entry:
        threads.append(threading.current_thread())
        gate.wait(5)
        return load_entry(path)

    app = BriefingApp(library=folder, loader=slow_loader)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.busy
        assert screen.query_one("#progress").display
        assert "Loading 3 files" in screen_text(app)
        await pilot.press("question_mark")  # the UI still answers
        await pilot.pause()
        await pilot.press("escape")
        gate.set()
        await wait_loaded(pilot, app)
        assert not screen.query_one("#progress").display
        assert all(t is not threading.main_thread() for t in threads)


async def test_empty_library(tmp_path):
    app = BriefingApp(library=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, app)
        assert "No briefing files" in screen_text(app)


async def test_library_palette_opens_a_briefing(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot, app)
        await pilot.press("ctrl+p", *"menaka")
        await pilot.pause(0.3)
        assert "Open briefing: Sample: the Ménaka corridor" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)


async def test_library_hostile_titles(tmp_path):
    hostile_briefing(tmp_path)
    (tmp_path / "bad[b].toml").write_text("[briefing]\ntitle = '[/nope]'\n", encoding="utf-8")
    app = BriefingApp(library=tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_loaded(pilot, app)
        text = screen_text(app)
        assert f"{HOSTILE} title" in text
        assert f"{HOSTILE} region" in text
        assert "bad[b].toml" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert f"{HOSTILE} title" in screen_text(app)


def test_load_entry_never_raises(tmp_path):
    missing = load_entry(tmp_path / "nope.toml")
    assert not missing.ok and missing.errors
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert not load_entry(binary).ok


async def test_file_broken_after_listing_is_reported_not_a_crash(tmp_path):
    import os

    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        target = folder / "one" / "sample.toml"
        target.write_text("[briefing]\ntitle = 'now broken'\n", encoding="utf-8")
        st = target.stat()
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        await pilot.press("enter")  # the first entry: one/sample.toml
        await pilot.pause()
        assert app.screen is library and app.is_running
        messages = [str(n.message) for n in app._notifications]
        assert any("can no longer be opened" in m and "as_of" in m for m in messages)


async def test_library_keeps_only_summaries_in_memory(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        assert all(not hasattr(e, "briefing") for e in library.entries)
        assert [e.summary.title for e in library.entries if e.ok] == ["Sample: the Ménaka corridor"] * 2


async def test_a_large_library_lists_every_file_and_moves_through_them(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"b{i:02d}.toml").write_text(MINIMAL.replace('title = "T"', f'title = "Number {i}"'))
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        lst = library.query_one("#library-list")
        assert lst.row_count == 60 and lst.highlighted == 0
        await pilot.press("G")
        assert lst.highlighted == 59
        await pilot.pause()
        assert "Number 59" in screen_text(app) and "Number 0\n" not in screen_text(app)
        await pilot.press("g", "pagedown")
        page = lst.highlighted
        assert 3 <= page <= 8  # a screenful of three-line rows
        await pilot.press("k", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.briefing.meta.title == f"Number {page - 1}"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is library and lst.highlighted == page - 1
        # Listed again from the folder's listing: the same rows.
        await pilot.press("r")
        await wait_loaded(pilot, app)
        assert lst.row_count == 60
        assert [e.summary.title for e in library.entries][:2] == ["Number 0", "Number 1"]


async def test_library_rows_open_with_the_mouse(tmp_path):
    folder = library_folder(tmp_path)
    app = BriefingApp(library=folder)
    async with app.run_test(size=SIZE) as pilot:
        library = await wait_loaded(pilot, app)
        lst = library.query_one("#library-list")
        await pilot.click(lst, offset=(5, 4))  # the second row's second line
        assert lst.highlighted == 1 and isinstance(app.screen, LibraryScreen)
        await pilot.click(lst, offset=(5, 3))
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.briefing.path == folder / "two" / "sample.toml"
