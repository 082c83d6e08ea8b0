"""The administrators' Kolada settings: the organisation's Kolada area, the tolerance of
"I nivå med", and a button that fetches the comparison values now (a queued job). Shown
as a section of the organisation's settings page; the forms post here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrkort.comparisons.services import queue_fetch, update_comparison_settings
from styrkort.io.numbers import NumberError, parse_number

from .administration import area_for


@login_required
@require_POST
def kolada_settings(request, org):
    area = area_for(request, org)
    if not area.admin_org:
        raise PermissionDenied(
            _("Bara administratörer för hela %(organisation)s ändrar inställningarna.")
            % {"organisation": area.organisation.name}
        )
    organisation = area.organisation
    if request.POST.get("action") == "kolada_fetch":
        if not organisation.kolada_area:
            messages.error(request, _("Kolada-område: ange organisationens område först."))
        else:
            queue_fetch(organisation, user=request.user)
            messages.success(
                request,
                _(
                    "Hämtningen från Kolada är köad. Resultatet syns under Bakgrundsjobb "
                    "och på indikatorsidorna när den är klar."
                ),
            )
        return redirect("administration_settings", org=org)
    text = (request.POST.get("comparison_tolerance_pct") or "").strip()
    tolerance = None
    if text:
        try:
            tolerance = parse_number(text)
        except NumberError:
            messages.error(
                request,
                _("Tolerans för ”i nivå med” (%%): ”%(text)s” är inget tal.") % {"text": text},
            )
            return redirect("administration_settings", org=org)
    try:
        update_comparison_settings(
            user=request.user,
            organisation=organisation,
            kolada_area=request.POST.get("kolada_area", ""),
            tolerance_pct=tolerance,
        )
    except ValidationError as exc:
        labels = {"tolerance_pct": _("Tolerans"), "kolada_area": _("Kolada-område")}
        for field, errors in exc.message_dict.items():
            for error in errors:
                messages.error(request, f"{labels[field]}: {error}")
    else:
        messages.success(request, _("Inställningarna för jämförelser är sparade."))
    return redirect("administration_settings", org=org)


@login_required
def kpi_catalogue(request):
    """Search Kolada's KPI catalogue (imported with `styrkort kolada kpis`) offline: by
    id or by words of the title, every word required; at most 100 shown."""
    from django.db.models import Q
    from django.shortcuts import render

    from styrkort.comparisons.models import KoladaKpi

    query = " ".join((request.GET.get("q") or "").split())[:200]
    kpis, more = [], False
    if query:
        found = KoladaKpi.objects.all()
        for word in query.split():
            found = found.filter(Q(id__iexact=word) | Q(title__icontains=word))
        kpis = list(found.order_by("id")[:101])
        more = len(kpis) > 100
        kpis = kpis[:100]
    return render(
        request,
        "web/comparisons/kpi_catalogue.html",
        {
            "query": query,
            "kpis": kpis,
            "more": more,
            "catalogue_size": KoladaKpi.objects.count(),
        },
    )
