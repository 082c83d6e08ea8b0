"""The overview and units side by side as pages: what a reader sees, Swedish refusals
instead of errors, and a number of queries that does not grow with indicators or units."""

import pytest
from django.urls import reverse

from factories import OrgUnitFactory
from page_queries import page_queries
from worlds import add_indicators

PERIOD = "2022-DÅ04"


def overview_url(code="NLL-LS1"):
    return reverse("overview", args=[code]) + f"?period={PERIOD}"


def side_url(code="NLL-LS1", indicator="lakemedelsberattelse"):
    return reverse("side_by_side", args=[code, indicator]) + f"?period={PERIOD}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [overview_url, side_url])
def test_queries_do_not_grow_with_indicators_or_units(world, login, url):
    client = login(world.users.planner)
    client.get(url())
    small = page_queries(client, url())
    add_indicators(world, 8)
    for n in range(5):
        OrgUnitFactory(parent=world.ls1, code=f"NLL-LS1-X{n}", name=f"Ny enhet {n}")
    large = page_queries(client, url())
    assert large == small
    assert small <= 45


@pytest.mark.django_db
def test_overview_page(world, login):
    page = login(world.users.reader).get(overview_url()).content.decode()
    assert "Översikt för Division Länssjukvård 1, DÅ04 2022" in page
    assert "Måluppfyllelse per målområde" in page
    assert "Enheter och målområden" in page
    assert "VO Internmedicin" in page  # a row of the grid
    assert "Förändringar sedan 2021" in page
    assert "Vilka enheter har rapporterat" in page
    # Statuses carry a symbol and a text, never colour alone.
    assert 'class="badge-text">Uppfyllt<' in page or 'class="badge-text">Ej uppfyllt<' in page
    # The tab on every unit page.
    assert f'href="{reverse("overview", args=["NLL-LS1"])}?period=' in page


@pytest.mark.django_db
def test_side_by_side_page_has_chart_text_and_table(world, login):
    response = login(world.users.reader).get(side_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Stapeldiagram över" in page  # the text alternative
    assert "<caption>" in page and "bäst först" in page
    assert "VO Internmedicin" in page


@pytest.mark.django_db
def test_bad_input_is_refused_in_swedish(world, login):
    client = login(world.users.reader)
    response = client.get(side_url(indicator="finns-inte"))
    assert response.status_code == 404
    assert "Indikatorn finns inte i enheternas planer." in response.content.decode()
    response = client.get(reverse("overview", args=["NLL-LS1"]) + "?period=april")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("overview", args=["FINNS-INTE"])).status_code == 404


@pytest.mark.django_db
def test_indicator_page_links_to_units_side_by_side(world, login):
    client = login(world.users.reader)
    page = client.get(
        reverse("indicator_detail", args=["NLL-LS1", "lakemedelsberattelse"]) + f"?period={PERIOD}"
    ).content.decode()
    assert "Underliggande enheter sida vid sida i ett diagram" in page
    assert reverse("side_by_side", args=["NLL-LS1", "lakemedelsberattelse"]) in page
    # A unit without sub-units is compared with its siblings.
    response = client.get(side_url("NLL-LS1-NC"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "sidoenheter" in page and "denna enhet" in page
