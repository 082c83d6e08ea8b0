"""Region Sörmland in the demo: Division Primärvård's Verksamhetsplan med budget 2024–2026.

Every expected count below is taken from seed 003 (shared/seeds/003_*.txt) and names the
section it comes from. The demo is loaded once per module through the loader's entry point
(`styrkort.demo.loader.load_fixtures`, what `styrkort demo` runs) and rolled back afterwards.
"""

import datetime as dt

import pytest

from styrkort.demo.loader import FIXTURE_DIR, fixture_files, load_fixtures
from styrkort.organisation.models import Organisation, OrgUnit
from styrkort.planning.models import Activity, Goal, Indicator, Plan, PlanIndicator, Target

PLAN = "SRS-PV-2024"
OWN_FILES = sorted(FIXTURE_DIR.glob("2[0-4]-srs-*.yaml"))


DEMO_FILES = fixture_files()  # the whole demo, as `styrkort demo` loads it


def placement(code):
    return PlanIndicator.objects.get(plan__code=PLAN, indicator__code=code)


def target(code, *, long_term=False):
    return Target.objects.get(placement=placement(code), is_long_term=long_term)


def activity(name):
    return Activity.objects.get(plan__code=PLAN, name=name)


# --- counts --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_units(demo):
    units = OrgUnit.objects.filter(organisation__code="srs")
    # Title page: Region Sörmland. Förutsättningar (Verksamhetens uppdrag, Organisation):
    # the driftsnämnd PRD, Hälso- och sjukvården (HSL, the director), Hälsoval (the purchaser)
    # and Division Primärvård. Vårdcentraler named anywhere in the plan: Gallerian
    # (Organisation), Tunafors and Linden (Attraktiv arbetsgivare), Oxelösund and Gnesta
    # (Ekonomi i balans), Strängnäs, City and Mariefred (Investeringar PV 2024).
    assert units.count() == 1 + 4 + 8
    assert units.filter(type="health_centre").count() == 8
    division = OrgUnit.objects.get(code="SRS-PV")
    assert division.name == "Division Primärvård"
    assert sorted(u.code for u in OrgUnit.objects.get_children(division)) == sorted(
        u.code for u in units.filter(type="health_centre")
    )


@pytest.mark.django_db
def test_goal_tree(demo):
    plan = Plan.objects.get(code=PLAN)
    goals = Goal.objects.filter(plan=plan)
    # Mål och handlingsplan: three perspectives, ten "Politikens mål" (the table of contents
    # lists them: 2 + 6 + 2), each with one "Verksamhetens mål".
    assert goals.filter(level=1).count() == 3
    assert goals.filter(level=2).count() == 10
    assert goals.filter(level=3).count() == 10
    assert goals.count() == 23
    per_perspective = {g.name: g.children.count() for g in goals.filter(level=1)}
    assert per_perspective == {
        "Medborgarperspektivet": 2,
        "Verksamhetsperspektivet": 6,
        "Resursperspektivet": 2,
    }
    levels = [lvl.name for lvl in plan.plan_model.levels.order_by("level")]
    assert levels == ["Perspektiv", "Politikens mål", "Verksamhetens mål"]
    assert (plan.start_year, plan.end_year, plan.unit.code) == (2024, 2026, "SRS-PV")


@pytest.mark.django_db
def test_indicators_placements_and_targets(demo):
    # The "Indikator / Målvärde" tables under each Verksamhetens mål, in document order:
    # hälsofrämjande 1, nöjda kunder 5, god och säker vård 2 + 5, personcentrerad 2,
    # utbyggd primärvård 3, digitalisering 0, jämlikhet 0, klimatsmarta 1,
    # attraktiv arbetsgivare 4, ekonomi i balans 2.
    per_goal = [
        PlanIndicator.objects.filter(goal=g).count()
        for g in Goal.objects.filter(plan__code=PLAN, level=3).order_by(
            "parent__parent__order", "parent__order"
        )
    ]
    assert per_goal == [1, 5, 7, 2, 3, 0, 0, 1, 4, 2]
    assert Indicator.objects.filter(organisation__code="srs").count() == 25
    assert PlanIndicator.objects.filter(plan__code=PLAN).count() == 25
    targets = Target.objects.filter(placement__plan__code=PLAN)
    # One Målvärde per row (25) and a "Långsiktigt målvärde" printed after 11 of the names.
    assert targets.filter(is_long_term=False, year=2024).count() == 25
    assert targets.filter(is_long_term=True).count() == 11
    assert targets.filter(is_long_term=True, year=2025).count() == 1
    assert targets.count() == 36
    # "Anges för varje vårdcentral": the plan prints no value per vårdcentral.
    assert targets.filter(unit__isnull=False).count() == 0


@pytest.mark.django_db
def test_activities(demo):
    acts = Activity.objects.filter(plan__code=PLAN)
    # Every "Handlingsplan" heading's entries: 2 + 4 + 3 + 1 + 3 + 1 + 1 + 1 + 2 + 1.
    assert acts.count() == 19
    per_goal = [
        acts.filter(goals=g).count()
        for g in Goal.objects.filter(plan__code=PLAN, level=3).order_by(
            "parent__parent__order", "parent__order"
        )
    ]
    assert per_goal == [2, 4, 3, 1, 3, 1, 1, 1, 2, 1]
    # 13 of them carry a "Konkretisering" (what each vårdcentral reports).
    assert acts.exclude(concretisation="").count() == 13
    assert set(acts.values_list("owner_unit__code", flat=True)) == {"SRS-PV"}


@pytest.mark.django_db
def test_loading_again_changes_nothing(demo):
    again = load_fixtures(OWN_FILES)
    assert again.created == {} and again.updated == {}
    assert again.unchanged["planning.Target"] == 36


# --- spot checks of printed values -----------------------------------------------------------


@pytest.mark.django_db
def test_vc_gallerian_closes_1_february_2024(demo):
    gallerian = OrgUnit.objects.get(code="SRS-PV-VC-GALLERIAN")
    assert gallerian.valid_to == dt.date(2024, 1, 31)
    assert gallerian.short_name == "VC Gallerian"
    assert gallerian.is_valid_on(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert not gallerian.is_valid_on(dt.date(2024, 2, 1), dt.date(2024, 12, 31))
    # "det kvarstår 18 vårdcentraler": of the eight named, seven remain after 1 February.
    open_after = [
        u
        for u in OrgUnit.objects.filter(organisation__code="srs", type="health_centre")
        if u.is_valid_on(dt.date(2024, 2, 1), dt.date(2024, 12, 31))
    ]
    assert len(open_after) == 7


@pytest.mark.parametrize(
    "code, text, long_term, year",
    [
        ("SRS-STOD-MOMENT", "850 st", None, None),
        ("SRS-KONT-KO05L", "35 %", None, None),
        ("SRS-KONT-KO05S", "45 %", None, None),
        ("SRS-MEDBED-3D", "80 %", "90%", 2026),
        ("SRS-SAKERHETSNIVA", "min 75 %", "över 75", 2026),
        ("SRS-HYGIEN-SJALVSK", "70 %", "100%", 2026),
        ("SRS-DELAKTIG-BESLUT", "88 %", "90 %", 2026),
        ("SRS-ANTIBIOTIKA", "max 175", None, None),
        ("SRS-REKOMMENDERA", "Minst 89 %", "90 %", 2025),
        ("SRS-SJUKFR-MAX5", "58 %", "60 %", 2026),
        ("SRS-LISTADE-PER-LAKARE", "1 500 st", None, None),
        ("SRS-BUDGETAVVIKELSE", "0 tkr", "0 mnkr", 2026),
        ("SRS-INHYRD-ANDEL", "max 2 %", "Högst 2 %", 2026),
    ],
)
@pytest.mark.django_db
def test_printed_targets(demo, code, text, long_term, year):
    assert target(code).text == text
    lt = Target.objects.filter(placement=placement(code), is_long_term=True)
    if long_term is None:
        assert not lt.exists()
    else:
        assert [(t.text, t.year) for t in lt] == [(long_term, year)]


@pytest.mark.django_db
def test_per_unit_and_trend_only_targets(demo):
    p24 = target("SRS-P24-MOTEN")
    assert p24.text == "Anges för varje vårdcentral"
    assert p24.spec["kind"] == "per_unit"
    for code in ("SRS-MANGBESOK-AKUT", "SRS-ATERINSKR-30"):
        t = target(code)
        assert t.text == "Varje verksamhet följer sin trend"
        assert t.spec["kind"] == "trend"
    # Comparators as printed: "max 175" at most, "Minst 89 %" at least, "min 75 %" at least.
    assert target("SRS-ANTIBIOTIKA").spec["comparator"] == "le"
    assert target("SRS-REKOMMENDERA").spec["comparator"] == "ge"
    assert target("SRS-SAKERHETSNIVA").spec["comparator"] == "ge"


@pytest.mark.django_db
def test_goal_names_and_planning_comments(demo):
    economy = Goal.objects.get(plan__code=PLAN, code="RES-PM2")
    assert economy.name == "Region Sörmland har en stark ekonomi i balans"
    assert economy.parent.name == "Resursperspektivet"
    own = economy.children.get()
    assert own.name == (
        "Rätt nyttjade resurser: Vår verksamhet leds och styrs så att en ekonomi i balans uppnås "
        "i syfte att skapa mesta möjliga nytta inom givna ramar"
    )
    assert "divisionen har ett prognostiserat underskott på ca 58 mnkr" in own.planning_comment
    safe = Goal.objects.get(plan__code=PLAN, code="VERK-PM1-VM1")
    assert "Utfallet för 2023 gällande säkerhetsnivå (HSE-index) var 78,3." in safe.planning_comment
    # A paragraph split by a page break is joined again ("... göra tydliga planer i journalen").
    trust = Goal.objects.get(plan__code=PLAN, code="MEDB-PM2-VM1")
    assert "jobbar aktivt med att göra tydliga planer i journalen" in trust.planning_comment


@pytest.mark.django_db
def test_action_plan_texts(demo):
    survey = activity("Genomför divisionsgemensam patientenkät två gånger per år")
    assert survey.concretisation == (
        "Mätning ska ske vår (v. 10) och höst (v. 39), vid behov kan annan fullproduktionsvecka "
        "väljas. Data rapporteras in i PLUSS av divisionsverksamhetsutvecklare, men ska "
        "kommenteras av verksamheten."
    )
    assert survey.background.endswith("Målvärde är 80 %.")
    assert (
        activity("Kloka kliniska val").concretisation
        == "Beskriv hur ni jobbar med Kloka Kliniska Val på vårdcentralen."
    )
    vkd = activity("Optimera arbetssätt i Vårdkontakt Direkt")
    assert (
        "- 80% av alla inkommande synkrona ärenden till sjuksköterska ska besvaras med minst en "
        "hälsningsfras inom 15 min från 1/1 2024" in vkd.description
    )
    # The running page header "Handlingsplan" inside a description is not part of the text.
    focus = activity(
        "Arbeta aktivt med våra fokusområden: Tillgänglighet, kontinuitet och attraktivitet för "
        "att uppnå ökad andel listade och förbättrad medicinsk kvalitet"
    )
    assert focus.description == (
        "Mål för aktiviteten är att öka andelen listade sörmlänningar samt den medicinska "
        "kvalitén på regiondrivna vårdcentraler i länet. För att nå målet genomförs olika "
        "aktiviteter inom fokusområdena tillgänglighet, kontinuitet och attraktivitet."
    )
    economy = activity("Vidta åtgärder för en ekonomi i balans")
    assert economy.description.endswith(
        "Arbetet med minskning av hyr behöver fortgå för att nå en nivå på max 2 %."
    )
    assert economy.concretisation == ""
    assert not Activity.objects.filter(
        plan__code=PLAN, description__contains="Handlingsplan\n"
    ).exists()


@pytest.mark.django_db
def test_organisation_is_its_own_tenant(demo):
    org = Organisation.objects.get(code="srs")
    assert org.name == "Region Sörmland"
    root = OrgUnit.objects.get(code="SRS")
    assert root.is_root() and root.organisation == org
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="SRS-PV")).code == "SRS-HS"


@pytest.mark.django_db
def test_every_code_is_listed_in_the_codes_document(demo):
    from django.conf import settings

    text = (settings.PROJECT_DIR / "docs" / "demo-codes.md").read_text(encoding="utf-8")
    section = text.split("## Region Sörmland and Region Jämtland Härjedalen", 1)[1]
    for unit in OrgUnit.objects.filter(organisation__code="srs"):
        assert f"| `{unit.code}` | {unit.name} |" in section
    for ind in Indicator.objects.filter(organisation__code="srs"):
        assert f"| `{ind.code}` | {ind.name} |" in section
