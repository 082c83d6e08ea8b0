"""Reports from the web: choose the kind (delårsrapport, årsrapport, verksamhetsplan), the
period, the format and publication mode; the document is built in a background job
(`styrkort.web.jobs`) while the page shows its progress, then offered as a download to the
person who ordered it."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from styrkort.organisation.permissions import Action
from styrkort.periods import PeriodError, parse_period
from styrkort.web.jobs import JobError, delete_old_reports, job_state, refuse_over_limit, start
from styrkort.web.models import JobStatus, ReportJob

from .base import get_unit, resolve_period, unit_context

KIND_CHOICES = [
    ("interim", gettext_lazy("Delårsrapport")),
    ("annual", gettext_lazy("Årsrapport")),
    ("plan", gettext_lazy("Verksamhetsplan")),
    # The whole region's delårsrapport or årsrapport, compiled from the units' approved
    # submissions (reports.region); offered on the region's top unit only.
    ("region", gettext_lazy("Regionens sammanställda rapport")),
]
FORMAT_CHOICES = [
    ("docx", gettext_lazy("Word (.docx)")),
    ("pdf", gettext_lazy("PDF")),
    ("xlsx", gettext_lazy("Excel (.xlsx)")),
    ("html", gettext_lazy("Webbsida (HTML)")),
]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Rapport"), choices=KIND_CHOICES)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=16,
        help_text=gettext_lazy(
            "T.ex. 2022-DÅ04 eller 2022-DÅ08 för en delårsrapport, 2022 för en årsrapport "
            "eller en verksamhetsplan."
        ),
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=FORMAT_CHOICES,
        widget=forms.RadioSelect,
        initial="docx",
    )
    publication = forms.BooleanField(
        label=gettext_lazy("För publicering (små antal döljs, t.ex. <5)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("Välj en av rapporterna.")
        self.fields["fmt"].error_messages["invalid_choice"] = _("Välj ett av formaten.")
        self.fields["fmt"].error_messages["required"] = _("Välj ett format.")
        self.fields["period"].error_messages["required"] = _("Ange en period, t.ex. 2022-DÅ04.")

    def clean(self):
        data = super().clean()
        text, kind = data.get("period"), data.get("kind")
        if not text:
            return data
        try:
            period = parse_period(text)
        except PeriodError as exc:
            self.add_error("period", str(exc))
            return data
        if kind == "annual" and not period.is_year:
            self.add_error(
                "period",
                _("En årsrapport gäller ett helt år, inte %(p)s. Ange t.ex. %(y)s.")
                % {"p": period.canonical, "y": period.year},
            )
        elif kind == "interim" and period.is_year:
            self.add_error(
                "period",
                _(
                    "En delårsrapport gäller en del av året, inte %(p)s. Ange t.ex. "
                    "%(y)s-DÅ04 eller %(y)s-DÅ08, eller välj årsrapport."
                )
                % {"p": period.canonical, "y": period.year},
            )
        data["period_obj"] = period
        return data


def _for_unit(form: ReportForm, unit) -> ReportForm:
    """The region's compiled report is made for its top unit only."""
    if unit.depth != 1:
        form.fields["kind"].choices = [c for c in KIND_CHOICES if c[0] != "region"]
    return form


def _build(job, progress):
    """The work of a report job: build the document, keep its bytes."""
    from styrkort.reports import ReportError, build_report, report_filename

    try:
        data = build_report(
            job.kind,
            job.unit,
            job.period,
            job.fmt,
            publication=job.publication,
            progress=lambda fraction, words: progress(fraction * 100, words),
        )
    except ReportError as exc:
        raise JobError(str(exc)) from exc
    return {
        "content": data,
        "filename": report_filename(job.kind, job.unit, job.period, job.fmt),
        "message": _("Rapporten är klar."),
    }


def _period_words(text: str) -> str:
    """The ordered period as people write it (``DÅ04 2022``), in the page's language."""
    from django.utils.translation import get_language

    from styrkort.periods import period_text

    try:
        return period_text(text, "label", get_language())
    except (PeriodError, ValueError):
        return text


def _jobs_of(user, unit):
    return (
        ReportJob.objects.filter(owner=user, unit=unit)
        .defer("content")
        .order_by("-created_at", "-id")[:10]
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request, code):
    """The form, and the person's recent reports of the unit."""
    unit = get_unit(request, code, Action.VIEW)
    period, period_error = resolve_period(request, unit)
    if request.method == "POST":
        form = _for_unit(ReportForm(request.POST), unit)
        limited = refuse_over_limit(request.user, form)
        if form.is_valid() and not limited:
            data = form.cleaned_data
            delete_old_reports()
            job = ReportJob.objects.create(
                owner=request.user,
                unit=unit,
                kind=data["kind"],
                period=data["period_obj"].canonical,
                fmt=data["fmt"],
                publication=data["publication"],
                message=_("Väntar på att starta"),
            )
            start(job, _build)
            return redirect("report_job", code=unit.code, job_id=job.pk)
        status = 429 if limited else 422
    else:
        kind = "annual" if period.is_year else "interim"
        form = _for_unit(
            ReportForm(initial={"kind": kind, "period": period.canonical, "fmt": "docx"}), unit
        )
        status = 200
    context = unit_context(request, unit, period, "reports")
    context.update(
        {
            "form": form,
            "jobs": [_job_view(unit, j) for j in _jobs_of(request.user, unit)],
            "period_error": period_error,
        }
    )
    return render(request, "web/reports.html", context, status=status)


def _owned_job(request, code, job_id) -> tuple:
    unit = get_unit(request, code, Action.VIEW)
    job = ReportJob.objects.defer("content").filter(pk=job_id, unit=unit).first()
    if job is None:
        raise Http404(_("Rapportbeställningen finns inte."))
    if job.owner_id != request.user.pk:
        raise PermissionDenied(_("Bara den som beställde rapporten kan se och hämta den."))
    return unit, job


def _job_view(unit, job) -> dict:
    kinds, fmts = dict(KIND_CHOICES), dict(FORMAT_CHOICES)
    return {
        "job": job,
        **job_state(job),
        "title": _("%(kind)s %(period)s, %(fmt)s")
        % {
            "kind": kinds.get(job.kind, job.kind),
            "period": _period_words(job.period),
            "fmt": fmts.get(job.fmt),
        },
        "poll_url": reverse("report_job", args=[unit.code, job.pk]),
        "download_url": reverse("report_download", args=[unit.code, job.pk]),
    }


@login_required
def report_job(request, code, job_id):
    """The progress of one report; htmx polls the fragment until it is done."""
    unit, job = _owned_job(request, code, job_id)
    context = unit_context(request, unit, None, "reports")
    context.update({"j": _job_view(unit, job)})
    if request.htmx:
        return render(request, "web/_report_job.html", context)
    return render(request, "web/report_job.html", context)


@login_required
def report_download(request, code, job_id):
    _unit, job = _owned_job(request, code, job_id)
    if job.status != JobStatus.DONE:
        raise Http404(_("Rapporten är inte klar."))
    from styrkort.reports import content_type

    data = ReportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(data or b""), content_type=content_type(job.fmt))
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
