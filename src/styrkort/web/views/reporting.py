"""Reporting: a unit's outcomes (total, women, men; numerator and denominator for ratios)
and analysis per indicator, saved inline with htmx through the follow-up write services.
Status and trend are re-evaluated and shown at once; every bad value gets a Swedish message
next to its field and nothing of that indicator is written.

No lost update: each form carries the version of every value and of the analysis it shows
(styrkort.concurrency). When someone else has saved one of them since, nothing of the
indicator is written and the form comes back with both values side by side ("Ditt värde"
and "Sparat av X kl. HH:MM: värde"): keep theirs, or overwrite with mine (the form then
carries the new versions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from styrkort.concurrency import StaleVersionError, version_of, when_text, who_text
from styrkort.followup.models import Analysis, Outcome
from styrkort.followup.services import delete_outcome as delete_outcome_service
from styrkort.followup.services import record_outcome, save_analysis
from styrkort.io.numbers import NumberError, parse_optional_number
from styrkort.organisation.permissions import Action
from styrkort.planning.models import Indicator
from styrkort.rounds.locks import PeriodLocked
from styrkort.web.presentation import format_input, format_value

from .base import get_indicator, get_unit, period_lock, resolve_period, unit_context
from .reporting_context import (
    covering_round,
    missing_by_indicator,
    missing_labels,
    preview_item,
    previous_text,
    round_context,
)
from .scorecard import evaluate

SEX_ROWS = (
    ("total", gettext_lazy("Totalt")),
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
)
FIELD_LABELS = {
    "value": gettext_lazy("Värde"),
    "numerator": gettext_lazy("Täljare"),
    "denominator": gettext_lazy("Nämnare"),
}


def _sexes(indicator) -> list[tuple[str, str]]:
    return list(SEX_ROWS if indicator.by_sex else SEX_ROWS[:1])


def _fields(indicator) -> list[str]:
    return ["value", "numerator", "denominator"] if indicator.is_ratio else ["value"]


def _stored(unit, period, indicators) -> tuple[dict, dict]:
    """Stored outcomes {(indicator_id, sex): Outcome} and analyses {indicator_id:
    Analysis}."""
    outcomes = {
        (o.indicator_id, o.sex): o
        for o in Outcome.objects.filter(
            unit=unit, period=period.canonical, indicator__in=indicators
        )
    }
    analyses = {
        a.indicator_id: a
        for a in Analysis.objects.filter(
            unit=unit, period=period.canonical, indicator__in=indicators
        )
    }
    return outcomes, analyses


def _row(
    unit,
    period,
    item,
    indicator,
    outcomes,
    analysis,
    data=None,
    errors=None,
    saved=False,
    conflicts=None,
    missing=None,
    locked="",
):
    """Everything one indicator's form needs. `data` is the posted text (kept on error,
    with the versions it was based on); `conflicts` {sex or "analysis": StaleVersionError}
    the values someone else has saved since (their versions go into the form)."""
    errors = errors or {}
    conflicts = conflicts or {}

    def version(key: str, stored) -> str:
        if key in conflicts:
            return conflicts[key].version
        if data is not None:
            return data.get(f"version_{key}", "")
        return version_of(stored)

    grid = []
    for sex, label in _sexes(indicator):
        cells = []
        stored = outcomes.get((indicator.pk, sex))
        for name in _fields(indicator):
            key = f"{name}_{sex}"
            if data is not None:
                text = data.get(key, "")
            else:
                number = getattr(stored, name, None) if stored else None
                if (
                    name == "value"
                    and stored
                    and indicator.is_ratio
                    and stored.numerator is not None
                ):
                    number = None if stored.denominator is not None else number
                text = format_input(number, None) if number is not None else ""
            cells.append(
                {
                    "name": key,
                    "id": f"f-{indicator.code}-{key}",
                    "label": f"{FIELD_LABELS[name]}, {label.lower()}",
                    "for_name": indicator.short_name or indicator.name,
                    "text": text,
                    "field": name,
                    "error": errors.get(key, ""),
                }
            )
        grid.append({"sex": sex, "label": label, "cells": cells, "version": version(sex, stored)})
    stored_values = [
        {
            "sex": sex,
            "label": label,
            "text": format_value(
                outcomes[(indicator.pk, sex)].value, indicator.unit, indicator.decimals
            ),
        }
        for sex, label in _sexes(indicator)
        if (indicator.pk, sex) in outcomes
    ]
    analysis_text = (
        data.get("analysis", "") if data is not None else (analysis.text if analysis else "")
    )
    not_met = item is not None and item.status.get("total") == "not_met"
    return {
        "stored": stored_values,
        "detail_url": reverse("indicator_detail", args=[unit.code, indicator.code])
        + f"?period={period.canonical}",
        "preview_url": reverse("report_preview", args=[unit.code, indicator.code])
        + f"?period={period.canonical}",
        "previous": previous_text(item),
        "has_data": item is not None and any(o is not None for o in item.obs.values()),
        "missing": missing_labels(missing),
        "complete": missing is None or missing.complete,
        # An analysis is due when the indicator is not met and none is written yet.
        "analysis_open": bool(errors.get("analysis"))
        or "analysis" in conflicts
        or (not_met and not analysis_text.strip()),
        "locked": locked,
        "unsaved": data is not None and not saved,
        "delete_url": reverse("delete_outcome", args=[unit.code, indicator.code])
        + f"?period={period.canonical}",
        "indicator": indicator,
        "item": item,
        "grid": grid,
        "columns": [FIELD_LABELS[n] for n in _fields(indicator)],
        "analysis": analysis_text,
        "analysis_version": version("analysis", analysis),
        "conflicts": _conflict_lines(indicator, conflicts, data),
        "errors": errors,
        "general_error": errors.get("__all__", ""),
        "saved": saved,
        "post_url": reverse("report_indicator", args=[unit.code, indicator.code])
        + f"?period={period.canonical}",
    }


@login_required
def reporting(request, code):
    """All indicators of the unit's plan for the period, each with its own form."""
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    evaluation = evaluate(unit, period)
    items, seen = [], set()
    for item in evaluation.indicators:
        if item.code not in seen:
            seen.add(item.code)
            items.append(item)
    indicators = {
        i.pk: i for i in Indicator.objects.filter(pk__in=[item.indicator_id for item in items])
    }
    outcomes, analyses = _stored(unit, period, list(indicators))
    locked = period_lock(unit, period)
    rnd = covering_round(unit, period)
    due, missing = missing_by_indicator(rnd, unit, period, evaluation, outcomes)
    rows = [
        _row(
            unit,
            period,
            item,
            indicators[item.indicator_id],
            outcomes,
            analyses.get(item.indicator_id),
            missing=missing.get(item.indicator_id),
            locked=locked,
        )
        for item in items
    ]
    only_missing = request.GET.get("saknas") == "1"
    shown = [row for row in rows if not row["complete"]] if only_missing else rows
    context = unit_context(request, unit, period, "reporting")
    context.update(
        {
            "rows": shown,
            "row_count": len(rows),
            "missing_count": sum(not row["complete"] for row in rows),
            "only_missing": only_missing,
            "evaluation": evaluation,
            "period_error": period_error,
            "period_lock": locked,
            "round_box": round_context(request, unit, rnd, due) if rnd is not None else None,
            "activities_url": reverse("activity_list", args=[unit.code])
            + f"?period={period.canonical}",
            "page_url": reverse("reporting", args=[unit.code]) + f"?period={period.canonical}",
        }
    )
    return render(request, "web/reporting.html", context)


@login_required
@require_POST
def report_preview(request, code, indicator_code):
    """The status cell of one row with the values as typed (debounced htmx while the
    person types): the engine's status rule on the typed numbers. Nothing is written."""
    unit = get_unit(request, code, Action.REPORT)
    period, _period_error = resolve_period(request, unit)
    indicator = get_indicator(unit, indicator_code)
    parsed, errors = _parse(indicator, request.POST)
    try:
        item = evaluate(unit, period).indicator(indicator.code)
    except KeyError:
        item = None
    typed = any(v is not None for values in parsed.values() for v in values.values())
    context = {
        "symbols": unit.organisation.symbols or {},
        "item": item,
        "errors": errors,
        "typed": typed and not errors,
    }
    if typed and not errors:
        context["preview"] = preview_item(item, indicator, unit.organisation, period, parsed)
    return render(request, "web/_report_status.html", context)


def _parse(indicator, post) -> tuple[dict, dict]:
    """{sex: {field: float|None}} and Swedish errors {field_sex: message}."""
    parsed, errors = {}, {}
    for sex, _label in _sexes(indicator):
        values = {}
        for name in _fields(indicator):
            key = f"{name}_{sex}"
            text = (post.get(key) or "").strip()
            if len(text) > 40:
                errors[key] = _("Värdet är för långt.")
                continue
            try:
                values[name] = parse_optional_number(text)
            except NumberError:
                errors[key] = _("”%(text)s” är inte ett tal. Skriv t.ex. 51,0 eller 1 757.") % {
                    "text": text
                }
        parsed[sex] = values
    return parsed, errors


def _changed(stored, values) -> bool:
    if stored is None:
        return True
    return any(getattr(stored, k) != v for k, v in values.items())


@login_required
@require_POST
def report_indicator(request, code, indicator_code):
    """Save one indicator's outcomes and analysis for the unit and period (all or nothing)."""
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    indicator = get_indicator(unit, indicator_code)
    parsed, errors = _parse(indicator, request.POST)
    if period_error:
        errors["__all__"] = period_error
    locked = "" if period_error else period_lock(unit, period)
    if locked:
        errors = {"__all__": locked}
    outcomes, analyses = _stored(unit, period, [indicator])
    stored_analysis = analyses.get(indicator.pk)
    stored_text = stored_analysis.text if stored_analysis else ""
    analysis_text = request.POST.get("analysis", "")
    # What the form was based on (None: a form without versions, no check) and, after a
    # conflict, which values the person chose to leave as the other person saved them.
    expected = {key: request.POST.get(f"version_{key}") for key in _version_keys(indicator)}
    keep_theirs = (
        set(request.POST.getlist("conflict")) if request.POST.get("resolve") == "theirs" else set()
    )
    conflicts: dict[str, StaleVersionError] = {}
    if len(analysis_text) > 20000:
        errors["analysis"] = _("Analysen får vara högst 20 000 tecken.")
    if not errors:
        try:
            with transaction.atomic():
                for sex, values in parsed.items():
                    if sex in keep_theirs:
                        continue
                    if indicator.is_ratio and (
                        values.get("numerator") is not None or values.get("denominator") is not None
                    ):
                        values["value"] = None
                    if all(v is None for v in values.values()):
                        continue
                    stored = outcomes.get((indicator.pk, sex))
                    wanted = {
                        "value": values.get("value"),
                        "numerator": values.get("numerator"),
                        "denominator": values.get("denominator"),
                    }
                    if indicator.is_ratio and wanted["numerator"] is not None:
                        check = {
                            "numerator": wanted["numerator"],
                            "denominator": wanted["denominator"],
                        }
                    else:
                        check = {"value": wanted["value"]}
                    if not _changed(stored, check):
                        continue
                    try:
                        record_outcome(
                            user=request.user,
                            indicator=indicator,
                            unit=unit,
                            period=period,
                            sex=sex,
                            expected_version=expected.get(sex),
                            **wanted,
                        )
                    except StaleVersionError as exc:
                        conflicts[sex] = exc
                    except PeriodLocked as exc:
                        locked = exc.messages[0]
                        errors.setdefault("__all__", locked)
                    except ValidationError as exc:
                        for field, message in _error_items(exc):
                            key = f"{field}_{sex}" if field in FIELD_LABELS else "__all__"
                            if key not in _keys(indicator) and key != "__all__":
                                key = f"value_{sex}"
                            errors.setdefault(key, message)
                if (
                    "analysis" not in keep_theirs
                    and (analysis_text.strip() or stored_text)
                    and (analysis_text.strip() != stored_text.strip())
                ):
                    try:
                        save_analysis(
                            user=request.user,
                            unit=unit,
                            period=period,
                            indicator=indicator,
                            text=analysis_text,
                            expected_version=expected.get("analysis"),
                        )
                    except StaleVersionError as exc:
                        conflicts["analysis"] = exc
                    except PeriodLocked as exc:
                        locked = exc.messages[0]
                        errors.setdefault("__all__", locked)
                    except ValidationError as exc:
                        for _field, message in _error_items(exc):
                            errors.setdefault("analysis", message)
                if errors or conflicts:
                    raise _Rollback
        except _Rollback:
            pass
    saved = not errors and not conflicts
    if not request.htmx and saved:
        messages.success(request, _("Sparat: %(name)s.") % {"name": indicator.name})
        return redirect(
            reverse("reporting", args=[unit.code])
            + f"?period={period.canonical}#rad-{indicator.code}"
        )
    evaluation = evaluate(unit, period)
    try:
        item = evaluation.indicator(indicator.code)
    except KeyError:
        item = None
    outcomes, analyses = _stored(unit, period, [indicator])
    row = _row(
        unit,
        period,
        item,
        indicator,
        outcomes,
        analyses.get(indicator.pk),
        data=None if saved else request.POST,
        errors=errors,
        saved=saved,
        conflicts=conflicts,
        missing=_row_missing(unit, period, evaluation, indicator),
        locked=locked,
    )
    context = unit_context(request, unit, period, "reporting")
    context.update({"row": row, "period_lock": locked})
    # A lock is a conflict with the state of the data, as the API answers it (409).
    status = 200 if saved else 409 if (conflicts and not errors) or locked else 422
    template = "web/_report_row.html" if request.htmx else "web/report_row_page.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def delete_outcome(request, code, indicator_code):
    """Delete one stored value (one sex) of an indicator for the unit and period: the
    explicit "Ta bort värdet", never an emptied field."""
    unit = get_unit(request, code, Action.REPORT)
    period, period_error = resolve_period(request, unit)
    if period_error:
        raise Http404(period_error)
    indicator = get_indicator(unit, indicator_code)
    sex = request.POST.get("sex") or "total"
    outcome = Outcome.objects.filter(
        indicator=indicator, unit=unit, period=period.canonical, sex=sex
    ).first()
    if outcome is None:
        raise Http404(_("Det finns inget sparat värde att ta bort."))
    label = dict(SEX_ROWS).get(sex, sex).lower()
    try:
        delete_outcome_service(user=request.user, outcome=outcome)
    except ValidationError as exc:
        refused = " ".join(message for _field, message in _error_items(exc))
        if not request.htmx:
            messages.error(request, refused)
            return redirect(
                reverse("reporting", args=[unit.code])
                + f"?period={period.canonical}#rad-{indicator.code}"
            )
        return _row_response(request, unit, period, indicator, {"__all__": refused}, 409)
    done = _("Värdet (%(sex)s) för %(name)s är borttaget.") % {
        "sex": label,
        "name": indicator.name,
    }
    if not request.htmx:
        messages.success(request, done)
        return redirect(
            reverse("reporting", args=[unit.code])
            + f"?period={period.canonical}#rad-{indicator.code}"
        )
    return _row_response(request, unit, period, indicator, {}, 200, deleted=done)


def _row_response(request, unit, period, indicator, errors, status, deleted=""):
    """One row as stored, re-evaluated (after a deletion, or its refusal)."""
    evaluation = evaluate(unit, period)
    try:
        item = evaluation.indicator(indicator.code)
    except KeyError:
        item = None
    outcomes, analyses = _stored(unit, period, [indicator])
    locked = period_lock(unit, period)
    row = _row(
        unit,
        period,
        item,
        indicator,
        outcomes,
        analyses.get(indicator.pk),
        errors=errors,
        missing=_row_missing(unit, period, evaluation, indicator),
        locked=locked,
    )
    row["deleted_message"] = deleted
    context = unit_context(request, unit, period, "reporting")
    context.update({"row": row, "period_lock": locked})
    return render(request, "web/_report_row.html", context, status=status)


def _row_missing(unit, period, evaluation, indicator):
    """What the row still lacks after a save (the same rule as the page)."""
    outcomes = {
        (o.indicator_id, o.sex)
        for o in Outcome.objects.filter(unit=unit, period=period.canonical, indicator=indicator)
    }
    rnd = covering_round(unit, period)
    _due, missing = missing_by_indicator(rnd, unit, period, evaluation, outcomes)
    return missing.get(indicator.pk)


class _Rollback(Exception):
    """Raised inside the transaction to undo every write of the indicator."""


def _version_keys(indicator) -> list[str]:
    """The versions a form carries: one per sex row, and the analysis's."""
    return [sex for sex, _label in _sexes(indicator)] + ["analysis"]


def _conflict_lines(indicator, conflicts: dict, data) -> list[dict]:
    """One line per value someone else has saved since the form was read: the row's
    label, my value (as typed) and theirs, who saved it and when."""
    lines = []
    labels = dict(_sexes(indicator))
    for key, exc in conflicts.items():
        if key == "analysis":
            label, mine = _("Analys"), (data or {}).get("analysis", "")
        else:
            label = labels.get(key, key)
            typed = [
                ((data or {}).get(f"{name}_{key}") or "").strip() for name in _fields(indicator)
            ]
            if indicator.is_ratio and (typed[1] or typed[2]):
                mine = f"{typed[1]}/{typed[2]}"
            else:
                mine = typed[0]
        lines.append(
            {
                "key": key,
                "label": label,
                "mine": mine or _("(tomt)"),
                "theirs": exc.value if exc.version else _("(borttaget)"),
                "who": who_text(exc.saved_by),
                "when": when_text(exc.saved_at),
                "deleted": not exc.version,
            }
        )
    return lines


def _keys(indicator) -> set[str]:
    return {f"{n}_{s}" for s, _l in _sexes(indicator) for n in _fields(indicator)}


def _error_items(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            for message in errs:
                yield field, message
    else:
        for message in exc.messages:
            yield "__all__", message
