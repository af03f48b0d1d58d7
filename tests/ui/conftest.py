"""Shared helpers for the reader's Pilot and snapshot tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.console import Console

from briefing.loader import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
SAMPLE = FIXTURE / "sample.toml"

HOSTILE = "[/nope] [@click=app.quit]x[/] [b]bold"


@pytest.fixture(autouse=True)
def _no_environment_surprises(monkeypatch):
    """Tests see the app as a user with a plain environment would."""
    monkeypatch.delenv("BRIEFING_ANIMATIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def sample():
    return load(SAMPLE)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (styles dropped)."""
    console = Console(width=app.size.width, height=app.size.height, record=True,
                      file=open("/dev/null", "w"), color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def hostile_briefing(folder: Path) -> Path:
    """A briefing whose every text field is markup-looking text."""
    body = f'''
[briefing]
title = "{HOSTILE} title"
as_of = 2024-01-02
summary = "{HOSTILE} summary"
classification = "[red]SECRET[/red]"
region = "{HOSTILE} region"

[[bluf]]
text = "{HOSTILE} point"
sources = ["s1", "s2"]
confidence = "low"

[[actors]]
id = "a1"
name = "{HOSTILE} actor"
aliases = ["[i]alias[/i]"]
kind = "person"
affiliation = "[link=http://x]aff[/link]"
summary = "{HOSTILE} bio"
sources = ["s1"]

[[timeline]]
date = "2020-05"
title = "{HOSTILE} event"
detail = "{HOSTILE} detail"
actors = ["a1"]
places = ["[blink]place[/blink]"]
sources = ["s1"]

[[sources]]
id = "s1"
title = "{HOSTILE} source"
short = "[b]S1[/b]"
publisher = "[/]pub"
published = 2020-01-01
text = "{HOSTILE} text\\n[@click=app.quit]more[/]"

[[sources]]
id = "s2"
title = "second [/b] source"
'''
    path = folder / "hostile.toml"
    path.write_text(body, encoding="utf-8")
    return path


def library_folder(tmp_path: Path) -> Path:
    """Two copies of the sample briefing and one broken file."""
    folder = tmp_path / "library"
    for name in ("one", "two"):
        sub = folder / name
        sub.mkdir(parents=True)
        shutil.copy(SAMPLE, sub / "sample.toml")
        shutil.copy(FIXTURE / "beta.txt", sub / "beta.txt")
    (folder / "broken.toml").write_text('[briefing]\ntitle = "Broken"\nas_of = "not a date"\n', encoding="utf-8")
    return folder


def long_briefing(folder: Path, events: int = 80) -> Path:
    """A briefing with many events, actors and a long source text, for
    scrolling and back-stack tests."""
    parts = ['[briefing]\ntitle = "Long"\nas_of = 2024-01-01\n']
    parts.append('[[bluf]]\ntext = "One point."\nsources = ["s0"]\n')
    for a in range(5):
        parts.append(f'[[actors]]\nid = "a{a}"\nname = "Actor {a}"\nsummary = "{"Long summary. " * 60}"\nsources = ["s0", "s1"]\n')
    for e in range(events):
        year = 2000 + e // 4
        parts.append(
            f'[[timeline]]\ndate = "{year}-{(e % 4) * 3 + 1:02d}"\ntitle = "Event number {e} with a title long enough to wrap"\n'
            f'actors = ["a{e % 5}"]\nsources = ["s{e % 2}"]\n'
        )
    body = "\\n\\n".join(f"Paragraph {n}. " + "Words of the source text. " * 30 for n in range(200))
    parts.append(f'[[sources]]\nid = "s0"\ntitle = "Source zero"\ntext = "{body}"\n')
    parts.append('[[sources]]\nid = "s1"\ntitle = "Source one"\ntext = "Short."\n')
    path = folder / "long.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
