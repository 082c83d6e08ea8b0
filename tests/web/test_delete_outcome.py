"""Deleting a stored outcome from the reporting form: an explicit "Ta bort värdet" per
sex, kept in the history with the acting user; refused (nothing deleted) outside the
role's subtree or for a reader."""

import pytest
from django.urls import reverse

from factories import RoleAssignmentFactory, UserFactory
from styrkort.followup.models import Outcome
from worlds import _outcome

PERIOD = "2022-DÅ04"


def _url(unit="NLL-LS1", code="aterinskrivningar-65"):
    return reverse("delete_outcome", args=[unit, code]) + f"?period={PERIOD}"


@pytest.mark.django_db
def test_reporting_form_offers_delete_per_stored_value(world, login):
    page = (
        login(world.users.reporter)
        .get(reverse("reporting", args=["NLL-LS1"]) + f"?period={PERIOD}")
        .content.decode()
    )
    assert "Ta bort värdet (kvinnor)" in page
    assert _url().replace("Å", "%C3%85") in page or _url() in page


@pytest.mark.django_db
def test_reporter_deletes_women_value_with_history(world, login):
    """Seed 001: readmissions K 18,8 %; deleting it leaves the men's 17,3 % and the total."""
    client = login(world.users.reporter)
    response = client.post(_url(), {"sex": "women"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "är borttaget" in text
    assert "Ta bort värdet (kvinnor)" not in text and "Ta bort värdet (män)" in text
    left = dict(
        Outcome.objects.filter(indicator=world.readmit, unit=world.ls1, period=PERIOD).values_list(
            "sex", "value"
        )
    )
    assert set(left) == {"total", "men"} and left["men"] == 17.3
    record = Outcome.history.filter(sex="women", period=PERIOD, history_type="-").get()
    assert record.history_user == world.users.reporter
    assert record.value == 18.8


@pytest.mark.django_db
def test_without_htmx_redirects_with_a_message(world, login):
    client = login(world.users.reporter)
    response = client.post(_url(), {"sex": "men"}, follow=True)
    assert "Värdet (män) för" in response.content.decode()
    assert not Outcome.objects.filter(indicator=world.readmit, period=PERIOD, sex="men").exists()


@pytest.mark.django_db
def test_nothing_to_delete_is_404(world, login):
    client = login(world.users.reporter)
    assert client.post(_url(code="lakarbesok"), {"sex": "total"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
@pytest.mark.parametrize("role", ["admin", "planner", "reporter", "reader"])
def test_roles_inside_and_outside(world, client, role, inside):
    if not inside:
        _outcome(world.visits, world.ls2, PERIOD, "total", 1000)
    unit = world.ls1 if inside else world.ls2
    if inside:
        _outcome(world.visits, world.ls1, PERIOD, "total", 31180)
    user = UserFactory(username=f"del-{role}")
    RoleAssignmentFactory(user=user, unit=world.ls1, role=role)
    client.force_login(user)
    response = client.post(_url(unit.code, "lakarbesok"), {"sex": "total"})
    allowed = inside and role != "reader"
    exists = Outcome.objects.filter(indicator=world.visits, unit=unit, period=PERIOD).exists()
    if allowed:
        assert response.status_code == 302
        assert not exists
    else:
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.content.decode()
        assert exists
