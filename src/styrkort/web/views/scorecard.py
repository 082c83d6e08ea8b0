"""A unit's scorecard for a reporting point (seed 001's goal tables), and the drill-down
to its sub-units."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from styrkort.followup.versions import data_version
from styrkort.organisation.permissions import Action
from styrkort.web.layout import build_sections, column_heading

from .base import children_valid_in, get_unit, resolve_period, unit_context


def evaluate(unit, period):
    """The engine's evaluation of the unit for the period (followup.queries)."""
    from styrkort.followup.queries import evaluate_unit

    return evaluate_unit(unit, period)


@login_required
def unit_home(request, code):
    get_unit(request, code, Action.VIEW)
    return redirect("scorecard", code=code)


# A rendered scorecard is kept this long at most; any data change makes a new key at once.
SCORECARD_CACHE_SECONDS = 600


@login_required
def scorecard(request, code):
    unit = get_unit(request, code, Action.VIEW)
    period, period_error = resolve_period(request, unit)
    context = unit_context(request, unit, period, "scorecard")
    context["period_error"] = period_error
    # The body holds no form and no CSRF token, so it can be shared by everyone who sees
    # the same unit, period and language with the same rights.
    parts = ":".join(
        [
            "scorecard",
            str(unit.pk),
            period.canonical,
            get_language() or "",
            str(context["can_report"]),
            str(context["can_plan"]),
            timezone.localdate().isoformat(),  # staleness of activities moves with the day
            period_error,
            data_version(),
        ]
    )
    key = "scorecard:" + hashlib.sha256(parts.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        evaluation = evaluate(unit, period)
        sections = build_sections(evaluation)
        for section in sections:
            section.first_column = column_heading(section)
        context.update(
            {
                "evaluation": evaluation,
                "sections": sections,
                "status_counts": evaluation.status_counts(),
                "children": list(children_valid_in(unit, period)),
                "stale_count": len(evaluation.stale_activities),
            }
        )
        body = render_to_string("web/_scorecard_body.html", context, request=request)
        cache.set(key, body, SCORECARD_CACHE_SECONDS)
    context["scorecard_body"] = mark_safe(body)
    return render(request, "web/scorecard.html", context)


@login_required
def subunits(request, code, indicator_code):
    """The sub-units' values, statuses and trends for one indicator (drill-down)."""
    unit = get_unit(request, code, Action.VIEW)
    period, _error = resolve_period(request, unit)
    from styrkort.followup.queries import evaluate_tree

    rows = []
    indicator = None
    tree = evaluate_tree(unit, period)
    for child in children_valid_in(unit, period):
        try:
            item = tree.unit(child.code).indicator(indicator_code)
        except KeyError:
            continue
        indicator = indicator or item
        rows.append({"unit": child, "item": item})
    if indicator is None:
        own = evaluate(unit, period)
        try:
            indicator = own.indicator(indicator_code)
        except KeyError:
            raise Http404(_("Indikatorn finns inte i enhetens plan.")) from None
    context = unit_context(request, unit, period, "scorecard")
    context.update(
        {
            "indicator": indicator,
            "rows": rows,
            "back_url": reverse("scorecard", args=[unit.code]) + f"?period={period.canonical}",
        }
    )
    template = "web/_subunits.html" if request.htmx else "web/subunits.html"
    return render(request, template, context)
