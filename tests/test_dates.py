import datetime

import pytest

from briefing.dates import PartialDate


def test_parse_and_show_each_precision():
    assert PartialDate.parse("2013").human() == "2013"
    assert PartialDate.parse("2013-07").human() == "Jul 2013"
    assert PartialDate.parse(datetime.date(2023, 6, 16)).human() == "16 Jun 2023"
    assert PartialDate.parse("2023-06-16").iso() == "2023-06-16"
    assert PartialDate.parse("2013-07").precision == "month"


def test_partial_dates_sort_at_the_start_of_their_span():
    dates = [PartialDate.parse(s) for s in ["2014-10-03", "2014-10", "2014", "2014-09-30", "2014-10-01"]]
    ordered = [d.iso() for d in sorted(dates, key=PartialDate.sort_key)]
    assert ordered == ["2014", "2014-09-30", "2014-10", "2014-10-01", "2014-10-03"]


@pytest.mark.parametrize("bad", ["2014-13", "2014-02-30", "14", "June 2014", "", 2014, 3.5, True, ["2014"]])
def test_bad_values_raise_value_or_type_error(bad):
    with pytest.raises((ValueError, TypeError)):
        PartialDate.parse(bad)


def test_immutable_and_hashable():
    d = PartialDate.parse("2013")
    assert d == PartialDate(2013) and hash(d) == hash(PartialDate(2013))
    with pytest.raises(AttributeError):
        d.year = 2014


def test_human_iso_is_the_human_form_of_an_iso_string():
    from briefing.dates import human_iso

    values = ["0999", "2013", "2013-07", "2013-07-01", "2023-06-16", "1999-12-31", "2024-02-29", "0001-01",
              "0010-10-10", "0100", "1000"]
    values += [f"2024-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}-{d:02d}" for m in (1, 2, 12) for d in range(1, 32)
                                                        if (m, d) not in ((2, 30), (2, 31))]
    for value in values:
        date = PartialDate.parse(value)
        assert human_iso(date.iso()) == date.human(), value


def test_month_names_are_the_c_locale_ones():
    import calendar

    from briefing.dates import _MONTHS

    assert _MONTHS == list(calendar.month_abbr)
