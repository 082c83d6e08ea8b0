"""A target the parser cannot read is refused by the service (and so by the web, the API
and the plan import) unless it is assessed by hand; such a target's status comes from a
manual assessment, never from its text."""

import io

import pytest
from django.core.exceptions import ValidationError

from styrkort.followup.queries import evaluate_unit
from styrkort.followup.services import assess
from styrkort.io.services import run_import
from styrkort.planning import services


def _set(world, text, **kwargs):
    return services.set_target(
        user=world.users.planner,
        placement=world.placements.visits,
        year=2022,
        text=text,
        reason="Revidering efter nämndens beslut",
        **kwargs,
    )


def _visits(world):
    evaluation = evaluate_unit(world.ls1, world.period)
    return next(i for i in evaluation.indicators if i.indicator_id == world.visits.pk)


def test_unreadable_text_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as caught:
        _set(world, "ungefär bättre")
    message = caught.value.message_dict["text"][0]
    assert message.startswith("Målvärde: Styrkort kan inte läsa ”ungefär bättre”")
    assert "Bedöms manuellt" in message


def test_by_hand_the_status_is_the_manual_assessment(world):
    target = _set(world, "ungefär bättre", assessed_by_hand=True)
    assert target.assessed_by_hand and target.spec["kind"] == "qualitative"
    assert _visits(world).status["total"] == "not_assessed"
    assess(
        user=world.users.reporter,
        unit=world.ls1,
        period=world.period,
        indicator=world.visits,
        status="met",
        reason="Bättre än i fjol enligt verksamhetens egen genomgång.",
    )
    assert _visits(world).status["total"] == "met"


def test_a_readable_text_marked_by_hand_is_not_evaluated_from_its_text(world):
    target = _set(world, "max 175", assessed_by_hand=True)
    assert target.spec["kind"] == "qualitative"
    assert _visits(world).status["total"] == "not_assessed"
    again = _set(world, "max 175")
    assert (again.assessed_by_hand, again.spec["kind"]) == (False, "value")


HEADER = "plan;enhet;mål1;indikator;målår;målvärde;skäl;bedöms manuellt\n"


def test_the_plan_import_refuses_or_marks_by_hand(world):
    code = world.plan.code
    goal = world.goals.citizens.name
    line = f"{code};NLL-LS1;{goal};{world.visits.code};2022;ungefär bättre;Revidering;"
    refused = run_import(
        "plans", io.BytesIO((HEADER + line + "\n").encode()), user=world.users.planner
    )
    assert not refused.ok
    assert any("kan inte läsa" in str(r) for r in refused.rejected), refused.rejected
    marked = run_import(
        "plans", io.BytesIO((HEADER + line + "ja\n").encode()), user=world.users.planner
    )
    assert marked.ok, marked.rejected
