"""Cells of an evaluated indicator: outcome with women and men, target, status and
trend as symbol + words (pure; reads ``followup.queries`` result objects, never
recomputes a status)."""

from __future__ import annotations

from dataclasses import replace

from styrkort.io.numbers import shown_decimals

from .document import Cell, text_cell, value_cell, written_cell
from .symbols import Symbols

__all__ = [
    "outcome_cell",
    "sex_parts_shown",
    "shown_decimals",
    "status_cell",
    "target_cell",
    "trend_cell",
]

SEX_LABELS = (("women", "K"), ("men", "M"))


def sex_parts_shown(ind) -> bool:
    """Whether the indicator's women/men values are printed beside its total."""
    return any(
        (obs := ind.obs.get(sex)) is not None and obs.value is not None for sex, _ in SEX_LABELS
    )


def _obs_cell(obs, unit: str, decimals: int) -> Cell:
    if obs is None or obs.value is None:
        return value_cell(None, unit, decimals)
    return value_cell(obs.value, unit, decimals, denominator=obs.denominator)


def _target_value(ind):
    spec = (getattr(ind.target, "spec", None) or {}) if ind.target is not None else {}
    value = spec.get("value") if spec.get("kind") == "value" else None
    return value if isinstance(value, int | float) else None


def outcome_cell(ind) -> Cell:
    """The period's outcome: the total, then ``K: …`` and ``M: …`` when reported; never
    rounded so far that it prints as its target when it is not."""
    total = ind.obs.get("total")
    decimals = shown_decimals(
        None if total is None else total.value, _target_value(ind), ind.decimals
    )
    main = _obs_cell(total, ind.unit, decimals)
    if not sex_parts_shown(ind):
        return main
    parts = tuple(
        (label, _obs_cell(ind.obs.get(sex), ind.unit, ind.decimals))
        for sex, label in SEX_LABELS
        if ind.obs.get(sex) is not None and ind.obs[sex].value is not None
    )
    return replace(main, parts=parts)


def target_cell(ind) -> Cell:
    """The target as the plan prints it; a number target is typed (``40 %`` -> 40.0),
    a target per sex has one typed part per sex."""
    target = ind.target
    if target is None:
        return text_cell("")
    spec = target.spec or {}
    kind = spec.get("kind")
    if kind == "value" and isinstance(spec.get("value"), int | float):
        typed = value_cell(float(spec["value"]), spec.get("unit") or ind.unit, ind.decimals)
        return written_cell(target.text, typed)  # "max 2 %" keeps its words
    if kind == "by_sex" and spec.get("parts"):
        parts = []
        for sex, label in SEX_LABELS:
            part = (spec["parts"] or {}).get(sex) or {}
            if isinstance(part.get("value"), int | float):
                parts.append(
                    (
                        label,
                        value_cell(
                            float(part["value"]), part.get("unit") or ind.unit, ind.decimals
                        ),
                    )
                )
        return Cell(parts=tuple(parts)) if parts else text_cell(target.text)
    return text_cell(target.text)


def status_cell(ind, symbols: Symbols) -> Cell:
    """The final status (after a manual assessment) as symbol + words, per sex too
    when the sexes are printed."""
    main = symbols.status_cell(ind.status.get("total"))
    if ind.assessments.get("total") is not None:
        main = replace(main, text=f"{main.text} (bedömd)")
    if not sex_parts_shown(ind):
        return main
    parts = tuple(
        (label, symbols.status_cell(ind.status.get(sex)))
        for sex, label in SEX_LABELS
        if ind.status.get(sex) not in (None, "no_data")
    )
    return replace(main, parts=parts)


def trend_cell(ind, symbols: Symbols) -> Cell:
    """The trend against the same period last year, per sex too when printed."""
    main = symbols.trend_cell(ind.trend.get("total"))
    if not sex_parts_shown(ind):
        return main
    parts = tuple(
        (label, symbols.trend_cell(ind.trend.get(sex)))
        for sex, label in SEX_LABELS
        if ind.trend.get(sex) not in (None, "none")
    )
    return replace(main, parts=parts)
