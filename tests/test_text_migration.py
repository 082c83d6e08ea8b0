"""The data migrations that move free text from the old sanitised HTML to plain text as
typed (styrkort.text_migration): stored rows and their history rows, forwards and back."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from factories import ActivityReportFactory, AnalysisFactory
from styrkort.followup.models import Analysis
from styrkort.planning.models import ActivityReport, Goal
from styrkort.risk.models import Control, Risk
from styrkort.web.models import BarrierReport

OLD = "<p>Vård &amp; omsorg &lt;3 &gt;2</p>\n<ul>\n<li>ett</li>\n<li><b>två</b></li>\n</ul>"
NEW = "Vård & omsorg <3 >2\n\n- ett\n- **två**"


def migration(app: str, name: str):
    return importlib.import_module(f"styrkort.{app}.migrations.{name}")


def forwards(app: str, name: str) -> None:
    migration(app, name).forwards(apps, None)


def backwards(app: str, name: str) -> None:
    migration(app, name).backwards(apps, None)


FOLLOWUP = ("followup", "0006_free_text_as_plain_text")
PLANNING = ("planning", "0003_free_text_as_plain_text")
RISK = ("risk", "0002_free_text_as_plain_text")
WEB = ("web", "0004_barrier_report_plain_text")


@pytest.mark.django_db
def test_followup_and_planning_rows_and_history(world):
    analysis = AnalysisFactory(unit=world.im, indicator=world.wait, period="2022-DÅ04", text=OLD)
    plain = AnalysisFactory(unit=world.nc, indicator=world.wait, period="2022-DÅ04", text=NEW)
    goal = world.goals.citizens
    Goal.objects.filter(pk=goal.pk).update(
        description="Vård &amp; omsorg", planning_comment="Rad ett<br>rad två"
    )
    report = ActivityReportFactory(
        activity=world.activities.on_track,
        unit=world.im,
        period="2022-DÅ04",
        status="on_track",
        comment="Utfall: 5 &lt; 7",
    )
    history = Analysis.history.model.objects.filter(id=analysis.pk)
    assert history.get().text == OLD

    forwards(*FOLLOWUP)
    forwards(*PLANNING)
    analysis.refresh_from_db()
    goal.refresh_from_db()
    assert analysis.text == NEW
    assert Analysis.objects.get(pk=plain.pk).text == NEW  # plain text stays as it is
    assert history.get().text == NEW  # restoring an old version restores plain text
    assert (goal.description, goal.planning_comment) == ("Vård & omsorg", "Rad ett\nrad två")
    assert ActivityReport.objects.get(pk=report.pk).comment == "Utfall: 5 < 7"
    # Untouched text of the world (already plain) is unchanged, and running again
    # changes nothing.
    forwards(*FOLLOWUP)
    analysis.refresh_from_db()
    assert analysis.text == NEW

    backwards(*FOLLOWUP)
    analysis.refresh_from_db()
    assert analysis.text == (
        "<p>Vård &amp; omsorg &lt;3 &gt;2</p><ul><li>ett</li><li><strong>två</strong></li></ul>"
    )
    forwards(*FOLLOWUP)
    analysis.refresh_from_db()
    assert analysis.text == NEW


@pytest.mark.django_db
def test_risk_and_barrier_reports(world):
    risk = Risk.objects.create(
        unit=world.ls1,
        year=2022,
        value=4,
        title="Vård &amp; omsorg",
        number="1 &amp; 2",
        event="<p>Händelse</p><p>Två &gt; ett</p>",
    )
    control = Control.objects.create(
        risk=risk, method="Stickprov &amp; uppföljning", owner="A &amp; B"
    )
    barrier = BarrierReport.objects.create(description="Knapp &lt;Spara&gt; syns inte")
    forwards(*RISK)
    forwards(*WEB)
    risk.refresh_from_db()
    control.refresh_from_db()
    barrier.refresh_from_db()
    assert (risk.title, risk.number, risk.event) == (
        "Vård & omsorg",
        "1 & 2",
        "Händelse\n\nTvå > ett",
    )
    assert (control.method, control.owner) == ("Stickprov & uppföljning", "A & B")
    assert barrier.description == "Knapp <Spara> syns inte"
    backwards(*RISK)
    risk.refresh_from_db()
    assert (risk.title, risk.event) == ("Vård &amp; omsorg", "<p>Händelse</p><p>Två &gt; ett</p>")
