"""Pilot tests of every key path of the reader on the sample briefing."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent

from briefing.loader import load
from briefing.search import Searcher
from briefing.ui.app import BriefingApp
from briefing.ui.bindings import TABLE, bindings
from briefing.ui.screens.briefing import BriefingScreen
from briefing.ui.screens.help import HelpScreen
from briefing.ui.screens.picker import PickerScreen
from briefing.ui.widgets.source_text import SourceText

from .conftest import HOSTILE, hostile_briefing, screen_text

SIZE = (80, 24)


def briefing_screen(app) -> BriefingScreen:
    screen = app.screen
    assert isinstance(screen, BriefingScreen), screen
    return screen


def active(app) -> str:
    return briefing_screen(app).query_one(TabbedContent).active


async def test_opens_on_bottom_line(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Sample: the Ménaka corridor" in text
        assert "as of 2023-07-06" in text
        assert "UNCLASSIFIED" in text
        assert "Colonel Goïta's government asked the mission to leave." in text
        assert "Alpha · high confidence" in text
        assert active(app) == "bluf"
        assert app.focused.id == "list"
        assert app.animation_level == "none"


async def test_animations_opt_in(sample, monkeypatch):
    monkeypatch.setenv("BRIEFING_ANIMATIONS", "1")
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE):
        assert app.animation_level == "full"


@pytest.mark.parametrize("key,pane,needle", [
    ("1", "bluf", "Bottom line up front"),
    ("2", "actors", "Head of the junta."),
    ("3", "timeline", "Mission established"),
    ("4", "sources", "The junta of Colonel Goïta asked the peacekeepers to go."),
])
async def test_number_keys_switch_panes(sample, key, pane, needle):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3" if key != "3" else "2")
        await pilot.press(key)
        await pilot.pause()
        assert active(app) == pane
        assert needle in screen_text(app)
        # The keys act on the pane shown: its list has the focus.
        assert app.focused is briefing_screen(app).pane(pane).list


async def test_clicking_a_tab_switches_and_focuses(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#--content-tab-timeline")
        await pilot.pause()
        assert active(app) == "timeline"
        assert app.focused is briefing_screen(app).pane("timeline").list


async def test_follow_single_citation_and_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        await pilot.press("enter")  # point 1 cites only "alpha"
        await pilot.pause()
        assert active(app) == "sources"
        assert screen.pane("sources").current_index() == 0
        assert "The junta of Colonel Goïta" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "bluf"
        assert screen.pane("bluf").current_index() == 0
        assert app.focused is screen.pane("bluf").list
        assert len(screen.history) == 0


async def test_follow_citation_with_picker_and_back_keeps_selection(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        await pilot.press("j", "enter")  # point 2 cites alpha and beta
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        text = screen_text(app)
        assert "Alpha — Alpha report" in text and "beta — Beta analysis" in text
        await pilot.press("j", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert active(app) == "sources"
        assert screen.pane("sources").current_index() == 1
        assert "It had 12,000 personnel." in screen_text(app)
        await pilot.press("backspace")
        await pilot.pause()
        assert active(app) == "bluf"
        assert screen.pane("bluf").current_index() == 1
        assert app.focused is screen.pane("bluf").list


async def test_picker_escape_cancels(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        await pilot.press("j", "enter", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert active(app) == "bluf"
        assert len(screen.history) == 0


async def test_actor_to_event_and_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        actors = screen.pane("actors")
        await pilot.press("2", "j")  # MINUSMA
        await pilot.pause()
        assert actors.current_index() == 1
        await pilot.press("l")  # into the detail
        assert app.focused is actors.detail
        # First j lands on the first link (the source), then the events.
        await pilot.press("j", "j", "j")
        await pilot.pause()
        link = actors.links[int(actors.detail.highlighted_option.id[5:])]
        assert link == ("event", 1)  # Jul 2013, Mission deploys
        before = actors.detail.highlighted
        await pilot.press("enter")
        await pilot.pause()
        assert active(app) == "timeline"
        assert screen.pane("timeline").current_index() == 1
        assert "Gao; Ménaka" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "actors"
        assert actors.current_index() == 1
        assert app.focused is actors.detail
        assert actors.detail.highlighted == before


async def test_event_to_actor_and_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        timeline = screen.pane("timeline")
        await pilot.press("3", "G")  # the 2023 event: actors goita, minusma
        await pilot.pause()
        assert timeline.current_index() == 2
        await pilot.press("tab")
        assert app.focused is timeline.detail
        await pilot.press("j", "enter")
        await pilot.pause()
        assert active(app) == "actors"
        assert screen.pane("actors").current_index() == 0
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "timeline"
        assert timeline.current_index() == 2


async def test_timeline_filter_from_actors_and_cleared(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        timeline = screen.pane("timeline")
        await pilot.press("2", "t")  # Assimi Goïta: one event
        await pilot.pause()
        assert active(app) == "timeline"
        assert timeline.actor_filter == "goita"
        text = screen_text(app)
        assert "Filter: Assimi Goïta" in text
        assert "Foreign minister asks" in text
        assert "Mission deploys" not in text
        await pilot.press("c")
        await pilot.pause()
        assert timeline.actor_filter is None
        text = screen_text(app)
        assert "Filter:" not in text
        assert "Mission deploys" in text
        # Back returns to Actors, exactly as it was.
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "actors"
        assert screen.pane("actors").current_index() == 0


async def test_timeline_filter_picker(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        timeline = screen.pane("timeline")
        await pilot.press("3", "f")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("j", "enter")  # MINUSMA
        await pilot.pause()
        assert timeline.actor_filter == "minusma"
        assert "Filter: MINUSMA" in screen_text(app)
        assert app.focused is timeline.list
        await pilot.press("c")
        await pilot.pause()
        assert timeline.actor_filter is None


async def test_back_restores_timeline_filter_and_selection(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        timeline = screen.pane("timeline")
        await pilot.press("3", "f", "j", "enter")  # filter: MINUSMA
        await pilot.press("G", "enter")  # follow the 2023 event's citation
        await pilot.pause()
        assert active(app) == "sources"
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "timeline"
        assert timeline.actor_filter == "minusma"
        assert timeline.current_index() == 2


async def test_list_keys_j_k_g_G(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        timeline = briefing_screen(app).pane("timeline")
        await pilot.press("3")
        assert timeline.current_index() == 0
        await pilot.press("j")
        assert timeline.current_index() == 1
        await pilot.press("down")
        assert timeline.current_index() == 2
        await pilot.press("j")  # no wrap-around at the bottom
        assert timeline.current_index() == 2
        await pilot.press("k", "up")
        assert timeline.current_index() == 0
        await pilot.press("G")
        assert timeline.current_index() == 2
        await pilot.press("g")
        assert timeline.current_index() == 0


async def test_source_text_keys(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        sources = briefing_screen(app).pane("sources")
        await pilot.press("4", "enter")
        assert isinstance(app.focused, SourceText)
        await pilot.press("h")
        assert app.focused is sources.list
        await pilot.press("l", "j", "G", "g", "space", "b")
        assert isinstance(app.focused, SourceText)


async def test_escape_without_history_goes_to_list(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        actors = briefing_screen(app).pane("actors")
        await pilot.press("2", "l")
        assert app.focused is actors.detail
        await pilot.press("escape")
        assert app.focused is actors.list
        await pilot.press("escape")  # nothing further back: stays
        assert app.screen is actors.screen


async def test_help_lists_the_real_bindings(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for heading in ("Everywhere", "In a briefing", "In any list"):
            assert heading in text
        assert "Back to exactly where you were" in text
        await pilot.press("G")  # the help list scrolls like any list
        await pilot.pause()
        text = screen_text(app)
        for heading in ("In Timeline", "In the library", "In pickers and help"):
            assert heading in text
        assert "Filter by actor" in text
        # One row per binding in the table, no more, no less.
        keys = app.screen.query_one("#help-keys")
        assert sum(1 for o in keys.options if o.id) == len(TABLE)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)


async def test_help_follows_the_keymap(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=(100, 60)) as pilot:
        app.set_keymap({"timeline.filter": "ctrl+f", "app.help": "f1"})
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)  # ? is no longer help
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [line for line in screen_text(app).splitlines() if "Filter by actor" in line]
        assert rows and "^f" in rows[0]
        await pilot.press("escape", "3", "ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


def test_every_binding_has_an_id():
    from briefing.ui.app import BriefingApp
    from briefing.ui.panes.actors import ActorsPane
    from briefing.ui.panes.base import NavigationPane
    from briefing.ui.panes.timeline import TimelinePane
    from briefing.ui.screens.library import LibraryScreen
    from briefing.ui.widgets.navlist import NavList

    for cls in (BriefingApp, BriefingScreen, LibraryScreen, HelpScreen, PickerScreen,
                NavigationPane, ActorsPane, TimelinePane, NavList, SourceText):
        for binding in cls.BINDINGS:
            assert binding.id, (cls, binding)
    assert len({k.id for k in TABLE}) == len(TABLE)
    assert bindings("nope") == []


async def test_q_quits(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_palette_jump_to_actor_and_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"goita")  # accent-blind: finds Goïta
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Jump to actor: Assimi Goïta" in text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert active(app) == "actors"
        assert screen.pane("actors").current_index() == 0
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "bluf"


async def test_palette_jump_to_event_and_source(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        await pilot.press("ctrl+p", *"mission deploys")
        await pilot.pause(0.3)
        assert "Jump to event: Jul 2013 Mission deploys" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert active(app) == "timeline"
        assert screen.pane("timeline").current_index() == 1
        await pilot.press("ctrl+p", *"beta analysis")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert active(app) == "sources"
        assert screen.pane("sources").current_index() == 1
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "timeline"
        assert screen.pane("timeline").current_index() == 1


async def test_palette_lists_jumps_before_typing(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Jump to actor: MINUSMA" in text
        assert "Jump to source: Alpha: Alpha report" in text


async def test_reveal_hit_marks_a_span_in_a_source_text(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        hits = [h for h in Searcher([sample]).search("personnel") if h.pane == "sources"]
        assert hits and hits[0].field == "text"
        assert screen.reveal_hit(hits[0])
        await pilot.pause()
        view = screen.pane("sources").text_view
        assert app.focused is view
        start, end = view.mark
        assert view.text[start:end] == "personnel"
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "bluf"


async def test_reveal_hit_in_other_panes(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        for query, pane, index in [("junta", "actors", 0), ("Bamako", "timeline", 0), ("worsened", "bluf", 1)]:
            hit = next(h for h in Searcher([sample]).search(query) if h.pane == pane)
            assert screen.reveal_hit(hit)
            await pilot.pause()
            assert active(app) == pane
            assert screen.pane(pane).current_index() == index
        assert len(screen.history) == 3
        assert not screen.jump_to("actors", 99)
        assert len(screen.history) == 3


async def test_resize_down_to_40x12_and_back(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        for keys in ("1", "2", "3", "4"):
            await pilot.press(keys)
            for size in ((60, 20), (40, 12), (30, 8), (120, 40), (80, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                assert screen_text(app)
        await pilot.press("enter", "G", "escape")


async def test_light_theme_and_toggle(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        await pilot.press("2", "l", "j")
        assert "Head of the junta." in screen_text(app)
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_no_color(sample, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await pilot.press("2")
        lst = briefing_screen(app).pane("actors").list
        style = lst.get_component_styles("option-list--option-highlighted")
        assert style.text_style.reverse and style.text_style.bold


# -- untrusted text ------------------------------------------------------------------


async def test_hostile_text_is_shown_literally(tmp_path):
    b = load(hostile_briefing(tmp_path))
    app = BriefingApp(briefing=b)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        seen = []
        for key in ("1", "2", "3", "4"):
            await pilot.press(key)
            await pilot.pause()
            seen.append(screen_text(app))
        await pilot.press("4", "enter")  # read the text
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press("1", "enter")  # picker with both sources
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press("escape", "3", "f")  # actor picker
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        seen.append(screen_text(app))  # the filter bar
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        seen.append(screen_text(app))
        await pilot.press(*"click")
        await pilot.pause(0.3)
        seen.append(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        all_text = "\n".join(seen)
        for needle in (
            f"{HOSTILE} title", f"{HOSTILE} summary", f"{HOSTILE} point",
            f"{HOSTILE} actor", f"{HOSTILE} bio", "[i]alias[/i]", "[link=http://x]aff[/link]",
            f"{HOSTILE} event", f"{HOSTILE} detail", "[blink]place[/blink]",
            f"{HOSTILE} source", "[b]S1[/b]", "[/]pub", f"{HOSTILE} text",
            "[@click=app.quit]more[/]", "second [/b] source", "[red]SECRET[/red]",
            f"Filter: {HOSTILE} actor", f"Jump to actor: {HOSTILE} actor",
        ):
            assert needle in all_text, needle
        assert app.is_running  # no @click action ran


def click_actions(app) -> list[str]:
    """Every @click action attached to any cell on screen."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            if "@click" in meta:
                found.append(str(meta["@click"]))
    return found


async def test_hostile_text_creates_no_click_actions(tmp_path):
    """Text that looks like an @click action stays text: no cell carries an
    action, and clicking on it does nothing."""
    b = load(hostile_briefing(tmp_path))
    app = BriefingApp(briefing=b)
    async with app.run_test(size=(120, 30)) as pilot:
        for keys in (("1",), ("2",), ("3",), ("4", "enter")):
            await pilot.press(*keys)
            await pilot.pause()
            assert not [a for a in click_actions(app) if "quit" in a]
        text = screen_text(app)
        for y, line in enumerate(text.splitlines()):
            x = line.find("[@click=app.quit]")
            if x >= 0:
                await pilot.click(offset=(x + 17, y))  # on the "x"
        await pilot.pause()
        assert app.is_running


async def test_typing_q_in_the_palette_does_not_quit(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", "q", "question_mark", "1", "escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, BriefingScreen)
        assert active(app) == "bluf"


async def test_palette_kind_word_narrows(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *"source ")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Jump to source: Alpha: Alpha report" in text
        assert "Jump to actor" not in text and "Jump to event" not in text


async def test_back_restores_scroll_positions_exactly(tmp_path):
    from .conftest import long_briefing

    b = load(long_briefing(tmp_path))
    app = BriefingApp(briefing=b)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        timeline = screen.pane("timeline")
        await pilot.press("3", *["j"] * 40, "pagedown", "k", "k")
        await pilot.pause()
        index = timeline.current_index()
        list_y = timeline.list.scroll_offset.y
        assert list_y > 0
        await pilot.press("enter")  # follow the event's citation
        await pilot.pause()
        assert active(app) == "sources"
        # Read a little, then follow nothing: just go back.
        await pilot.press("space", "space")
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "timeline"
        assert timeline.current_index() == index
        assert timeline.list.scroll_offset.y == list_y
        assert app.focused is timeline.list


async def test_back_restores_source_text_position(tmp_path):
    from .conftest import long_briefing

    b = load(long_briefing(tmp_path))
    app = BriefingApp(briefing=b)
    async with app.run_test(size=SIZE) as pilot:
        screen = briefing_screen(app)
        sources = screen.pane("sources")
        await pilot.press("4", "enter", "space", "space", "j")
        await pilot.pause()
        view = sources.text_view
        top = view.top_offset()
        assert top > 0
        # Jump away with the palette, then come back.
        assert screen.jump_to("actors", 3)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert active(app) == "sources"
        assert app.focused is view
        assert view.top_offset() == top


async def test_detail_reader_scrolls_long_text_then_stops_on_links(tmp_path):
    from .conftest import long_briefing

    b = load(long_briefing(tmp_path))
    app = BriefingApp(briefing=b)
    async with app.run_test(size=SIZE) as pilot:
        actors = briefing_screen(app).pane("actors")
        await pilot.press("2", "l")
        detail = actors.detail
        assert detail.highlighted is None  # nothing to follow on screen yet
        for _ in range(60):
            await pilot.press("j")
            if detail.highlighted is not None:
                break
        assert detail.scroll_offset.y > 0  # it scrolled through the summary
        assert actors.links[int(detail.highlighted_option.id[5:])] == ("source", "s0")


async def test_an_empty_briefing_works(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text('[briefing]\ntitle = "Nothing yet"\nas_of = 2024-01-01\n', encoding="utf-8")
    app = BriefingApp(briefing=load(path))
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for key in ("1", "2", "3", "4"):
            await pilot.press(key, "j", "enter", "l", "j", "enter", "t", "f", "escape", "c", "G", "g", "escape")
            await pilot.pause()
            seen.append(screen_text(app))
        assert "(this briefing has no bottom-line points)" in seen[0]
        assert "(no actors)" in seen[1]
        assert "(no events)" in seen[2]
        assert "(no sources)" in seen[3]
        await pilot.press("ctrl+p", *"x")
        await pilot.pause(0.2)
        await pilot.press("escape")
        assert app.is_running


async def test_bluf_g_and_G(sample):
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        bluf = briefing_screen(app).pane("bluf")
        await pilot.press("G")
        assert bluf.current_index() == 1
        await pilot.press("g")
        assert bluf.current_index() == 0
        assert "A small briefing used by the tests." in screen_text(app)  # the summary is back in view


async def test_key_line_keeps_shared_keys_first_and_the_focused_areas_last(sample):
    """The screen's and app's keys stay put at the start when the pane
    changes; the focused area's keys follow them, and a narrow line cuts
    the shared keys first."""
    from briefing.ui.widgets.keyline import KeyLine

    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keyline = app.screen.query_one(KeyLine)
        bluf = keyline.line(80).plain
        await pilot.press("2")
        await pilot.pause()
        actors = keyline.line(80).plain
        assert len(bluf) == len(actors) == 80
        assert bluf.startswith(" 1234 Panes ") and "/ Search" in bluf
        assert bluf.rstrip().endswith("^p Jump  ⏎ Follow")
        assert actors.rstrip().endswith("^p Jump  ⏎ Follow  t Events")
        assert actors.startswith(bluf.rstrip())  # only the end changed
        narrow = keyline.line(30).plain
        assert len(narrow) == 30
        assert narrow.endswith("⏎ Follow  t Events ") and "…" in narrow


async def test_quitting_before_the_hidden_panes_are_built(sample, monkeypatch):
    """q pressed (or the app closed) right after the first frame, before the
    panes not on screen are built: no traceback."""
    shown = []
    real = BriefingApp._display

    def _display(self, screen, renderable):
        real(self, screen, renderable)
        if not shown:
            shown.append(True)
            self.exit()

    monkeypatch.setattr(BriefingApp, "_display", _display)
    app = BriefingApp(briefing=sample)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert shown
    assert app.return_code == 0


def test_quitting_before_the_screen_is_drawn(sample):
    """The app closed while its first screen is still being put together
    (a key or a signal at once): no traceback."""
    app = BriefingApp(briefing=sample)

    async def at_once(pilot):
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=at_once)
    assert app.return_code == 0 and app._exception is None


async def test_key_line_takes_the_new_theme_colours(sample):
    from briefing.ui.widgets.keyline import KeyLine

    app = BriefingApp(briefing=sample)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keyline = app.screen.query_one(KeyLine)

        def key_style():
            line = keyline.render()
            return next(span.style for span in line.spans if line.plain[span.start:span.end].strip() == "/")

        before = key_style()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert key_style() != before
        assert key_style() == keyline.get_component_rich_style("keyline--key")
