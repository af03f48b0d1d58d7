"""The loader: a valid file, and each class of error with its message and line."""

from __future__ import annotations

import datetime

import pytest

from briefing.errors import ContentError
from briefing.loader import check, load
from tests.conftest import MINIMAL


def errors_of(path):
    _b, problems = check(path)
    return [p for p in problems if p.severity == "error"]


def only_error(path):
    errs = errors_of(path)
    assert len(errs) == 1, [e.format() for e in errs]
    return errs[0]


def test_valid_sample_loads(sample_path):
    b = load(sample_path)
    assert b.meta.title == "Sample: the Ménaka corridor"
    assert b.meta.as_of == datetime.date(2023, 7, 6)
    assert [a.id for a in b.actors] == ["goita", "minusma"]
    assert b.source_by_id["alpha"].label == "Alpha"
    assert b.source_by_id["beta"].label == "beta"
    # text_file is read relative to the briefing
    assert "12,000 personnel" in b.source_by_id["beta"].text
    # timeline sorted, partial dates first within their span
    assert [e.date.iso() for e in b.timeline] == ["2013", "2013-07", "2023-06-16"]
    assert b.events_of("goita") == [2]


def test_minimal_file_loads(write):
    b = load(write(MINIMAL))
    assert b.bluf == [] and b.actors == [] and b.timeline == [] and b.sources == []


def test_syntax_error_has_line_and_column(write):
    p = only_error(write(MINIMAL + "tags = [\"a\",\n  oops\n]\n"))
    assert p.line == 5 and p.column is not None
    assert "TOML syntax" in p.message
    assert p.format().startswith(f"{p.path}:5:")


def test_unknown_field_did_you_mean_and_line(write):
    path = write(MINIMAL + "\n[[actors]]\nid = \"a\"\nnmae = \"x\"\nname = \"A\"\nsources = []\n")
    p = only_error(path)
    assert p.field == "nmae" and p.line == 7
    assert p.item == 'actors[0] "A"'
    assert "did you mean 'name'" in p.hint


def test_unknown_section(write):
    p = only_error(write(MINIMAL + "\n[[actor]]\nid = \"a\"\n"))
    assert "unknown section [actor]" in p.message and p.line == 5
    assert "actors" in p.hint


def test_a_top_level_key_is_not_called_a_section(write):
    p = only_error(write(MINIMAL.replace("[briefing]", 'colour = "red"\n[briefing]', 1)))
    assert p.message == "unknown top-level key 'colour'" and p.line == 1


def test_a_briefing_field_above_its_table_says_where_it_goes(write):
    problems = check(write('title = "x"\n' + MINIMAL))[1]
    p = next(p for p in problems if "title" in p.message)
    assert p.message == "'title' is outside any section" and p.line == 1
    assert p.hint.startswith("move it under [briefing]")


def test_missing_required_field_points_at_item(write):
    path = write(MINIMAL + "\n[[timeline]]\ndate = 2020-01-01\nsources = []\n")
    p = only_error(path)
    assert p.field == "title" and "required" in p.message and p.line == 5


def test_missing_briefing_table(write):
    p = only_error(write("[[bluf]]\ntext = \"x\"\nsources = []\n"))
    assert "[briefing]" in p.message


def test_wrong_type_names_field_and_expected_type(write):
    p = only_error(write(MINIMAL.replace('title = "T"', "title = 12")))
    assert p.field == "title" and p.line == 2
    assert p.message == "expected a string, got an integer"


def test_number_where_date_belongs(write):
    p = only_error(write(MINIMAL + "\n[[timeline]]\ndate = 2014\ntitle = \"x\"\nsources = []\n"))
    assert p.field == "date" and p.line == 6
    assert '"2014"' in p.message


@pytest.mark.parametrize("value", ['"2014-13"', '"2014-02-30"', '"14 June"', "2014-06-16T10:00:00"])
def test_bad_partial_dates(write, value):
    p = only_error(write(MINIMAL + f"\n[[timeline]]\ndate = {value}\ntitle = \"x\"\nsources = []\n"))
    assert p.field == "date"


def test_impossible_toml_date(write):
    p = only_error(write(MINIMAL.replace("2023-07-06", "2023-02-30")))
    assert p.line == 3 and "date" in p.message.lower()


def test_bad_enum_lists_allowed_values(write):
    p = only_error(write(MINIMAL + "\n[[bluf]]\ntext = \"x\"\nconfidence = \"sure\"\nsources = []\n"))
    assert p.field == "confidence" and "'sure'" in p.message
    assert "low, moderate, high" in p.hint


def test_every_problem_is_reported_not_only_the_first(write):
    path = write(
        MINIMAL
        + "\n[[actors]]\nid = \"a\"\nname = 1\nkind = \"alien\"\nbogus = 2\n"
        + "\n[[timeline]]\ndate = \"2013-13\"\ntitle = \"t\"\nactors = [\"zz\"]\nsources = [\"nope\"]\n"
    )
    fields = sorted(p.field for p in errors_of(path))
    assert fields == ["actors", "bogus", "date", "kind", "name", "sources"]


def test_duplicate_ids(write):
    src = MINIMAL + "".join(f"\n[[sources]]\nid = \"s\"\ntitle = \"S{i}\"\n" for i in range(2))
    p = only_error(write(src))
    assert "duplicate id 's'" in p.message and p.line == 10 and p.field == "id"


def test_undefined_reference_with_suggestion(write):
    src = MINIMAL + "\n[[sources]]\nid = \"alpha\"\ntitle = \"A\"\n\n[[bluf]]\ntext = \"x\"\nsources = [\"alpah\"]\n"
    p = only_error(write(src))
    assert "source id 'alpah' is not defined" in p.message
    assert p.line == 11 and "did you mean 'alpha'" in p.hint


def test_uncited_items_are_warnings_not_errors(write):
    b, problems = check(write(MINIMAL + "\n[[bluf]]\ntext = \"x\"\n"))
    assert b is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "cites no source" in problems[0].message


def test_duplicate_key_is_a_syntax_error_with_line(write):
    p = only_error(write(MINIMAL + 'title = "again"\n'))
    assert p.line == 4 and "twice" in p.message


def test_load_raises_content_error_with_all_problems(write):
    path = write("[briefing]\ntitle = 1\n")
    with pytest.raises(ContentError) as info:
        load(path)
    assert len(info.value.errors) == 2  # title type, as_of missing
    assert str(path) in str(info.value)


def test_header_inside_multiline_string_does_not_confuse_lines(write):
    src = MINIMAL + '\n[[sources]]\nid = "a"\ntitle = "A"\ntext = """\n[[sources]]\nnot a header\n"""\n' \
        + '\n[[sources]]\nid = "b"\ntitel = "B"\n'
    fields = {p.field: p.line for p in errors_of(write(src))}
    assert fields == {"titel": 15, "title": 13}
