"""The administrators' Kolada section of the settings page: the area and the tolerance
saved with history or refused with a message naming the field, the button that fetches
now through the job queue (from a local v3 server), and readers who cannot change it."""

from __future__ import annotations

import pytest
from kolada_server import KoladaServer, entry, page

from styrkort.comparisons.areas import NATIONAL, REGIONS
from styrkort.comparisons.models import ComparisonFetch, ComparisonValue
from styrkort.organisation.models import Organisation
from styrkort.planning.models import Indicator

pytestmark = pytest.mark.django_db

URL = "/administration/nll/jamforelser/"
SETTINGS = "/administration/nll/installningar/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_area_and_tolerance_are_saved_or_refused_by_field(world, client):
    client.force_login(world.users.admin)
    page_ = client.get(SETTINGS)
    assert "Jämförelser (Kolada)" in page_.content.decode()
    bad = client.post(URL, {"action": "kolada_settings", "kolada_area": "9999"}, follow=True)
    assert any(m.startswith("Kolada-område: Okänt område '9999'") for m in messages_of(bad))
    bad = client.post(
        URL, {"kolada_area": "0025", "comparison_tolerance_pct": "mycket"}, follow=True
    )
    assert "Tolerans för ”i nivå med” (%): ”mycket” är inget tal." in messages_of(bad)
    bad = client.post(URL, {"kolada_area": "0025", "comparison_tolerance_pct": "150"}, follow=True)
    assert any(m.startswith("Tolerans: Toleransen") for m in messages_of(bad))
    assert Organisation.objects.get(pk=world.org.pk).kolada_area == ""
    ok = client.post(URL, {"kolada_area": "0025", "comparison_tolerance_pct": "5,5"}, follow=True)
    assert "Inställningarna för jämförelser är sparade." in messages_of(ok)
    org = Organisation.objects.get(pk=world.org.pk)
    assert (org.kolada_area, org.settings["comparison_tolerance_pct"]) == ("0025", 5.5)
    assert org.history.first().history_user == world.users.admin


def test_readers_of_the_administration_cannot_change_it(world, client):
    client.force_login(world.users.reader)
    assert client.post(URL, {"kolada_area": "0025"}).status_code == 403


def test_the_button_fetches_now_through_the_queue(
    world, client, settings, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=world.org.pk).update(kolada_area="0025")
    Indicator.objects.filter(pk=world.wait.pk).update(kolada_kpi="N79221")
    settings.STYRKORT_JOBS_INLINE = True
    settings.STYRKORT_KOLADA_YEARS = 1
    with KoladaServer() as server:
        settings.STYRKORT_KOLADA_URL = server.url
        areas = ",".join(sorted([NATIONAL, *REGIONS]))
        from django.utils import timezone

        year = timezone.localdate().year
        server.route(
            f"/v3/data/kpi/N79221/municipality/{areas}/year/{year}",
            page([entry("N79221", NATIONAL, year, 58.0)]),
        )
        client.force_login(world.users.admin)
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(URL, {"action": "kolada_fetch"}, follow=True)
    assert any(m.startswith("Hämtningen från Kolada är köad") for m in messages_of(done))
    assert ComparisonValue.objects.get(kpi="N79221", area=NATIONAL).value == 58.0
    fetch = ComparisonFetch.objects.get()
    assert fetch.ok and fetch.organisation_id == world.org.pk
    assert "1 värden, 1 nya eller ändrade" in client.get(SETTINGS).content.decode()
