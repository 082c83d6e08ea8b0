"""Write services for outcomes, analyses and manual assessments.

Every write goes through here: the web pages, the API, the importers and the demo loader
call the same functions. Each runs in one transaction, takes the acting user as a keyword
argument, checks permissions with the one permission function and records history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import isfinite

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from styrkort.concurrency import StaleVersionError, check_version
from styrkort.organisation.permissions import Action, require, scope_for
from styrkort.periods import Period, PeriodError, parse_period
from styrkort.rounds.locks import LockIndex, ensure_writable
from styrkort.text import normalise
from styrkort.writes import service

from .evaluation.sexes import sex_key
from .models import Analysis, AssessedStatus, Assessment, Outcome, OutcomeSource, Sex, bounded_ratio
from .versions import touch_units

_SEXES = frozenset(Sex.values)  # Django rebuilds .values on every access
SEX_LABELS_SV = {Sex.TOTAL: "totalt", Sex.WOMEN: "kvinnor", Sex.MEN: "män"}


def parse_sex(text: str | None) -> Sex:
    """`total`/`T`, `women`/`K`, `men`/`M` and the other spellings of
    `followup.evaluation.sexes.SEX_ALIASES` to a Sex; ValueError in the active language
    otherwise."""
    key = sex_key(text)
    if key is None:
        raise ValueError(
            _("Okänt kön: '%(text)s'. Använd total/T, women/K eller men/M.") % {"text": text}
        )
    return Sex(key)


@dataclass
class OutcomeInput:
    """One outcome to write; `field_errors` collects Swedish messages per field."""

    indicator: object
    unit: object
    period: Period
    sex: str = Sex.TOTAL
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    data_source: str = ""
    note: str = ""
    field_errors: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.indicator.pk, self.unit.pk, self.period.canonical, str(self.sex))


_PERIOD_BOUNDS: dict[Period, tuple] = {}


def _period_bounds(period: Period) -> tuple:
    """(first day, last day) of a period, computed once per period (an import asks
    for the same few periods a million times)."""
    bounds = _PERIOD_BOUNDS.get(period)
    if bounds is None:
        if len(_PERIOD_BOUNDS) > 10_000:
            _PERIOD_BOUNDS.clear()
        bounds = _PERIOD_BOUNDS[period] = (period.start, period.end)
    return bounds


def validate_outcome(row: OutcomeInput) -> dict[str, str]:
    """The rules every outcome must meet, wherever it comes from. Returns {field: message};
    fills in the value of a ratio from its numerator and denominator.

    Written for speed as well (it runs once per imported row): each attribute is read
    once and the cheap tests come first; the rules themselves are only here."""
    errors: dict[str, str] = {}
    ind, unit = row.indicator, row.unit
    value, numerator, denominator = row.value, row.numerator, row.denominator
    if (
        (value is not None and not isfinite(value))
        or (numerator is not None and not isfinite(numerator))
        or (denominator is not None and not isfinite(denominator))
    ):
        for name, number in (
            ("value", value),
            ("numerator", numerator),
            ("denominator", denominator),
        ):
            if number is not None and not isfinite(number):
                errors[name] = _("Ogiltigt tal: %(number)s.") % {"number": number}
        return errors
    if ind.organisation_id != unit.organisation_id:
        errors["indicator"] = _(
            "Indikatorn %(indicator)s hör till en annan organisation än enheten %(unit)s."
        ) % {"indicator": ind.code, "unit": unit.code}
    if not unit.is_valid_on(*_period_bounds(row.period)):
        errors["unit"] = _(
            "Enheten %(unit)s fanns inte under perioden %(period)s (giltig %(from)s–%(to)s)."
        ) % {
            "unit": unit.name,
            "period": row.period.canonical,
            "from": unit.valid_from or "…",
            "to": unit.valid_to or "…",
        }
    if value is None and numerator is None:
        errors["value"] = _("Ange ett värde (eller täljare och nämnare).")
    bounded = bounded_ratio(ind)
    if numerator is not None or denominator is not None:
        if (numerator is None) != (denominator is None):
            errors["numerator" if numerator is None else "denominator"] = (
                _("Täljare och nämnare anges tillsammans: nämnare saknas.")
                if denominator is None
                else _("Täljare och nämnare anges tillsammans: täljare saknas.")
            )
        if denominator is not None:
            if denominator < 0:
                errors["denominator"] = _("Nämnaren kan inte vara negativ: %(value)s.") % {
                    "value": f"{denominator:g}"
                }
            elif denominator == 0 and numerator:
                errors["denominator"] = _("Nämnaren är 0 men täljaren är inte 0.")
        if (
            bounded
            and numerator is not None
            and denominator is not None
            and (numerator > denominator)
        ):
            errors["numerator"] = _(
                "Täljaren (%(numerator)s) kan inte vara större än nämnaren (%(denominator)s)."
            ) % {"numerator": f"{numerator:g}", "denominator": f"{denominator:g}"}
        if bounded and numerator is not None and numerator < 0:
            errors["numerator"] = _("Täljaren kan inte vara negativ: %(value)s.") % {
                "value": f"{numerator:g}"
            }
        if not errors and value is None and denominator:
            value = row.value = ind.ratio_scale * numerator / denominator
    if value is not None and "value" not in errors:
        unit_of_measure = ind.unit
        if unit_of_measure == "%" and bounded and not 0 <= value <= 100:
            errors["value"] = _("En andel måste ligga mellan 0 och 100 %%: %(value)s.") % {
                "value": f"{value:g}"
            }
        elif unit_of_measure == "st" and value < 0 and ind.aggregation == "sum":
            errors["value"] = _("Ett antal kan inte vara negativt: %(value)s.") % {
                "value": f"{value:g}"
            }
    if str(row.sex) not in _SEXES:
        errors["sex"] = _("Okänt kön: '%(sex)s'.") % {"sex": row.sex}
    return errors


class OutcomeValidationError(ValidationError):
    pass


def _raise_for(errors: dict[str, str]) -> None:
    if errors:
        raise OutcomeValidationError(errors)


def _as_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(period)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc


@service
def record_outcome(
    *,
    user,
    indicator,
    unit,
    period: Period | str,
    sex: str = Sex.TOTAL,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    source: str = OutcomeSource.MANUAL,
    data_source: str = "",
    note: str = "",
    expected_version: str | None = None,
) -> Outcome:
    """Create or update one outcome. Raises PermissionDenied or ValidationError (Swedish);
    StaleVersionError when `expected_version` (what the author read, "" for no outcome;
    None: no check) is no longer the stored one (styrkort.concurrency)."""
    require(user, Action.REPORT, unit)
    row = OutcomeInput(
        indicator=indicator,
        unit=unit,
        period=_as_period(period),
        sex=sex,
        value=value,
        numerator=numerator,
        denominator=denominator,
        data_source=data_source,
        note=note,
    )
    _raise_for(validate_outcome(row))
    ensure_writable(unit, row.period)
    outcome = (
        Outcome.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period=row.period.canonical, sex=row.sex)
        .first()
    )
    check_version(
        outcome,
        expected_version,
        what=outcome_name(indicator, unit, row.period.canonical, row.sex),
        value=outcome_value_text,
    )
    if outcome is None:
        outcome = Outcome(indicator=indicator, unit=unit, sex=row.sex)
        outcome.set_period(row.period)
    outcome.indicator = indicator
    outcome.value, outcome.numerator, outcome.denominator = (
        row.value,
        row.numerator,
        row.denominator,
    )
    outcome.source = source
    outcome.data_source = data_source or outcome.data_source
    outcome.note = note or outcome.note
    outcome.updated_by = user if getattr(user, "is_authenticated", False) else None
    outcome._history_user = outcome.updated_by
    outcome.save()
    return outcome


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


_VALUE_FIELDS = ("value", "numerator", "denominator", "data_source", "note")


@service
def bulk_upsert_outcomes(
    rows: Sequence[OutcomeInput],
    *,
    user,
    source: str = OutcomeSource.IMPORT,
    batch_size: int = 5000,
    check_permissions: bool = True,
) -> UpsertResult:
    """Insert or update many validated outcomes in one transaction, history included
    (simple-history's bulk helpers). Rows must already have passed `validate_outcome`;
    unchanged rows are not written. Raises PermissionDenied naming the first unit the user
    may not report for."""
    if check_permissions:
        scope = scope_for(user)
        seen_units = {}
        for row in rows:
            seen_units.setdefault(row.unit.pk, row.unit)
        for unit in seen_units.values():
            if not scope.allows(Action.REPORT, unit):
                require(user, Action.REPORT, unit)
    _refuse_locked(rows)
    result = UpsertResult()
    acting = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    with transaction.atomic():
        existing = _existing_outcomes(rows)
        to_create, to_update = [], []
        for row in rows:
            current = existing.get(row.key)
            if current is None:
                outcome = Outcome(
                    indicator=row.indicator,
                    unit=row.unit,
                    sex=row.sex,
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    bounded_ratio=bounded_ratio(row.indicator),
                    source=source,
                    data_source=row.data_source,
                    note=row.note,
                    updated_by=acting,
                )
                outcome.set_period(row.period)
                to_create.append(outcome)
                existing[row.key] = outcome
                continue
            new = {
                "value": row.value,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "data_source": row.data_source or current.data_source,
                "note": row.note or current.note,
            }
            if all(getattr(current, k) == v for k, v in new.items()):
                result.unchanged += 1
                continue
            for k, v in new.items():
                setattr(current, k, v)
            current.bounded_ratio = bounded_ratio(row.indicator)
            current.source = source
            current.updated_by = acting
            current.updated_at = now
            to_update.append(current)
        if to_create:
            bulk_create_with_history(to_create, Outcome, batch_size=batch_size, default_user=acting)
        if to_update:
            bulk_update_with_history(
                to_update,
                Outcome,
                [*_VALUE_FIELDS, "bounded_ratio", "source", "updated_by", "updated_at"],
                batch_size=batch_size,
                default_user=acting,
            )
        result.created, result.updated = len(to_create), len(to_update)
        # Bulk helpers send no signals: the written units' cached pages are stale.
        touch_units({o.unit_id for o in to_create} | {o.unit_id for o in to_update})
    return result


def _refuse_locked(rows: Sequence[OutcomeInput]) -> None:
    """Raise PeriodLocked for the first row whose unit and period a round has locked
    (rounds.locks); nothing of the batch is written."""
    if not rows:
        return
    index = LockIndex({row.unit.organisation_id for row in rows})
    for row in rows:
        locked = index.reason(row.unit, *_period_bounds(row.period))
        if locked is not None:
            raise locked


def _existing_outcomes(rows: Iterable[OutcomeInput]) -> dict[tuple, Outcome]:
    """The stored outcomes for the rows' keys, fetched per (indicator, period) in bulk."""
    groups: dict[tuple, set[int]] = {}
    for row in rows:
        groups.setdefault((row.indicator.pk, row.period.canonical), set()).add(row.unit.pk)
    found: dict[tuple, Outcome] = {}
    for (indicator_id, period), unit_ids in groups.items():
        ids = sorted(unit_ids)
        for start in range(0, len(ids), 5000):
            for outcome in Outcome.objects.filter(
                indicator_id=indicator_id, period=period, unit_id__in=ids[start : start + 5000]
            ):
                found[(indicator_id, outcome.unit_id, period, outcome.sex)] = outcome
    return found


def _refuse_draft_goal(goal) -> None:
    """A goal of a draft plan is not followed up (planning.services.refuse_draft_follow_up)."""
    if goal is not None:
        from styrkort.planning.services import refuse_draft_follow_up

        refuse_draft_follow_up(
            goal.plan, field="goal", item=_("Målet ”%(goal)s”") % {"goal": goal.name}
        )


@service
def save_analysis(
    *,
    user,
    unit,
    period: Period | str,
    text: str,
    indicator=None,
    goal=None,
    expected_version: str | None = None,
):
    """Create or update the analysis of an indicator or a goal for a unit and period.
    An empty text deletes it. `expected_version`: as in `record_outcome`."""
    require(user, Action.REPORT, unit)
    if (indicator is None) == (goal is None):
        raise ValidationError({"indicator": "Ange antingen en indikator eller ett mål."})
    _refuse_draft_goal(goal)
    per = _as_period(period)
    ensure_writable(unit, per)
    clean = normalise(text)
    if len(clean) > 20000:
        raise ValidationError({"text": "Analysen får vara högst 20 000 tecken."})
    lookup = {"unit": unit, "period": per.canonical, "indicator": indicator, "goal": goal}
    analysis = Analysis.objects.select_for_update().filter(**lookup).first()
    check_version(
        analysis,
        expected_version,
        what=_analysis_name(unit, per.canonical, indicator, goal),
        value=lambda a: a.text,
    )
    if not clean:
        if analysis:
            analysis._history_user = user
            analysis.delete()
        return None
    if analysis is None:
        analysis = Analysis(unit=unit, indicator=indicator, goal=goal)
        analysis.set_period(per)
    analysis.text = clean
    analysis.updated_by = user if getattr(user, "is_authenticated", False) else None
    analysis._history_user = analysis.updated_by
    analysis.save()
    return analysis


@service
def assess(
    *,
    user,
    unit,
    period: Period | str,
    status: str,
    reason: str,
    indicator=None,
    goal=None,
    sex: str = Sex.TOTAL,
    expected_version: str | None = None,
) -> Assessment:
    """Record a manual assessment; only with a written reason. The computed status is kept
    by the engine beside it. `expected_version`: as in `record_outcome`."""
    require(user, Action.REPORT if indicator is not None else Action.PLAN, unit)
    if (indicator is None) == (goal is None):
        raise ValidationError({"indicator": "Ange antingen en indikator eller ett mål."})
    _refuse_draft_goal(goal)
    if status not in AssessedStatus.values:
        raise ValidationError({"status": f"Okänd bedömning: '{status}'."})
    reason = normalise(reason)
    if not reason:
        raise ValidationError({"reason": "En manuell bedömning kräver en motivering."})
    per = _as_period(period)
    ensure_writable(unit, per)
    lookup = {"unit": unit, "period": per.canonical, "indicator": indicator, "goal": goal}
    if indicator is not None:
        lookup["sex"] = sex
    assessment = Assessment.objects.select_for_update().filter(**lookup).first()
    check_version(
        assessment,
        expected_version,
        what=_assessment_name(unit, per.canonical, indicator, goal),
        value=lambda a: f"{a.get_status_display()}: {a.reason}",
    )
    if assessment is None:
        assessment = Assessment(unit=unit, indicator=indicator, goal=goal, sex=sex)
        assessment.set_period(per)
    assessment.status, assessment.reason = status, reason
    assessment.updated_by = user if getattr(user, "is_authenticated", False) else None
    assessment._history_user = assessment.updated_by
    assessment.save()
    return assessment


@service
def withdraw_assessment(
    *, user, assessment: Assessment, expected_version: str | None = None
) -> None:
    require(user, Action.REPORT, assessment.unit)
    ensure_writable(assessment.unit, assessment)
    _check_before_delete(
        assessment,
        expected_version,
        _assessment_name(assessment.unit, assessment.period, assessment.indicator, assessment.goal),
        lambda a: f"{a.get_status_display()}: {a.reason}",
    )
    assessment._history_user = user
    assessment.delete()


@service
def delete_outcome(*, user, outcome: Outcome, expected_version: str | None = None) -> None:
    """Delete a stored outcome (an explicit action, never an empty field); the deletion
    is kept in the history with the acting user. `expected_version`: as in
    `record_outcome`."""
    require(user, Action.REPORT, outcome.unit)
    ensure_writable(outcome.unit, outcome)
    _check_before_delete(
        outcome,
        expected_version,
        outcome_name(outcome.indicator, outcome.unit, outcome.period, outcome.sex),
        outcome_value_text,
    )
    outcome._history_user = user if getattr(user, "is_authenticated", False) else None
    outcome.delete()


@service
def delete_analysis(*, user, analysis: Analysis, expected_version: str | None = None) -> None:
    """Delete an analysis (the API's DELETE; an empty text in save_analysis does the
    same). Needs `report` on the analysis's unit. `expected_version`: as in
    `record_outcome`."""
    require(user, Action.REPORT, analysis.unit)
    ensure_writable(analysis.unit, analysis)
    _check_before_delete(
        analysis,
        expected_version,
        _analysis_name(analysis.unit, analysis.period, analysis.indicator, analysis.goal),
        lambda a: a.text,
    )
    analysis._history_user = user if getattr(user, "is_authenticated", False) else None
    analysis.delete()


# --- versions (styrkort.concurrency) ----------------------------------------------------


def outcome_name(indicator, unit, period: str, sex: str) -> str:
    """An outcome as a conflict message names it (Swedish)."""
    return _("utfallet för %(indicator)s, %(unit)s, %(period)s (%(sex)s)") % {
        "indicator": indicator.name,
        "unit": unit.name,
        "period": period,
        "sex": SEX_LABELS_SV.get(sex, sex),
    }


def _number_text(number: float | None) -> str:
    if number is None:
        return "–"
    text = f"{number:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def outcome_value_text(outcome: Outcome) -> str:
    """An outcome's value as a person reads it: `51,2`, or `899/1 757 (51,2)`."""
    if outcome.numerator is not None and outcome.denominator is not None:
        return (
            f"{_number_text(outcome.numerator)}/{_number_text(outcome.denominator)}"
            f" ({_number_text(outcome.value)})"
        )
    return _number_text(outcome.value)


def _analysis_name(unit, period: str, indicator, goal) -> str:
    subject = indicator.name if indicator is not None else goal.name
    return _("analysen av %(subject)s för %(unit)s, %(period)s") % {
        "subject": subject,
        "unit": unit.name,
        "period": period,
    }


def _assessment_name(unit, period: str, indicator, goal) -> str:
    subject = indicator.name if indicator is not None else goal.name
    return _("bedömningen av %(subject)s för %(unit)s, %(period)s") % {
        "subject": subject,
        "unit": unit.name,
        "period": period,
    }


def _check_before_delete(obj, expected_version, what: str, value) -> None:
    """Lock the row about to be deleted and check the version its remover read."""
    if expected_version is None:
        return
    current = type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    check_version(current, expected_version, what=what, value=value)


def stale_outcome_rows(
    expected: Sequence[tuple[OutcomeInput, str]],
) -> list[tuple[int, StaleVersionError]]:
    """The rows of `expected` ((row, the version its author read)) whose outcome has
    changed since, with their conflicts, as (position in `expected`, error). Locks the
    stored outcomes (`select_for_update`) in the caller's transaction, so that the write
    that follows cannot lose a concurrent update."""
    stored: dict[tuple, Outcome] = {}
    groups: dict[tuple, set[int]] = {}
    for row, _version in expected:
        groups.setdefault((row.indicator.pk, row.period.canonical), set()).add(row.unit.pk)
    for (indicator_id, period), unit_ids in groups.items():
        for outcome in (
            Outcome.objects.select_for_update(of=("self",))
            .filter(indicator_id=indicator_id, period=period, unit_id__in=sorted(unit_ids))
            .select_related("updated_by")
            .order_by("pk")
        ):
            stored[(indicator_id, outcome.unit_id, period, outcome.sex)] = outcome
    stale = []
    for position, (row, version) in enumerate(expected):
        try:
            check_version(
                stored.get(row.key),
                version,
                what=outcome_name(row.indicator, row.unit, row.period.canonical, row.sex),
                value=outcome_value_text,
            )
        except StaleVersionError as exc:
            stale.append((position, exc))
    return stale
