"""The bundled MINUSMA briefing loads clean and has the shape the issue asks for."""

from __future__ import annotations

import pytest

from briefing.loader import check
from briefing.paths import content_dir, default_briefing


@pytest.fixture(scope="module")
def bundled():
    b, problems = check(default_briefing())
    assert problems == [], "\n".join(p.format() for p in problems)
    assert b is not None
    return b


def test_every_bundled_briefing_is_clean():
    files = sorted(content_dir().glob("*.toml"))
    assert files
    for f in files:
        _b, problems = check(f)
        assert problems == [], "\n".join(p.format() for p in problems)


def test_bluf_points_cite_sources(bundled):
    assert len(bundled.bluf) >= 8
    for p in bundled.bluf:
        assert p.sources


def test_every_actor_and_event_cites_a_source(bundled):
    assert all(a.sources for a in bundled.actors)
    assert all(e.sources for e in bundled.timeline)


def test_timeline_runs_from_2012_to_2024(bundled):
    years = [e.date.year for e in bundled.timeline]
    assert min(years) == 2012 and max(years) == 2024
    assert years == sorted(years)


def test_five_sources_with_their_texts(bundled):
    assert len(bundled.sources) == 5
    for s in bundled.sources:
        assert len(s.text) > 1000, s.id


def test_actors_carry_aliases(bundled):
    with_aliases = [a for a in bundled.actors if a.aliases]
    assert len(with_aliases) >= len(bundled.actors) // 2
