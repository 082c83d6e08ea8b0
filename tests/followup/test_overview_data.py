"""The politician's overview and units side by side, with the demo's real numbers:
Region Norrbotten per DÅ04 2022 (seeds 001 and 004) and Region Jämtland Härjedalen's
health-care board per DÅ04 2024 (seed 002); and the region's roll-up where its units'
shares cannot be combined."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from styrkort.demo.loader import fixture_files
from styrkort.followup.overview import build_overview, previous_reporting_point
from styrkort.followup.queries import evaluate_unit
from styrkort.followup.side_by_side import side_by_side
from styrkort.organisation.models import OrgUnit
from styrkort.periods import parse_period

DEMO_FILES = fixture_files()  # both regions, their plans and their rounds

TODAY = dt.date(2024, 6, 1)


def unit(code):
    return OrgUnit.objects.select_related("organisation").get(code=code)


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


@pytest.mark.django_db
def test_norrbotten_per_goal_area_dao4_2022(demo):
    ov = build_overview(unit("NLL"), parse_period("2022-DÅ04"), today=TODAY)
    assert ov.plan_name == "Regionstyrelsens plan 2022-2024"
    areas = {a.name: a for a in ov.areas}
    assert list(areas) == ["Samhälle", "Medborgare", "Verksamhet", "Medarbetare", "Ekonomi"]
    # The board's 58 placed indicators, of which Division Länssjukvård 1's values give
    # the region a status for nine (roll-ups and the region's own suicide assessment).
    assert nonzero(ov.total.indicators) == {
        "met": 3,
        "not_met": 1,
        "not_assessed": 5,
        "no_data": 49,
    }
    assert ov.total.indicator_total == 58
    assert nonzero(areas["Medborgare"].indicators) == {"met": 1, "not_assessed": 1, "no_data": 15}
    assert nonzero(areas["Verksamhet"].indicators) == {
        "met": 1,
        "not_met": 1,
        "not_assessed": 2,
        "no_data": 13,
    }
    assert nonzero(areas["Ekonomi"].indicators) == {"met": 1, "no_data": 8}
    assert nonzero(areas["Verksamhet"].goals) == {
        "met": 1,
        "partly": 1,
        "not_met": 1,
        "not_assessed": 4,
    }
    assert (areas["Medborgare"].status, areas["Verksamhet"].status) == ("met", "partly")
    # The grid: the region and its seven divisions; the division with its own plan has
    # no "Samhälle" area, the others follow the board's plan.
    assert [r.code for r in ov.grid] == [
        "NLL",
        "NLL-FUNK",
        "NLL-LS1",
        "NLL-LS2",
        "NLL-NARA",
        "NLL-PSYK",
        "NLL-RG",
        "NLL-RSTOD",
    ]
    ls1 = ov.grid[2]
    assert ls1.own_plan and not ls1.cells[0].in_plan
    assert [c.status for c in ls1.cells[1:]] == ["partly"] * 4
    assert [c.indicator_total for c in ls1.cells[1:]] == [6, 8, 2, 1]
    assert not ov.grid[1].own_plan and ov.grid[1].has_children is False
    # DÅ04 follows ÅR of the year before, when the board's plan did not yet apply.
    assert ov.previous_period.canonical == "2021"
    assert ov.change_counts == {"worse": 0, "better": 0, "new": 4, "gone": 0}
    # The round per April 2022 is closed with all 25 units approved.
    assert ov.round_state == "closed"
    assert ov.reported_counts == {"approved": 25}
    assert [r.code for r in ov.reported][:3] == ["NLL", "NLL-FUNK", "NLL-LS1"]


@pytest.mark.django_db
def test_jamtland_board_per_goal_area_dao4_2024(demo):
    ov = build_overview(unit("JLL-HSN"), parse_period("2024-DÅ04"), today=TODAY)
    red = {a.name: a.indicators["not_met"] for a in ov.areas}
    # Seed 002: the red short-term indicators per goal area (4, 2, 1, 2); the other
    # placements have no status from the tertial report.
    assert red == {
        "Målområde för hälso- och sjukvård": 4,
        "Målområde för tandvård": 2,
        "Målområde för stödverksamhet": 1,
        "Målområde för ledningsprocesser": 2,
    }
    assert all(a.indicators["met"] == a.indicators["partly"] == 0 for a in ov.areas)
    assert [a.status for a in ov.areas] == ["not_met"] * 4
    # Seed 002's 731 activities: 58 done, 425 on track, 24 delayed, 224 planned.
    assert nonzero(ov.total.activities) == {
        "done": 58,
        "on_track": 425,
        "delayed": 24,
        "planned": 224,
    }
    assert ov.total.activity_total == 731
    assert ov.round_state == "closed" and ov.reported_counts == {"approved": 2}

    # The region itself has no plan: its overview is the grid of its board.
    region = build_overview(unit("JLL"), parse_period("2024-DÅ04"), today=TODAY)
    assert region.plan_name is None and region.areas == []
    assert [r.code for r in region.grid] == ["JLL-HSN"]
    board = region.grid[0]
    assert [c.status for c in board.cells] == ["not_met"] * 4
    assert [c.indicators["not_met"] for c in board.cells] == [4, 2, 1, 2]


def test_previous_reporting_point():
    assert previous_reporting_point(parse_period("2022-DÅ04")).canonical == "2021"
    assert previous_reporting_point(parse_period("2022-DÅ08")).canonical == "2022-DÅ04"
    assert previous_reporting_point(parse_period("2022")).canonical == "2022-DÅ08"


@pytest.mark.django_db
def test_region_links_down_to_shares_it_cannot_combine(demo):
    """Division Länssjukvård 1 reports 51 % for the first visits within 90 days without
    numerator and denominator: the region has no value (a share is never averaged) but a
    roll-up that names the division, so the scorecard links down."""
    item = evaluate_unit(unit("NLL"), "2022-DÅ04", today=TODAY).indicator("NLL-VANT-FORSTA-90")
    assert item.values["total"] is None
    assert item.rollup is not None and not item.rollup.combined
    assert (item.rollup.from_units, item.rollup.units) == (1, ("NLL-LS1",))
    out = io.StringIO()
    call_command("evaluate", "--org", "NLL", "--period", "2022-DÅ04", stdout=out)
    assert "underenheterna (1 st) har värden som inte kan vägas samman" in out.getvalue()
    # Counts are summed where the rule allows it, and marked as a roll-up.
    akut = evaluate_unit(unit("NLL"), "2022-DÅ04", today=TODAY).indicator("NLL-AKUT-80")
    assert akut.sources["total"] == "rollup" and akut.rollup.combined
    assert akut.values["total"] == 14348


@pytest.mark.django_db
def test_side_by_side_sub_units_and_siblings(demo):
    data = side_by_side(unit("NLL"), parse_period("2022-DÅ04"), "NLL-VANT-FORSTA-90")
    assert not data.siblings and data.parent_code == "NLL"
    assert [(r.code, r.values["total"]) for r in data.with_values] == [("NLL-LS1", 51.0)]
    assert len(data.rows) == 7  # every division, those without a value last

    # VO Internmedicin's clinics, best first (higher is better), with the target line.
    data = side_by_side(unit("NLL-LS1-IM"), parse_period("2022-DÅ04"), "NLL-LM-BERATTELSE")
    assert not data.siblings and data.parent_code == "NLL-LS1-IM"
    values = [r.values["total"] for r in data.with_values]
    assert values == sorted(values, reverse=True) and len(values) >= 2
    assert data.target_value == 70

    # A clinic has no sub-units: it is shown among its siblings.
    data = side_by_side(unit("NLL-LS1-IM-SUN"), parse_period("2022-DÅ04"), "NLL-LM-BERATTELSE")
    assert data.siblings and data.parent_code == "NLL-LS1-IM"
    assert [r.code for r in data.rows if r.is_self] == ["NLL-LS1-IM-SUN"]


@pytest.mark.django_db
def test_command_line(demo):
    out = io.StringIO()
    call_command("overview", "--org", "JLL-HSN", "--period", "2024-DÅ04", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [a["indicators"]["not_met"] for a in data["areas"]] == [4, 2, 1, 2]
    assert data["reporting"]["round"] == "closed"
    out = io.StringIO()
    call_command("overview", "--org", "NLL", "--period", "2022-DÅ04", stdout=out)
    assert "Måluppfyllelse per målområde" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("overview", "--org", "NLL", "--period", "april")
    assert refused.value.returncode == 2 and "april" in str(refused.value)
