"""Reporting outcomes and analyses inline (htmx) and as plain form posts: Swedish numbers,
Swedish messages next to the field, all or nothing per indicator, history with the user."""

import re

import pytest
from django.urls import reverse

from styrkort.followup.models import Analysis, Outcome

PERIOD = "2022-DÅ04"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The response as a reader sees it: tags removed, spaces normalised."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.replace("\u00a0", " "))


def post(client, unit, indicator, data, htmx=True, period=PERIOD):
    url = reverse("report_indicator", args=[unit, indicator]) + f"?period={period}"
    return client.post(url, data, **(HTMX if htmx else {}))


@pytest.mark.django_db
def test_thousands_space_and_status_update(world, login):
    client = login(world.users.reporter)
    response = post(client, "NLL-LS1", "lakarbesok", {"value_total": "31 180"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="rad-lakarbesok"' in html and "<html" not in html  # a fragment for htmx
    shown = text(response)
    assert "Sparat." in shown
    assert "Utfall 31 180 st" in shown
    assert "Måluppfyllelse ■ Uppfyllt" in shown  # Öka: 31 180 vs 29 685
    assert "Utveckling ↑ Förbättring" in shown
    assert "+5,0 %" in shown
    outcome = Outcome.objects.get(indicator=world.visits, unit=world.ls1, period=PERIOD)
    assert outcome.value == 31180
    assert outcome.updated_by == world.users.reporter
    assert outcome.history.first().history_user == world.users.reporter


@pytest.mark.django_db
def test_ratio_from_numerator_and_denominator(world, login):
    """Seed 001: 1 324 of 1 757 have a medication report -> 75,4 % (target 70 %: met)."""
    client = login(world.users.reporter)
    response = post(
        client,
        "NLL-LS1-IM",
        "lakemedelsberattelse",
        {
            "numerator_total": "1 324",
            "denominator_total": "1 757",
            "numerator_women": "644",
            "denominator_women": "819",
        },
    )
    assert response.status_code == 200, response.content.decode()
    total = Outcome.objects.get(indicator=world.medication, unit=world.im, sex="total")
    assert (total.numerator, total.denominator) == (1324, 1757)
    assert total.value == pytest.approx(75.356, abs=1e-3)
    women = Outcome.objects.get(indicator=world.medication, unit=world.im, sex="women")
    assert women.value == pytest.approx(78.632, abs=1e-3)
    shown = text(response)
    assert "75 % (1 324/1 757)" in shown  # shown with the indicator's 0 decimals
    assert "Måluppfyllelse ■ Uppfyllt" in shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value_total": "31,18,0"}, "value_total", "”31,18,0” är inte ett tal"),
        ({"value_total": "1.757"}, "value_total", "är inte ett tal"),
        ({"value_total": "-5"}, "value_total", "Ett antal kan inte vara negativt"),
    ],
)
def test_bad_value_message_next_to_field(world, login, data, field, message):
    client = login(world.users.reporter)
    response = post(client, "NLL-LS1", "lakarbesok", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="f-lakarbesok-{field}" ' in html or f'id="f-lakarbesok-{field}"' in html
    assert f'aria-describedby="f-lakarbesok-{field}-error"' in html
    assert message in html
    assert "Inget sparades" in html
    assert not Outcome.objects.filter(indicator=world.visits, period=PERIOD).exists()


@pytest.mark.django_db
def test_all_or_nothing_per_indicator(world, login):
    """A numerator above its denominator for women: the valid men's figures are not saved
    either, and the typed text stays in the fields."""
    client = login(world.users.reporter)
    response = post(
        client,
        "NLL-LS1-IM",
        "lakemedelsberattelse",
        {
            "numerator_women": "900",
            "denominator_women": "819",
            "numerator_men": "658",
            "denominator_men": "845",
            "analysis": "Ska inte sparas.",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Täljaren (900) kan inte vara större än nämnaren (819)." in html
    assert 'value="658"' in html
    assert (
        not Outcome.objects.filter(indicator=world.medication, unit=world.im)
        .exclude(sex="total")
        .exists()
    )
    assert not Analysis.objects.filter(unit=world.im).exists()


@pytest.mark.django_db
def test_share_above_100_refused(world, login):
    client = login(world.users.reporter)
    response = post(client, "NLL-LS1", "vantetid-forsta-besok", {"value_total": "151"})
    assert response.status_code == 422
    assert "En andel måste ligga mellan 0 och 100 %" in response.content.decode()
    assert (
        Outcome.objects.get(indicator=world.wait, unit=world.ls1, sex="total", period=PERIOD).value
        == 51
    )


@pytest.mark.django_db
def test_analysis_is_sanitised_and_unchanged_values_not_rewritten(world, login):
    client = login(world.users.reporter)
    data = {
        "value_total": "51",
        "value_women": "45",
        "value_men": "60",
        "analysis": '<script>alert("x")</script><p onclick="x()">Successiv <b>ökning</b></p>',
    }
    response = post(client, "NLL-LS1", "vantetid-forsta-besok", data)
    assert response.status_code == 200
    analysis = Analysis.objects.get(unit=world.ls1, indicator=world.wait)
    assert "<script" not in analysis.text and "onclick" not in analysis.text
    assert analysis.text == "Successiv **ökning**"  # HTML pasted in: stored as plain text
    # The three values were already stored: no new history rows for them.
    total = Outcome.objects.get(indicator=world.wait, unit=world.ls1, sex="total", period=PERIOD)
    assert total.history.count() == 1
    page = client.get(reverse("indicator_detail", args=["NLL-LS1", "vantetid-forsta-besok"]))
    assert b"<script>alert" not in page.content
    assert "<p>Successiv <strong>ökning</strong></p>" in page.content.decode()


@pytest.mark.django_db
def test_plain_post_redirects_back(world, login):
    client = login(world.users.planner)
    response = post(client, "NLL-LS1", "lakarbesok", {"value_total": "31180"}, htmx=False)
    assert response.status_code == 302
    assert response.url.endswith("#rad-lakarbesok")
    follow = client.get(response.url)
    assert "Sparat: Antal läkarbesök." in follow.content.decode()


@pytest.mark.django_db
def test_bad_period_is_refused(world, login):
    client = login(world.users.reporter)
    response = post(client, "NLL-LS1", "lakarbesok", {"value_total": "1"}, period="2022-XX")
    assert response.status_code == 422
    assert "Okänd period" in response.content.decode()
    assert not Outcome.objects.filter(indicator=world.visits, value=1).exists()


@pytest.mark.django_db
def test_reporting_page_lists_plan_indicators_with_values(world, login):
    client = login(world.users.reporter)
    html = client.get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}").content
    html = html.decode()
    for code in ("vantetid-forsta-besok", "lakarbesok", "aterinskrivningar-65"):
        assert f'id="rad-{code}"' in html
    assert 'name="value_women" form="form-vantetid-forsta-besok" value="45"' in html
    # Each field's label names the field, the sex and the indicator (unique on the page).
    assert (
        '<label class="visually-hidden" for="f-lakarbesok-value_total">'
        "Värde, totalt – Antal läkarbesök</label>" in html
    )
    # A ratio stored as parts shows its parts, not a rounded share.
    assert 'name="numerator_women" form="form-lakemedelsberattelse" value="644"' in html


@pytest.mark.django_db
def test_reporter_cannot_report_for_another_unit(world, login):
    client = login(world.users.reporter)
    response = post(client, "NLL-LS2", "lakarbesok", {"value_total": "1 757"})
    assert response.status_code == 403
    assert "Du saknar behörighet att rapportera för Division Länssjukvård 2" in (
        response.content.decode()
    )
    assert not Outcome.objects.filter(unit=world.ls2).exists()
