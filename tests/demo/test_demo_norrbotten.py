"""Region Norrbotten in the demo: the board's plan 2022-2024 (seed 004) and Division
Länssjukvård 1's interim report per April 2022 (seed 001).

Every expected count is taken from the seed text and names the section it comes from;
the spot checks compare loaded values with the figures as printed. The demo is loaded
once per module through the loader's entry point and rolled back afterwards.
"""

import pytest

from styrkort.demo.loader import FIXTURE_DIR, fixture_files
from styrkort.followup.models import Analysis, Assessment, Outcome
from styrkort.organisation.models import OrgUnit
from styrkort.planning.models import (
    Activity,
    ActivityReport,
    Goal,
    Indicator,
    Plan,
    PlanIndicator,
    Target,
)

BOARD = "NLL-RS-2022"
LS1 = "NLL-LS1-2022"
OWN_FILES = sorted(p for p in FIXTURE_DIR.glob("0*.yaml"))


DEMO_FILES = fixture_files()  # the whole demo, as `styrkort demo` loads it


def outcome(indicator, period="2022-DÅ04", sex="total", unit="NLL-LS1"):
    return Outcome.objects.get(indicator__code=indicator, unit__code=unit, period=period, sex=sex)


def target_text(plan, indicator, year=2022):
    return Target.objects.get(
        placement__plan__code=plan, placement__indicator__code=indicator, year=year
    ).text


# --- counts: seed 004 -------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_004_units(demo):
    units = OrgUnit.objects.filter(organisation__code="nll")
    # Bilaga 3: Verksamhet i divisionerna och regiongemensamt: the region, six divisions
    # (Nära, Länssjukvård 1, Länssjukvård 2, Funktion, Psykiatri, Regionstöd) and
    # Regiongemensamt with its seven units (Hälso- och sjukvård, Ekonomi och uppföljning, HR,
    # IT/MT och digitalisering, Kommunikation, Regional utveckling, Regionstaben).
    assert units.filter(depth__lte=2).count() == 1 + 6 + 1
    assert units.filter(type="division").count() == 6
    assert OrgUnit.objects.get_children_count(OrgUnit.objects.get(code="NLL-RG")) == 7
    # Seed 001 adds Länssjukvård 1's four VOs (Akut omhändertagande, Barnsjukvård,
    # Internmedicin, Neurocentrum; also in Bilaga 3) and the six clinics of the
    # läkemedelsberättelse table (VO Internmedicin at Gällivare, Kalix, Kiruna, Piteå and
    # Sunderby; VO Neurocentrum at Sunderby).
    assert OrgUnit.objects.get_children_count(OrgUnit.objects.get(code="NLL-LS1")) == 4
    assert units.filter(type="clinic").count() == 6
    assert units.count() == 15 + 4 + 6
    sunderby = OrgUnit.objects.get(code="NLL-LS1-IM-SUN")
    assert sunderby.site.name == "Sunderby sjukhus"
    assert OrgUnit.objects.get_parent(sunderby).name == "VO Internmedicin"


@pytest.mark.django_db
def test_seed_004_board_plan_goals_and_indicators(demo):
    plan = Plan.objects.get(code=BOARD)
    assert plan.unit.code == "NLL"
    assert plan.vision == "Tillsammans för Norrbotten – Bästa livet, bästa hälsan."
    goals = Goal.objects.filter(plan=plan)
    # Framgångsfaktorer och styrmått: five perspectives, one strategic goal in each, and
    # 2 + 3 + 6 + 4 + 2 success factors (table of contents, pages 17-28).
    assert goals.filter(level=1).count() == 5
    assert goals.filter(level=2).count() == 5
    assert goals.filter(level=3).count() == 2 + 3 + 6 + 4 + 2
    assert list(goals.filter(level=1).order_by("order").values_list("name", flat=True)) == [
        "Samhälle",
        "Medborgare",
        "Verksamhet",
        "Medarbetare",
        "Ekonomi",
    ]
    # The styrmått tables under the 17 success factors have 3+1, 12+4+1, 2+3+2+4+3+3,
    # 3+2+2+4 and 3+6 rows: 58 rows. "Andel digitala vårdbesök" stands under two success
    # factors (En god vård ...; Förflyttning mot öppna vårdformer): 57 indicators.
    placements = PlanIndicator.objects.filter(plan=plan)
    assert placements.count() == 4 + 17 + 17 + 11 + 9 == 58
    assert placements.values("indicator").distinct().count() == 57
    digital = placements.filter(indicator__code="NLL-DIGITALA-BESOK")
    assert sorted(digital.values_list("goal__name", flat=True)) == [
        "En god vård med hög tillgänglighet och kontinuitet",
        "Förflyttning mot öppna vårdformer",
    ]
    # Target cells: 58 for 2022 and 50 for 2024 (eight 2024 cells are empty).
    targets = Target.objects.filter(placement__plan=plan)
    assert targets.filter(year=2022).count() == 58
    assert targets.filter(year=2024).count() == 50
    # Seed 004 prints no outcomes: the region's only outcomes are seed 001's column
    # "RN 2022-T1" of the suicide-assessment table.
    region = Outcome.objects.filter(unit__code="NLL")
    assert set(region.values_list("indicator__code", "period")) == {
        ("NLL-SUICIDBEDOMNING", "2022-DÅ04")
    }


@pytest.mark.django_db
def test_seed_004_indicator_rows_as_printed(demo):
    def placement(code):
        return PlanIndicator.objects.get(plan__code=BOARD, indicator__code=code)

    # Medborgarperspektivet, En god vård med hög tillgänglighet och kontinuitet.
    p = placement("NLL-DIGITALEN-ARENDEN")
    assert p.baseline_text == "19600 tom T2 2021, prognos 35 000 2021"
    assert target_text(BOARD, "NLL-DIGITALEN-ARENDEN") == "43 000"
    assert target_text(BOARD, "NLL-DIGITALEN-ARENDEN", 2024) == "60 000"
    assert p.indicator.source == "Plattform24"
    p = placement("NLL-VANT-FORSTA-90")
    assert target_text(BOARD, "NLL-VANT-FORSTA-90") == "100 % i dec"
    assert p.note == (
        "Fotnot 6: Styrmått 25-28 visar nuläget per 30 april, 31 augusti och 31 december."
    )
    assert p.reporting_points == "DÅ 04, 08, ÅR"
    # Verksamhetsperspektivet, En sammanhållen och samordnad vård utifrån individens behov.
    p = placement("NLL-ATERINSKRIVNING-30")
    assert p.baseline_text == "2019: K 16,9 % M 18,0 %"
    assert target_text(BOARD, "NLL-ATERINSKRIVNING-30") == "K 16,0 M 17,2"
    assert target_text(BOARD, "NLL-ATERINSKRIVNING-30", 2024) == "K15,0 M15,5"
    assert "K 17,1 % och M 17,9 %" in p.note
    # En hållbar verksamhet med hög säkerhet.
    p = placement("NLL-FALLSKADOR")
    assert (p.baseline_text, p.baseline_value, p.baseline_period) == (
        "2019: 207 K 82, M 125",
        207,
        "2019",
    )
    assert target_text(BOARD, "NLL-FALLSKADOR") == "Minska med 50 % jmf 2020"
    assert not Target.objects.filter(placement=p, year=2024).exists()
    p = placement("NLL-ANTIBIOTIKARECEPT")
    assert (p.baseline_value, target_text(BOARD, p.indicator.code)) == (275, "270")
    assert target_text(BOARD, "NLL-ANTIBIOTIKARECEPT", 2024) == "245"
    # Ekonomiperspektivet.
    assert target_text(BOARD, "NLL-PENSION-KONSOLIDERING") == "DÅ 04: 56 % DÅ 08: 57 % ÅR: 58 %"
    assert target_text(BOARD, "NLL-KPP-DRG-KOSTNAD", 2024) == "I nivå med riket"
    assert placement("NLL-LAKEMEDEL-DIFF").indicator.unit == "kr"


# --- counts: seed 001 -------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_001_division_plan(demo):
    plan = Plan.objects.get(code=LS1)
    assert plan.superior_plan.code == BOARD
    goals = Goal.objects.filter(plan=plan)
    # Måluppfyllelse i perspektiv: Medborgare, Verksamhet, Medarbetare, Ekonomi, one
    # strategic goal each; success factors from the goal tables and the table of strategic
    # actions: 2 (Medborgare) + 6 (Verksamhet) + 4 (Medarbetare) + 2 (Ekonomi).
    assert goals.filter(level=1).count() == 4
    assert goals.filter(level=2).count() == 4
    assert goals.filter(level=3).count() == 2 + 6 + 4 + 2
    # Every goal serves the board's goal of the same place.
    for goal in goals:
        assert list(goal.linked_goals.values_list("plan__code", "code")) == [(BOARD, goal.code)]
    # Goal-table rows: Medborgare 2 + 4, Verksamhet 5 + 3, Medarbetare 2, Ekonomi 1.
    assert PlanIndicator.objects.filter(plan=plan).count() == 6 + 8 + 2 + 1
    assert target_text(LS1, "NLL-ATERINSKRIVNING-30") == "M: 17,2 % K: 16 %"
    assert target_text(LS1, "NLL-FALLSKADOR") == "Minska med 50 % jmf med 2020"
    assert target_text(LS1, "NLL-BUDGETAVVIKELSE") == "Förbättring jmf med föregående år"


@pytest.mark.django_db
def test_seed_001_indicators(demo):
    nll = Indicator.objects.filter(organisation__code="nll")
    # Produktion: Läkarbesök, Övriga vårdgivarbesök (each Somatik + Psykiatri) and Totalt, for
    # visits and for remote visits (7 + 7); Vårdtillfällen Totalt, Primärvård, Somatik,
    # Psykiatri (4); Verksamhet: the share of visits 80 years and older (1).
    assert nll.count() == 57 + 7 + 7 + 4 + 1
    assert nll.filter(kind="control").count() == 7 + 7 + 4 + 1
    lakarbesok = Indicator.objects.get(code="NLL-LAKARBESOK")
    assert sorted(lakarbesok.children.values_list("name", flat=True)) == [
        "Läkarbesök, psykiatri",
        "Läkarbesök, somatik",
    ]
    assert lakarbesok.parent.code == "NLL-BESOK-TOT"


@pytest.mark.django_db
def test_seed_001_outcome_counts(demo):
    nll = Outcome.objects.filter(unit__organisation__code="nll")
    # Produktion: 7 visit rows + 7 remote-visit rows + 3 care-episode rows with values
    # (Primärvård is empty), for 202204 and 202104.
    production = nll.filter(indicator__kind="control").exclude(indicator__code="NLL-AKUT-80-ANDEL")
    assert production.count() == (7 + 7 + 3) * 2
    # Goal tables: four waiting-time shares and the digital visits (total, M, K), visits 80+
    # (M, K counts and M, K shares), utskrivningsklara (and 2021 from the text),
    # re-admissions M, K, hired staff, sick leave, budget deviation.
    # Detail tables: violence T1 2020-2022 x K/M/total (9), suicide assessment 5 columns x 3
    # (15), palliative K, M (2), re-admissions 2014-2022 (9), falls 3 VOs + total x 2 years
    # (8), medication reports K, M, the text's 78,5 and 82,5, Gällivare DÅ8 2021 and six
    # clinics (11).
    assert nll.count() == 34 + (5 * 3 + 4 + 2 + 2 + 3) + (9 + 15 + 2 + 9 + 8 + 11)
    assert nll.count() == 114


@pytest.mark.django_db
def test_seed_001_actions(demo):
    actions = Activity.objects.filter(plan__code=LS1, owner_unit__code="NLL-LS1")
    # Uppföljning av divisionens strategiska åtgärder: numbers 1-31.
    assert actions.count() == 31
    assert sorted(int(a) for a in actions.values_list("number", flat=True)) == list(range(1, 32))
    # Two carried by VO Internmedicin (action 26 and the medication reports), so that the
    # demo reporter has activities of the unit's own.
    own = Activity.objects.filter(plan__code=LS1, owner_unit__code="NLL-LS1-IM")
    assert sorted(own.values_list("number", flat=True)) == ["26-IM", "LM-IM"]
    reports = ActivityReport.objects.filter(
        activity__plan__code=LS1, activity__owner_unit__code="NLL-LS1", period="2022-DÅ04"
    )
    assert reports.count() == 31
    # ● 7, 9-16, 26-31; ◇ 8; ▲ 17, 25; empty 1-6, 18-24.
    counts = {s: reports.filter(status=s).count() for s in ("on_track", "planned", "delayed")}
    assert counts == {"on_track": 15, "planned": 1, "delayed": 2}
    assert reports.filter(status="not_reported").count() == 13
    assert reports.exclude(comment="").count() == 8  # comments on 17 and 25-31


# --- spot checks against the printed figures ----------------------------------------------------


@pytest.mark.django_db
def test_production_as_printed(demo):
    assert outcome("NLL-LAKARBESOK").value == 31180
    assert outcome("NLL-LAKARBESOK", "2021-DÅ04").value == 29685
    assert outcome("NLL-LAKARBESOK-SOM").value + outcome("NLL-LAKARBESOK-PSYK").value == 31180
    assert outcome("NLL-OVRBESOK-PSYK", "2021-DÅ04").value == 5733
    assert outcome("NLL-BESOK-TOT").value == 62308
    assert outcome("NLL-DISTBESOK-LAK").value == 6247
    assert outcome("NLL-DISTBESOK-TOT", "2021-DÅ04").value == 16637
    assert outcome("NLL-VTF").value == 4673
    assert outcome("NLL-VTF-PSYK", "2021-DÅ04").value == 73
    # The printed change +5,0 % and remote share 20,0 % follow from these counts.
    assert round(100 * (31180 / 29685 - 1), 1) == 5.0
    assert round(100 * outcome("NLL-DISTBESOK-LAK").value / 31180, 1) == 20.0


@pytest.mark.django_db
def test_goal_tables_as_printed(demo):
    first = "NLL-VANT-FORSTA-90"
    assert [outcome(first, sex=s).value for s in ("total", "men", "women")] == [51, 60, 45]
    op = "NLL-VANT-OP-90"
    assert [outcome(op, sex=s).value for s in ("total", "men", "women")] == [62, 63, 61]
    bup = "NLL-VANT-BUP-FORSTA-30"
    assert [outcome(bup, sex=s).value for s in ("total", "men", "women")] == [39, 32, 47]
    assert outcome("NLL-VANT-BUP-BEH-30", sex="women").value == 29
    assert outcome("NLL-DIGITALA-BESOK").value == 23
    assert outcome("NLL-AKUT-80", sex="men").value == 7308
    assert outcome("NLL-AKUT-80", sex="women").value == 7040
    assert outcome("NLL-UTSKRIVNINGSKLARA").value == 19.3
    assert outcome("NLL-ATERINSKRIVNING-30", sex="men").value == 17.3
    assert outcome("NLL-ATERINSKRIVNING-30", sex="women").value == 18.8
    assert outcome("NLL-INHYRDA-KOSTNAD").value == 6.9
    assert outcome("NLL-SJUKFRANVARO").value == 8.17
    assert outcome("NLL-BUDGETAVVIKELSE").value == 19


@pytest.mark.django_db
def test_detail_tables_win_and_the_printed_figure_is_kept(demo):
    women = outcome("NLL-LM-BERATTELSE", sex="women")
    men = outcome("NLL-LM-BERATTELSE", sex="men")
    assert (women.numerator, women.denominator, round(women.value)) == (644, 819, 79)
    assert (men.numerator, men.denominator, round(men.value)) == (658, 845, 78)
    assert "måltabellen anger M: 76 %" in men.note
    assert outcome("NLL-LM-BERATTELSE").value == 78.5  # the text's figure, kept as printed
    violence_2022 = {s: outcome("NLL-VALD-FRAGA", sex=s) for s in ("women", "men", "total")}
    assert {s: o.value for s, o in violence_2022.items()} == {
        "women": 205,
        "men": 134,
        "total": 339,
    }
    assert violence_2022["women"].note == "Måltabellen anger K: 203."
    assert outcome("NLL-VALD-FRAGA", "2020-DÅ04").value == 400  # K 270 + M 200 printed as 400
    assert outcome("NLL-VALD-FRAGA", "2021-DÅ04", sex="men").value == 139
    assert outcome("NLL-SUICIDBEDOMNING", sex="women").value == 17
    assert outcome("NLL-SUICIDBEDOMNING", sex="men").note == "Måltabellen anger M: 17 %."
    assert outcome("NLL-SUICIDBEDOMNING", "2021", "total", "NLL-LS1-BARN").value == 41
    assert outcome("NLL-SUICIDBEDOMNING", sex="men", unit="NLL").value == 23
    palliative = outcome("NLL-PALLIATIV-STRATEGI", sex="women")
    assert (palliative.numerator, palliative.denominator, round(palliative.value)) == (89, 167, 53)


@pytest.mark.django_db
def test_medication_reports_per_clinic(demo):
    clinics = Outcome.objects.filter(
        indicator__code="NLL-LM-BERATTELSE", unit__type="clinic", period="2022-DÅ04"
    )
    assert clinics.count() == 6
    sunderby = clinics.get(unit__code="NLL-LS1-IM-SUN")
    assert (sunderby.denominator, sunderby.numerator) == (653, 481)
    assert round(sunderby.value) == 74
    gallivare = clinics.get(unit__code="NLL-LS1-IM-GAL")
    assert (gallivare.denominator, gallivare.numerator, round(gallivare.value)) == (228, 135, 59)
    assert outcome("NLL-LM-BERATTELSE", "2021-DÅ08", unit="NLL-LS1-IM-GAL").value == 52
    # "Summa: 1 757 1 324": the clinics sum to 75,4 %, not the 78,5 % of the text.
    num = sum(clinics.values_list("numerator", flat=True))
    den = sum(clinics.values_list("denominator", flat=True))
    assert (num, den) == (1324, 1757)
    assert round(100 * num / den, 1) == 75.4


@pytest.mark.django_db
def test_readmission_series(demo):
    series = Outcome.objects.filter(
        indicator__code="NLL-ATERINSKRIVNING-30", unit__code="NLL-LS1", sex="total"
    ).order_by("period_start")
    assert list(series.values_list("period", flat=True)) == [
        *[str(y) for y in range(2014, 2022)],
        "2022-DÅ04",
    ]
    printed = [18.26, 17.76, 17.39, 16.67, 17.49, 17.71, 18.14, 17.92, 17.94]
    assert [round(o.value, 2) for o in series] == printed
    assert (series[0].numerator, series[0].denominator) == (1798, 9847)
    assert (series.last().numerator, series.last().denominator) == (489, 2725)


@pytest.mark.django_db
def test_falls_and_the_manual_assessment(demo):
    assert outcome("NLL-FALLSKADOR").value == 90
    assert outcome("NLL-FALLSKADOR", "2021-DÅ04").value == 68
    per_vo = {
        o.unit.code: o.value
        for o in Outcome.objects.filter(
            indicator__code="NLL-FALLSKADOR", period="2022-DÅ04", unit__type="business_area"
        )
    }
    assert per_vo == {"NLL-LS1-AKUT": 2, "NLL-LS1-IM": 85, "NLL-LS1-NEURO": 3}
    assert sum(per_vo.values()) == 90
    assessment = Assessment.objects.get(
        indicator__code="NLL-FALLSKADOR", unit__code="NLL-LS1", period="2022-DÅ04"
    )
    assert assessment.status == "not_met"
    assert "Fall är den vanligaste avvikelserna" in assessment.reason
    assert "2020" in assessment.reason


@pytest.mark.django_db
def test_actions_as_printed(demo):
    def action(number):
        return Activity.objects.get(plan__code=LS1, number=str(number))

    a17 = action(17)
    assert a17.name == "Minskad användning av inhyrd personal."
    assert a17.status == "delayed"
    report = a17.reports.get(period="2022-DÅ04")
    assert report.status == "delayed"
    assert report.comment == (
        "Omständigheterna efter pandemin gör att det är utmanande, att i dagsläget, minska "
        "användning av inhyrd personal"
    )
    assert list(a17.goals.values_list("name", flat=True)) == [
        "Tillgänglig och rätt använd kompetens"
    ]
    assert action(8).status == "planned"
    assert action(1).status == "not_reported"
    assert action(1).name == "Införa produktions- och kapacitetsplanering i samtliga verksamheter"
    assert action(26).reports.get().comment == (
        "Omställningen pågår i dagsläge för VO Barnsjukvård och Internmedicin."
    )
    assert action(31).goals.get().name == "Kostnadseffektiv verksamhet"


@pytest.mark.django_db
def test_analyses(demo):
    text = Analysis.objects.get(
        indicator__code="NLL-BESOK-TOT",
        unit__code="NLL-LS1",
        period="2022-DÅ04",
    ).text
    assert "Antalet besök till läkare har ökat med 5,0 procent" in text
    assert Analysis.objects.filter(unit__code="NLL-LS1", period="2022-DÅ04").count() == 18


@pytest.mark.django_db
def test_own_files_name_their_seed_and_section(demo):
    import yaml

    assert len(OWN_FILES) == 13  # 013: the LS1 plan copied into 2023 as a draft
    for path in OWN_FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["seed"] in {"001", "004"}
        assert doc["section"]


@pytest.mark.django_db
def test_every_code_is_listed_in_the_codes_document(demo):
    from django.conf import settings

    text = (settings.PROJECT_DIR / "docs" / "demo-codes.md").read_text(encoding="utf-8")
    for unit in OrgUnit.objects.filter(organisation__code="nll"):
        assert f"| `{unit.code}` | {unit.name} |" in text
    for ind in Indicator.objects.filter(organisation__code="nll"):
        assert f"| `{ind.code}` |" in text


@pytest.mark.django_db
def test_ls1_plan_2023_is_a_draft_copy_nobody_follows(demo):
    from styrkort.planning.lookup import applicable_plan

    draft = Plan.objects.get(code="NLL-LS1-2023")
    assert draft.state == "draft" and draft.copied_from.code == "NLL-LS1-2022"
    assert draft.goals.count() == Plan.objects.get(code="NLL-LS1-2022").goals.count()
    ls1 = OrgUnit.objects.get(code="NLL-LS1")
    assert applicable_plan(ls1, 2023).code == "NLL-RS-2022"  # the board's adopted plan
    assert applicable_plan(ls1, 2022).code == "NLL-LS1-2022"
    assert set(Plan.objects.exclude(code="NLL-LS1-2023").values_list("state", flat=True)) == {
        "adopted"
    }
