import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_render(world, login):
    client = login(world.users.reader)
    for url in [
        reverse("tree"),
        reverse("scorecard", args=["NLL-LS1"]) + "?period=2022-DÅ04",
        reverse("indicator_detail", args=["NLL-LS1", "lakemedelsberattelse"]) + "?period=2022-DÅ04",
        reverse("activity_list", args=["NLL-LS1"]) + "?period=2022-DÅ04",
        reverse("plan_list", args=["NLL-LS1"]),
        reverse("plan_detail", args=["ls1-2022"]),
        reverse("accessibility"),
    ]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
