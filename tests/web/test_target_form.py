"""A target text Styrkort cannot read is not saved: the form shows how the parser reads
the text and refuses it, unless the planner marks the target as assessed by hand; then
it is saved, shown as manual, and its status comes from a manual assessment."""

from django.urls import reverse

from styrkort.planning.models import Target

REASON = "Revidering efter nämndens beslut"


def _save(client, world, text, **extra):
    placement = world.placements.visits
    data = {"form": "target", "target-year": "2022", "target-text": text, "target-reason": REASON}
    data.update(extra)
    return client.post(
        reverse("placement_edit", args=[world.plan.code, placement.pk]), data, follow=True
    )


def _target(world):
    return Target.objects.filter(placement=world.placements.visits, year=2022, unit=None).first()


def test_an_unreadable_target_is_refused_with_the_parsers_reading(world, login):
    client = login(world.users.planner)
    before = _target(world)
    response = _save(client, world, "ungefär bättre")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Styrkort kan inte läsa ”ungefär bättre” som ett mätbart målvärde" in page
    assert "Styrkort läser ”ungefär bättre” som: inget mätbart målvärde" in page
    assert "Bedöms manuellt" in page
    after = _target(world)
    assert (after.text if after else None) == (before.text if before else None)


def test_marked_by_hand_it_is_saved_and_shown_as_manual(world, login):
    client = login(world.users.planner)
    page = _save(client, world, "ungefär bättre", **{"target-assessed_by_hand": "on"})
    text = page.content.decode()
    target = _target(world)
    assert (target.text, target.assessed_by_hand, target.spec["kind"]) == (
        "ungefär bättre",
        True,
        "qualitative",
    )
    assert "Det bedöms manuellt" in text
    assert "<td>ungefär bättre</td><td>Bedöms manuellt</td>" in text


def test_a_readable_target_is_saved_with_no_refusal(world, login):
    client = login(world.users.planner)
    page = _save(client, world, "max 175").content.decode()
    assert "Målvärdet för 2022 är sparat: max 175." in page
    assert "kan inte läsa" not in page
    assert _target(world).spec["kind"] == "value"


def test_the_reading_as_it_is_typed(world, login):
    client = login(world.users.planner)
    url = reverse("target_reading")
    page = client.get(url, {"target-text": "max 175"}).content.decode()
    assert "Styrkort läser målvärdet som: <strong>Högst 175</strong>." in page
    assert "bedöms automatiskt" in page
    page = client.get(url, {"target-text": "ungefär bättre"}).content.decode()
    assert "inget mätbart målvärde" in page
