"""The virtualised source text view: wrapping, reveal, and large texts."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App

from briefing.ui.widgets.source_text import SourceText, wrap_offsets

from .conftest import screen_text


def lines(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in wrap_offsets(text, width)]


def test_wraps_at_spaces_and_keeps_blank_lines():
    assert lines("ab\n\ncd efg hij", 7) == ["ab", "", "cd efg ", "hij"]
    assert lines("", 10) == [""]
    assert lines("one\n", 10) == ["one", ""]


def test_breaks_words_longer_than_the_line():
    assert lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_wide_characters_wrap_by_cells():
    out = lines("日本語のテキスト と English", 10)
    assert all(cell_len(line.rstrip()) <= 10 for line in out)
    assert "".join(out) == "日本語のテキスト と English"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab  \n\téé日"), max_size=300), st.integers(1, 40))
def test_wrapping_loses_nothing_and_fits(text, width):
    spans = wrap_offsets(text, width)
    # Lines are in order, do not overlap, and cover every non-newline character.
    covered = "".join(text[s:e] for s, e in spans)
    assert covered == text.replace("\n", "")
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for s, e in spans:
        assert cell_len(text[s:e].rstrip()) <= max(width, 2)


def big_text(size: int = 600_000) -> str:
    rng = random.Random(7)
    words = "the mission deployed to Ménaka and Gao in July personnel Security Council junta".split()
    paras, total = [], 0
    while total < size:
        para = " ".join(rng.choice(words) for _ in range(rng.randint(30, 150)))
        paras.append(para)
        total += len(para) + 2
    return "\n\n".join(paras)


def test_wrapping_a_large_text_is_fast():
    text = big_text()
    start = time.perf_counter()
    wrap_offsets(text, 76)
    # ~25 ms here; a generous budget so slow CI machines pass too.
    assert time.perf_counter() - start < 0.5


class TextApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.source = text

    def compose(self):
        yield SourceText(self.source, id="text")


async def test_large_text_opens_scrolls_and_reveals_quickly():
    text = big_text()
    target = text.rindex("Security Council")
    app = TextApp(text)
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SourceText)
        await pilot.pause()
        assert view.line_count > 8000
        view.focus()
        await pilot.press("G", "g", "space", "space", "j", "k", "b")
        view.reveal(target, target + len("Security Council"))
        await pilot.pause()
        assert "Security Council" in screen_text(app)
        line = view.line_of(target)
        assert view.scroll_offset.y <= line < view.scroll_offset.y + 24
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        # After a re-wrap the marked text is still where the view is.
        assert view.mark == (target, target + len("Security Council"))
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
    assert time.perf_counter() - start < 10


async def test_reveal_marks_the_span():
    text = "first line\n" * 100 + "the needle is here\n" + "after\n" * 100
    app = TextApp(text)
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(SourceText)
        start = text.index("needle")
        view.reveal(start, start + 6)
        await pilot.pause()
        assert "the needle is here" in screen_text(app)
        strips = app.screen._compositor.render_strips()
        marked = [
            seg.text for strip in strips for seg in strip
            if seg.style and seg.style.reverse and seg.text.strip(" ▁▂▃▄▅▆▇█")
        ]
        assert marked == ["needle"]
        view.clear_mark()
        assert view.mark is None


async def test_top_offset_survives_rewrap():
    text = "word " * 5000
    app = TextApp(text)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(SourceText)
        view.scroll_to_offset(12_000)
        await pilot.pause()
        before = view.top_offset()
        assert abs(before - 12_000) < 60
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert abs(view.top_offset() - before) < 30
