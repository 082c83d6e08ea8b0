"""Tests for styrkort.io.numbers: Swedish number parsing and Babel formatting."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styrkort.io.numbers import (
    NBSP,
    NumberError,
    format_change_pct,
    format_mnkr,
    format_number,
    format_percent_value,
    parse_number,
    parse_optional_number,
)

NNBSP = "\u202f"

PARSE_CASES = [
    # seed 001: production table and outcomes
    ("51,0", 51.0),
    ("51 %", 51.0),
    ("51,0 %", 51.0),
    ("19,3 %", 19.3),
    ("8,17 %", 8.17),
    ("5,0%", 5.0),
    ("-11,2%", -11.2),
    ("-0,6%", -0.6),
    ("\u221211,2", -11.2),  # Unicode minus
    ("\u2013 3,1 %", -3.1),  # en dash from Word
    ("+19", 19.0),
    ("31180", 31180.0),
    ("1 757", 1757.0),
    (f"1{NBSP}757", 1757.0),
    (f"1{NNBSP}757", 1757.0),
    ("1 324", 1324.0),
    ("7 308", 7308.0),
    ("1 757,5", 1757.5),
    (f"51,0{NBSP}%", 51.0),
    # seed 003 income statement (tkr) and seed 004 frames (mnkr)
    ("1 028 843", 1028843.0),
    ("-1 025 899", -1025899.0),
    ("-58 000", -58000.0),
    ("8 712,1", 8712.1),
    ("-110,0", -110.0),
    ("0,7", 0.7),
    ("0", 0.0),
    ("-0", 0.0),
    ("  42  ", 42.0),
    # dot decimal where it cannot be a thousands separator
    ("1.5", 1.5),
    ("0.125", 0.125),
    ("1757.5", 1757.5),
    ("78.5", 78.5),
    ("1 757.5", 1757.5),
    ("-0.5", -0.5),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_number(text, expected):
    result = parse_number(text)
    assert result == pytest.approx(expected, abs=0, rel=1e-15)
    assert str(result) == str(expected)  # also no "-0.0"


@pytest.mark.parametrize(
    ("value", "expected"), [(5, 5.0), (5.25, 5.25), (Decimal("1757.5"), 1757.5), (-3, -3.0)]
)
def test_parse_number_passes_numbers_through(value, expected):
    result = parse_number(value)
    assert result == expected
    assert isinstance(result, float)


BAD_NUMBERS = [
    "abc",
    "",
    "   ",
    "%",
    "-",
    "+",
    "1.757",  # 1757 or 1,757?
    "12.345",
    "1,757.5",
    "1.757,5",
    "1,2,3",
    "1..5",
    "17 57",
    "1 75",
    "1  757",
    "1757 000",
    ",5",
    "5,",
    "1e3",
    "nan",
    "inf",
    "5 mnkr",
    "90st",
    "50 %%",
    "+-5",
    "٥",  # Arabic-Indic digit
    "5 % 5",
]


@pytest.mark.parametrize("text", BAD_NUMBERS)
def test_parse_number_rejects_with_swedish_message(text):
    with pytest.raises(NumberError) as excinfo:
        parse_number(text)
    assert str(excinfo.value).startswith(f"Ogiltigt tal: '{text}'")
    assert isinstance(excinfo.value, ValueError)


def test_parse_number_error_message_exact():
    with pytest.raises(NumberError) as excinfo:
        parse_number("abc")
    assert str(excinfo.value) == "Ogiltigt tal: 'abc'"


@pytest.mark.parametrize("value", [None, True, float("nan"), float("inf"), [1]])
def test_parse_number_rejects_non_numbers(value):
    with pytest.raises(NumberError):
        parse_number(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, None), ("", None), ("  ", None), (NBSP, None), ("51,0 %", 51.0), (0, 0.0)],
)
def test_parse_optional_number(text, expected):
    assert parse_optional_number(text) == expected


def test_parse_optional_number_still_rejects_garbage():
    with pytest.raises(NumberError):
        parse_optional_number("x")


FORMAT_NUMBER_CASES = [
    (1757, None, f"1{NBSP}757"),
    (31180, None, f"31{NBSP}180"),
    (1757.5, None, f"1{NBSP}757,5"),
    (1028843, None, f"1{NBSP}028{NBSP}843"),
    (-1025899, None, f"-1{NBSP}025{NBSP}899"),
    (0.125, None, "0,125"),
    (0.1234, None, "0,123"),
    (51, 1, "51,0"),
    (75.4, 1, "75,4"),
    (1324 / 1757 * 100, 1, "75,4"),  # seed 001 roll-up
    (78.5, 0, "79"),  # half up, not half even
    (2.25, 1, "2,3"),
    (2.675, 2, "2,68"),
    (-2.25, 1, "-2,3"),
    (-0.04, 1, "0,0"),
    (8712.1, 1, f"8{NBSP}712,1"),
    (Decimal("1223.0"), 1, f"1{NBSP}223,0"),
    (0, None, "0"),
    (None, None, ""),
    # More digits than decimal's default precision (28) once rounded: every one is kept.
    (Decimal("1E+25"), None, NBSP.join(["10", *["000"] * 8])),
    (
        Decimal("123456789012345678901234567.5"),
        0,
        NBSP.join(["123", "456", "789", "012", "345", "678", "901", "234", "568"]),
    ),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), FORMAT_NUMBER_CASES)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (51.0, 1, f"51,0{NBSP}%"),
        (20.03, 1, f"20,0{NBSP}%"),  # seed 001: 6 247 of 31 180
        (6247 / 31180 * 100, 1, f"20,0{NBSP}%"),
        (75.39, 1, f"75,4{NBSP}%"),
        (100, 0, f"100{NBSP}%"),
        (17.25, 1, f"17,3{NBSP}%"),
        (None, 1, ""),
    ],
)
def test_format_percent_value(value, decimals, expected):
    assert format_percent_value(value, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5.036, f"+5,0{NBSP}%"),  # seed 001: 31 180 vs 29 685
        ((31180 - 29685) / 29685 * 100, f"+5,0{NBSP}%"),
        ((6247 - 7037) / 7037 * 100, f"-11,2{NBSP}%"),
        (-11.2, f"-11,2{NBSP}%"),
        (-21.6, f"-21,6{NBSP}%"),
        (0.0, f"0,0{NBSP}%"),
        (0.04, f"0,0{NBSP}%"),
        (-0.04, f"0,0{NBSP}%"),
        (0.05, f"+0,1{NBSP}%"),
        (1234.5, f"+1{NBSP}234,5{NBSP}%"),
        (None, ""),
    ],
)
def test_format_change_pct(value, expected):
    assert format_change_pct(value) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (19.0, {}, f"19,0{NBSP}mnkr"),
        (19.0, {"signed": True}, f"+19,0{NBSP}mnkr"),
        (-110.0, {"signed": True}, f"-110,0{NBSP}mnkr"),
        (8712.1, {}, f"8{NBSP}712,1{NBSP}mnkr"),
        (245, {"decimals": 0}, f"245{NBSP}mnkr"),
        (0.0, {"signed": True}, f"0,0{NBSP}mnkr"),
        (None, {}, ""),
    ],
)
def test_format_mnkr(value, kwargs, expected):
    assert format_mnkr(value, **kwargs) == expected


@pytest.mark.parametrize("value", ["5", True, float("nan")])
def test_format_number_rejects_non_numbers(value):
    with pytest.raises((TypeError, ValueError)):
        format_number(value)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_format_then_parse_round_trips(value):
    text = format_number(value, 2)
    assert parse_number(text) == pytest.approx(float(value), abs=1e-9)
    assert parse_number(format_percent_value(value, 2)) == pytest.approx(float(value), abs=1e-9)


@given(st.text(max_size=20))
def test_parse_number_raises_only_number_error(text):
    try:
        result = parse_number(text)
    except NumberError as exc:
        assert str(exc).startswith("Ogiltigt tal: ")
    else:
        assert isinstance(result, float)
