"""Start page (my tasks, or the organisation tree), the tree, the accessibility statement
and health."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from styrkort.organisation.models import OrgUnit, UnitType
from styrkort.organisation.permissions import Action, restrict, scope_for
from styrkort.web import ratelimit
from styrkort.web.forms import BarrierReportForm


@login_required
def home(request):
    """The start page: "Mina uppgifter" while one of the user's organisations has an open
    reporting round (web.views.rounds), else the organisation tree."""
    from .rounds import my_tasks

    return my_tasks(request) or tree(request)


def tree_html(units, today, own_paths) -> str:
    """Nested lists of units (ordered by path, one whole tree), each linking to its
    scorecard. Built here rather than by template recursion: a region has ~1 000 units."""
    type_labels = dict(UnitType.choices)
    parts: list[str] = []
    base = previous = None
    for unit in units:
        depth = unit.depth
        if previous is None:
            base = depth
            parts.append('<ul class="tree">')
        elif depth > previous:
            parts.append("<ul>")
        else:
            parts.append("</li>" + "</ul></li>" * (previous - depth))
        notes = [str(type_labels.get(unit.type, unit.type))]
        if unit.valid_to is not None and unit.valid_to < today:
            notes.append(_("avvecklad %(date)s") % {"date": unit.valid_to.isoformat()})
        if unit.path in own_paths:
            notes.append(_("din behörighet"))
        parts.append(
            format_html(
                '<li><a href="{}">{}</a> <span class="meta">({})</span>',
                reverse("scorecard", args=[unit.code]),
                unit.name,
                ", ".join(notes),
            )
        )
        previous = depth
    if previous is not None:
        parts.append("</li>" + "</ul></li>" * (previous - base) + "</ul>")
    return mark_safe("".join(parts))  # every piece is escaped by format_html


@login_required
def tree(request):
    """Every unit of the organisations the user belongs to, as nested lists (one query)."""
    units = list(
        restrict(OrgUnit.objects.all(), request.user, Action.VIEW, unit_field="")
        .select_related("organisation")
        .order_by("path")
    )
    scope = scope_for(request.user)
    own_paths = {p for paths in scope.paths.values() for p in paths}
    today = timezone.localdate()
    organisations = []
    for unit in units:
        if unit.depth == 1:
            organisations.append({"root": unit, "units": []})
        if organisations:
            organisations[-1]["units"].append(unit)
    for org in organisations:
        org["html"] = tree_html(org["units"], today, own_paths)
    return render(
        request,
        "web/tree.html",
        {
            "organisations": organisations,
            "own_paths": own_paths,
            "role_units": [u for u in units if u.path in own_paths],
        },
    )


def accessibility(request):
    """Tillgänglighetsredogörelse (DOS-lagen) with a form to report a barrier. Anyone may
    report, signed in or not: STYRKORT_FEEDBACK_PER_HOUR reports per address and hour,
    then a Swedish page with HTTP 429."""
    if request.method == "POST":
        per_hour = settings.STYRKORT_FEEDBACK_PER_HOUR
        if ratelimit.over_limit("barrier-report", request, per_hour):
            return render(request, "web/too_many_reports.html", {"per_hour": per_hour}, status=429)
        form = BarrierReportForm(request.POST)
        if form.is_valid():
            report = form.save(commit=False)
            report.reported_by = request.user if request.user.is_authenticated else None
            report.save()
            ratelimit.count("barrier-report", request)
            messages.success(
                request,
                _("Tack! Vi har tagit emot din anmälan (nummer %(number)s).")
                % {"number": report.pk},
            )
            return redirect("accessibility")
    else:
        form = BarrierReportForm(initial={"page_url": request.GET.get("sida", "")})
    return render(request, "web/accessibility.html", {"form": form})


def health(request):
    """Liveness for load balancers and benchmarks: one trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
def readiness(request):
    """Readiness (`/halsa/redo/`): 200 when the database accepts a write and the worker is
    alive, else 503 naming what failed (styrkort.health)."""
    from styrkort.health import readiness as check

    ready, body = check()
    return JsonResponse(body, status=200 if ready else 503)
