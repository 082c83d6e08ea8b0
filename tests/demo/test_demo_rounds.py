"""The demo's reporting rounds: seed 001's DÅ04 2022 and seed 002's DÅ04 2024 approved
and closed (they were published), Norrbotten's DÅ08 2022 open with units in every
state, and the demo reporter with activities of VO Internmedicin's own to report on.
Loaded through `styrkort demo`, as a newcomer loads it."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from styrkort.organisation.models import OrgUnit
from styrkort.planning.lookup import default_period
from styrkort.rounds.due import unit_due
from styrkort.rounds.locks import lock_reason
from styrkort.rounds.models import ReportingRound, Submission
from styrkort.rounds.status import round_json

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", "--json", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _round(org, period):
    return ReportingRound.objects.get(organisation__code=org, period=period)


def _states(rnd):
    return {u["code"]: u for u in round_json(rnd, today=dt.date(2022, 9, 5))["units"]}


def test_published_da04_2022_is_closed_and_every_unit_approved(demo):
    rnd = _round("nll", "2022-DÅ04")
    assert rnd.state == "closed"
    units = _states(rnd)
    assert len(units) == 25
    assert {u["state"] for u in units.values()} == {"approved"}
    im = Submission.objects.get(round=rnd, unit__code="NLL-LS1-IM")
    assert (im.ready_by.username, im.approved_by.username) == ("rapportor", "planerare")
    assert im.approved_at.date() == dt.date(2022, 5, 17)
    assert Submission.objects.get(round=rnd, unit__code="NLL").approved_by.username == "admin"
    locked = lock_reason(
        OrgUnit.objects.get(code="NLL-LS1-IM"), dt.date(2022, 1, 1), dt.date(2022, 4, 30)
    )
    assert locked is not None and "DÅ04 2022" in locked.messages[0]


def test_jamtland_da04_2024_is_closed_and_approved_in_june(demo):
    rnd = _round("jll", "2024-DÅ04")
    assert rnd.state == "closed"
    subs = Submission.objects.filter(round=rnd)
    assert subs.count() == 3
    assert {s.state for s in subs} == {"approved"}
    assert {s.approved_at.date() for s in subs} == {dt.date(2024, 6, 10)}


def test_da08_2022_is_open_with_units_in_every_state(demo):
    rnd = _round("nll", "2022-DÅ08")
    assert rnd.state == "open" and rnd.deadline == dt.date(2022, 9, 20)
    units = _states(rnd)
    states = {code: u["state"] for code, u in units.items()}
    assert states["NLL-LS1-AKUT"] == states["NLL-LS1-BARN"] == "ready"
    assert states["NLL-LS1-IM"] == "in_progress"
    assert states["NLL-LS1-IM-SUN"] == "returned"
    assert list(states.values()).count("not_started") == 21
    assert units["NLL-LS1-IM"]["deadline"] == "2022-09-13"
    assert units["NLL-LS1-IM-GAL"]["deadline"] == "2022-09-09"
    sun = Submission.objects.get(round=rnd, unit__code="NLL-LS1-IM-SUN")
    returned = sun.history.exclude(comment="").order_by("history_date", "history_id").first()
    assert (sun.ready_by.username, returned.history_user.username) == ("rapportor", "planerare")
    assert sun.comment.startswith("Analysen av läkemedelsberättelsen saknas")


def test_the_demo_reporter_has_activities_to_report_in_the_open_round(demo):
    rnd = _round("nll", "2022-DÅ08")
    due = unit_due(rnd, OrgUnit.objects.get(code="NLL-LS1-IM"))
    assert [a.number for a in due.activities] == ["LM-IM"]


def test_the_pages_lead_norrbotten_to_the_open_round_and_jamtland_to_its_data(demo):
    today = dt.date(2025, 1, 15)
    assert default_period(OrgUnit.objects.get(code="NLL-LS1-IM"), today).canonical == "2022-DÅ08"
    assert default_period(OrgUnit.objects.get(code="JLL"), today).canonical != "2022-DÅ08"


def test_loading_the_rounds_again_changes_nothing(demo):
    before = (
        list(ReportingRound.objects.order_by("pk").values()),
        list(Submission.objects.order_by("pk").values()),
        Submission.history.count(),
        ReportingRound.history.count(),
    )
    out = io.StringIO()
    call_command("demo", "--json", stdout=out)
    assert sum(json.loads(out.getvalue())["created"].values()) == 0
    after = (
        list(ReportingRound.objects.order_by("pk").values()),
        list(Submission.objects.order_by("pk").values()),
        Submission.history.count(),
        ReportingRound.history.count(),
    )
    assert after == before
