"""What the reporting page shows around its rows: the round that covers the period (the
unit's deadline, state, "Klarmarkera"), what is still missing per indicator, last year's
value, and the status of typed values before they are saved (the engine's pure status
rule on the typed numbers, nothing written).

The rules are not decided here: what is due comes from ``rounds.due.unit_due``, the
submission's state and deadline from ``rounds.due.overview`` and the status from
``followup.evaluation`` (``evaluate_sexes``, ``across_sexes``) with the same target,
reference values and limits as the engine (``followup.queries.engine``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.urls import reverse
from django.utils.translation import gettext as _

from styrkort.followup.evaluation import Obs, across_sexes, evaluate_sexes
from styrkort.followup.evaluation.aggregate import ratio_scale
from styrkort.followup.evaluation.status import evaluate_total_from_sexes, final_status
from styrkort.periods import parse_period
from styrkort.rounds import rules
from styrkort.rounds.due import overview, round_state, unit_due
from styrkort.rounds.models import ReportingRound, RoundState
from styrkort.web.presentation import format_value

from .base import period_label

SEX_SHORT = {"total": "", "women": "K", "men": "M"}


@dataclass
class Missing:
    """What one indicator's row still lacks: sexes without an outcome, and whether an
    analysis is due (not met, none written)."""

    sexes: list[str] = field(default_factory=list)
    analysis: bool = False

    @property
    def complete(self) -> bool:
        return not self.sexes and not self.analysis


def covering_round(unit, period) -> ReportingRound | None:
    """The round of the unit's organisation whose period covers `period` (rules.covers):
    the one for exactly this period first, then an open one, then the narrowest."""
    found = list(
        ReportingRound.objects.select_related("organisation").filter(
            organisation_id=unit.organisation_id,
            period_start__lte=period.start,
            period_end__gte=period.end,
        )
    )
    if not found:
        return None
    found.sort(
        key=lambda r: (
            r.period != period.canonical,
            r.state != RoundState.OPEN,
            r.period_end - r.period_start,
        )
    )
    return found[0]


def round_context(request, unit, rnd: ReportingRound, due) -> dict:
    """The round box at the top of the page: label, state, the unit's deadline and
    submission state, links, and whether the user may mark the unit ready."""
    from .rounds import annotate, deadline_note

    is_open = rnd.state == RoundState.OPEN
    found = overview(rnd, units=[unit.pk])
    item = annotate(found, request.user, rnd.organisation_id, is_open)[0] if found else None
    may_mark = bool(
        item and item.may_report and item.state not in (rules.READY, rules.APPROVED, rules.EXCUSED)
    )
    return {
        "round": rnd,
        "organisation": rnd.organisation,
        "label": period_label(parse_period(rnd.period)),
        "state": round_state(rnd),
        "is_open": is_open,
        "not_open": not is_open,
        "item": item,
        "deadline_note": deadline_note(item.days_left) if item and is_open else "",
        "unit_url": reverse("round_unit", args=[rnd.organisation.code, rnd.period, unit.code])
        if item
        else "",
        "may_mark_ready": may_mark,
        "activities_due": len(due.activities) if due is not None else None,
    }


def missing_by_indicator(rnd, unit, period, evaluation, outcomes) -> tuple[object, dict]:
    """(the round's UnitDue or None, {indicator id: Missing}). With a round for exactly
    this period: what ``unit_due`` lists; otherwise an indicator lacks a value when
    nothing is stored for it."""
    missing: dict[int, Missing] = {}
    if rnd is not None and rnd.period == period.canonical:
        due = unit_due(rnd, unit, evaluation=evaluation)
        for indicator, sexes in due.outcomes:
            missing.setdefault(indicator.pk, Missing()).sexes = list(sexes)
        for indicator in due.analyses:
            missing.setdefault(indicator.pk, Missing()).analysis = True
        return due, missing
    due = unit_due(rnd, unit) if rnd is not None else None
    stored = {ind_id for ind_id, _sex in outcomes}
    for item in evaluation.indicators:
        if item.indicator_id not in stored:
            missing.setdefault(item.indicator_id, Missing()).sexes = ["total"]
    return due, missing


def previous_text(item) -> str:
    """Last year's outcome for the same period, 'DÅ08 2021: 49 % (K 45 %, M 60 %)'."""
    if item is None:
        return ""
    prev = item.previous_obs or {}
    total = prev.get("total")

    def fmt(obs) -> str:
        return format_value(obs.value, item.unit, item.decimals)

    parts = [
        f"{SEX_SHORT[sex]} {fmt(prev[sex])}"
        for sex in ("women", "men")
        if prev.get(sex) is not None and prev[sex].value is not None
    ]
    if (total is None or total.value is None) and not parts:
        return ""
    text = fmt(total) if total is not None and total.value is not None else "–"
    if parts:
        text += f" ({', '.join(parts)})"
    label = period_label(parse_period(item.previous_period))
    return f"{label}: {text}"


def preview_item(item, indicator, organisation, period, parsed: dict) -> SimpleNamespace:
    """The statuses the row would get with the typed values (`parsed`: {sex: {field:
    number or None}}; an empty field keeps what is stored), for ``_status_cell.html``."""
    scale = ratio_scale(indicator.unit)
    obs: dict[str, Obs | None] = {}
    for sex in ("total", "women", "men"):
        typed = parsed.get(sex) or {}
        num, den = typed.get("numerator"), typed.get("denominator")
        if num is not None and den is not None:
            obs[sex] = Obs.from_ratio(num, den, scale)
        elif typed.get("value") is not None:
            obs[sex] = Obs(typed["value"])
        else:
            stored = item.obs.get(sex) if item is not None else None
            if sex == "total" and item is not None and item.sources.get("total") == "sexes":
                stored = None  # derived from the sexes: derive it again from the typed ones
            obs[sex] = stored
    women, men, total = obs["women"], obs["men"], obs["total"]
    if (
        women is not None
        and men is not None
        and (
            total is None
            or (
                indicator.aggregation == "ratio"
                and not total.has_ratio
                and women.has_ratio
                and men.has_ratio
            )
        )
    ):
        total = across_sexes(women, men, indicator.aggregation, scale=scale) or total
    values = {
        "total": total.value if total is not None else None,
        "women": women.value if women is not None else None,
        "men": men.value if men is not None else None,
    }
    target = item.target if item is not None else None
    spec = target.spec if target is not None and target.spec else None
    tolerance = (
        indicator.tolerance_pct
        if indicator.tolerance_pct is not None
        else organisation.tolerance_pct
    )
    own_epsilon = getattr(indicator, "epsilon_pct", None)  # as the engine's rows carry it
    epsilon = own_epsilon if own_epsilon is not None else organisation.trend_epsilon_pct
    computed = evaluate_sexes(
        spec,
        values,
        direction=indicator.direction,
        point=period.reporting_point or period.canonical,
        references=target.reference_values if target is not None else {},
        tolerance_pct=tolerance,
        green=indicator.green_limit,
        red=indicator.red_limit,
        epsilon_pct=epsilon,
    )
    computed = {sex: s.value for sex, s in computed.items()}
    assessments = dict(item.assessments) if item is not None else {}
    status = dict(computed)
    for sex, manual in assessments.items():
        status[sex] = final_status(computed[sex], manual.status, manual.reason).value
    if (
        spec
        and spec.get("kind") == "by_sex"
        and "total" not in assessments
        and ("women" in assessments or "men" in assessments)
    ):
        status["total"] = evaluate_total_from_sexes(status["women"], status["men"]).value
    return SimpleNamespace(
        status=status,
        computed_status=computed,
        assessments=assessments,
        by_sex=indicator.by_sex,
        values=values,
    )


def missing_labels(missing: Missing | None) -> list[str]:
    """'Saknas: kvinnor, män', 'Analys saknas' for the row."""
    if missing is None:
        return []
    names = {"total": _("totalt"), "women": _("kvinnor"), "men": _("män")}
    out = []
    if missing.sexes:
        sexes = sorted(missing.sexes, key=list(names).index)
        out.append(_("Utfall saknas: %(sexes)s") % {"sexes": ", ".join(names[s] for s in sexes)})
    if missing.analysis:
        out.append(_("Analys saknas (ej uppfyllt)"))
    return out
