"""The scorecard and the list pages read the database in a number of queries that does not
grow with the number of indicators, goals or activities (no N+1)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from page_queries import page_queries
from worlds import add_indicators

PERIOD = "2022-DÅ04"

PAGES = {
    "scorecard": lambda: reverse("scorecard", args=["NLL-LS1"]) + f"?period={PERIOD}",
    "reporting": lambda: reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}",
    "activity_list": lambda: reverse("activity_list", args=["NLL-LS1"]) + f"?period={PERIOD}",
    "plan_detail": lambda: reverse("plan_detail", args=["ls1-2022"]),
    "tree": lambda: reverse("tree"),
    "plan_list": lambda: reverse("plan_list", args=["NLL-LS1"]),
}

# Ceilings a little above today's counts (23, 25, 12, 12, 4, 6); the main assertion is
# that the count does not change with the number of indicators.
MAX_QUERIES = {
    "scorecard": 28,
    "reporting": 30,
    "activity_list": 15,
    "plan_detail": 15,
    "tree": 6,
    "plan_list": 8,
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_independent_of_size(world, login, page, django_assert_max_num_queries):
    client = login(world.users.planner)
    url = PAGES[page]()
    client.get(url)  # warm caches that are per process, not per request
    small = page_queries(client, url)
    add_indicators(world, 12)
    large = page_queries(client, url)
    assert large == small, f"{page}: {small} queries with 4 indicators, {large} with 16"
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        client.get(url)


@pytest.mark.django_db
def test_scorecard_cached_until_data_changes(world, login):
    """A second view of the same scorecard reuses its rendering (fewer queries); any
    change to the data shows at once."""
    client = login(world.users.planner)
    url = PAGES["scorecard"]()
    built = page_queries(client, url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) < built
    add_indicators(world, 1)
    page = client.get(url).content.decode()
    assert "Extra mått 0<" in page


@pytest.mark.django_db
def test_scorecard_shows_every_indicator(world, login):
    add_indicators(world, 12)
    page = login(world.users.reader).get(PAGES["scorecard"]()).content.decode()
    for n in range(12):
        assert f"Extra mått {n}<" in page
