"""The administrators' page of the background service: whether the worker runs, the jobs
queued, running and failed, and the periodic tasks with their last run, next run and last
error."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from styrkort.jobs import services


@login_required
def jobs_page(request):
    if not request.user.is_superuser:
        raise PermissionDenied(
            _("Bara administratörer för hela installationen ser bakgrundsjobben.")
        )
    return render(
        request,
        "web/jobs.html",
        {
            "worker_running": services.worker_running(),
            "jobs": services.listing(),
            "schedules": services.schedules(),
        },
    )
