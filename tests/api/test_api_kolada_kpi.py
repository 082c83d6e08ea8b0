"""An indicator's Kolada KPI through the API: read, written upper-cased, and refused with
a 400 naming the field for an id that is not Kolada's (or not in its catalogue once it
is imported)."""

from __future__ import annotations

from django.utils import timezone

from styrkort.comparisons.models import KoladaKpi
from styrkort.planning.models import Indicator


def test_the_api_reads_and_writes_an_indicators_kolada_kpi(world, client_for):
    client = client_for("admin")
    url = f"/api/indicators/{world.visits.pk}/"
    assert client.get(url).json()["kolada_kpi"] == ""
    response = client.patch(url, {"kolada_kpi": "n79221"}, format="json")
    assert response.status_code == 200, response.content
    assert Indicator.objects.get(pk=world.visits.pk).kolada_kpi == "N79221"
    response = client.patch(url, {"kolada_kpi": "79221"}, format="json")
    assert response.status_code == 400
    assert "kolada_kpi" in response.json()
    assert "är inget Kolada-id" in str(response.json())
    KoladaKpi.objects.create(id="N79221", title="Väntande", imported_at=timezone.now())
    response = client.patch(url, {"kolada_kpi": "N79222"}, format="json")
    assert response.status_code == 400
    assert "N79222 finns inte i Koladas nyckeltalskatalog" in str(response.json())
    assert Indicator.objects.get(pk=world.visits.pk).kolada_kpi == "N79221"
