"""Region Norrbotten's scorecard per DÅ04 2022 (seed 004's board plan with seed 001's
division): where the region has no value of its own it shows its units' roll-up, marked as
one, and links down to the units, also where the shares cannot be combined."""

import pytest
from django.urls import reverse

from styrkort.accounts.models import Role
from worlds import DEMO_FILES as _ALL

DEMO_FILES = [f for f in _ALL if f.name[:3].isdigit() and f.name.startswith("0")]

PERIOD = "2022-DÅ04"


@pytest.mark.django_db
def test_region_scorecard_rolls_up_and_links_down(demo, user_on, client):
    client.force_login(user_on(Role.READER, "NLL"))
    page = client.get(reverse("scorecard", args=["NLL"]) + f"?period={PERIOD}").content.decode()
    page = page.replace("\u00a0", " ")
    drill = reverse("scorecard_subunits", args=["NLL", "NLL-VANT-FORSTA-90"])
    # The division's 51 % without its parts: no region value, a word why, a link down.
    row = page[page.index('id="ind-NLL-VANT-FORSTA-90"') :]
    row = row[: row.index("</tr>")]
    assert "Utfall saknas" in row
    assert "kan inte vägas samman" in row
    assert drill in row
    # A count is summed from the units and says so.
    row = page[page.index('id="ind-NLL-AKUT-80"') :]
    row = row[: row.index("</tr>")]
    assert "14 348" in row and "Summerat från underliggande enheter" in row
    assert reverse("scorecard_subunits", args=["NLL", "NLL-AKUT-80"]) in row

    # The drill-down names the division with its value and leads to the units side by side.
    part = client.get(drill + f"?period={PERIOD}").content.decode().replace("\u00a0", " ")
    assert "Division Länssjukvård 1" in part and "51 %" in part
    assert reverse("side_by_side", args=["NLL", "NLL-VANT-FORSTA-90"]) in part
