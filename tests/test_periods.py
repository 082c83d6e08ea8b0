"""Tests for styrkort.periods: parsing, canonical names, arithmetic, labels."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styrkort.periods import (
    REPORTING_POINTS,
    Period,
    PeriodError,
    half_period,
    month_period,
    parse_period,
    parse_reporting_point_list,
    quarter_period,
    reporting_point_period,
    reporting_points,
    tertial_period,
    year_period,
)

# text -> (year, first month, last month, kind, canonical)
PARSE_CASES = [
    ("2022", 2022, 1, 12, "year", "2022"),
    ("2022-ÅR", 2022, 1, 12, "year", "2022"),
    ("2022-AR", 2022, 1, 12, "year", "2022"),
    ("2022-år", 2022, 1, 12, "year", "2022"),
    ("ÅR 2022", 2022, 1, 12, "year", "2022"),
    ("  2022 \n", 2022, 1, 12, "year", "2022"),
    ("2022-T1", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-T2", 2022, 5, 8, "tertial", "2022-T2"),
    ("2022-T3", 2022, 9, 12, "tertial", "2022-T3"),
    ("2022-t2", 2022, 5, 8, "tertial", "2022-T2"),
    ("T2 2022", 2022, 5, 8, "tertial", "2022-T2"),
    ("Tertial 2 2022", 2022, 5, 8, "tertial", "2022-T2"),
    ("2022-DÅ04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-DÅ08", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022-DA04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-DA08", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022-DÅ4", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-DA4", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-DÅ8", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022-DÅ 04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022 DÅ 08", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022DÅ04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-då04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-da08", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022-DA\u030a04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),  # decomposed Å
    ("2022-da\u030a08", 2022, 1, 8, "reporting_point", "2022-DÅ08"),
    ("2022\u2013DÅ04", 2022, 1, 4, "reporting_point", "2022-DÅ04"),  # en dash from Word
    ("DÅ04 2022", 2022, 1, 4, "reporting_point", "2022-DÅ04"),
    ("2022-04", 2022, 4, 4, "month", "2022-04"),
    ("2022-4", 2022, 4, 4, "month", "2022-04"),
    ("2022-12", 2022, 12, 12, "month", "2022-12"),
    ("202204", 2022, 4, 4, "month", "2022-04"),  # seed 001 column heading
    ("202104", 2021, 4, 4, "month", "2021-04"),
    ("202012", 2020, 12, 12, "month", "2020-12"),  # seed 004 "Öka utifrån 202012"
    ("201912", 2019, 12, 12, "month", "2019-12"),
    ("april 2022", 2022, 4, 4, "month", "2022-04"),
    ("Apr 2022", 2022, 4, 4, "month", "2022-04"),
    ("okt 2023", 2023, 10, 10, "month", "2023-10"),
    ("2022 maj", 2022, 5, 5, "month", "2022-05"),
    ("2022-Q1", 2022, 1, 3, "quarter", "2022-Q1"),
    ("2022-Q2", 2022, 4, 6, "quarter", "2022-Q2"),
    ("2022-Q3", 2022, 7, 9, "quarter", "2022-Q3"),
    ("2022-Q4", 2022, 10, 12, "quarter", "2022-Q4"),
    ("2022-q4", 2022, 10, 12, "quarter", "2022-Q4"),
    ("Q2 2022", 2022, 4, 6, "quarter", "2022-Q2"),
    ("Kvartal 2 2022", 2022, 4, 6, "quarter", "2022-Q2"),
    ("2022-H1", 2022, 1, 6, "half", "2022-H1"),
    ("2022-H2", 2022, 7, 12, "half", "2022-H2"),
    ("H2 2022", 2022, 7, 12, "half", "2022-H2"),
    ("Halvår 1 2022", 2022, 1, 6, "half", "2022-H1"),
    ("2023-01..10", 2023, 1, 10, "span", "2023-01..10"),  # seed 003 "ack t o m oktober"
    ("januari–maj 2022", 2022, 1, 5, "span", "2022-01..05"),
]


@pytest.mark.parametrize(("text", "year", "first", "last", "kind", "canonical"), PARSE_CASES)
def test_parse_period(text, year, first, last, kind, canonical):
    period = parse_period(text)
    assert (period.year, period.first_month, period.last_month) == (year, first, last)
    assert period.kind == kind
    assert period.canonical == canonical
    assert str(period) == canonical
    # The canonical form always parses back to the same period.
    assert parse_period(canonical) == period


BAD_PERIODS = [
    "2022-T4",
    "2022-T0",
    "2022-DÅ12",
    "2022-DÅ05",
    "2022-13",
    "2022-00",
    "202213",
    "202200",
    "2022-Q5",
    "2022-H3",
    "22",
    "20222",
    "0000",
    "",
    "   ",
    "abc",
    "04 2022",
    "2022-2023",
    "2022-05..03",
    "maj-januari 2022",
    "2022-T1-2",
    "T1",
    "DÅ04",
]


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_parse_period_rejects_with_swedish_message(text):
    with pytest.raises(PeriodError) as excinfo:
        parse_period(text)
    message = str(excinfo.value)
    assert message.startswith(f"Okänd period: '{text.strip()}'.")
    assert "2022-DÅ04" in message


def test_parse_period_error_message_exact():
    with pytest.raises(PeriodError) as excinfo:
        parse_period("2022-T4")
    assert str(excinfo.value) == (
        "Okänd period: '2022-T4'. Använd t.ex. 2022, 2022-T1, 2022-DÅ04, 2022-04, "
        "2022-Q2 eller 2022-H1."
    )
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize("value", [None, 2022, 2022.0, b"2022"])
def test_parse_period_rejects_non_text(value):
    with pytest.raises(PeriodError):
        parse_period(value)


def test_tertial_one_and_dao4_are_the_same_period():
    t1, da04 = parse_period("2022-T1"), parse_period("2022-DÅ04")
    assert t1 == da04
    assert hash(t1) == hash(da04)
    assert len({t1, da04, parse_period("2022-DA4")}) == 1
    assert t1.canonical == "2022-DÅ04"
    assert parse_period("2022-ÅR") == parse_period("2022") == year_period(2022)
    assert parse_period("2022-T2") != parse_period("2022-DÅ08")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022-DÅ04", date(2022, 1, 1), date(2022, 4, 30)),
        ("2022-DÅ08", date(2022, 1, 1), date(2022, 8, 31)),
        ("2022-T2", date(2022, 5, 1), date(2022, 8, 31)),
        ("2022-T3", date(2022, 9, 1), date(2022, 12, 31)),
        ("2022-02", date(2022, 2, 1), date(2022, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2022-Q2", date(2022, 4, 1), date(2022, 6, 30)),
        ("2022-H2", date(2022, 7, 1), date(2022, 12, 31)),
    ],
)
def test_start_and_end(text, first, last):
    period = parse_period(text)
    assert period.start == first
    assert period.end == last


def test_months():
    assert parse_period("2022-DÅ04").months() == [(2022, 1), (2022, 2), (2022, 3), (2022, 4)]
    assert parse_period("2022-T3").months() == [(2022, m) for m in (9, 10, 11, 12)]
    assert parse_period("2022-04").months() == [(2022, 4)]
    assert len(parse_period("2022").months()) == 12
    assert parse_period("2022-DÅ08").month_count == 8
    assert parse_period("2022-Q3").month_periods() == [
        month_period(2022, 7),
        month_period(2022, 8),
        month_period(2022, 9),
    ]


@pytest.mark.parametrize(
    ("text", "previous", "shifted_plus_two"),
    [
        ("2022-DÅ04", "2021-DÅ04", "2024-DÅ04"),
        ("2022-04", "2021-04", "2024-04"),  # seed 001: 202204 vs 202104
        ("2022", "2021", "2024"),
        ("2022-T2", "2021-T2", "2024-T2"),
        ("2022-Q2", "2021-Q2", "2024-Q2"),
        ("2024-H1", "2023-H1", "2026-H1"),
    ],
)
def test_previous_year_and_shift(text, previous, shifted_plus_two):
    period = parse_period(text)
    assert period.previous_year().canonical == previous
    assert period.shift_years(-1) == period.previous_year()
    assert period.shift_years(2).canonical == shifted_plus_two
    assert period.shift_years(0) == period


def test_shift_out_of_range_raises():
    with pytest.raises(PeriodError):
        year_period(1).previous_year()
    with pytest.raises(PeriodError):
        year_period(9999).shift_years(1)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2022", "2022-DÅ04", True),
        ("2022", "2022-04", True),
        ("2022-DÅ08", "2022-T2", True),
        ("2022-DÅ08", "2022-DÅ04", True),
        ("2022-DÅ04", "2022-DÅ08", False),
        ("2022-DÅ04", "2022-05", False),
        ("2022-DÅ04", "2022-04", True),
        ("2022-T2", "2022-T2", True),
        ("2022", "2021-04", False),
        ("2022-H1", "2022-Q2", True),
        ("2022-H1", "2022-Q3", False),
        ("2022-04", "2022", False),
    ],
)
def test_contains_period(outer, inner, expected):
    assert parse_period(outer).contains(parse_period(inner)) is expected


def test_contains_date():
    da04 = parse_period("2022-DÅ04")
    assert da04.contains(date(2022, 1, 1))
    assert da04.contains(date(2022, 4, 30))
    assert not da04.contains(date(2022, 5, 1))
    assert not da04.contains(date(2021, 2, 1))
    # VC Gallerian closes 2024-02-01: inside 2024, not inside January 2024.
    assert parse_period("2024").contains(date(2024, 2, 1))
    assert not parse_period("2024-01").contains(date(2024, 2, 1))
    with pytest.raises(TypeError):
        da04.contains("2022-04")


@pytest.mark.parametrize(
    ("text", "is_month", "point", "tertial"),
    [
        ("2022-04", True, None, None),
        ("2022-DÅ04", False, "DÅ04", 1),
        ("2022-T1", False, "DÅ04", 1),
        ("2022-DÅ08", False, "DÅ08", None),
        ("2022-ÅR", False, "ÅR", None),
        ("2022-T2", False, None, 2),
        ("2022-T3", False, None, 3),
        ("2022-Q1", False, None, None),
        ("2022-H1", False, None, None),
        ("2022-01", True, None, None),
    ],
)
def test_flags(text, is_month, point, tertial):
    period = parse_period(text)
    assert period.is_month is is_month
    assert period.reporting_point == point
    assert period.tertial == tertial
    assert period.is_year is (text == "2022-ÅR")


@pytest.mark.parametrize(
    ("text", "label_sv", "label_en"),
    [
        ("2022", "2022", "2022"),
        ("2022-DÅ04", "DÅ04 2022", "Jan–Apr 2022"),
        ("2022-DÅ08", "DÅ08 2022", "Jan–Aug 2022"),
        ("2022-T2", "Tertial 2 2022", "Tertial 2 2022"),
        ("2022-T3", "Tertial 3 2022", "Tertial 3 2022"),
        ("2022-04", "april 2022", "April 2022"),
        ("2019-12", "december 2019", "December 2019"),
        ("2022-Q2", "Kvartal 2 2022", "Q2 2022"),
        ("2022-H1", "Halvår 1 2022", "H1 2022"),
        ("2023-01..10", "januari–oktober 2023", "Jan–Oct 2023"),
    ],
)
def test_labels_and_they_parse_back(text, label_sv, label_en):
    period = parse_period(text)
    assert period.label_sv == label_sv
    assert period.label_en == label_en
    assert parse_period(label_sv) == period
    assert parse_period(label_en) == period


def test_ordering_by_start_then_length():
    texts = ["2022", "2022-T2", "2021-T3", "2022-04", "2022-DÅ08", "2022-DÅ04", "2022-01"]
    texts.append("2022-Q2")
    ordered = [p.canonical for p in sorted(parse_period(t) for t in texts)]
    assert ordered == [
        "2021-T3",
        "2022-01",
        "2022-DÅ04",
        "2022-DÅ08",
        "2022",
        "2022-04",
        "2022-Q2",
        "2022-T2",
    ]
    assert parse_period("2022-DÅ04") < parse_period("2022-DÅ08") < parse_period("2022")


def test_constructors():
    assert year_period(2022) == Period(2022, 1, 12)
    assert month_period(2022, 4) == Period(2022, 4, 4)
    assert tertial_period(2022, 1).canonical == "2022-DÅ04"
    assert tertial_period(2022, 2).canonical == "2022-T2"
    assert quarter_period(2022, 4).canonical == "2022-Q4"
    assert half_period(2022, 2).canonical == "2022-H2"
    assert [p.canonical for p in reporting_points(2022)] == ["2022-DÅ04", "2022-DÅ08", "2022"]
    assert [p.reporting_point for p in reporting_points(2022)] == list(REPORTING_POINTS)
    assert reporting_point_period(2022, "DA8") == parse_period("2022-DÅ08")
    assert reporting_point_period(2022, "år") == year_period(2022)
    assert parse_period("2022-T2").year_to_date() == parse_period("2022-DÅ08")
    assert parse_period("2022-04").year_period() == year_period(2022)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (Period, (2022, 0, 4)),
        (Period, (2022, 5, 4)),
        (Period, (2022, 1, 13)),
        (Period, (0, 1, 12)),
        (Period, (2022.0, 1, 12)),
        (Period, (True, 1, 12)),
        (month_period, (2022, 13)),
        (tertial_period, (2022, 4)),
        (quarter_period, (2022, 0)),
        (half_period, (2022, 3)),
        (reporting_point_period, (2022, "DÅ12")),
    ],
)
def test_constructor_errors(call, args):
    with pytest.raises(PeriodError):
        call(*args)


# Period column texts from seeds 001 and 004 (Styrmått tables), exactly as printed.
REPORTING_POINT_LISTS = [
    ("DÅ04,08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ 04,08 ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ04, DÅ08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ 04, 08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ 04,08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ 04, 08 ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ04, 08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("D 04, 08, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DÅ 08, ÅR", ["DÅ08", "ÅR"]),
    ("DÅR, ÅR", ["DÅ04", "DÅ08", "ÅR"]),
    ("ÅR", ["ÅR"]),
    ("År", ["ÅR"]),
    ("ÅR, DÅ04", ["DÅ04", "ÅR"]),
    ("DA04, DA08, AR", ["DÅ04", "DÅ08", "ÅR"]),
    ("DA\u030a04 och A\u030aR", ["DÅ04", "ÅR"]),
    ("Under utredning", []),
    ("", []),
    (None, []),
]


@pytest.mark.parametrize(("text", "expected"), REPORTING_POINT_LISTS)
def test_parse_reporting_point_list(text, expected):
    assert parse_reporting_point_list(text) == expected


@given(st.integers(1, 9999), st.integers(1, 12), st.integers(0, 11))
def test_canonical_round_trips_for_every_span(year, first, length):
    last = min(12, first + length)
    period = Period(year, first, last)
    assert parse_period(period.canonical) == period
    assert period.start <= period.end
    assert len(period.months()) == period.month_count
    assert period.year_period().contains(period)


@given(st.text(max_size=30))
def test_parse_period_raises_only_period_error(text):
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert str(exc).startswith("Okänd period: ")
    else:
        assert parse_period(period.canonical) == period


@given(st.text(max_size=40))
def test_parse_reporting_point_list_never_raises(text):
    result = parse_reporting_point_list(text)
    assert result == [p for p in REPORTING_POINTS if p in result]
