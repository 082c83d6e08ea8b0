"""The API refuses a target the parser cannot read, naming the field, unless it is marked
`assessed_by_hand`; the mark is read back and changes with a PATCH."""

import pytest

pytestmark = pytest.mark.django_db


def test_unreadable_target_refused_unless_by_hand(plan_world, client_for):
    client = client_for("planner")
    target = plan_world.target  # a draft plan's target: no reason needed
    url = f"/api/targets/{target.pk}/"
    refused = client.patch(url, {"text": "ungefär bättre"}, format="json")
    assert refused.status_code == 400, refused.json()
    assert "kan inte läsa ”ungefär bättre”" in str(refused.json()["text"])
    saved = client.patch(url, {"text": "ungefär bättre", "assessed_by_hand": True}, format="json")
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert (body["assessed_by_hand"], body["spec"]["kind"]) == (True, "qualitative")
    back = client.patch(url, {"text": "max 175", "assessed_by_hand": False}, format="json")
    assert back.json()["spec"]["kind"] == "value"
