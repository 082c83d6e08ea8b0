"""Downloads of the tables of the scorecard, indicator, activity, risk and economy pages
(web.export): each view checks the same right and reads the same period as its page,
and builds the tables from the same services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from styrkort.organisation.permissions import Action
from styrkort.web.export import FORMATS, download
from styrkort.web.export.scorecard import scorecard_tables

from .base import get_unit, period_label, resolve_period
from .scorecard import evaluate


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404(_("Okänt filformat: %(format)s (använd csv eller xlsx).") % {"format": fmt})
    return fmt


def export_links(url_name: str, *args, **query) -> dict:
    """`export_csv` and `export_xlsx` for a page's download links (web/_downloads.html)."""
    suffix = ("?" + urlencode({k: v for k, v in query.items() if v})) if any(query.values()) else ""
    return {f"export_{fmt}": reverse(url_name, args=[*args, fmt]) + suffix for fmt in FORMATS}


@login_required
def scorecard_export(request, code, fmt):
    fmt = _format(fmt)
    unit = get_unit(request, code, Action.VIEW)
    period, _error = resolve_period(request, unit)
    evaluation = evaluate(unit, period)
    title = _("Styrkort %(unit)s %(period)s") % {"unit": unit.name, "period": period_label(period)}
    return download(scorecard_tables(evaluation, title=title), fmt, title)
