"""The round pages read the database in a number of queries that does not grow with the
number of units (Norrbotten has 969): the units × rounds overview, a round's page and
the start page of an administrator who sees every unit."""

import datetime as dt

import pytest
from django.urls import reverse

from factories import OrgUnitFactory
from page_queries import page_queries
from styrkort.rounds import services
from styrkort.rounds.models import Submission

pytestmark = pytest.mark.django_db

D = dt.date


def test_round_pages_query_count_does_not_grow_with_units(world, login):
    admin = world.users.admin
    rounds = [
        services.open_round(
            user=admin,
            organisation=world.org,
            period=period,
            opens_on=D(2022, month, 1),
            deadline=D(2022, month, 20),
        )
        for period, month in (("2022-DÅ04", 5), ("2022-DÅ08", 9))
    ]
    client = login(admin)
    pages = {
        "overview": reverse("round_overview", args=[world.org.code]),
        "round": reverse("round_page", args=[world.org.code, "2022-DÅ08"]),
        "home": reverse("home"),
    }
    for url in pages.values():
        client.get(url)  # warm per-process caches
    small = {name: page_queries(client, url) for name, url in pages.items()}

    # Thirty more units under the division, each reporting in both rounds.
    units = [
        OrgUnitFactory(parent=world.ls1, code=f"NLL-LS1-X{i}", name=f"Enhet {i}", type="unit")
        for i in range(30)
    ]
    Submission.objects.bulk_create(Submission(round=r, unit=u) for r in rounds for u in units)
    big = {name: page_queries(client, url) for name, url in pages.items()}

    page = client.get(pages["overview"]).content.decode()
    assert page.count("Enhet 29") == 1 and "DÅ04 2022" in page and "DÅ08 2022" in page
    assert big == small
    assert small["overview"] <= 30 and small["round"] <= 25 and small["home"] <= 25
