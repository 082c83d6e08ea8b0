"""Status of an outcome against its target (måluppfyllelse).

Values and targets are in the indicator's own unit; percentages are 0-100 (51 % is
``51.0``). ``tolerance_pct`` and ``epsilon_pct`` are percentages (0-100) *of the target*
or *of the reference value*, not percentage points: a tolerance of 10 around a target
of 70 % is 7 percentage points.

A target spec is read by attribute (``planning.targets.TargetSpec``) or, for a stored
``Target.spec``, by key: see ``_get``. The rules:

* ``value`` targets: met when the comparator holds; *partly* when not met but within
  ``tolerance_pct`` of the target (ge 70 -> partly from 63; le 17.2 -> partly up to
  18.92); explicit ``green``/``red`` limits replace the target and the band; a zero
  target has no relative band.
* ``by_sex``/``by_point``: the part for the sex or reporting point is evaluated.
  The *total* of a target given per sex only is the lower of the sexes' statuses
  (``evaluate_total_from_sexes``; ``evaluate_sexes`` does all three at once).
* ``relative`` targets compare with a ``reference`` value supplied by the caller
  (same period last year unless the spec names a year or period); no reference ->
  not assessed.
* ``comparison`` targets ("I nivå med riket", "Bland de 5 bästa regionerna") compare
  with others' published values the caller supplies (``comparison.ComparisonFacts``);
  the rules are in ``followup.evaluation.comparison``. None supplied -> not assessed.
* ``trend``, ``qualitative``, ``per_unit``, ``benchmark``: not assessed (set by hand).
* A missing value gives *no data*.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from . import _num
from .direction import Direction, as_direction, direction_sign
from .sexes import normalise_sex


class Status(StrEnum):
    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"
    NO_DATA = "no_data"


#: The statuses in the order the seeds' legends list them (tables, counts, keys).
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in Status)


#: Default symbols (shape, so colour is never the only cue), as the seeds print them.
STATUS_SYMBOLS: dict[Status, str] = {
    Status.MET: "■",
    Status.PARTLY: "●",
    Status.NOT_MET: "▲",
    Status.NOT_ASSESSED: "◆",
    Status.NO_DATA: "",
}

#: Kinds of target the rules cannot assess; they are assessed by hand.
MANUAL_KINDS = frozenset({"trend", "qualitative", "per_unit", "benchmark"})

_RANK = {Status.MET: 3, Status.PARTLY: 2, Status.NOT_MET: 1}


def _get(spec: Any, name: str) -> Any:
    """Read a field of a target spec given as an object or as a mapping (stored JSON)."""
    if isinstance(spec, Mapping):
        return spec.get(name)
    return getattr(spec, name, None)


def normalise_point(point: str | None) -> str:
    """The reporting point key of a ``by_point`` target: ``DÅ04``, ``DÅ08`` or ``ÅR``.

    Accepts ``2022-DÅ04``, ``DA04``, ``då4``, a decomposed Å, ``AR``. ``None`` or a bare
    year (``2022``) means ``ÅR``. Anything else (``T1``) is returned upper-cased.
    """
    if point is None:
        return "ÅR"
    text = unicodedata.normalize("NFC", str(point)).strip().upper()
    if len(text) == 4 and text.isdigit():  # a year: "2022"
        return "ÅR"
    if "-" in text:
        text = text.rsplit("-", 1)[1]
    text = text.replace(" ", "")
    if text in {"ÅR", "AR", "Y", "YEAR"}:
        return "ÅR"
    for prefix in ("DÅ", "DA"):
        if text.startswith(prefix) and text[len(prefix) :].isdigit():
            return f"DÅ{int(text[len(prefix) :]):02d}"
    return text


def resolve_comparator(comparator: str | None, direction: Direction | str | None) -> str | None:
    """The comparator of a numeric target: ``auto`` (or none given) follows the direction
    (higher -> ``ge``, lower -> ``le``, target -> ``eq``); with no direction it is
    unresolvable (None)."""
    if comparator in {"ge", "gt", "le", "lt", "eq"}:
        return comparator
    if comparator not in {None, "auto"}:
        raise ValueError(f"Okänd jämförelse i målvärdet: {comparator!r}.")
    return {Direction.HIGHER: "ge", Direction.LOWER: "le", Direction.TARGET: "eq"}.get(
        as_direction(direction)
    )


def status_against_limit(
    value: float,
    target: float,
    comparator: str,
    *,
    tolerance_pct: float = 10.0,
    green: float | None = None,
    red: float | None = None,
    epsilon_pct: float = 1.0,
) -> Status:
    """Status of a number against a numeric target with comparator ge/gt/le/lt/eq.

    * ge/gt (higher is better): met when ``value >= green`` if a green limit is set,
      else when the comparator holds against ``target``. Otherwise partly when
      ``value >= red`` if a red limit is set, else when within ``tolerance_pct`` % of
      the met limit below it; else not met.
    * le/lt: the mirror image.
    * eq: met when ``|value - target|`` is within ``green`` (a deviation in the
      indicator's unit) or else within ``epsilon_pct`` % of the target; partly within
      ``red`` or else ``tolerance_pct`` % of the target.
    * A met limit of zero has no relative band: met or not met unless ``red`` is set.
      ``tolerance_pct=0`` switches the band off.
    """
    _num.check_pct(tolerance_pct, "tolerance_pct")
    _num.check_pct(epsilon_pct, "epsilon_pct")
    if comparator == "eq":
        deviation = abs(value - target)
        met_dev = green if green is not None else abs(target) * epsilon_pct / 100
        if _num.le(deviation, met_dev):
            return Status.MET
        if red is not None:
            partly_dev = red
        elif target == 0 or tolerance_pct == 0:
            return Status.NOT_MET
        else:
            partly_dev = abs(target) * tolerance_pct / 100
        return Status.PARTLY if _num.le(deviation, partly_dev) else Status.NOT_MET

    if comparator in {"ge", "gt"}:
        sign = 1
    elif comparator in {"le", "lt"}:
        sign = -1
    else:
        raise ValueError(f"Okänd jämförelse i målvärdet: {comparator!r}.")

    # Work in "higher is better" space: multiply by the sign.
    v = sign * value
    if green is not None:
        met_limit = sign * green
        met = _num.ge(v, met_limit)
    else:
        met_limit = sign * target
        met = _num.gt(v, met_limit) if comparator in {"gt", "lt"} else _num.ge(v, met_limit)
    if red is not None and sign * red > met_limit + _num.slack(red, met_limit):
        better = "högre" if sign > 0 else "lägre"
        raise ValueError(
            f"Ogiltiga gränser: gränsen för ej uppfyllt ({red}) ligger bättre än gränsen "
            f"för uppfyllt ({sign * met_limit}) när {better} värden är bättre."
        )
    if met:
        return Status.MET
    if red is not None:
        partly_limit = sign * red
    elif met_limit == 0 or tolerance_pct == 0:
        return Status.NOT_MET
    else:
        partly_limit = met_limit - abs(met_limit) * tolerance_pct / 100
    return Status.PARTLY if _num.ge(v, partly_limit) else Status.NOT_MET


def _evaluate_relative(
    spec: Any,
    value: float,
    *,
    direction: Direction,
    reference: float | None,
    tolerance_pct: float,
    epsilon_pct: float,
) -> Status:
    """A relative target against the reference value (see ``evaluate_status``)."""
    if _num.is_missing(reference):
        return Status.NOT_ASSESSED
    change = _get(spec, "change")
    eps = abs(reference) * epsilon_pct / 100

    if change == "same":
        deviation = value - reference
        if _num.le(abs(deviation), eps):
            return Status.MET
        # "I nivå med riket": being better than the reference also counts as met.
        sign = direction_sign(direction)
        if sign and sign * deviation > 0:
            return Status.MET
        if reference != 0 and _num.le(abs(deviation), abs(reference) * tolerance_pct / 100):
            return Status.PARTLY
        return Status.NOT_MET

    if change == "decrease_gap":
        # The indicator's value is itself the gap (e.g. cost per DRG point +5,9 % against
        # the nation): the gap should move towards zero.
        progress = abs(reference) - abs(value)
        base = abs(reference)
    else:
        if change == "increase":
            sign = 1
        elif change == "decrease":
            sign = -1
        elif change == "improve":
            sign = direction_sign(direction)
            if sign == 0:
                return Status.NOT_ASSESSED
        else:
            return Status.NOT_ASSESSED
        progress = sign * (value - reference)
        base = abs(reference)

    amount = _get(spec, "amount")
    if _num.is_missing(amount):
        if _num.le(abs(progress), eps):
            return Status.PARTLY
        return Status.MET if progress > 0 else Status.NOT_MET

    # "Minska med 50 % jmf 2020": met when the change reaches the amount; partly when it
    # moved the right way beyond epsilon but fell short; unchanged or wrong way: not met.
    amount_unit = _get(spec, "amount_unit")
    required = base * amount / 100 if amount_unit == "%" else amount
    if _num.ge(progress, required):
        return Status.MET
    if _num.gt(progress, eps):
        return Status.PARTLY
    return Status.NOT_MET


def evaluate_status(
    spec: Any,
    value: float | None,
    *,
    direction: Direction | str | None,
    sex: str = "total",
    point: str | None = None,
    reference: float | None = None,
    tolerance_pct: float = 10.0,
    green: float | None = None,
    red: float | None = None,
    epsilon_pct: float = 1.0,
    comparison: Any = None,
) -> Status:
    """Status of ``value`` against the target ``spec`` (None: no target -> not assessed).

    ``direction``: the indicator's desired direction. ``sex``: which value this is
    (total/women/men). ``point``: the reporting point evaluated (``DÅ04``; None = the
    year, ``ÅR``). ``reference``: for relative targets, the value compared with (the
    caller picks it: same period last year, or the year/period the spec names, or the
    national value). ``tolerance_pct``: the partly band, % of the target.
    ``green``/``red``: explicit limits (see ``status_against_limit``). ``epsilon_pct``:
    a change within this % of the reference counts as unchanged.

    Relative targets: increase/decrease/improve are met when the value moved the desired
    way beyond epsilon, partly when unchanged within it, not met when it moved the wrong
    way; with an amount (``Minska med 50 %``; ``%`` = of the reference, ``pp`` or none =
    in the indicator's unit) met when the change reaches the amount, partly when it
    moved the right way beyond epsilon but fell short, else not met. ``same`` is met
    within epsilon of the reference (or better than it, for a higher/lower indicator),
    partly within the tolerance band, else not met. ``decrease_gap`` treats the value as
    a gap whose size should shrink. ``comparison``: for a ``comparison`` target, the
    ``ComparisonFacts`` for this sex (``followup.evaluation.comparison``).

    For a ``by_sex`` target and ``sex="total"`` the result is ``not_assessed``: the
    total's status comes from the sexes' statuses (``evaluate_total_from_sexes``).
    Manual-only kinds are ``not_assessed`` even without a value; otherwise a missing
    value is ``no_data``.
    """
    _num.check_pct(tolerance_pct, "tolerance_pct")
    _num.check_pct(epsilon_pct, "epsilon_pct")
    direction = as_direction(direction)
    if spec is None:
        return Status.NOT_ASSESSED
    kind = _get(spec, "kind")
    options = {
        "direction": direction,
        "point": point,
        "reference": reference,
        "tolerance_pct": tolerance_pct,
        "green": green,
        "red": red,
        "epsilon_pct": epsilon_pct,
        "comparison": comparison,
    }

    if kind == "by_sex":
        which = normalise_sex(sex)
        if which == "total":
            return Status.NOT_ASSESSED
        part = (_get(spec, "parts") or {}).get(which)
        return evaluate_status(part, value, sex=which, **options)
    if kind == "by_point":
        part = (_get(spec, "parts") or {}).get(normalise_point(point))
        return evaluate_status(part, value, sex=sex, **options)
    if kind in MANUAL_KINDS:
        return Status.NOT_ASSESSED
    if _num.is_missing(value):
        return Status.NO_DATA
    if kind == "value":
        target = _get(spec, "value")
        comparator = resolve_comparator(_get(spec, "comparator"), direction)
        if _num.is_missing(target) or comparator is None:
            return Status.NOT_ASSESSED
        return status_against_limit(
            value,
            target,
            comparator,
            tolerance_pct=tolerance_pct,
            green=green,
            red=red,
            epsilon_pct=epsilon_pct,
        )
    if kind == "comparison":
        from .comparison import evaluate_comparison

        return Status(
            evaluate_comparison(
                spec,
                value,
                comparison,
                direction=direction,
                tolerance_pct=tolerance_pct,
                epsilon_pct=epsilon_pct,
            )
        )
    if kind == "relative":
        return _evaluate_relative(
            spec,
            value,
            direction=direction,
            reference=reference,
            tolerance_pct=tolerance_pct,
            epsilon_pct=epsilon_pct,
        )
    return Status.NOT_ASSESSED


def evaluate_total_from_sexes(women_status: Status | str, men_status: Status | str) -> Status:
    """The total's status for a target given per sex only: the lower of the two.

    met > partly > not met. When one sex has no status (no data / not assessed) the
    lower is unknown unless the other is already not met: then the total is not met;
    otherwise the total is no data (if either is no data) or not assessed.
    """
    statuses = (Status(women_status), Status(men_status))
    if Status.NOT_MET in statuses:
        return Status.NOT_MET
    if Status.NO_DATA in statuses:
        return Status.NO_DATA
    if Status.NOT_ASSESSED in statuses:
        return Status.NOT_ASSESSED
    return min(statuses, key=_RANK.__getitem__)


def evaluate_sexes(
    spec: Any,
    values: Mapping[str, float | None],
    *,
    direction: Direction | str | None,
    point: str | None = None,
    references: Mapping[str, float | None] | None = None,
    comparisons: Mapping[str, Any] | None = None,
    **options: Any,
) -> dict[str, Status]:
    """Statuses for ``"total"``, ``"women"`` and ``"men"`` at once.

    ``values``/``references`` map total/women/men (or K/M) to numbers; missing keys are
    no value. ``comparisons`` maps the sexes to ``ComparisonFacts`` for a
    ``comparison`` target. A ``by_sex`` target gives the total as the lower of the sexes; any other
    target is applied to each value alike. ``options``: as for ``evaluate_status``.
    """
    vals = {normalise_sex(k): v for k, v in values.items()}
    refs = {normalise_sex(k): v for k, v in (references or {}).items()}
    out = {
        sex: evaluate_status(
            spec,
            vals.get(sex),
            direction=direction,
            sex=sex,
            point=point,
            reference=refs.get(sex),
            comparison=(comparisons or {}).get(sex),
            **options,
        )
        for sex in ("total", "women", "men")
    }
    if spec is not None and _get(spec, "kind") == "by_sex":
        out["total"] = evaluate_total_from_sexes(out["women"], out["men"])
    return out


def final_status(
    computed: Status | str, manual_status: Status | str | None, manual_reason: str | None
) -> Status:
    """The status shown: a manual assessment wins over the computed one, but only with a
    written reason (both are kept by the caller). Raises ValueError (Swedish message)
    for a manual status without a reason or an unknown status."""
    if manual_status is None or manual_status == "":
        return _as_status(computed)
    if not (manual_reason or "").strip():
        raise ValueError("En manuell bedömning måste ha en skriftlig motivering.")
    return _as_status(manual_status)


def _as_status(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise ValueError(f"Okänd måluppfyllelse: {value!r}.") from None
