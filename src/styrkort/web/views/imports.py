"""Import from the web: upload a CSV or XLSX file of outcomes, plans (or another registered
kind such as the ledger), optionally as a dry run. The file is imported all or nothing by
`styrkort.io.services.run_import` in a background job (`styrkort.web.jobs`) while the page
shows the progress; the rejected rows come back as a table (row, column, reason)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from styrkort.organisation.permissions import Action, scope_for
from styrkort.web.jobs import job_state, refuse_over_limit, start
from styrkort.web.models import ImportJob

KIND_LABELS = {
    "outcomes": gettext_lazy("Utfall"),
    "plans": gettext_lazy("Planer (mål, indikatorer, målvärden)"),
    "ledger": gettext_lazy("Resultaträkning (ekonomi)"),
}
#: the role a kind needs somewhere in the organisation to open the page for it
KIND_ACTIONS = {"outcomes": Action.REPORT, "plans": Action.PLAN, "ledger": Action.PLAN}
MAX_ROWS_SHOWN = 1000


def _kinds(user) -> list[tuple[str, str]]:
    from styrkort.io.services import importer_kinds

    scope = scope_for(user)
    out = []
    for kind in importer_kinds():
        action = KIND_ACTIONS.get(kind, Action.PLAN)
        if scope.superuser or scope.paths[action]:
            out.append((kind, str(KIND_LABELS.get(kind, kind))))
    return out


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Vad filen innehåller"))
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller Excel .xlsx)"),
        help_text=gettext_lazy(
            "Första raden är rubriker, t.ex. enhet;indikator;period;kön;värde. Tal skrivs på "
            "svenskt sätt (51,0; 1 757)."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Provkör: kontrollera filen utan att spara något"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Välj vad filen innehåller bland alternativen."
        )
        self.fields["file"].error_messages.update(
            {"required": _("Välj en fil att läsa in."), "empty": _("Filen är tom.")}
        )
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.xlsx"


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _run(job, progress):
    """The work of an import job: read the stored upload, import it, keep the report."""
    from styrkort.io.services import run_import

    path = Path(job.upload_path)
    try:
        with path.open("rb") as fileobj:
            report = run_import(
                job.kind,
                fileobj,
                user=job.owner,
                dry_run=job.dry_run,
                progress=lambda done, total: progress(
                    99 * done / total if total else 0, _("Läser rader")
                ),
                name=job.filename,
            )
    finally:
        path.unlink(missing_ok=True)
    result = report.as_dict()
    result["ok"] = report.ok
    result["written"] = report.written
    result["summary"] = report.summary_sv()
    result["rejected_count"] = len(report.rejected) + report.rejected_not_listed
    return {"result": result, "message": report.summary_sv()[:500], "upload_path": ""}


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    kinds = _kinds(request.user)
    if not kinds:
        raise PermissionDenied(_("Du saknar behörighet att läsa in uppgifter."))
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        limited = refuse_over_limit(request.user, form)
        if form.is_valid() and not limited:
            upload = form.cleaned_data["file"]
            name = Path(upload.name or "fil").name[:200]
            target = _upload_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job = ImportJob.objects.create(
                owner=request.user,
                kind=form.cleaned_data["kind"],
                dry_run=form.cleaned_data["dry_run"],
                filename=name,
                upload_path=str(target),
                message=_("Väntar på att starta"),
            )
            start(job, _run)
            return redirect("import_job", job_id=job.pk)
        status = 429 if limited else 422
    else:
        form = ImportForm(kinds=kinds, initial={"kind": kinds[0][0], "dry_run": True})
    jobs = ImportJob.objects.filter(owner=request.user).order_by("-created_at", "-id")[:10]
    return render(
        request,
        "web/import.html",
        {"form": form, "jobs": [_job_view(j) for j in jobs]},
        status=status,
    )


def _job_view(job, *, rows: bool = False) -> dict:
    result = job.result or {}
    rejected = result.get("rejected", [])
    return {
        "job": job,
        **job_state(job),
        "title": _("%(kind)s från %(file)s")
        % {"kind": KIND_LABELS.get(job.kind, job.kind), "file": job.filename},
        "result": result,
        "ok": bool(result.get("ok")),
        "rejected": rejected[:MAX_ROWS_SHOWN] if rows else [],
        "rejected_more": max(0, result.get("rejected_count", 0) - MAX_ROWS_SHOWN),
        "poll_url": reverse("import_job", args=[job.pk]),
    }


@login_required
def import_job(request, job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404(_("Importen finns inte."))
    if job.owner_id != request.user.pk:
        raise PermissionDenied(_("Bara den som läste in filen kan se resultatet."))
    context = {"j": _job_view(job, rows=True)}
    if request.htmx:
        return render(request, "web/_import_job.html", context)
    return render(request, "web/import_job.html", context)
