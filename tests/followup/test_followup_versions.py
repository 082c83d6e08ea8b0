"""No lost update in the follow-up services: a save or delete based on a version that is
no longer the stored one is refused with StaleVersionError naming the other person, their
value and the time, and changes nothing; the current version, no version (imports, the
command line) and "no object" for a new one pass."""

import pytest
from django.utils import timezone

from styrkort.accounts.models import Role
from styrkort.concurrency import StaleVersionError, version_of
from styrkort.followup.models import Analysis, Assessment, Outcome
from styrkort.followup.services import (
    OutcomeInput,
    assess,
    delete_analysis,
    delete_outcome,
    record_outcome,
    save_analysis,
    stale_outcome_rows,
    withdraw_assessment,
)
from styrkort.periods import parse_period

WORLD = {"plans": False}
PERIOD = "2022-DÅ04"


@pytest.fixture
def people(world, user_on):
    anna = user_on(Role.REPORTER, "NLL-LS1", username="anna")
    anna.first_name, anna.last_name = "Anna", "Andersson"
    anna.save()
    bo = user_on(Role.REPORTER, "NLL-LS1", username="bo")
    return anna, bo


def _visits(world, user, value, **kwargs):
    return record_outcome(
        user=user, indicator=world.visits, unit=world.ls1, period=PERIOD, value=value, **kwargs
    )


def test_a_save_based_on_an_old_version_is_refused_and_names_the_other(world, people):
    anna, bo = people
    first = _visits(world, bo, 29685)
    read = version_of(first)  # both read this
    _visits(world, anna, 31180, expected_version=read)  # Anna saves first
    saved = Outcome.objects.get(indicator=world.visits, unit=world.ls1)
    history = saved.history.count()

    with pytest.raises(StaleVersionError) as caught:
        _visits(world, bo, 30000, expected_version=read)
    exc = caught.value
    assert exc.saved_by == anna
    assert exc.value == "31\u00a0180"
    assert exc.version == version_of(saved)
    local = timezone.localtime(saved.updated_at).strftime("%H:%M")
    assert world.visits.name in exc.detail
    assert "Division Länssjukvård 1" in exc.detail and PERIOD in exc.detail
    assert f"sparat av Anna Andersson kl. {local}" in exc.detail
    assert exc.detail.endswith("Nu: 31\u00a0180.")
    # Nothing changed.
    after = Outcome.objects.get(pk=saved.pk)
    assert after.value == 31180 and after.updated_by == anna
    assert after.history.count() == history


def test_the_current_version_and_no_version_save(world, people):
    anna, bo = people
    first = _visits(world, anna, 29685, expected_version="")  # none stored: "" passes
    second = _visits(world, bo, 31180, expected_version=version_of(first))
    assert second.value == 31180 and version_of(second) != version_of(first)
    third = _visits(world, anna, 31181)  # no version: an import, the command line
    assert third.value == 31181


def test_a_new_outcome_someone_else_created_meanwhile_is_a_conflict(world, people):
    anna, bo = people
    _visits(world, anna, 29685)
    with pytest.raises(StaleVersionError) as caught:
        _visits(world, bo, 1, expected_version="")  # Bo's form showed no value
    assert caught.value.saved_by == anna
    assert Outcome.objects.get(indicator=world.visits, unit=world.ls1).value == 29685


def test_a_ratio_conflict_shows_numerator_and_denominator(world, people):
    anna, _bo = people
    stored = Outcome.objects.get(indicator=world.medication, unit=world.ls1, sex="women")
    with pytest.raises(StaleVersionError) as caught:
        record_outcome(
            user=anna,
            indicator=world.medication,
            unit=world.ls1,
            period=PERIOD,
            sex="women",
            numerator=1,
            denominator=2,
            expected_version="t20000101T000000.000000Z",
        )
    assert caught.value.value.startswith("644/819 (78,6")
    assert Outcome.objects.get(pk=stored.pk).numerator == 644


def test_delete_of_a_changed_outcome_is_refused(world, people):
    anna, bo = people
    first = _visits(world, anna, 29685)
    read = version_of(first)
    _visits(world, bo, 31180)
    outcome = Outcome.objects.get(pk=first.pk)
    with pytest.raises(StaleVersionError):
        delete_outcome(user=anna, outcome=outcome, expected_version=read)
    assert Outcome.objects.filter(pk=first.pk).exists()
    delete_outcome(user=anna, outcome=outcome, expected_version=version_of(outcome))
    assert not Outcome.objects.filter(pk=first.pk).exists()


def test_an_analysis_changed_since_is_refused_with_its_text(world, people):
    anna, bo = people
    kwargs = {"unit": world.ls1, "period": PERIOD, "indicator": world.visits}
    first = save_analysis(user=bo, text="Första.", **kwargs)
    read = version_of(first)
    save_analysis(user=anna, text="Annas analys.", expected_version=read, **kwargs)
    with pytest.raises(StaleVersionError) as caught:
        save_analysis(user=bo, text="Bos analys.", expected_version=read, **kwargs)
    assert caught.value.value == "Annas analys."
    assert caught.value.saved_by == anna
    assert Analysis.objects.get(pk=first.pk).text == "Annas analys."
    # An emptied text deletes only the version read.
    with pytest.raises(StaleVersionError):
        save_analysis(user=bo, text="", expected_version=read, **kwargs)
    current = Analysis.objects.get(pk=first.pk)
    with pytest.raises(StaleVersionError):
        delete_analysis(user=bo, analysis=current, expected_version=read)
    delete_analysis(user=bo, analysis=current, expected_version=version_of(current))
    assert not Analysis.objects.filter(pk=first.pk).exists()


def test_an_assessment_changed_since_is_refused(world, people):
    anna, bo = people
    kwargs = {"unit": world.ls1, "period": PERIOD, "indicator": world.visits}
    first = assess(user=bo, status="partly", reason="Delvis.", **kwargs)
    read = version_of(first)
    assess(user=anna, status="met", reason="Uppfyllt nu.", expected_version=read, **kwargs)
    with pytest.raises(StaleVersionError) as caught:
        assess(user=bo, status="not_met", reason="Nej.", expected_version=read, **kwargs)
    assert caught.value.value == "Uppfyllt: Uppfyllt nu."
    current = Assessment.objects.get(pk=first.pk)
    assert current.status == "met"
    with pytest.raises(StaleVersionError):
        withdraw_assessment(user=bo, assessment=current, expected_version=read)
    assert Assessment.objects.filter(pk=first.pk).exists()


def test_bulk_rows_with_old_versions_are_named(world, people):
    anna, _bo = people
    first = _visits(world, anna, 29685)
    period = parse_period(PERIOD)
    rows = [
        (OutcomeInput(world.visits, world.ls1, period, "total", value=1), version_of(first)),
        (OutcomeInput(world.visits, world.ls2, period, "total", value=2), ""),
        (OutcomeInput(world.visits, world.im, period, "total", value=3), "t1"),
    ]
    assert stale_outcome_rows(rows[:2]) == []
    _visits(world, anna, 31180)
    stale = stale_outcome_rows(rows)
    assert [position for position, _exc in stale] == [0, 2]
    assert stale[0][1].saved_by == anna
    assert "har tagits bort" in stale[1][1].detail  # no outcome for VO Internmedicin
