"""The library: every briefing in a folder, loaded in a background thread.

The list shows each briefing's title, as-of date, region and counts; Enter
opens one (pushes a :class:`BriefingScreen`), Escape there comes back here.
Files that cannot be opened are listed with all their problems in the panel
below the list; nothing a file contains can crash the screen.

By default the list comes from the folder's cached listing
(:func:`briefing.cache.summaries`: one file read, every entry checked
against the files on disk; new or changed files are read again, on every
core when there are many). A custom ``loader`` (a ``Path -> Entry``
function) is called file by file instead. A briefing is loaded only when it
is opened. The list is a :class:`RowList`, which draws only the rows on
screen, so a thousand briefings list as fast as ten.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from briefing.cache import Summary
from briefing.errors import Problem
from briefing.cache import load as cache_load
from briefing.cache import summaries as cache_summaries
from briefing.cache import summary as cache_summary
from briefing.library import discover
from briefing.model import Briefing
from briefing.index import IndexSearcher, LibraryIndex, use_index
from briefing.search import Searcher
from briefing.ui.bindings import bindings
from briefing.ui.screens.briefing import BriefingScreen
from briefing.ui.text import label, value
from briefing.ui.widgets.keyline import KeyLine
from briefing.ui.widgets.navlist import NavList
from briefing.ui.widgets.rowlist import RowList
from briefing.ui.focus import focus_now


@dataclass
class Entry:
    """One file of the library: its cached summary (title, date, counts, or
    its errors). The briefing itself is loaded only when it is opened, so a
    library of a thousand briefings lists fast and stays small in memory."""

    path: Path
    summary: Summary

    @property
    def ok(self) -> bool:
        return self.summary.ok

    @property
    def errors(self) -> list[str]:
        return self.summary.errors

    @property
    def warnings(self) -> int:
        return self.summary.warnings


def load_entry(path: Path) -> Entry:
    """Summarise one file through the on-disk cache (:mod:`briefing.cache`,
    which re-reads a file whose size or mtime changed). Never raises for bad
    content (the loader turns every failure into problems), and turns an
    unexpected error into one too."""
    try:
        return Entry(path, cache_summary(path))
    except Exception as exc:  # a bug in the loader must not take the app down
        problem = Problem(str(path), f"could not be read: {type(exc).__name__}: {exc}")
        return Entry(path, Summary(str(path), False, problems=[problem]))


def load_entries(folder: Path, files: list[Path], progress: Callable[[int, int], None],
                 cancelled: Callable[[], bool]) -> list[Entry] | None:
    """:func:`load_entry` for every file at once, through the folder's
    cached listing; None if cancelled."""
    summaries = cache_summaries(folder, files, progress=progress, cancelled=cancelled)
    return None if summaries is None else [Entry(p, s) for p, s in zip(files, summaries)]


def open_briefing(path: Path) -> tuple[Briefing | None, str]:
    """The full briefing for the reader, or None and why not (the file may
    have changed since it was listed)."""
    try:
        briefing, problems = cache_load(path)
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"
    if briefing is None:
        first = next((p for p in problems if p.severity == "error"), None)
        return None, first.format() if first else "it cannot be read"
    return briefing, ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class LibraryScreen(Screen[None]):
    BINDINGS = bindings("library")

    def __init__(self, folder: Path, *, loader: Callable[[Path], Entry] = load_entry) -> None:
        super().__init__()
        self.folder = folder
        self.loader = loader
        self.entries: list[Entry] = []
        self.rows: list[int] = []  # the list's rows: indices into entries
        self.busy = False
        self._generation = 0  # entries from an older (cancelled) load are dropped
        self._searcher: Searcher | None = None
        self._searcher_size = 0
        self._searcher_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        yield Static(self.heading(), id="library-header", markup=False)
        with Vertical(id="library-body"):
            yield Static("", id="library-status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
            yield RowList(self._row_lines, row_height=3, id="library-list")
            with Vertical(id="problems-panel"):
                yield Static("", id="problems-title", markup=False)
                yield NavList(id="problems", classes="problems")
        yield KeyLine()

    def heading(self) -> Text:
        return Text.assemble(label(" Library: "), value(str(self.folder)), end="")

    def on_mount(self) -> None:
        self.query_one("#problems-panel").display = False
        focus_now(self.query_one("#library-list", RowList))
        self.reload()

    # -- loading -------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1
        self.entries = []
        self.rows = []
        self._searcher = None
        self.busy = True
        self.query_one("#library-list", RowList).clear()
        self.query_one("#problems", NavList).replace([])
        self.query_one("#problems-panel").display = False
        progress = self.query_one("#progress", ProgressBar)
        progress.update(total=None, progress=0)
        progress.display = True
        self._status(Text("Looking for briefings…", style="italic", end=""))
        self.load_all(self._generation)

    @work(thread=True, exclusive=True, group="library")
    def load_all(self, generation: int) -> None:
        """Runs in a thread: find the files, load each, hand it to the UI."""
        worker = get_current_worker()
        call = self.app.call_from_thread
        try:
            files = discover(self.folder)
        except OSError as exc:
            call(self._failed, exc, generation)
            return
        if self.loader is load_entry:
            def reading(done: int, total: int) -> None:
                if done == 1 or done % 20 == 0 or done == total:
                    call(self._warming, done, total, generation)

            try:
                entries = load_entries(self.folder, files, reading, lambda: worker.is_cancelled)
            except Exception:  # a bug in the listing: read the files one by one below
                entries = None
            if worker.is_cancelled:
                return
            if entries is not None:
                call(self._add, entries, generation)
                call(self._done, generation)
                return
        call(self._begin, len(files), generation)
        batch: list[Entry] = []
        last = time.monotonic()
        for path in files:
            if worker.is_cancelled:
                return
            batch.append(self.loader(path))
            # Hand entries over in batches: one UI update per file would make
            # a large library slower to list than to read.
            if time.monotonic() - last > 0.1 or len(batch) >= 200:
                call(self._add, batch, generation)
                batch, last = [], time.monotonic()
        if worker.is_cancelled:
            return
        call(self._add, batch, generation)
        call(self._done, generation)

    def _status(self, text: Text) -> None:
        self.query_one("#library-status", Static).update(text)

    def _failed(self, exc: OSError, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy = False
        self.query_one("#progress", ProgressBar).display = False
        self._status(Text.assemble(label("Cannot read the folder: "), value(str(exc)), end=""))

    def _warming(self, done: int, total: int, generation: int) -> None:
        if generation != self._generation:
            return
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self._status(Text(f"Reading {_plural(total, 'new or changed file')} ({done} done)…", style="italic", end=""))

    def _begin(self, total: int, generation: int) -> None:
        if generation != self._generation:
            return
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=0)
        self._status(Text(f"Loading {_plural(total, 'file')}…", style="italic", end=""))

    def _add(self, entries: list[Entry], generation: int) -> None:
        if generation != self._generation or not entries:
            return
        good, bad = [], []
        for entry in entries:
            n = len(self.entries)
            self.entries.append(entry)
            (good if entry.ok else bad).append((n, entry))
        self.query_one("#progress", ProgressBar).advance(len(entries))
        if good:
            self.rows += [n for n, _ in good]
            self.query_one("#library-list", RowList).extend(len(good))
        if bad:
            self.query_one("#problems", NavList).add_options(
                [Option(self.problem_row(e), id=f"entry-{n}") for n, e in bad]
            )
            self._update_problems_title()

    def _done(self, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy = False
        self.query_one("#progress", ProgressBar).display = False
        good = sum(e.ok for e in self.entries)
        bad = len(self.entries) - good
        if not self.entries:
            text = Text("No briefing files (*.toml) in this folder.", style="italic", end="")
        else:
            text = Text(f"{_plural(good, 'briefing')} · ⏎ opens one", end="")
            if bad:
                text.append(f" · {bad} could not be opened (p)", style="bold")
        self._status(text)

    def _update_problems_title(self) -> None:
        bad = [e for e in self.entries if not e.ok]
        self.query_one("#problems-title", Static).update(
            Text(f"Could not be opened: {_plural(len(bad), 'file')} · p moves here", style="bold", end="")
        )
        self.query_one("#problems-panel").display = bool(bad)

    # -- rows ----------------------------------------------------------------------------
    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.folder))
        except ValueError:
            return str(path)

    def _row_lines(self, row: int) -> list[Text]:
        return self.entry_lines(self.entries[self.rows[row]])

    def entry_lines(self, entry: Entry) -> list[Text]:
        """A briefing's three lines in the list: title; date, region and
        counts; the file."""
        m = entry.summary
        line = value(f"as of {m.as_of}", style="italic")
        if m.region:
            line.append(" · ")
            line.append(value(m.region, style="italic"))
        line.append(
            f" · {_plural(m.actors, 'actor')} · {_plural(m.events, 'event')} · {_plural(m.sources, 'source')}"
        )
        if entry.warnings:
            line.append(f" · {_plural(entry.warnings, 'warning')}", style="italic")
        return [value(m.title, style="bold"), line, value(self._relative(entry.path), style="dim")]

    def problem_row(self, entry: Entry) -> Group:
        """The file, then each problem indented below it (wrapped with a
        hanging indent)."""
        grid = Table.grid(padding=(0, 0))
        grid.add_column(width=2, no_wrap=True)
        grid.add_column(ratio=1)
        for p in entry.errors:
            grid.add_row(Text("", end=""), value(p))
        name = value(self._relative(entry.path), style="bold")
        name.end = "\n"  # the problems go below it, not after it
        return Group(name, grid)

    # -- actions ---------------------------------------------------------------------------
    def on_row_list_selected(self, event: RowList.Selected) -> None:
        event.stop()
        self.open_entry(self.rows[event.index])

    def open_entry(self, n: int, search: object = None) -> None:
        entry = self.entries[n]
        if not entry.ok:
            return
        briefing, why = open_briefing(entry.path)
        if briefing is None:
            # Changed on disk since it was listed: say so, never crash.
            self.notify(f"{self._relative(entry.path)} can no longer be opened: {why} (r reloads the list)",
                        severity="error", timeout=8, markup=False)
            return
        self.app.push_screen(BriefingScreen(briefing, from_library=True, search=search))

    def action_focus_problems(self) -> None:
        problems = self.query_one("#problems", NavList)
        if problems.option_count:
            focus_now(problems)
            if problems.highlighted is None:
                problems.highlighted = 0

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        focus_now(self.query_one("#library-list", RowList))

    # -- search across the library ----------------------------------------------------------
    def searcher(self) -> Searcher | IndexSearcher:
        """A searcher over every briefing listed so far (rebuilt when more
        have been listed since; called from the search worker thread). A
        large library is searched through the on-disk index, which is
        brought up to date here (the first time, that reads every file)."""
        entries = [e for e in list(self.entries) if e.ok]
        with self._searcher_lock:
            if self._searcher is None or self._searcher_size != len(entries):
                files = [e.path for e in entries]
                if use_index(len(files)):
                    index = LibraryIndex()
                    index.update(files, progress=self._indexing)
                    self._searcher = IndexSearcher(index, files)
                else:
                    briefings = [b for b in (open_briefing(f)[0] for f in files) if b is not None]
                    self._searcher = Searcher(briefings)
                self._searcher_size = len(entries)
            return self._searcher

    def _indexing(self, done: int, total: int) -> None:
        """Progress of a first index build, shown in the search bar."""
        def show() -> None:
            from briefing.ui.screens.search import SearchScreen

            if isinstance(self.app.screen, SearchScreen):
                self.app.screen.query_one("#search-status", Static).update(
                    label(f"Indexing the library for search: {done} of {total} files…", "italic"))

        self.app.call_from_thread(show)

    def action_search(self) -> None:
        from briefing.ui.screens.search import SearchChoice, SearchScreen

        def chosen(choice: SearchChoice | None) -> None:
            if choice is None:
                return
            briefing, why = open_briefing(choice.hit.path)
            if briefing is None:
                self.notify(f"{choice.hit.path} can no longer be opened: {why}", severity="error",
                            timeout=8, markup=False)
                return
            self.app.push_screen(BriefingScreen(briefing, from_library=True, search=choice))


        large = use_index(sum(e.ok for e in self.entries))
        self.app.push_screen(SearchScreen(self.searcher, many=True, min_letters=3 if large else 1), chosen)
