"""A planner creating an indicator on the web gives its Kolada KPI: saved upper-cased,
or refused on the field with a Swedish message."""

from __future__ import annotations

from django.urls import reverse

from styrkort.planning.models import Goal, Indicator, Plan


def post(client, world, kpi):
    plan = Plan.objects.get(unit=world.ls1, start_year=2022)
    goal = Goal.objects.filter(plan=plan).first()
    data = {
        "new_code": "vantande-90",
        "new_name": "Väntande högst 90 dagar",
        "new_unit": "%",
        "new_direction": "higher",
        "new_aggregation": "ratio",
        "new_kolada_kpi": kpi,
        "reporting_points": "DÅ04, DÅ08, ÅR",
        "reason": "Jämförelse med riket",
    }
    return client.post(reverse("placement_create", args=[plan.code, goal.pk]), data)


def test_the_kolada_kpi_of_a_new_indicator(world, client):
    client.force_login(world.users.planner)
    refused = post(client, world, "9221")
    assert refused.status_code == 200
    assert "”9221” är inget Kolada-id" in refused.content.decode()
    assert not Indicator.objects.filter(code="vantande-90").exists()
    done = post(client, world, "n79221")
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Indicator.objects.get(code="vantande-90").kolada_kpi == "N79221"
