"""No lost update for activity follow-up: a status or comment saved on a report that has
changed since it was read is refused, naming who saved what and when; nothing changes."""

import pytest

from styrkort.concurrency import StaleVersionError, version_of
from styrkort.planning.models import ActivityReport
from styrkort.planning.services import delete_activity_report, report_activity

PERIOD = "2022-DÅ04"


def test_a_report_changed_since_is_refused(world):
    activity = world.activities.on_track
    report = ActivityReport.objects.get(activity=activity, unit=world.ls1, period=PERIOD)
    read = version_of(report)
    kwargs = {"activity": activity, "unit": world.ls1, "period": PERIOD}
    report_activity(
        user=world.users.planner,
        status="delayed",
        comment="Utbildningarna flyttas till hösten.",
        expected_version=read,
        **kwargs,
    )
    with pytest.raises(StaleVersionError) as caught:
        report_activity(user=world.users.reporter, status="done", expected_version=read, **kwargs)
    exc = caught.value
    assert exc.saved_by == world.users.planner
    assert exc.value == "Försenad: Utbildningarna flyttas till hösten."
    assert "Utveckla den palliativa vården" in exc.detail
    current = ActivityReport.objects.get(pk=report.pk)
    assert current.status == "delayed"
    assert current.history.count() == 2  # the factory's and the planner's

    with pytest.raises(StaleVersionError):
        delete_activity_report(user=world.users.reporter, report=current, expected_version=read)
    assert ActivityReport.objects.filter(pk=report.pk).exists()
    delete_activity_report(
        user=world.users.reporter, report=current, expected_version=version_of(current)
    )
    assert not ActivityReport.objects.filter(pk=report.pk).exists()
