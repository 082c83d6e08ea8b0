"""Kolada's KPI catalogue: `styrkort kolada kpis FILE` imports a saved /v3/kpi answer
(again: updated, not doubled; broken: refused, exit 2), and planners search it offline."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styrkort.comparisons.models import KoladaKpi

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "count": 2,
    "next_url": None,
    "values": [
        {
            "id": "N79221",
            "title": "Väntande högst 90 dagar till första kontakt i specialiserad vård, andel (%)",
            "description": "Andel väntande ...",
            "municipality_type": "L",
            "is_divided_by_gender": 1,
            "operating_area": "Hälso- och sjukvård",
        },
        {"id": "N79224", "title": "Genomförd operation/åtgärd inom 90 dagar, andel (%)"},
    ],
}


def test_the_catalogue_is_imported_searched_and_refused_when_broken(world, client, tmp_path):
    path = tmp_path / "kpi.json"
    path.write_text(json.dumps(CATALOGUE), encoding="utf-8")
    out = io.StringIO()
    call_command("kolada", "kpis", str(path), stdout=out)
    assert out.getvalue().strip() == "2 nyckeltal importerade."
    call_command("kolada", "kpis", str(path), stdout=io.StringIO())
    assert KoladaKpi.objects.count() == 2
    assert KoladaKpi.objects.get(id="N79221").divided_by_gender is True

    path.write_text(json.dumps(CATALOGUE)[:50], encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("kolada", "kpis", str(path))
    assert caught.value.returncode == 2
    assert "Filen är inte giltig JSON" in str(caught.value)

    client.force_login(world.users.planner)
    page = client.get("/kolada/nyckeltal/", {"q": "90 dagar väntande"}).content.decode()
    assert "N79221" in page and "N79224" not in page
    page = client.get("/kolada/nyckeltal/", {"q": "n79224"}).content.decode()
    assert "Genomförd operation/åtgärd" in page and "1 träff" not in page
    assert "En träff på ”n79224”." in page
