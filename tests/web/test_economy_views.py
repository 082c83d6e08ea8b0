"""Economy page: seed 003's income statement computed from the stored lines, budget
deviation and forecast per unit rolled up, frames (seed 004) and investments split at
4,5 mnkr, with Swedish numbers."""

import re

import pytest
from django.urls import reverse

from styrkort.accounts.models import Role
from worlds import ECONOMY_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = ECONOMY_FILES


def text_of(response) -> str:
    html = response.content.decode().replace("\u00a0", " ").replace("\u2212", "-")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_income_statement_seed_003(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    response = client.get(reverse("economy", args=["SRS-PV"]), {"year": 2024})
    assert response.status_code == 200
    text = text_of(response)
    assert ("Tkr Bokslut 2022 Budget 2023 Prognos 2023 Budget 2024 Plan 2025 Plan 2026"
            in text)  # fmt: skip
    assert ("Summa verksamhetens intäkter 1 028 843 1 070 800 1 044 800 1 070 400 1 066 200 "
            "1 082 100") in text  # fmt: skip
    assert ("Summa verksamhetens kostnader -1 025 899 -1 076 800 -1 102 800 -1 073 400 "
            "-1 066 200 -1 082 100") in text  # fmt: skip
    assert "Årets resultat 3 177 -6 000 -58 000 -3 000 0 0" in text


def test_deviation_and_forecast_per_unit(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    response = client.get(reverse("economy", args=["SRS-HS"]), {"year": 2024})
    text = text_of(response)
    # The latest year with a forecast: 2023, budget -6 000, forecast -58 000.
    assert "Budgetavvikelse och prognos 2023" in text
    assert "Division Primärvård -6 000 – – -58 000 ▼ -52 000 -866,7 %" in text
    assert "Hälso- och sjukvården (totalt) -6 000 – – -58 000 ▼ -52 000 -866,7 %" in text
    assert "Årets resultat -6 000 – – – -58 000 -52 000 -866,7 %" in text
    assert "Erhållen intern uppdragsers 8 300 – – – 11 800 3 500 +42,2 %" in text


def test_investments_split_seed_003(demo, user_on, client):
    client.force_login(user_on(Role.READER, "SRS"))
    text = text_of(client.get(reverse("economy", args=["SRS-PV"]), {"year": 2024}))
    assert "Investeringsobjekt över 4,5 mnkr, 2024 (tkr)" in text
    assert "Inga objekt över gränsen." in text
    assert "2 st EKG-apparater" in text
    assert "Summa investeringar 560 tkr Investeringsram 1 000 tkr Kvar av ramen 440 tkr" in text


def test_frames_seed_004(demo, user_on, client):
    client.force_login(user_on(Role.READER, "NLL"))
    text = text_of(client.get(reverse("economy", args=["NLL"]), {"year": 2022}))
    assert "Anslag året innan 8 406,5" in text
    assert "Ramminskning Neddragning -110,0" in text
    assert "Ram Regionstyrelsen 8 712,1" in text
    assert "Budgetminskning 2020–2022 (mnkr)" in text
    # Reductions 2020-2022: the board 314 and the regional development board 30.
    assert re.search(r"Budgetminskning 2020–2022 .*?Regionstyrelsen 17,0 187,0 110,0 314,0", text)
    assert re.search(r"Budgetminskning 2020–2022 .*?Summa [0-9, ]+ 344,0", text)
    assert "Investeringsramar 2022 (mnkr)" in text
    assert re.search(r"Regionstyrelsen( [0-9,–]+)* 195,9", text)
    assert re.search(r"Summa( [0-9,]+)* 245,0", text)


def test_other_organisation_cannot_view(demo, user_on, client):
    client.force_login(user_on(Role.ADMIN, "NLL"))
    assert client.get(reverse("economy", args=["SRS-PV"])).status_code == 403
