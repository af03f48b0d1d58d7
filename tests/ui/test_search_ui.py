"""Pilot tests of the search flow: type, see results, jump, n / N, Escape."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TabbedContent

from briefing.ui.app import BriefingApp
from briefing.ui.screens.briefing import BriefingScreen
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.search import SearchScreen
from briefing.ui.widgets.navlist import NavList
from briefing.ui.widgets.source_text import SourceText

from .conftest import HOSTILE, hostile_briefing, library_folder, screen_text

SIZE = (80, 24)


async def open_search(pilot, query: str) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*query)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def tabs(app) -> str:
    return app.screen.query_one(TabbedContent).active


async def test_results_update_as_you_type_grouped_with_counts(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        search = await open_search(pilot, "GOÏTA")
        text = screen_text(app)
        assert "4 items match: Bottom line up front 1 · Actors 1 · Timeline 1 · Sources 1" in text
        assert "Actors (1)" in text and "Assimi Goïta" in text
        assert "Colonel Goïta's government asked the mission to leave." in text
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"menaka")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert search.results is not None and search.results.counts() == {"bluf": 1, "timeline": 1, "sources": 1}


async def test_enter_jumps_to_the_first_match_and_escape_comes_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "j")  # Actors, second actor
        await open_search(pilot, '"12,000 personnel"')
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert tabs(app) == "sources"
        view = screen.query_one(SourceText)
        text = screen.briefing.sources[1].text
        start = text.index("12,000 personnel")
        assert view.mark == (start, start + len("12,000 personnel"))
        await pilot.press("escape")
        await pilot.pause()
        assert tabs(app) == "actors"
        assert screen.pane("actors").current_index() == 1


async def test_n_and_N_walk_every_match_across_panes(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await open_search(pilot, "mission")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        seen = [(tabs(app), screen.stop_index)]
        for _ in range(len(screen.stops)):
            await pilot.press("n")
            await pilot.pause()
            seen.append((tabs(app), screen.stop_index))
        panes = [p for p, _ in seen]
        assert panes[0] == "bluf" and "actors" in panes and "timeline" in panes and "sources" in panes
        assert seen[-1] == seen[0]  # wrapped around to the first match
        await pilot.press("N")
        await pilot.pause()
        assert screen.stop_index == len(screen.stops) - 1
        assert tabs(app) == "sources"
        # every occurrence in a source's text is a stop of its own
        assert sum(1 for s in screen.stops if s.pane == "sources" and s.field == "text") == 2


async def test_escape_closes_the_bar_and_focus_returns(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "j")
        focused = app.focused
        await open_search(pilot, "zzz")
        assert "No matches." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.focused is focused
        assert tabs(app) == "timeline"


async def test_arrow_down_into_results_and_enter_on_one(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        search = await open_search(pilot, "mission")
        await pilot.press("down")
        assert isinstance(app.focused, NavList)
        # first enabled row is the BLUF hit; move to the next (the actor)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert tabs(app) == "actors"
        assert app.screen.pane("actors").current_index() == 1  # MINUSMA
        assert search.results is not None


async def test_enter_typed_ahead_of_the_worker_still_jumps(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"beta analysis", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert tabs(app) == "sources"


async def test_ctrl_f_opens_search_too(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert isinstance(app.focused, Input)


async def test_n_without_a_search_says_so(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert any("No search yet" in str(n.message) for n in app._notifications)


async def test_library_search_spans_briefings_and_opens_the_hit(tmp_path):
    app = BriefingApp(library=library_folder(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        search = await open_search(pilot, "goita")
        assert search.results is not None
        assert {str(h.briefing.path.parent.name) for h in search.results} == {"one", "two"}
        assert "Sample: the Ménaka corridor ›" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert tabs(app) == "bluf"  # the first hit: the sample's first BLUF point
        assert screen.stops and screen.stop_index == 0
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_hostile_text_in_results_is_literal(tmp_path):
    from briefing.loader import load

    app = BriefingApp(briefing=load(hostile_briefing(tmp_path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_search(pilot, "nope")
        text = screen_text(app)
        assert HOSTILE in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running


@pytest.fixture
def large_library(tmp_path, monkeypatch) -> BriefingApp:
    """A library app that treats the sample library as large: it searches
    through the on-disk index."""
    from briefing import index

    monkeypatch.setattr(index, "INDEX_FROM_FILES", 1)
    return BriefingApp(library=library_folder(tmp_path))


async def test_large_library_search_goes_through_the_index(large_library):
    from briefing import index

    app = large_library
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        search = await open_search(pilot, "goita")
        assert isinstance(app.screen.make_searcher(), index.IndexSearcher)
        assert search.results is not None and len(search.results) == 8
        assert "Sample: the Ménaka corridor ›" in screen_text(app)
        await pilot.press("down", "down", "down", "enter")  # rows: bluf one, bluf two, actor in one
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BriefingScreen)
        assert tabs(app) == "actors" and screen.pane("actors").current_index() == 0


async def test_large_library_waits_for_three_letters(large_library):
    app = large_library
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        search = await open_search(pilot, "go")
        assert search.results is None
        assert "Type 3 letters or more" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("i")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert search.results is not None and len(search.results) == 8
