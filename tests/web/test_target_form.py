"""A target text Styrkort cannot evaluate is not saved without a word: the planner is told
it became a qualitative target assessed by hand, and how to write a measurable one."""

from django.urls import reverse

from styrkort.planning.models import Target

REASON = "Revidering efter nämndens beslut"


def _save(client, world, text):
    placement = world.placements.visits
    return client.post(
        reverse("placement_edit", args=[world.plan.code, placement.pk]),
        {"form": "target", "target-year": "2022", "target-text": text, "target-reason": REASON},
        follow=True,
    )


def test_an_unreadable_target_is_saved_with_a_warning(world, login):
    client = login(world.users.planner)
    page = _save(client, world, "ungefär bättre").content.decode()
    target = Target.objects.get(placement=world.placements.visits, year=2022, unit=None)
    assert (target.text, target.spec["kind"]) == ("ungefär bättre", "qualitative")
    assert "Styrkort kan inte läsa ”ungefär bättre” som ett mätbart målvärde" in page
    assert "manuell bedömning" in page and "max 175" in page


def test_a_readable_target_gets_no_warning(world, login):
    client = login(world.users.planner)
    page = _save(client, world, "max 175").content.decode()
    assert "Målvärdet för 2022 är sparat: max 175." in page
    assert "kan inte läsa" not in page
