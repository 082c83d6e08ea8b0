"""Seeds 003 and 004's risks in the demo, read back through risk.queries."""

import pytest

from styrkort.demo.loader import FIXTURE_DIR
from styrkort.organisation.models import OrgUnit
from styrkort.risk import queries
from styrkort.risk.models import InternalControlPlan, Risk

FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "20-srs-organisation.yaml",
    *sorted(FIXTURE_DIR.glob("5*-*.yaml")),
]


DEMO_FILES = FILES


@pytest.mark.django_db
def test_seed_003_matrix_counts(demo):
    matrix = queries.risk_matrix(OrgUnit.objects.get(code="SRS-PV"), 2024)
    assert {lv["name"]: lv["count"] for lv in matrix.levels} == {
        "Låg": 1, "Medel": 3, "Hög": 1, "Mycket hög": 0
    }  # fmt: skip
    assert matrix.summary == "1 Hög 3 Medel 1 Låg | Totalt: 5"
    # Values only: no cell, all five unplaced.
    assert matrix.total == 5 and matrix.unplaced == 5 and sum(matrix.cells.values()) == 0
    assert [r.value for r in Risk.objects.filter(unit__code="SRS-PV")] == [4, 9, 3, 6, 6]
    assert InternalControlPlan.objects.get(unit__code="SRS-PV", year=2024).state == "adopted"


@pytest.mark.django_db
def test_seed_004_risk_values(demo):
    nll = OrgUnit.objects.get(code="NLL")
    rows = {r["number"]: r for r in queries.risk_table(nll, 2022)}
    assert len(rows) == 16 and "5" not in rows
    sf3 = rows["3"]
    assert (sf3["consequence"], sf3["value"], sf3["probability"]) == (3, 12, 4)
    assert sf3["probability_derived"] and sf3["requires_action"]
    assert sf3["level"] == "Åtgärd krävs"
    assert sf3["goals"] == ["En god vård med hög tillgänglighet och kontinuitet"]
    assert (rows["16"]["consequence"], rows["16"]["probability"], rows["16"]["value"]) == (4, 2, 8)
    assert not rows["16"]["requires_action"] and not rows["16"]["probability_derived"]
    assert [n for n, r in rows.items() if r["requires_action"]] == [
        "3", "4", "7", "9", "12", "13", "14", "15"
    ]  # fmt: skip
    matrix = queries.risk_matrix(nll, 2022)
    assert matrix.unplaced == 0 and matrix.total == 16
    assert matrix.cells[(4, 3)] == 3 and matrix.cells[(3, 3)] == 5 and matrix.cells[(2, 3)] == 5
    # The drawn grid: probability 4 on top, consequence 1..4 left to right.
    assert [c.count for c in matrix.rows[0]] == [0, 0, 3, 0]
    assert matrix.rows[0][2].band.requires_action
    assert matrix.summary == "8 Åtgärd krävs 8 Ingen särskild åtgärd | Totalt: 16"
    assert all(r["controls"] for n, r in rows.items() if n not in {"1", "6"})
