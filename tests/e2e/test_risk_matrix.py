"""The risk matrix page in Chromium: Sörmland's Division Primärvård 2024 (seed 003, risks
known by value only, counted per level) and Norrbotten's board 2022 (seed 004, placed in
the 4x4 matrix), read by the cells' text, edited by a planner, with axe-core finding no
violations."""

import re
from pathlib import Path

import pytest

from accessibility import axe_violations
from factories import PASSWORD, RoleAssignmentFactory, UserFactory
from styrkort.accounts.models import Role
from styrkort.demo.loader import FIXTURE_DIR, load_fixtures
from styrkort.organisation.models import OrgUnit
from styrkort.risk.models import Risk

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    FIXTURE_DIR / "21-srs-plan-model.yaml",
    FIXTURE_DIR / "22-srs-indicators.yaml",
    FIXTURE_DIR / "23-srs-plan.yaml",
    FIXTURE_DIR / "50-srs-risks.yaml",
    FIXTURE_DIR / "51-srs-ledger.yaml",
    FIXTURE_DIR / "52-srs-investments.yaml",
    FIXTURE_DIR / "55-nll-risks.yaml",
]


@pytest.fixture
def demo(transactional_db):
    load_fixtures(FILES)
    users = {}
    for name, role, code in [("planerare", Role.PLANNER, "SRS-PV"),
                             ("lasare", Role.READER, "NLL")]:  # fmt: skip
        users[name] = UserFactory(username=name)
        RoleAssignmentFactory(user=users[name], unit=OrgUnit.objects.get(code=code), role=role)
    return users


def login(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def cell(page, probability: str, consequence: int):
    """The matrix cell in the row headed `probability`, column `consequence` (1-4)."""
    header = page.get_by_role("rowheader", name=probability)
    row = page.locator("table.risk-matrix tbody tr", has=header)
    return row.locator("td").nth(consequence - 1)


def test_sormland_primarvard_2024(demo, page, live_server):
    login(page, live_server, "planerare")
    page.goto(f"{live_server.url}/risker/SRS-PV/?year=2024")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Risker och internkontroll för Division Primärvård 2024"
    )
    assert "1 Hög 3 Medel 1 Låg | Totalt: 5" in page.locator(".risk-summary").inner_text()
    levels = page.get_by_role("table", name="Antal risker per risknivå")
    assert [r.inner_text().split("\t")[-1].strip()
            for r in levels.locator("tbody tr").all()] == ["1", "3", "1", "0"]  # fmt: skip
    # Value-only risks are in no cell; every cell says 0, its value and its level.
    top_right = cell(page, "4 Mycket stor", 4)
    assert re.sub(r"\s+", " ", top_right.inner_text()) == "0 risker Värde 16 ◆ Mycket hög"
    assert page.locator(".risk-cell-filled").count() == 0
    assert axe_violations(page) == []

    # The planner adds a risk: probability 4 "mycket stor" x consequence 3 "betydande".
    page.get_by_role("link", name="Lägg till risk").click()
    page.get_by_label("Risk (obligatoriskt)", exact=True).fill(
        "Risk för brist på specialister i allmänmedicin"
    )
    page.get_by_label("Sannolikhet", exact=True).select_option(label="4 mycket stor")
    page.get_by_role("button", name="Spara").click()
    # Consequence missing: a Swedish message next to the field, nothing written.
    assert page.locator("#id_consequence_error").inner_text().endswith("Ange konsekvensen (1–4).")
    assert page.get_by_role("alert").count() >= 1
    assert axe_violations(page) == []
    assert not Risk.objects.filter(title__startswith="Risk för brist på specialister").exists()
    page.get_by_label("Konsekvens", exact=True).select_option(label="3 betydande")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(r"/risker/SRS-PV/\?year=2024$"))
    assert "2 Hög 3 Medel 1 Låg | Totalt: 6" in page.locator(".risk-summary").inner_text()
    filled = cell(page, "4 Mycket stor", 3)
    assert re.sub(r"\s+", " ", filled.inner_text()) == "1 risk Värde 12 ▲ Hög"
    assert axe_violations(page) == []


def test_norrbotten_board_2022(demo, page, live_server):
    login(page, live_server, "lasare")
    page.goto(f"{live_server.url}/risker/NLL/?year=2022")
    text = page.locator("main").inner_text()
    assert "Risker och internkontroll för Region Norrbotten 2022" in text
    counts = [int(c.inner_text()) for c in page.locator("table.risk-matrix .risk-count").all()]
    assert len(counts) == 16
    assert sum(counts) == Risk.objects.filter(unit__code="NLL", year=2022).count()
    # Success factor 3: consequence 3, risk 12, probability 4 -> action required.
    nr3 = page.locator("table.risk-table tbody tr", has_text="En god vård med hög tillgänglighet")
    assert "4 Mycket stor (härledd)" in nr3.inner_text()
    assert "Åtgärd krävs" in nr3.inner_text()
    action = page.get_by_role("table", name="Antal risker per risknivå").locator("tbody tr").nth(1)
    assert action.inner_text().split("\t")[-1].strip() == "8"
    assert "Åtgärd krävs" in cell(page, "4 Mycket stor", 3).inner_text()
    assert page.get_by_role("link", name="Lägg till risk").count() == 0
    assert axe_violations(page) == []
    # The economy page of the same browser session passes too.
    page.goto(f"{live_server.url}/ekonomi/NLL/?year=2022")
    assert axe_violations(page) == []
