"""Read functions for pages, reports and the API: a unit's risks, levels and 4x4 matrix."""

from __future__ import annotations

from dataclasses import dataclass, field

from styrkort.organisation.permissions import restrict

from .models import Risk, RiskBand
from .rules import (
    CONSEQUENCE_LABELS,
    DEFAULT_BANDS,
    PROBABILITY_LABELS,
    SCALE,
    Band,
    level_counts,
    level_for,
    level_summary,
    matrix_counts,
)


def bands_for(organisation) -> list[Band]:
    """The organisation's risk levels, lowest first; seed 004's two levels when it has
    configured none."""
    rows = RiskBand.objects.filter(organisation=organisation).order_by("min_value")
    return [row.as_band() for row in rows] or list(DEFAULT_BANDS)


def risks_for(unit, year: int, *, include_subunits: bool = False, user=None):
    """The unit's risks for `year` (and those of the units below it when asked), in
    print order, with goals and controls prefetched. With `user`, only what they may see."""
    where = {"unit__path__startswith": unit.path} if include_subunits else {"unit": unit}
    qs = Risk.objects.filter(year=year, **where)
    if user is not None:
        qs = restrict(qs, user, "view")
    return (
        qs.select_related("unit")
        .prefetch_related("goals", "controls")
        .order_by("unit__path", "order", "id")
    )


@dataclass
class MatrixCell:
    probability: int
    consequence: int
    value: int
    count: int
    band: Band


@dataclass
class RiskMatrix:
    """Counts per cell (probability x consequence) and per level.

    `rows` run from probability 4 (top) down to 1, each with cells for consequence 1-4,
    as the matrix is drawn. Risks known only by their value (seed 003) count in `levels`
    and `total` but sit in no cell: `unplaced` counts them."""

    cells: dict[tuple[int, int], int]
    rows: list[list[MatrixCell]]
    levels: list[dict]
    unplaced: int
    total: int
    summary: str
    probability_labels: dict[int, str] = field(default_factory=lambda: dict(PROBABILITY_LABELS))
    consequence_labels: dict[int, str] = field(default_factory=lambda: dict(CONSEQUENCE_LABELS))


def build_matrix(figures: list[tuple[int | None, int | None, int]], bands: list[Band]):
    """A RiskMatrix from (probability, consequence, value) triples."""
    cells = matrix_counts((p, c) for p, c, _v in figures)
    counts = level_counts((v for _p, _c, v in figures), bands)
    rows = [
        [MatrixCell(p, c, p * c, cells[(p, c)], level_for(p * c, bands)) for c in SCALE]
        for p in reversed(SCALE)
    ]
    levels = [
        {
            "name": b.name,
            "min": b.low,
            "max": b.high,
            "requires_action": b.requires_action,
            "count": counts[b.name],
        }
        for b in bands
    ]
    return RiskMatrix(
        cells=cells,
        rows=rows,
        levels=levels,
        unplaced=sum(1 for p, c, _v in figures if p is None or c is None),
        total=len(figures),
        summary=level_summary(counts, bands),
    )


def risk_matrix(
    unit, year: int, *, include_subunits: bool = False, residual: bool = False, user=None
) -> RiskMatrix:
    """The 4x4 matrix of a unit's risks for a year with counts per cell and per level
    (the organisation's bands). `residual=True` uses the risk after actions (risks
    without a residual figure keep their original one)."""
    figures = []
    for p, c, v, rp, rc, rv in risks_for(
        unit, year, include_subunits=include_subunits, user=user
    ).values_list(
        "probability",
        "consequence",
        "value",
        "residual_probability",
        "residual_consequence",
        "residual_value",
    ):
        if residual and rv is not None:
            p, c, v = rp, rc, rv
        figures.append((p, c, v))
    return build_matrix(figures, bands_for(unit.organisation))


def risk_table(unit, year: int, *, include_subunits: bool = False, user=None) -> list[dict]:
    """The rows of a risk table as the plans print them (seeds 003 and 004)."""
    bands = bands_for(unit.organisation)
    rows = []
    for risk in risks_for(unit, year, include_subunits=include_subunits, user=user):
        band = level_for(risk.value, bands)
        rows.append(
            {
                "id": risk.pk,
                "unit": risk.unit.code,
                "number": risk.number,
                "title": risk.title,
                "area": risk.area,
                "event": risk.event,
                "consequence_text": risk.consequence_text,
                "cause": risk.cause,
                "probability": risk.probability,
                "probability_derived": risk.probability_derived,
                "consequence": risk.consequence,
                "value": risk.value,
                "level": band.name,
                "requires_action": band.requires_action,
                "actions": risk.actions,
                "handling": risk.handling,
                "residual_value": risk.residual_value,
                "goals": [g.name for g in risk.goals.all()],
                "controls": [
                    {"method": c.method, "owner": c.owner, "frequency": c.frequency}
                    for c in risk.controls.all()
                ],
            }
        )
    return rows
