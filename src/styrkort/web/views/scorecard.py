"""A unit's scorecard for a reporting point (seed 001's goal tables), and the drill-down
to its sub-units."""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from styrkort.followup.versions import page_version
from styrkort.metrics import SCORECARD_PAGES
from styrkort.organisation.permissions import Action, can, may_import_anything, require
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
# The cache every worker process shares, behind each process's own memory cache
# (settings.CACHES: files on one server; with Redis the default cache is the shared one
# and this one keeps nothing).
PAGES_CACHE = "pages"

# Stand-ins for the only per-request parts of a cached page (long and random enough never to
# occur in a page's own text): the CSRF token of this request and the signed-in user's name.
CSRF_MARK = "__styrkort_csrf_9c1f6b2e7d__"
USER_MARK = "__styrkort_user_4a8e0d3b61__"
CSRF_TOKEN_IN_PAGE = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


@login_required
def scorecard(request, code):
    """The scorecard page, cached whole per URL, language, rights, day and the unit's
    scoped data version.

    Everything on the page follows from those: the unit, its breadcrumbs and period menu,
    the evaluation (the organisation and its tree, the plans of the unit and its
    ancestors, the outcomes, analyses, assessments and activities of its subtree are all
    in `page_version(unit)`; a write elsewhere leaves it alone), and the rights that show
    or hide tabs and menu items. The CSRF token and the user's name are put in for each
    request. A page with a message to show (after a redirect) is built fresh and not
    cached.
    """
    unit, version = _unit(request, code)
    rights = (
        can(request.user, Action.REPORT, unit),
        can(request.user, Action.PLAN, unit),
        may_import_anything(request.user),
    )
    cacheable = len(get_messages(request)) == 0
    key = None
    if cacheable:
        key = _cache_key(
            "scorecard",
            str(unit.pk),
            request.get_full_path(),
            get_language() or "",
            repr(rights),
            timezone.localdate().isoformat(),  # staleness of activities moves with the day
            version,
        )
        page = _kept_page(key)
        if page is not None:
            SCORECARD_PAGES.labels("cache").inc()
            return HttpResponse(_personalise(page, request))
    page = _render_scorecard(request, unit)
    SCORECARD_PAGES.labels("rendered").inc()
    shared = _depersonalise(page, request) if key is not None else None
    if shared is not None:
        cache.set(key, shared, SCORECARD_CACHE_SECONDS)
        caches[PAGES_CACHE].set(key, shared, SCORECARD_CACHE_SECONDS)
    return HttpResponse(page)


def _kept_page(key: str) -> str | None:
    """The page kept under `key`: from this process's memory, else from the cache all
    workers share (then kept in memory too). The key holds the page's data version, so
    neither copy can be stale; a page one worker rendered is not rendered again by the
    others."""
    page = cache.get(key)
    if page is None:
        page = caches[PAGES_CACHE].get(key)
        if page is not None:
            cache.set(key, page, SCORECARD_CACHE_SECONDS)
    return page


def _cache_key(kind: str, *parts: str) -> str:
    """A cache key of fixed length and safe characters for every cache backend."""
    return f"{kind}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _unit(request, code: str):
    """The unit in the URL, checked for the right to view it, and its page version. The
    unit is kept with its organisation's version (which changes with every saved change
    to a unit of the tree), so a repeated view needs no query for it."""
    key = _cache_key("scorecard-unit", code)
    kept = cache.get(key)
    if kept is not None:
        unit, tree_version = kept
        version = page_version(unit)
        if version.startswith(tree_version + "."):
            require(request.user, Action.VIEW, unit)
            return unit, version
    unit = get_unit(request, code, Action.VIEW)
    version = page_version(unit)
    # Read again after the version: a rename committed in between is not kept under it.
    unit = get_unit(request, code, Action.VIEW)
    tree_version = ".".join(version.split(".")[:2])  # the installation's and organisation's
    cache.set(key, (unit, tree_version), SCORECARD_CACHE_SECONDS)
    return unit, version


def _render_scorecard(request, unit) -> str:
    period, period_error = resolve_period(request, unit)
    context = unit_context(request, unit, period, "scorecard")
    evaluation = evaluate(unit, period)
    sections = build_sections(evaluation)
    for section in sections:
        section.first_column = column_heading(section)
    context.update(
        {
            "period_error": period_error,
            "evaluation": evaluation,
            "sections": sections,
            "status_counts": evaluation.status_counts(),
            "children": list(children_valid_in(unit, period)),
            "stale_count": len(evaluation.stale_activities),
        }
    )
    return render_to_string("web/scorecard.html", context, request=request)


def _user_label(user) -> str:
    return escape(user.get_full_name() or user.get_username())


def _depersonalise(page: str, request) -> str | None:
    """The page with this request's CSRF token and user name marked, or None when either
    cannot be found exactly (then the page is not shared)."""
    # One masked token per rendering (the csrf context processor computes it once).
    token = CSRF_TOKEN_IN_PAGE.search(page)
    if token is None:
        return None
    page = page.replace(token.group(1), CSRF_MARK)
    name = f'<span class="user-name">{_user_label(request.user)}</span>'
    if page.count(name) != 1:
        return None
    return page.replace(name, f'<span class="user-name">{USER_MARK}</span>')


def _personalise(page: str, request) -> str:
    return page.replace(CSRF_MARK, get_token(request)).replace(USER_MARK, _user_label(request.user))


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
