"""SVG snapshots of every pane on the sample briefing, at 80x24.

Regenerate after an intended visual change with:
    .venv/bin/pytest tests/ui/test_snapshots.py --snapshot-update
and look at the SVGs under tests/ui/__snapshots__ before committing.
The app has no blinking cursor outside the command palette, animations are
off by default, and the theme is fixed (textual-dark), so these are stable.
"""

from __future__ import annotations

from pathlib import Path

from briefing.loader import load
from briefing.ui.app import BriefingApp

from .conftest import SAMPLE, library_folder


def app() -> BriefingApp:
    return BriefingApp(briefing=load(SAMPLE))


def test_bluf(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24))


def test_actors(snap_compare):
    assert snap_compare(app(), press=["2", "j", "l", "j"], terminal_size=(80, 24))


def test_timeline(snap_compare):
    assert snap_compare(app(), press=["3", "G"], terminal_size=(80, 24))


def test_timeline_filtered(snap_compare):
    assert snap_compare(app(), press=["2", "t"], terminal_size=(80, 24))


def test_sources(snap_compare):
    assert snap_compare(app(), press=["4", "j", "enter"], terminal_size=(80, 24))


def test_citation_picker(snap_compare):
    assert snap_compare(app(), press=["j", "enter"], terminal_size=(80, 24))


def test_help(snap_compare):
    assert snap_compare(app(), press=["question_mark"], terminal_size=(80, 24))


def test_narrow_40x12(snap_compare):
    assert snap_compare(app(), press=["2"], terminal_size=(40, 12))


def test_wide_140x40(snap_compare):
    assert snap_compare(app(), press=["4"], terminal_size=(140, 40))


def test_light_theme(snap_compare):
    assert snap_compare(app(), press=["ctrl+t", "3"], terminal_size=(80, 24))


def test_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app(), press=["2", "j"], terminal_size=(80, 24))


def test_library(snap_compare, tmp_path, monkeypatch):
    library_folder(tmp_path)
    # The folder's path is in the header: a relative one is the same everywhere.
    monkeypatch.chdir(tmp_path)

    async def loaded(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(BriefingApp(library=Path("library")), run_before=loaded, terminal_size=(80, 24))


def test_search_bar(snap_compare):
    async def type_query(pilot):
        from textual.widgets import Input

        await pilot.press("slash")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"menaka")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app(), run_before=type_query, terminal_size=(80, 24))
