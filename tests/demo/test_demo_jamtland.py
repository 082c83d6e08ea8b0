"""Region Jämtland Härjedalen in the demo: the follow-up of Hälso- och sjukvårdsnämndens
plan med budget 2024, status per April (tertialrapporten per april).

Every expected count below is taken from seed 002 (shared/seeds/002_*.txt, OCR text) and
names the passage it comes from. The demo is loaded once per module through the loader's
entry point (`styrkort.demo.loader.load_fixtures`, what `styrkort demo` runs).

The table of short-term indicators and assignments per goal area is held by its totals
(37/17/6/14, 74 in all): the nine items the text names with their red status, the 65 others as
unnamed items not assessed, because the OCR lost the table's column headers and cell colours
(one column per row is missing: the printed numbers do not add up to the totals). Not loaded,
on purpose: outcomes (the text gives none).
"""

import datetime as dt
import re

import pytest

from styrkort.demo.loader import FIXTURE_DIR, fixture_files, load_fixtures
from styrkort.followup.models import Analysis, Assessment, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import (
    Activity,
    ActivitySummary,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    Target,
)

PLAN = "JLL-HSN-2024"
PERIOD = "2024-DÅ04"
OWN_FILES = sorted(FIXTURE_DIR.glob("3[0-9]-jll-*.yaml"))


DEMO_FILES = fixture_files()  # the whole demo, as `styrkort demo` loads it


def assessment(code):
    return Assessment.objects.get(indicator__code=code, unit__code="JLL-HSN", period=PERIOD)


# --- counts --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_units(demo):
    # "Hälso- och sjukvårdsnämndens plan" (the board), "hälso- och sjukvårdens
    # förvaltningsområde" (its 22 areas are not named) and the region itself.
    units = OrgUnit.objects.filter(organisation__code="jll")
    assert units.count() == 3
    assert sorted(units.values_list("type", flat=True)) == ["administration", "board", "region"]
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="JLL-HS")).code == "JLL-HSN"


@pytest.mark.django_db
def test_four_goal_areas(demo):
    plan = Plan.objects.get(code=PLAN)
    # "de fyra målområdena hälso- och sjukvård, tandvård, ledningsprocesser och
    # stödverksamhet", each printed with its overall goal in the table.
    areas = Goal.objects.filter(plan=plan, level=1).order_by("order")
    assert [g.name for g in areas] == [
        "Målområde för hälso- och sjukvård",
        "Målområde för tandvård",
        "Målområde för stödverksamhet",
        "Målområde för ledningsprocesser",
    ]
    assert [g.children.get().name for g in areas] == [
        "God och nära vård i hela Jämtland Härjedalen",
        "God och tillgänglig tandvård i hela Jämtland Härjedalen",
        "Ändamålsenlig kompetens för effektivt stöd till verksamhet och utveckling",
        "Ledning, styrning och uppföljning av beslut och verksamhet",
    ]
    assert Goal.objects.filter(plan=plan).count() == 8
    assert plan.decision_date == dt.date(2023, 11, 22)  # "Den 22 november 2023 beslutades ..."
    assert plan.state == "adopted"


@pytest.mark.django_db
def test_indicators_named_per_goal_area(demo):
    # Red indicators named per goal area: hälso- och sjukvård 4 (sjukfrånvaro, vistelsetid på
    # akutmottagningen, kläd- och hygienregler, egenmonitorering), tandvård 2 (sjukfrånvaro,
    # timmar bokad tid i vuxentandvården), stödverksamhet 1 (sjukfrånvaro),
    # ledningsprocesser 2 (bruttokostnadsutveckling, resultat bättre än budgeterat).
    per_area = {
        g.name: PlanIndicator.objects.filter(goal__parent=g)
        .exclude(indicator__code__contains="-POST-")
        .count()
        for g in Goal.objects.filter(plan__code=PLAN, level=1)
    }
    assert per_area == {
        "Målområde för hälso- och sjukvård": 4,
        "Målområde för tandvård": 2,
        "Målområde för stödverksamhet": 1,
        "Målområde för ledningsprocesser": 2,
    }
    assert Indicator.objects.filter(organisation__code="jll").count() == 74
    assert PlanIndicator.objects.filter(plan__code=PLAN).count() == 74
    # The text prints no target values and no outcomes: none are invented.
    assert Target.objects.filter(placement__plan__code=PLAN).count() == 0
    assert Outcome.objects.filter(indicator__organisation__code="jll").count() == 0
    # No assignment or single activity is named; only the activity counts are given.
    assert Activity.objects.filter(plan__code=PLAN).count() == 0


@pytest.mark.django_db
def test_short_term_items_per_goal_area_37_17_6_14(demo):
    # The table's totals column (seed lines 30-46): "... 37", "... 17", "... 6", "... 14" and
    # "Sammanställning ... 74"; the named ones first, in the text's order.
    per_area = {
        g.code: list(
            PlanIndicator.objects.filter(goal__parent=g)
            .order_by("order")
            .values_list("indicator__code", flat=True)
        )
        for g in Goal.objects.filter(plan__code=PLAN, level=1)
    }
    assert {k: len(v) for k, v in per_area.items()} == {"HS": 37, "TV": 17, "STOD": 6, "LED": 14}
    assert sum(len(v) for v in per_area.values()) == 74
    assert per_area["HS"][:5] == [
        "JLL-HS-SJUKFRANVARO",
        "JLL-HS-VISTELSETID-AKUT",
        "JLL-HS-KLADHYGIEN",
        "JLL-HS-EGENMONITORERING",
        "JLL-HS-POST-05",
    ]
    unnamed = Indicator.objects.filter(code__contains="-POST-")
    assert unnamed.count() == 65
    # Each unnamed item says it is unnamed, and keeps the printed row that does not add up.
    post = Indicator.objects.get(code="JLL-HS-POST-05")
    assert post.name.startswith("Ej namngivet nyckeltal eller uppdrag 5 av 37")
    assert "7, 13, 8 och 3, före summan 37; de ger 31, inte 37" in " ".join(post.note.split())
    stod = Indicator.objects.get(code="JLL-STOD-POST-06")
    assert "bara tre tal, 2, 2 och 1, före summan 6; de ger 5" in " ".join(stod.note.split())


@pytest.mark.django_db
def test_unnamed_items_are_not_assessed_because_the_ocr_lost_their_colour(demo):
    rows = Assessment.objects.filter(
        unit__organisation__code="jll", indicator__code__contains="-POST-"
    )
    assert rows.count() == 65
    assert set(rows.values_list("status", flat=True)) == {"not_assessed"}
    assert all(
        "färgerna och kolumnrubrikerna gick förlorade" in " ".join(r.reason.split()) for r in rows
    )


@pytest.mark.django_db
def test_overall_goals_rest_on_9_of_74_items(demo):
    from styrkort.followup.queries import evaluate_unit
    from styrkort.periods import parse_period

    result = evaluate_unit(OrgUnit.objects.get(code="JLL-HSN"), parse_period(PERIOD))
    basis = {g.code: (g.status, g.basis.assessed, g.basis.total) for g in result.goals}
    # The red items named per goal area (4/2/1/2) of the items the table counts (37/17/6/14).
    assert basis == {
        "HS": ("not_met", 4, 37),
        "HS-OM": ("not_met", 4, 37),
        "TV": ("not_met", 2, 17),
        "TV-OM": ("not_met", 2, 17),
        "STOD": ("not_met", 1, 6),
        "STOD-OM": ("not_met", 1, 6),
        "LED": ("not_met", 2, 14),
        "LED-OM": ("not_met", 2, 14),
    }
    areas = [g.basis for g in result.goals if g.level == 1]
    assert (sum(b.assessed for b in areas), sum(b.total for b in areas)) == (9, 74)
    assert result.goals[0].basis.text() == "bygger på 4 av 37"


@pytest.mark.django_db
def test_red_statuses_are_manual_assessments(demo):
    rows = Assessment.objects.filter(unit__organisation__code="jll").exclude(
        indicator__code__contains="-POST-"
    )
    assert rows.count() == 9
    assert set(rows.values_list("status", flat=True)) == {"not_met"}
    assert set(rows.values_list("period", flat=True)) == {PERIOD}
    assert all(r.reason.strip() for r in rows)


@pytest.mark.django_db
def test_activity_counts_731(demo):
    rows = ActivitySummary.objects.filter(plan__code=PLAN)
    counts = {r.status: r.count for r in rows}
    # "731 aktiviteter på områdesnivå. Av dessa är 58 genomförda, 425 pågående enligt plan,
    # 24 försenade och 224 planerade."
    assert counts == {"done": 58, "on_track": 425, "delayed": 24, "planned": 224}
    assert sum(counts.values()) == 731
    assert {(r.unit.code, r.period) for r in rows} == {("JLL-HSN", PERIOD)}
    assert "731 aktiviteter på områdesnivå" in rows.first().source


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo):
    again = load_fixtures(OWN_FILES)
    assert again.created == {} and again.updated == {}
    assert again.unchanged["planning.ActivitySummary"] == 4
    assert again.unchanged["followup.Assessment"] == 74
    assert again.unchanged["planning.PlanIndicator"] == 74


@pytest.mark.django_db
def test_scorecard_per_april_shows_the_red_statuses_and_the_731(demo):
    from styrkort.followup.queries import evaluate_unit
    from styrkort.periods import parse_period

    result = evaluate_unit(OrgUnit.objects.get(code="JLL-HSN"), parse_period(PERIOD)).to_json()
    assert result["period"] == PERIOD
    statuses = {i["code"]: i["status"]["total"] for i in result["indicators"]}
    assert len(statuses) == 74
    assert sorted(statuses.values()).count("not_met") == 9
    assert sorted(statuses.values()).count("not_assessed") == 65
    # No outcome exists: the rules alone have nothing to say, the manual assessment decides.
    assert {i["computed_status"]["total"] for i in result["indicators"]} == {"no_data"}
    counts = result["activities"]["counts"]
    assert (counts["done"], counts["on_track"], counts["delayed"], counts["planned"]) == (
        58,
        425,
        24,
        224,
    )


# --- spot checks of printed values -----------------------------------------------------------


@pytest.mark.parametrize(
    "code, name, phrase",
    [
        ("JLL-HS-SJUKFRANVARO", "Sjukfrånvaro", "röd status för sjukfrånvaro, vistelsetid på"),
        (
            "JLL-HS-VISTELSETID-AKUT",
            "Vistelsetid på akutmottagningen",
            "vistelsetid på akutmottagningen",
        ),
        (
            "JLL-HS-KLADHYGIEN",
            "Följsamhet avseende kläd- och hygienregler",
            "följsamheten avseende kläd- och hygienregler",
        ),
        (
            "JLL-HS-EGENMONITORERING",
            "Anslutning till egenmonitorering",
            "anslutning till egenmonitorering",
        ),
        (
            "JLL-TV-SJUKFRANVARO",
            "Sjukfrånvaro",
            "Under målområde för tandvård finns röd status för sjukfrånvaro",
        ),
        (
            "JLL-TV-BOKAD-TID-VUXEN",
            "Antal timmar bokad tid inom vuxentandvården",
            "Det senare har uppmärksammats för nämnden tidigare under året",
        ),
        (
            "JLL-STOD-SJUKFRANVARO",
            "Sjukfrånvaro",
            "Utfallet ligger högre än det uppsatta målvärdet, vilket är det samma för hela Region "
            "Jämtland Härjedalen.",
        ),
        ("JLL-LED-BRUTTOKOSTNAD", "Bruttokostnadsutveckling", "bättre än budgeterat båda röda"),
        (
            "JLL-LED-RESULTAT-BUDGET",
            "Bidra till att visa resultat bättre än budgeterat",
            "Nämnden hanterar särskilda ärenden för ekonomi",
        ),
    ],
)
@pytest.mark.django_db
def test_each_named_indicator_is_red_with_the_texts_reason(demo, code, name, phrase):
    assert Indicator.objects.get(code=code).name == name
    a = assessment(code)
    assert a.status == "not_met"
    assert phrase in a.reason


@pytest.mark.django_db
def test_goal_area_analyses(demo):
    texts = {
        a.goal.code: a.text
        for a in Analysis.objects.filter(unit__code="JLL-HSN", period=PERIOD, goal__plan__code=PLAN)
    }
    assert set(texts) == {"HS", "TV", "STOD", "LED"}
    assert "dålig måluppfyllelse avseende vård enligt vårdgarantins gränser" in texts["HS"]
    assert "andelen bokad tid för vuxna i allmäntandvården" in texts["TV"]
    assert "differentierade målvärden i de olika förvaltningsområdena" in texts["STOD"]


@pytest.mark.django_db
def test_no_ocr_garbage_left(demo):
    """The OCR wrote é, 6, 4, & and | for å, ä, ö; every loaded text is plain Swedish again."""
    texts = []
    texts += [g.name for g in Goal.objects.filter(plan__code=PLAN)]
    texts += [i.name for i in Indicator.objects.filter(organisation__code="jll")]
    texts += [i.note for i in Indicator.objects.filter(organisation__code="jll")]
    texts += [a.reason for a in Assessment.objects.filter(unit__organisation__code="jll")]
    texts += [a.text for a in Analysis.objects.filter(unit__organisation__code="jll")]
    texts += [u.name for u in OrgUnit.objects.filter(organisation__code="jll")]
    texts += [Plan.objects.get(code=PLAN).name]
    garbled = re.compile(r"[éèìí|&{}]|[A-Za-zåäö][0-9]|[0-9][a-zåäö]")
    assert texts and all(not garbled.search(t) for t in texts), [
        t for t in texts if garbled.search(t)
    ]
    assert "Hälso- och sjukvårdsnämnden" in {
        u.name for u in OrgUnit.objects.filter(organisation__code="jll")
    }


@pytest.mark.django_db
def test_every_code_is_listed_in_the_codes_document(demo):
    from django.conf import settings

    text = (settings.PROJECT_DIR / "docs" / "demo-codes.md").read_text(encoding="utf-8")
    section = text.split("## Region Sörmland and Region Jämtland Härjedalen", 1)[1]
    for unit in OrgUnit.objects.filter(organisation__code="jll"):
        assert f"| `{unit.code}` | {unit.name} |" in section
    for ind in Indicator.objects.filter(organisation__code="jll"):
        assert f"| `{ind.code}` | {ind.name} |" in section


@pytest.mark.django_db
def test_plan_adopted_by_the_board_on_22_november_2023(demo):
    # Seed 002: "Den 22 november 2023 beslutades Hälso- och sjukvårdsnämndens plan med
    # budget 2024." The seed names no diarienummer.
    plan = Plan.objects.get(code=PLAN)
    assert (plan.state, plan.decision_body, plan.decision_date, plan.decision_ref) == (
        "adopted",
        "Hälso- och sjukvårdsnämnden",
        dt.date(2023, 11, 22),
        "",
    )


@pytest.mark.django_db
def test_scorecard_and_goal_page_say_what_the_status_rests_on(demo, user_on, login):
    # The scorecard's goal area and overall goal, and the goal's follow-up page, print
    # "bygger på 4 av 37" beside the status: 4 red items of the 37 the table counts.
    from django.urls import reverse

    client = login(user_on("reporter", "JLL-HSN"))
    page = client.get(reverse("scorecard", args=["JLL-HSN"]), {"period": PERIOD})
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert text.count("bygger på 4 av 37") == 2
    assert "bygger på 9 av 74" not in text  # per goal, not for the plan
    goal = Goal.objects.get(plan__code=PLAN, code="HS-OM")
    page = client.get(reverse("goal_followup", args=["JLL-HSN", goal.pk]), {"period": PERIOD})
    assert page.status_code == 200
    assert "bygger på 4 av 37" in page.content.decode()
