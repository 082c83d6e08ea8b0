"""Import errors follow the active language: Swedish by default, English when the user chose
English (the web's language cookie; the API follows the same cookie, never Accept-Language).

The Swedish texts are the source strings, so the Swedish expectations below are also what the
other import tests rely on; the English ones come from the one catalogue in
src/styrkort/locale/en."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from dbdump import dump
from factories import PlanModelFactory
from styrkort.io.numbers import NumberError, parse_number
from styrkort.io.services import run_import
from styrkort.periods import Period, PeriodError, parse_period

BAD_OUTCOMES = (
    "Enhet;Indikator;Period;Kön;Värde\n"
    "NLL-XX;lakarbesok;2022;T;5\n"
    "NLL-LS1;lakarbesok;2022;T;1.757\n"
    "NLL-LS1;lakarbesok;2022-13;T;5\n"
    "NLL-LS1;aterinskrivningar-65;2022;K;101,5 %\n"
)

SWEDISH = [
    (2, "Enhet", "Okänd enhet: 'NLL-XX' (ange enhetens kod eller exakta namn)."),
    (3, "Värde", "Ogiltigt tal: '1.757' (tvetydigt; skriv decimaler med komma)."),
    (
        4,
        "Period",
        "Okänd period: '2022-13'. Använd t.ex. 2022, 2022-T1, 2022-DÅ04, 2022-04, 2022-Q2 "
        "eller 2022-H1.",
    ),
    (5, "Värde", "En andel måste ligga mellan 0 och 100 %: 101.5."),
]
ENGLISH = [
    (2, "Enhet", "Unknown unit: 'NLL-XX' (give the unit's code or exact name)."),
    (3, "Värde", "Invalid number: '1.757' (ambiguous; write decimals with a comma)."),
    (
        4,
        "Period",
        "Unknown period: '2022-13'. Use e.g. 2022, 2022-T1, 2022-DÅ04, 2022-04, 2022-Q2 "
        "or 2022-H1.",
    ),
    (5, "Värde", "A share must lie between 0 and 100 %: 101.5."),
]


def import_outcomes(text: str, language: str, **kwargs):
    with translation.override(language):
        report = run_import("outcomes", io.BytesIO(text.encode()), user=None, **kwargs)
        return report, report.summary_sv(), [str(error) for error in report.rejected]


def reasons(report) -> list[tuple]:
    return [(e.row, e.column, e.reason) for e in report.rejected]


def test_outcome_row_errors_in_english(world):
    before = dump()
    report, summary, lines = import_outcomes(BAD_OUTCOMES, "en")
    assert reasons(report) == ENGLISH
    assert summary == "Errors: 4 – nothing has been saved."
    assert lines[0] == "Row 2, column Enhet: " + ENGLISH[0][2]
    assert dump() == before


def test_the_same_file_in_swedish_gives_the_swedish_reasons(world):
    before = dump()
    report, summary, lines = import_outcomes(BAD_OUTCOMES, "sv")
    assert reasons(report) == SWEDISH
    assert summary == "4 fel – ingenting har sparats."
    assert lines[0] == "Rad 2, kolumn Enhet: " + SWEDISH[0][2]
    assert dump() == before


def test_the_language_is_the_one_active_when_the_row_is_read(world):
    """Nothing is cached across imports in the wrong language: Swedish, English, Swedish."""
    assert reasons(import_outcomes(BAD_OUTCOMES, "sv")[0]) == SWEDISH
    assert reasons(import_outcomes(BAD_OUTCOMES, "en")[0]) == ENGLISH
    assert reasons(import_outcomes(BAD_OUTCOMES, "sv")[0]) == SWEDISH


def test_validation_and_file_errors_in_english(world):
    text = (
        "org;indicator;period;sex;numerator;denominator;value\n"
        "NLL-LS1;lakemedelsberattelse;2022;T;900;700;\n"
        "NLL-LS1;lakarbesok;2022;X;;;3\n"
        "NLL-LS1;lakarbesok;2022;T;4;;\n"
        "NLL-LS1;okand;2022;T;;;3\n"
        "NLL-PV-GAL;lakarbesok;2024-H2;T;;;3\n"
    )
    report, _summary, _lines = import_outcomes(text, "en")
    assert reasons(report) == [
        (2, "numerator", "The numerator (900) cannot be greater than the denominator (700)."),
        (3, "sex", "Unknown sex: 'X'. Use total/T, women/K or men/M."),
        (
            4,
            "denominator",
            "The numerator and the denominator must be given together: the denominator is missing.",
        ),
        (5, "indicator", "Unknown indicator: 'okand'."),
        (
            6,
            "org",
            "The unit Hälsocentral Gallerian did not exist during the period 2024-H2 "
            "(valid 2010-01-01–2024-02-01).",
        ),
    ]
    _empty, summary, lines = import_outcomes("", "en")
    assert lines == ["The file: The file is empty."] and summary.startswith("Errors: 1 ")
    missing, _summary, _lines = import_outcomes("enhet;värde\nNLL-LS1;3\n", "en")
    assert [e.reason for e in missing.rejected] == [
        "The column indicator/indikator is missing.",
        "The column period/tidsperiod is missing.",
    ]


def test_a_dry_run_summary_in_english(world):
    text = "Enhet;Indikator;Period;Kön;Värde\nNLL-LS1;lakarbesok;2022;T;31 180\n"
    report, summary, _lines = import_outcomes(text, "en", dry_run=True)
    assert report.ok
    assert summary == (
        "Rows read: 1; would be created: 1, changed: 0, unchanged: 0. (Trial run – nothing saved.)"
    )
    _report, summary, _lines = import_outcomes(text, "sv", dry_run=True)
    assert summary == (
        "1 rader lästa: 1 skulle skapas, 0 ändrade, 0 oförändrade. "
        "(Provkörning – ingenting sparat.)"
    )


def test_numbers_and_periods_raise_in_the_active_language():
    for language, number, period in (
        ("en", "Invalid number: '1,757.5' (both a point and a comma; write decimals with a comma)",
         "Invalid period: the year 0 lies outside 1-9999."),
        ("sv", "Ogiltigt tal: '1,757.5' (både punkt och komma; skriv decimaler med komma)",
         "Ogiltig period: året 0 ligger utanför 1-9999."),
    ):  # fmt: skip
        with translation.override(language):
            with pytest.raises(NumberError) as number_error:
                parse_number("1,757.5")
            with pytest.raises(PeriodError) as period_error:
                parse_period("2022-Q5")
            with pytest.raises(PeriodError) as year_error:
                Period(0, 1, 12)
        assert str(number_error.value) == number
        assert str(period_error.value).startswith(
            "Unknown period: '2022-Q5'." if language == "en" else "Okänd period: '2022-Q5'."
        )
        assert str(year_error.value) == period


# --- plans ----------------------------------------------------------------------------

PLAN_HEADER = "plan;plannamn;enhet;första år;sista år;mål1;mål2;indikator;målår;målvärde\n"


@pytest.fixture
def model(world):
    return PlanModelFactory(organisation=world.org, name="Balanserad styrning Norrbotten")


def import_plans(text: str, language: str, **kwargs):
    with translation.override(language):
        return run_import("plans", io.BytesIO(text.encode()), **kwargs)


def test_plan_row_errors_in_english(world, model):
    text = PLAN_HEADER + (
        "ls1-2022;Verksamhetsplan 2022;NLL-LS1;2022;2022;;Delmål;;;\n"
        "ls1-2022;Verksamhetsplan 2022;NLL-LS1;2022;2031x;Medborgare;;;;\n"
        "ls2-2022;Plan;NLL-XX;2022;2022;Medborgare;;;;\n"
        "ls1-2022;Verksamhetsplan 2022;NLL-LS1;2022;2022;Medborgare;;lakarbesok;2022;\n"
    )
    before = dump()
    english = import_plans(text, "en")
    assert reasons(english) == [
        (2, "mål2", "A goal on level 2 without a goal on the level above."),
        (3, "sista år", "Invalid number: '2031x'."),
        (4, "enhet", "Unknown unit: 'NLL-XX' (give the unit's code or exact name)."),
        (5, "målvärde", "The target is missing."),
    ]
    swedish = import_plans(text, "sv")
    assert reasons(swedish) == [
        (2, "mål2", "Mål på nivå 2 utan mål på nivån ovanför."),
        (3, "sista år", "Ogiltigt tal: '2031x'."),
        (4, "enhet", "Okänd enhet: 'NLL-XX' (ange enhetens kod eller exakta namn)."),
        (5, "målvärde", "Målvärde saknas."),
    ]
    assert dump() == before


def test_plan_permission_and_new_plan_errors_in_english(world, model):
    text = PLAN_HEADER + "ls1-2022;Verksamhetsplan 2022;NLL-LS1;2022;2022;Medborgare;;;;\n"
    report = import_plans(text, "en", user=world.users.reporter)
    assert reasons(report) == [
        (2, "plan", "You do not have permission to change the plan for Division Länssjukvård 1.")
    ]
    partial = PLAN_HEADER + "ny-plan;Ny plan;NLL-LS1;2022;;Medborgare;;;;\n"
    assert reasons(import_plans(partial, "en")) == [
        (2, "sista år", "The plan ny-plan does not exist; a new plan requires sista år.")
    ]


# --- the API ----------------------------------------------------------------------------

BULK = "/api/outcomes/bulk/"
BAD_ROWS = [
    {"org": "NLL-XX", "indicator": "lakarbesok", "period": "2022", "value": 5},
    {"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022", "value": "1.757"},
    {"org": "NLL-LS1", "indicator": "lakarbesok", "period": "2022-13", "value": 5},
    {"org": "NLL-LS1", "indicator": "aterinskrivningar-65", "period": "2022", "value": 101.5},
]


def post_bulk(world, *, cookie: str | None = None, accept: str | None = None):
    client = APIClient()
    client.force_authenticate(world.users.reporter)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    # The middleware activates the request's language in this thread; restore it after.
    with translation.override("sv"):
        response = client.post(BULK, {"rows": BAD_ROWS}, format="json", **headers)
    assert response.status_code == 400, response.json()
    return response


def api_reasons(response) -> list[tuple]:
    return [(r["row"], r["column"], r["reason"]) for r in response.json()["rejected"]]


def expected_api(messages) -> list[tuple]:
    columns = {"Enhet": "org", "Värde": "value", "Period": "period"}
    return [(row - 1, columns[column], reason) for row, column, reason in messages]


def test_the_api_answers_in_the_language_of_the_cookie(world):
    before = dump()
    english = post_bulk(world, cookie="en")
    assert english.headers["Content-Language"] == "en"
    assert api_reasons(english) == expected_api(ENGLISH)
    assert english.json()["detail"] == "Errors: 4 – nothing has been saved."
    swedish = post_bulk(world)
    assert swedish.headers["Content-Language"] == "sv"
    assert api_reasons(swedish) == expected_api(SWEDISH)
    assert swedish.json()["detail"] == "4 fel – ingenting har sparats."
    assert dump() == before


def test_the_api_ignores_accept_language(world):
    """As the web pages do: Swedish until the user picks English with the language switch."""
    response = post_bulk(world, accept="en-GB,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
    assert api_reasons(response) == expected_api(SWEDISH)


def test_numbers_and_periods_still_work_without_django_set_up():
    """The pure modules give their Swedish source message when no settings are configured."""
    import os
    import subprocess
    import sys

    script = (
        "from styrkort.io.numbers import NumberError, parse_number\n"
        "from styrkort.periods import PeriodError, parse_period\n"
        "for parse, text in ((parse_number, '1.757'), (parse_period, '2022-13')):\n"
        "    try:\n"
        "        parse(text)\n"
        "    except (NumberError, PeriodError) as exc:\n"
        "        print(exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Ogiltigt tal: '1.757' (tvetydigt; skriv decimaler med komma)",
        "Okänd period: '2022-13'. Använd t.ex. 2022, 2022-T1, 2022-DÅ04, 2022-04, 2022-Q2 "
        "eller 2022-H1.",
    ]
