"""Background jobs through the real doors: the per-person limit, the page of a job that
waits for a worker that is not running, the queue's own path (run synchronously here;
the worker process itself is in test_worker.py), recovery, pruning and `styrkort jobs`."""

import io
import json
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from factories import build_world
from styrkort.jobs import services
from styrkort.jobs.models import WorkerBeat
from styrkort.web import jobs
from styrkort.web.models import ImportJob, JobStatus, ReportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_worker():
    """No sign of life from a worker of another test."""
    services.beat_file().unlink(missing_ok=True)
    yield
    services.beat_file().unlink(missing_ok=True)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STYRKORT_JOBS_PER_PERSON = 3
    return build_world()


def _report(world, owner=None, **fields):
    """A plan report of NLL-LS1 for 2022 ordered by `owner` (the reader by default)."""
    values = {"kind": "plan", "period": "2022", "fmt": "html", **fields}
    return ReportJob.objects.create(owner=owner or world.users.reader, unit=world.ls1, **values)


def _queued(world, user, count):
    for _ in range(count):
        _report(world, user)


@pytest.mark.parametrize("door", ["report", "import"])
def test_the_limit_refuses_the_job_after_the_third(world, client, settings, door):
    settings.STYRKORT_JOBS_INLINE = False
    reporter = world.users.reporter
    _queued(world, reporter, 3)
    client.force_login(reporter)
    if door == "report":
        response = client.post(
            reverse("report_page", args=["NLL-LS1"]),
            {"kind": "plan", "period": "2022", "fmt": "pdf"},
        )
    else:
        upload = SimpleUploadedFile("utfall.csv", b"enhet;indikator;period;v\xc3\xa4rde\n")
        response = client.post(reverse("import_page"), {"kind": "outcomes", "file": upload})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Du har redan 3 jobb i kö eller igång, vilket är det högsta antalet." in text
    assert ReportJob.objects.count() == 3 and not ImportJob.objects.exists()
    # Another person is not held back by the reporter's jobs, and a finished job frees a place.
    ReportJob.objects.filter(pk=ReportJob.objects.first().pk).update(status=JobStatus.DONE)
    assert services.active_jobs(reporter) == 2
    services.check_limit(reporter)


def test_a_queued_job_says_it_waits_for_the_background_service(world, client, settings):
    settings.STYRKORT_JOBS_INLINE = False
    job = _report(world)
    client.force_login(world.users.reader)
    url = reverse("report_job", args=["NLL-LS1", job.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Väntar på bakgrundstjänsten, som inte är igång just nu." in fragment
    assert "<progress" not in fragment
    assert 'hx-trigger="every 1s"' in fragment  # it keeps asking
    services.beat("testvärd:1", timezone.now())
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Väntar på bakgrundstjänsten" not in fragment
    assert "<progress" in fragment
    long_ago = timezone.now() - timedelta(minutes=5)
    WorkerBeat.objects.update(seen_at=long_ago)
    assert services.worker_running()  # its file still says it is there
    os.utime(services.beat_file(), (long_ago.timestamp(), long_ago.timestamp()))
    assert not services.worker_running()


def record_language(job, progress):
    """A job's work, module-level as the queue needs it."""
    return {"message": translation.gettext("Rapporten är klar.")}


@pytest.mark.parametrize(
    ("language", "message"), [("sv", "Rapporten är klar."), ("en", "The report is ready.")]
)
def test_the_queue_carries_the_job_and_the_orderers_language(
    world, django_capture_on_commit_callbacks, language, message
):
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ

    job = _report(world)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        jobs.start(job, record_language, inline=False)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id
    task = OrmQ.objects.get().task  # what the worker takes from the queue
    assert task["id"] == job.task_id
    import_string(task["func"])(*task["args"], **task["kwargs"])  # as the worker runs it
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts) == (JobStatus.DONE, message, 1)


def test_a_job_started_more_than_its_attempts_is_failed_with_the_reason(world, settings):
    from styrkort.jobs.tasks import run

    job = _report(world, status=JobStatus.RUNNING, attempts=settings.STYRKORT_JOB_ATTEMPTS)
    run("web.ReportJob", job.pk, f"{__name__}.record_language", "sv")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == services.ATTEMPTS_MESSAGE
    with translation.override("en"):
        assert "started" in jobs.job_state(job)["message"]


def test_recovery_fails_a_job_the_queue_lost(world):
    old = timezone.now() - timedelta(hours=2)
    lost = ImportJob.objects.create(
        owner=world.users.reporter, kind="outcomes", status="running", task_id="gone", attempts=1
    )
    fresh = ImportJob.objects.create(
        owner=world.users.reporter, kind="outcomes", status="running", task_id="gone", attempts=1
    )
    ImportJob.objects.filter(pk=lost.pk).update(updated_at=old)
    assert services.recover() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == JobStatus.FAILED and lost.message == services.LOST_MESSAGE
    assert fresh.status == JobStatus.RUNNING


def test_pruning_removes_old_results_and_their_files(world, settings, tmp_path):
    settings.STYRKORT_JOBS_KEEP_DAYS = 7
    upload = tmp_path / "gammal.csv"
    upload.write_text("enhet;indikator\n")
    now = timezone.now()
    old_import = ImportJob.objects.create(
        owner=world.users.reporter,
        kind="outcomes",
        status="failed",
        upload_path=str(upload),
        finished_at=now - timedelta(days=8),
    )
    old_report = _report(
        world,
        fmt="pdf",
        status="done",
        content=b"%PDF",
        finished_at=now - timedelta(days=8),
    )
    recent = _report(
        world,
        fmt="pdf",
        status="done",
        content=b"%PDF",
        finished_at=now - timedelta(days=6),
    )
    counts = services.prune()
    assert counts["importjob"] == 1 and counts["reportjob"] == 1
    assert not upload.exists()
    assert not ImportJob.objects.filter(pk=old_import.pk).exists()
    assert not ReportJob.objects.filter(pk=old_report.pk).exists()
    assert ReportJob.objects.filter(pk=recent.pk).exists()


def test_jobs_command_lists_jobs_and_schedules(world):
    services.sync_schedules()
    _report(
        world,
        fmt="pdf",
        status="failed",
        message="Ett oväntat fel inträffade. Försök igen eller kontakta förvaltningen.",
    )
    out = io.StringIO()
    call_command("jobs", as_json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["worker_running"] is False
    assert [j["status"] for j in data["jobs"]] == ["failed"]
    assert {s["name"] for s in data["schedules"]} == {
        "Återhämta avbrutna jobb",
        "Rensa gamla jobb",
        "Skicka påminnelser",
        "Hämta jämförelsevärden från Kolada",
    }
    assert all(s["next_run"] and s["last_run"] is None for s in data["schedules"])
    out = io.StringIO()
    call_command("jobs", stdout=out)
    text = out.getvalue()
    assert "Bakgrundstjänsten: INTE igång" in text
    assert "Rensa gamla jobb (var 60:e minut): senast aldrig" in text
    assert "Skicka påminnelser (dagligen kl. 07:00): senast aldrig" in text


def test_the_jobs_page_shows_administrators_the_worker_jobs_and_schedules(world, client):
    services.sync_schedules()
    _report(world, fmt="pdf")
    client.force_login(world.users.reader)
    assert client.get(reverse("jobs_page")).status_code == 403
    assert "Bakgrundsjobb</a>" not in client.get(reverse("tree")).content.decode()
    admin = world.users.admin
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("jobs_page")).content.decode()
    assert "Bakgrundstjänsten är inte igång." in page
    assert "reader" in page and "I kö" in page
    assert "Rensa gamla jobb" in page and "var 60:e minut" in page and "aldrig" in page
    assert "Skicka påminnelser" in page and "dagligen kl. 07:00" in page
    services.beat("testvärd:1", timezone.now())
    assert "Bakgrundstjänsten är igång." in client.get(reverse("jobs_page")).content.decode()
