"""Matching rules: accents both ways, NFD, case, aliases, phrases, several words."""

from __future__ import annotations

import unicodedata

import pytest

from briefing.loader import load
from briefing.search import Searcher, parse_query, snippet
from briefing.textfold import fold, fold_map, original_span


@pytest.fixture(scope="module")
def searcher():
    from tests.conftest import SAMPLE

    return Searcher([load(SAMPLE)])


def titles(hits, pane=None):
    return [h.doc.title for h in hits if pane is None or h.pane == pane]


def test_fold_case_and_accents():
    assert fold("Goïta") == fold("GOITA") == "goita"
    assert fold(unicodedata.normalize("NFD", "Ménaka")) == fold("Ménaka") == "menaka"
    assert fold("a \n\t b") == "a b"


def test_the_written_out_fold_classes_are_the_worked_out_ones():
    from briefing import textfold

    assert textfold._MEMBERS == textfold._members()


def test_fold_map_points_back_to_original_characters():
    text = unicodedata.normalize("NFD", "Colonel Goïta")
    folded, where = fold_map(text)
    start = folded.index("goita")
    s, e = original_span(text, where, start, start + len("goi"))
    assert unicodedata.normalize("NFC", text[s:e]) == "Goï"  # combining mark included


@pytest.mark.parametrize("query", ["goita", "GOÏTA", "Goïta", unicodedata.normalize("NFD", "goïta")])
def test_accent_and_case_blind_both_ways(searcher, query):
    assert "Assimi Goïta" in titles(searcher.search(query), "actors")


def test_accented_query_finds_unaccented_text(searcher):
    # beta.txt spells it "Menaka"; the query has the accent
    hits = searcher.search("Ménaka")
    src = [h for h in hits if h.pane == "sources"]
    assert src and src[0].doc.key == "beta"
    assert src[0].snippet[src[0].spans[0][0]:src[0].spans[0][1]] == "Menaka"


def test_highlight_maps_onto_accented_original(searcher):
    hit = next(h for h in searcher.search("menaka") if h.pane == "bluf")
    s, e = hit.spans[0]
    assert hit.snippet[s:e] == "Ménaka"


def test_actor_found_by_alias(searcher):
    hits = searcher.search("integrated stabilization")
    assert titles(hits, "actors") == ["MINUSMA"]


def test_several_words_must_all_occur_anywhere_in_item(searcher):
    assert titles(searcher.search("junta goita"), "actors") == ["Assimi Goïta"]  # summary + name
    assert titles(searcher.search("junta nonexistentword")) == []


def test_quoted_phrase_matches_as_phrase_across_line_breaks(searcher):
    assert titles(searcher.search('"security council"'), "sources") == ["Alpha report"]
    assert titles(searcher.search('"council security"')) == []
    # phrase spanning a line break in the source text
    assert titles(searcher.search('"go. security"'), "sources") == ["Alpha report"]


def test_every_field_is_searched(searcher):
    assert titles(searcher.search("Alpha Institute"), "sources") == ["Alpha report"]  # publisher
    assert titles(searcher.search("A. Writer"), "sources") == ["Alpha report"]  # authors
    assert titles(searcher.search("new york"), "timeline")  # places
    assert titles(searcher.search("12,000 personnel"), "sources") == ["Beta analysis"]  # text_file


def test_results_grouped_by_pane_in_pane_order(searcher):
    results = searcher.search("goita")
    assert list(results.counts()) == ["bluf", "actors", "timeline", "sources"]
    assert [h.pane for h in results] == ["bluf", "actors", "timeline", "sources"]


def test_parse_query():
    assert parse_query('Goïta "Security  Council" x') == ["goita", "security council", "x"]
    assert parse_query('  "" ') == []
    assert parse_query('"unclosed phrase') == ["unclosed phrase"]


def test_empty_query_finds_nothing(searcher):
    assert len(searcher.search("   ")) == 0 and list(searcher.search("   ")) == []


def test_snippet_window_and_spans():
    text = "word " * 50 + "needle" + " tail" * 50
    start = text.index("needle")
    snip, spans = snippet(text, [(start, start + 6)])
    assert snip.startswith("\u2026") and snip.endswith("\u2026")
    assert [snip[s:e] for s, e in spans] == ["needle"]
    assert len(snip) <= 100


def test_fold_map_slow_path_keeps_indexes_right():
    text = "Straße " + unicodedata.normalize("NFD", "Ménaka") + "  ok"
    folded, where = fold_map(text)
    assert folded.startswith("strasse menaka")
    start = folded.index("menaka")
    s, e = original_span(text, where, start, start + 6)
    assert unicodedata.normalize("NFC", text[s:e]) == "Ménaka"


def test_phrase_highlight_across_line_break_and_indent():
    from briefing.search import locate

    text = "the Security\n    Council met"
    assert [text[s:e] for s, e in locate(text, ["security council"])] == ["Security\n    Council"]


def test_narrowing_as_you_type_gives_the_same_results_as_a_fresh_search(searcher):
    from tests.conftest import SAMPLE

    typed = ["g", "go", "goi", "goit", "goita", "goit", "go", 'go "s', "mission 2", "mission 20", "mission 2013"]
    for q in typed:
        fresh = Searcher([load(SAMPLE)]).search(q)
        assert [(h.pane, h.doc.key) for h in searcher.search(q)] == [(h.pane, h.doc.key) for h in fresh], q


def test_a_cancelled_search_stops():
    from briefing.search import Cancelled
    from tests.conftest import SAMPLE

    s = Searcher([load(SAMPLE)] * 300)
    with pytest.raises(Cancelled):
        s.search("mission", cancelled=lambda: True)
    assert len(s.search("mission", cancelled=lambda: False)) > 0


def test_stops_visit_every_match_in_a_source_text(searcher):
    from briefing.search import search_stops

    stops = [s for s in search_stops(searcher.search("mission")) if s.pane == "sources"]
    text = dict(next(h for h in searcher.search("mission") if h.pane == "sources").doc.fields)["text"]
    assert [(s.field, text[s.span[0]:s.span[1]].lower()) for s in stops] == [("text", "mission")] * 2


def test_results_are_a_lazy_sequence_with_counts(searcher):
    results = searcher.search("mission")
    assert results.counts() == {"bluf": 1, "actors": 1, "timeline": 3, "sources": 1}
    assert len(results) == 6
    assert results[0] is results[0]  # made once, on first use
    assert [h.pane for h in results[-2:]] == ["timeline", "sources"]
    assert results[1:3] == [results[1], results[2]]


def test_aligned_fields_give_the_same_snippets_as_a_search_from_the_start():
    """Where a field is textfold.aligned, a hit looks for its first match from
    the folded match's offset on; the snippet and spans must not change."""
    import random

    from briefing.search import Doc, Hit
    from briefing.textfold import aligned

    rng = random.Random(7)
    words = ["Goïta", "goita", "GOITA", "mission", "Mission", "the", "peace", "agreement", "Ménaka", "x-y",
             "(Wagner)", "a", "ab", "2023"]
    spaces = [" ", " ", " ", "\n", "\n\n", "  \t", "\u00a0"]
    queries = ["goita", "mission", '"peace agreement"', "the mission", "a", "ménaka 2023", "wagner", "x-y"]
    checked = 0
    for _ in range(300):
        text = "".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randrange(1, 60)))
        if rng.random() < 0.3:
            text = rng.choice(spaces) + text
        fields = [("title", rng.choice(words)), ("text", text)]
        assert all(aligned(t) for _, t in fields)
        plain = Doc("sources", "s", 0, "t", None, fields)
        fast = Doc("sources", "s", 0, "t", None, fields)
        fast.aligned = 0b11
        for q in queries:
            terms = parse_query(q)
            if not plain.matches(terms):
                continue
            a, b = Hit(None, plain, terms), Hit(None, fast, terms)  # type: ignore[arg-type]
            assert (b.field, b.start, b.end, b.snippet, b.spans) == (a.field, a.start, a.end, a.snippet, a.spans)
            checked += 1
    assert checked > 500


def test_aligned_text_is_what_folds_one_letter_to_one():
    from briefing.textfold import aligned

    assert aligned("Assimi Goïta\n\n  said (2023)")
    assert not aligned("Straße")  # ß folds to two letters
    assert not aligned("Goi\u0308ta")  # NFD: the mark folds to nothing
    assert not aligned("\u212a")  # the Kelvin sign folds to k, but no term pattern knows it


def test_a_window_of_an_aligned_text_gives_the_snippet_of_the_whole_text():
    """`briefing search` works a hit's snippet out from a window of its text
    cut out in SQL (search.window_detail): wherever the window starts and
    ends, it gives what the whole text gives, or None (then the whole text
    is read)."""
    import random

    from briefing.search import Doc, Hit, window_detail
    from briefing.textfold import aligned

    rng = random.Random(11)
    words = ["Goïta", "goita", "GOITA", "goitagoita", "mission", "Mission", "the", "peace", "Ménaka", "x-y",
             "(Wagner)", "a", "aa", "ab", "2023", "Ségou", "ÉTÉ"]
    spaces = [" ", " ", " ", "\n", "\n\n", "  \t", "\u00a0", " " * 40]
    queries = ["goita", "mission", "the mission", "a", "aa", "ménaka 2023", "wagner", "x-y", "segou ete", "ab goita"]
    answered = whole = 0
    for _ in range(400):
        text = "".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randrange(1, 80)))
        if rng.random() < 0.3:
            text = rng.choice(spaces) + text
        assert aligned(text)
        doc = Doc("sources", "s", 0, "t", None, [("text", text)])
        doc.aligned = 1
        for q in queries:
            terms = parse_query(q)
            if not doc.matches(terms):
                continue
            hit = Hit(None, doc, terms)  # type: ignore[arg-type]
            expected = (hit.start, hit.end, hit.snippet, hit.spans)
            _field, at, term = doc.first_match(terms)
            assert term is not None
            for base in {0, max(0, at - 160), max(0, at - 40), rng.randrange(0, at + 1)}:
                for stop in {len(text), min(len(text), at + 256), min(len(text), at + 100), rng.randrange(base, len(text) + 1)}:
                    got = window_detail(text[base:stop], base, len(text), at, term, terms)
                    if got is None:
                        whole += 1
                    else:
                        assert got == expected, (text, q, base, stop)
                        answered += 1
    assert answered > 2000 and whole > 200


def test_a_window_is_not_used_for_phrases_or_letters_without_a_pattern():
    from briefing.search import window_detail

    text = "the peace agreement"
    assert window_detail(text, 0, len(text), 4, "peace agreement", ["peace agreement"]) is None
    assert window_detail(text, 0, len(text), 4, "peace", ["peace", "strasse"]) is not None
    assert window_detail(text, 0, len(text), 4, "peace", ["peace", "\u20ac"]) is None  # no pattern for €


def test_fold_spaces_folds_white_space_as_a_snippet_does():
    import random

    from briefing.search import _ODD_SPACE, fold_spaces

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    pieces = [*spaces, " ", "  ", "a", "é", "\u200b", "\x1f", "x y"]
    rnd = random.Random(7)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        assert fold_spaces(text) == _ODD_SPACE.sub(" ", text), repr(text)
