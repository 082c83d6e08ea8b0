"""Periods written for people (``periods.period_text``, ``year_span``): the seeds' own
forms, one per context, while the canonical name stays for machines."""

from __future__ import annotations

import pytest

from styrkort.periods import parse_period, period_text, year_span


@pytest.mark.parametrize(
    ("period", "label", "months", "report"),
    [
        # Seed 001's title page: "Delårsrapport 2022-04"; its tables: "DÅ04 2022".
        ("2022-DÅ04", "DÅ04 2022", "januari–april 2022", "Delårsrapport per april 2022"),
        ("2022-T1", "DÅ04 2022", "januari–april 2022", "Delårsrapport per april 2022"),
        ("2022-DÅ08", "DÅ08 2022", "januari–augusti 2022", "Delårsrapport per augusti 2022"),
        ("2022", "2022", "2022", "Årsrapport 2022"),
        ("2022-ÅR", "2022", "2022", "Årsrapport 2022"),
        ("2022-T2", "T2 2022", "maj–augusti 2022", "Uppföljning maj–augusti 2022"),
        ("2022-04", "april 2022", "april 2022", "Uppföljning april 2022"),
        ("2022-01..05", "januari–maj 2022", "januari–maj 2022", "Uppföljning januari–maj 2022"),
    ],
)
def test_swedish_forms(period, label, months, report):
    assert period_text(period, "label") == label
    assert period_text(period, "months") == months
    assert period_text(parse_period(period), "report") == report


def test_per_the_last_month_in_running_text():
    # Seed 001: "divisionens delårsrapport per april 2022".
    assert period_text("2022-DÅ04", "end") == "april 2022"
    assert period_text("2022-DÅ08", "end") == "augusti 2022"
    assert period_text("2022", "end") == "2022"


def test_english_forms_use_the_month_names_of_the_language():
    assert period_text("2022-DÅ04", "months", "en") == "January–April 2022"
    assert period_text("2022-DÅ04", "report", "en-gb") == "Interim report to April 2022"
    assert period_text("2022-DÅ04", "label", "en") == "Jan–Apr 2022"
    assert period_text("2022", "report", "en") == "Annual report 2022"


def test_every_label_reads_back_as_the_same_period():
    for text in ("2022-DÅ04", "2022-DÅ08", "2022", "2022-T2", "2022-04", "2022-Q2"):
        for form in ("label", "months"):
            assert parse_period(period_text(text, form)) == parse_period(text), (text, form)


def test_the_canonical_name_is_unchanged():
    assert parse_period("DÅ04 2022").canonical == "2022-DÅ04"
    assert str(parse_period("januari–april 2022")) == "2022-DÅ04"


def test_plan_years_are_written_once_when_they_are_one():
    assert year_span(2024, 2024) == "2024"
    assert year_span(2024) == "2024"
    assert year_span(2022, 2024) == "2022–2024"


def test_an_unknown_form_or_period_is_refused():
    with pytest.raises(ValueError, match="unknown form"):
        period_text("2022", "long")
    with pytest.raises(ValueError, match="Okänd period"):
        period_text("DÅ13 2022")


def test_the_template_filter_writes_the_page_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load styrkort %}{{ p|period_words }}; {{ p|period_words:"months" }}; '
        '{{ p|period_words:"report" }}; {{ y|period_words }}; {{ odd|period_words }}'
    )
    context = Context({"p": "2022-DÅ04", "y": "2024", "odd": "Under utredning"})
    with translation.override("sv"):
        assert template.render(context) == (
            "DÅ04 2022; januari–april 2022; Delårsrapport per april 2022; 2024; Under utredning"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "Jan–Apr 2022; January–April 2022; Interim report to April 2022; 2024; Under utredning"
        )
