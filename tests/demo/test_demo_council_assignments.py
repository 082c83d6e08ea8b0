"""Seed 004's council assignments in the demo: "Regionfullmäktige har gett följande uppdrag
till regionstyrelsen och regionala utvecklingsnämnden" (004_*.txt, line 112), the 40 items
of lines 114-154 as assignments of Regionstyrelsens plan 2022-2024, in the seed's order,
with the body named in brackets, no status (the plan gives none) and nothing invented."""

import pytest

from styrkort.demo.loader import FIXTURE_DIR
from styrkort.planning.models import Activity

DEMO_FILES = [
    *sorted(FIXTURE_DIR.glob("00[1-4]-norrbotten-*.yaml")),
    FIXTURE_DIR / "58-nll-council-assignments.yaml",
]


@pytest.mark.django_db
def test_forty_assignments_from_the_council_in_the_seeds_order(demo):
    rows = Activity.objects.filter(plan__code="NLL-RS-2022", kind="assignment").order_by("order")
    assert rows.count() == 40
    assert {(a.owner_unit.code, a.issued_by, a.status) for a in rows} == {
        ("NLL", "Regionfullmäktige", "not_reported")
    }
    assert [a.number for a in rows] == [str(n) for n in range(1, 41)]
    first, last = rows.first(), rows.last()
    # Line 114 (RS, RUN) and line 154 (RS).
    assert first.name.startswith("Färdigställa den år 2019 påbörjade omställningen")
    assert first.description == (
        "Uppdrag till regionstyrelsen och regionala utvecklingsnämnden (RS, RUN)."
    )
    assert last.name == "Undersöka möjligheterna till en samordnad obesitasvård i Norrbotten."
    assert last.description == "Uppdrag till regionstyrelsen (RS)."
    # Eight are the board's and RUN's together, 31 the board's; line 153 names no body.
    descriptions = [a.description for a in rows]
    assert sum("(RS, RUN)" in d for d in descriptions) == 8
    assert sum(d == "Uppdrag till regionstyrelsen (RS)." for d in descriptions) == 31
    cut = rows.get(number="39")
    assert cut.name.endswith("planera för genomförandet av Kiruna nya")
    assert "slutar så i planen (rad 153)" in cut.description
    # Printed as in the seed (line 133: "Utredda"), not corrected.
    assert rows.get(number="19").name.startswith("Utredda skyndsamt möjligheterna")
    assert not any(a.goals.exists() for a in rows)  # the seed links them to no goal
