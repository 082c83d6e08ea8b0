"""Economy page: seed 003's income statement computed from the stored lines, budget
deviation and forecast per unit rolled up, frames (seed 004) and investments split at
4,5 mnkr, with Swedish numbers."""

import html as html_module
import re

import pytest
from django.urls import reverse

from styrkort.accounts.models import Role
from worlds import ECONOMY_FILES

pytestmark = pytest.mark.django_db

DEMO_FILES = ECONOMY_FILES


def text_of(response) -> str:
    html = response.content.decode().replace("\u00a0", " ").replace("\u2212", "-")
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


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
    # Seed 003, "Investeringar PV 2024" (tkr): totals, the objects over and under 4,5 mnkr.
    assert "Totalt över & under 4,5 mnkr 560" in text
    assert "Utrymme för akutinvesteringar 440" in text
    assert "Totalram 2024 1 000" in text
    assert "Basenhet Objekt över 4,5 mnkr Totalt Totalt 0" in text
    assert ("Vårdcentralen Strängnäs EKG-apparat och bladderscanner 200 "
            "Vårdcentralen City 2 st EKG-apparater 240 "
            "Vårdcentralen Mariefred Öronmikroskop 120 Totalt 560") in text  # fmt: skip


def test_frames_seed_004(demo, user_on, client):
    client.force_login(user_on(Role.READER, "NLL"))
    text = text_of(client.get(reverse("economy", args=["NLL"]), {"year": 2022}))
    # Norrbotten's economy unit is mnkr: its tables as seed 004 prints them.
    assert "Mnkr 2022 2023 2024 Anslag året innan 8 406,5 8 712,1 8 930,2" in text
    assert "Ramminskning -110,0" in text
    assert "Regionbidrag 8 712,1 8 930,2 9 201,5" in text
    assert "Budgetminskning 2020–2022 (mnkr)" in text
    assert ("Regionstyrelsen 17 187 110 314 Regionala utvecklingsnämnden 6 12 12 30 "
            "Summa 23 199 122 344") in text  # fmt: skip
    # Where each year's reduction was decided: the seed's footnotes (lines 320-322).
    assert "Mnkr 2020 ¹ 2021 ² 2022 Summa" in text
    assert "¹ Beslutad av regionfullmäktige i Strategisk plan 2020-2022" in text
    assert "² För 2021 och 2022 Beslutad av regionfullmäktige i Finansplan 2020-2022" in text
    # "Ekonomisk ram 2022": one table with its Totalt row, not one table per recipient.
    assert text.count("Ekonomisk ram 2022 (mnkr)") == 1
    assert ("Vårdval primärvård 1 191,2 33,7 0,0 0,0 -1,9 1 223,0 "
            "Vårdval barn- och ungdomstandvård 83,8 2,2 0,0 0,0 -0,5 85,5 "
            "Styrelsen för vidare fördelning 7 131,5 264,3 123,5 -118,1 2,4 7 403,6 "
            "Totalt 8 406,5 300,2 123,5 -118,1 0,0 8 712,1") in text  # fmt: skip
    assert "Investeringsramar 2022 (mnkr)" in text
    assert re.search(r"Regionstyrelsen 189,9 6,0 – – – 195,9", text)
    # Each table's scroll region is named by its own caption.
    page = client.get(reverse("economy", args=["NLL"]), {"year": 2022}).content.decode()
    ids = re.findall(r'<caption id="([^"]*)"', page)
    assert "" not in ids and len(ids) == len(set(ids))
    assert all(f'aria-labelledby="{i}"' in page for i in ids)
    assert "Summa 189,9 6,0 10,6 38,0 0,5 245,0" in text


def test_economy_unit_is_the_organisations_setting(demo, user_on, client):
    """An administrator of Region Sörmland switches its economy tables to mnkr: the
    page follows, and an amount below 0,05 mnkr (-45 tkr) is not rounded to zero."""
    client.force_login(user_on(Role.ADMIN, "SRS"))
    settings_url = reverse("administration_settings", kwargs={"org": "srs"})
    response = client.post(settings_url, {"action": "economy_unit", "economy_unit": "mnkr"})
    assert response.status_code == 302
    text = text_of(client.get(reverse("economy", args=["SRS-PV"]), {"year": 2024}))
    assert "Summa verksamhetens intäkter 1 028,8 1 070,8 1 044,8 1 070,4 1 066,2 1 082,1" in text
    assert "Finansiella kostnader -0,05 -0,7 -0,7 -1,5 -0,1 -0,1" in text
    bad = client.post(settings_url, {"action": "economy_unit", "economy_unit": "kr"})
    assert bad.status_code == 200
    assert "Välj tkr eller mnkr som enhet för ekonomitabellerna." in bad.content.decode()
    reader = user_on(Role.READER, "SRS", username="srs-lasare")
    client.force_login(reader)
    assert (
        client.post(settings_url, {"action": "economy_unit", "economy_unit": "tkr"}).status_code
        == 403
    )


def test_other_organisation_cannot_view(demo, user_on, client):
    client.force_login(user_on(Role.ADMIN, "NLL"))
    assert client.get(reverse("economy", args=["SRS-PV"])).status_code == 403
