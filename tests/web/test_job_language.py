"""A job run in a background thread speaks the language of the person who ordered it:
its progress texts and what its work writes (an import's rejected rows)."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from styrkort.io.services import run_import
from styrkort.web import jobs
from styrkort.web.models import ImportJob

BAD = "enhet;indikator;period;värde\nNLL-LS1;lakarbesok;2022-13;1.757\n"


def _wait_for_thread(pk: int) -> None:
    for thread in threading.enumerate():
        if thread.name == f"styrkort-importjob-{pk}":
            thread.join(timeout=60)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "language, started, reason",
    [
        ("en", "Starting", "Unknown period"),
        ("sv", "Startar", "Okänd period"),
    ],
)
def test_a_threaded_job_runs_in_the_orderers_language(language, started, reason):
    from factories import build_world

    world = build_world()
    job = ImportJob.objects.create(kind="outcomes", owner=world.users.reporter)
    seen = {}

    def work(job, progress):
        seen["language"] = translation.get_language()
        seen["started"] = jobs.live_progress(job)[1]
        report = run_import("outcomes", ContentFile(BAD.encode()), user=world.users.reporter)
        return {"result": report.as_dict()}

    with translation.override(language):
        jobs.start(job, work, inline=False)
    _wait_for_thread(job.pk)
    job.refresh_from_db()
    assert seen["language"] == language
    assert seen["started"] == started
    reasons = " ".join(r["reason"] for r in job.result["rejected"])
    assert reason in reasons, reasons
