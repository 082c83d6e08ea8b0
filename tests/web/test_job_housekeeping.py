"""Lost jobs and old reports: a queued or running job without progress for
`STALE_AFTER` (its process stopped) is shown as failed, not as running forever; reports
older than `REPORTS_KEPT` are deleted when a new report is ordered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from styrkort.web.jobs import ProgressWriter, delete_old_reports, job_state
from styrkort.web.models import REPORTS_KEPT, STALE_AFTER, ImportJob, JobStatus, ReportJob


def _report(world, user, *, status=JobStatus.RUNNING, age=timedelta(0), progress_age=None):
    job = ReportJob.objects.create(
        owner=user,
        unit=world.ls1,
        kind="plan",
        period="2022",
        fmt="html",
        status=status,
        progress=40,
        message="Hämtar utfall",
    )
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk).update(
        created_at=now - age, updated_at=now - (progress_age if progress_age else age)
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_running_job_without_progress_for_30_minutes_is_shown_failed(world, login):
    assert timedelta(minutes=30) == STALE_AFTER
    user = world.users.reader
    fresh = _report(world, user, progress_age=timedelta(minutes=29))
    lost = _report(world, user, progress_age=timedelta(minutes=31))
    queued = _report(world, user, status=JobStatus.QUEUED, progress_age=timedelta(hours=2))
    assert job_state(fresh)["running"] and not job_state(fresh)["failed"]
    assert job_state(lost) | {} == {
        "percent": 40,
        "message": "Jobbet avbröts, försök igen.",
        "running": False,
        "failed": True,
        "done": False,
        "status_label": "Misslyckades",
        "waiting_for_worker": False,
    }
    # A queued job is still in the queue: it waits, however long, and is never shown lost.
    assert job_state(queued)["running"] and not job_state(queued)["failed"]

    client = login(user)
    page = client.get(reverse("report_job", args=["NLL-LS1", lost.pk])).content.decode()
    assert "Jobbet avbröts, försök igen." in page
    assert "hx-trigger" not in page  # polling stops
    page = client.get(reverse("report_job", args=["NLL-LS1", fresh.pk])).content.decode()
    assert "40 % klart. Hämtar utfall" in page and "hx-trigger" in page
    listing = client.get(reverse("report_page", args=["NLL-LS1"])).content.decode()
    assert "Misslyckades: Jobbet avbröts, försök igen." in listing
    assert "Pågår (40 %)" in listing  # the fresh one


@pytest.mark.django_db(transaction=True)  # progress is written outside a transaction
def test_progress_keeps_a_job_alive(world):
    job = _report(world, world.users.reader, progress_age=timedelta(hours=1))
    assert job.is_stale()
    ProgressWriter(job)(55, "Skriver dokumentet")
    job.refresh_from_db()
    assert (job.progress, job.message) == (55, "Skriver dokumentet")
    assert not job.is_stale()
    assert not job.is_stale(timezone.now() + STALE_AFTER - timedelta(seconds=5))
    assert job.is_stale(timezone.now() + STALE_AFTER + timedelta(seconds=5))


@pytest.mark.django_db
def test_stale_import_is_shown_failed(world, login):
    job = ImportJob.objects.create(
        owner=world.users.reporter, kind="outcomes", filename="utfall.csv", status="running"
    )
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    page = login(world.users.reporter).get(reverse("import_job", args=[job.pk]))
    assert "Jobbet avbröts, försök igen." in page.content.decode()


@pytest.mark.django_db
def test_reports_older_than_7_days_go_when_a_new_one_is_ordered(world, login, settings):
    settings.STYRKORT_JOBS_INLINE = True
    assert timedelta(days=7) == REPORTS_KEPT
    user = world.users.reader
    old = _report(world, user, status=JobStatus.DONE, age=timedelta(days=8))
    ReportJob.objects.filter(pk=old.pk).update(content=b"<html>gammal</html>")
    kept = _report(world, user, status=JobStatus.DONE, age=timedelta(days=6))
    client = login(user)
    response = client.post(
        reverse("report_page", args=["NLL-LS1"]), {"kind": "plan", "period": "2022", "fmt": "html"}
    )
    assert response.status_code == 302
    assert not ReportJob.objects.filter(pk=old.pk).exists()
    assert ReportJob.objects.filter(pk=kept.pk).exists()
    assert ReportJob.objects.count() == 2  # the kept one and the new one
    assert delete_old_reports() == 0
