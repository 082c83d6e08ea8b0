"""A small organisation for the import and API tests, with seed 001's numbers.

Region Norrbotten (NLL) > Division Länssjukvård 1 (NLL-LS1) > VO Internmedicin
(NLL-LS1-IM), VO Neurocentrum (NLL-LS1-NC); Division Länssjukvård 2 (NLL-LS2);
Division Primärvård (NLL-PV) > Hälsocentral Gallerian (NLL-PV-GAL, closed
2024-02-01). A second tenant, Region Sörmland (RS), has one unit. Users (password
factories.PASSWORD): admin (region), planner / reporter / reader (LS1), reporter_ls2
(LS2), outsider (reader in Sörmland).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from factories import (
    IndicatorFactory,
    OrganisationFactory,
    OrgUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from styrkort.accounts.models import Role
from styrkort.followup.models import Outcome


def _unit(parent, code, name, type_="unit", **extra):
    if parent is None:
        raise ValueError
    unit = OrgUnitFactory(
        parent=parent, organisation=parent.organisation, code=code, name=name, type=type_, **extra
    )
    parent.refresh_from_db()
    return unit


def _user(username, role, unit):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


def build_io_world() -> SimpleNamespace:
    org = OrganisationFactory(code="nll", name="Region Norrbotten")
    region = OrgUnitFactory(organisation=org, code="NLL", name="Region Norrbotten", type="region")
    ls1 = _unit(region, "NLL-LS1", "Division Länssjukvård 1", "division")
    im = _unit(ls1, "NLL-LS1-IM", "VO Internmedicin", "business_area")
    nc = _unit(ls1, "NLL-LS1-NC", "VO Neurocentrum", "business_area")
    ls2 = _unit(region, "NLL-LS2", "Division Länssjukvård 2", "division")
    pv = _unit(region, "NLL-PV", "Division Primärvård", "division")
    gallerian = _unit(
        pv,
        "NLL-PV-GAL",
        "Hälsocentral Gallerian",
        "health_centre",
        valid_from=dt.date(2010, 1, 1),
        valid_to=dt.date(2024, 2, 1),
    )
    other_org = OrganisationFactory(code="rs", name="Region Sörmland")
    other = OrgUnitFactory(organisation=other_org, code="RS", name="Region Sörmland", type="region")
    for unit in (region, ls1, im, nc, ls2, pv, gallerian, other):
        unit.refresh_from_db()

    medication = IndicatorFactory(
        organisation=org,
        code="lakemedelsberattelse",
        name="Andel utskrivna patienter 75 år och äldre som fått en läkemedelsberättelse",
        unit="%",
        aggregation="ratio",
        direction="higher",
        by_sex=True,
    )
    readmit = IndicatorFactory(
        organisation=org,
        code="aterinskrivningar-65",
        name="Oplanerade återinskrivningar inom 30 dagar, 65 år eller äldre",
        unit="%",
        aggregation="ratio",
        direction="lower",
        by_sex=True,
        decimals=1,
    )
    visits = IndicatorFactory(
        organisation=org, code="lakarbesok", name="Läkarbesök", unit="st", aggregation="sum"
    )
    result = IndicatorFactory(
        organisation=org,
        code="resultat",
        name="Ekonomiskt resultat",
        unit="mnkr",
        aggregation="sum",
    )
    # Budget deviation in percent: may be negative (-11,2 %), not a bounded share.
    deviation = IndicatorFactory(
        organisation=org,
        code="budgetavvikelse",
        name="Budgetavvikelse",
        unit="%",
        aggregation="mean",
        direction="higher",
    )
    other_indicator = IndicatorFactory(
        organisation=other_org, code="rs-besok", name="Besök", unit="st", aggregation="sum"
    )
    users = SimpleNamespace(
        admin=_user("admin", Role.ADMIN, region),
        planner=_user("planner", Role.PLANNER, ls1),
        reporter=_user("reporter", Role.REPORTER, ls1),
        reader=_user("reader", Role.READER, ls1),
        reporter_ls2=_user("reporter_ls2", Role.REPORTER, ls2),
        outsider=_user("outsider", Role.READER, other),
    )
    # Seed 001: medication reports DÅ04 2022, women 644/819, men 658/845.
    Outcome.objects.create(
        indicator=medication,
        unit=ls1,
        period="2022-DÅ04",
        sex="women",
        numerator=644,
        denominator=819,
        value=100 * 644 / 819,
    )
    Outcome.objects.create(
        indicator=medication,
        unit=ls1,
        period="2022-DÅ04",
        sex="men",
        numerator=658,
        denominator=845,
        value=100 * 658 / 845,
    )
    return SimpleNamespace(
        org=org,
        region=region,
        ls1=ls1,
        im=im,
        nc=nc,
        ls2=ls2,
        pv=pv,
        gallerian=gallerian,
        other_org=other_org,
        other=other,
        medication=medication,
        readmit=readmit,
        visits=visits,
        result=result,
        deviation=deviation,
        other_indicator=other_indicator,
        users=users,
    )
