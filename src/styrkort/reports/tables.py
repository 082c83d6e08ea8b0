"""Table builders for the reports (pure, no Django): production with year-over-year
change and remote share, breakdowns per unit with a summed row that is right, values
per sex and over periods.

The arithmetic is the evaluation rules' own (``followup.evaluation``): change and share
(``yoy_change_pct``, ``share_pct``) and aggregation (``aggregate``: ratios as the sum of
numerators over the sum of denominators, never a mean of percentages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from styrkort.followup.evaluation import Obs, aggregate, ratio_scale, share_pct, yoy_change_pct

from .document import (
    Cell,
    Table,
    change_cell,
    count_cell,
    percent_cell,
    text_cell,
    value_cell,
)

__all__ = [
    "BreakdownRow",
    "ProductionRow",
    "breakdown_table",
    "production_table",
    "series_table",
    "sex_ratio_table",
]


@dataclass(frozen=True)
class ProductionRow:
    """One line of the production table: visits now and a year earlier, and how many
    of them were remote. ``level`` 0 is a main line, 1 a sub-line (Somatik)."""

    label: str
    current: float | None
    previous: float | None
    remote_current: float | None = None
    remote_previous: float | None = None
    level: int = 0


def _label(text: str, level: int, *, bold: bool = False) -> Cell:
    indent = "\u2003" * level  # an em space per level keeps the hierarchy visible in text
    return text_cell(f"{indent}{text}", bold=bold)


def production_table(
    rows: Sequence[ProductionRow],
    *,
    current_label: str,
    previous_label: str,
    caption: str = "",
    heading: str = "Besök",
    with_remote: bool = True,
) -> Table:
    """Seed 001's production table: count now, a year earlier, change %, and (with
    ``with_remote``) remote visits now and then, their change %, and their share of the
    total now. 31 180 vs 29 685 -> +5,0 %; 14 702 remote of 62 308 -> 23,6 %."""
    columns = [heading, current_label, previous_label, "Föränd\u00adring %"]
    if with_remote:
        columns += [
            f"Varav distans\u00adbesök {current_label}",
            f"Varav distans\u00adbesök {previous_label}",
            "Föränd\u00adring distans\u00adbesök %",
            f"Distans\u00adbesök % av totalen {current_label}",
        ]
    body, total = [], None
    for row in rows:
        bold = row.label.lower().startswith("total")
        cells = [
            _label(row.label, row.level, bold=bold),
            count_cell(row.current, bold=bold),
            count_cell(row.previous, bold=bold),
            change_cell(yoy_change_pct(row.current, row.previous), bold=bold),
        ]
        if with_remote:
            cells += [
                count_cell(row.remote_current, bold=bold),
                count_cell(row.remote_previous, bold=bold),
                change_cell(yoy_change_pct(row.remote_current, row.remote_previous), bold=bold),
                percent_cell(
                    share_pct(row.remote_current, row.current),
                    1,
                    denominator=row.current,
                    bold=bold,
                ),
            ]
        if bold and row is rows[-1]:
            total = cells
        else:
            body.append(cells)
    widths = [2.4, *[1.2] * (len(columns) - 1)]
    return Table(columns, body, caption=caption, name=heading, total=total, widths=widths)


@dataclass(frozen=True)
class BreakdownRow:
    """One unit's observation in a breakdown: ``labels`` are its row headers
    (verksamhetsområde, sjukhus), ``obs`` its value (with numerator and denominator for a
    ratio) for each period shown."""

    labels: tuple[str, ...]
    obs: tuple[Obs | None, ...]


def breakdown_table(
    rows: Sequence[BreakdownRow],
    *,
    label_columns: Sequence[str],
    periods: Sequence[str],
    aggregation: str,
    unit: str,
    decimals: int = 0,
    numerator_label: str = "Täljare",
    denominator_label: str = "Nämnare",
    caption: str = "",
    name: str = "",
    total_label: str = "Summa",
) -> Table:
    """Values per unit with a summed row that is right.

    A ratio indicator shows, for each period, numerator, denominator and share; the
    summed row is the sum of the numerators over the sum of the denominators (1 324 of
    1 757 = 75,4 %, not the mean of the rows' percentages). Other indicators show one
    value per period and the summed row follows the indicator's aggregation (counts
    added up). An aggregation that cannot be summed gets no summed row.
    """
    scale = ratio_scale(unit)
    is_ratio = aggregation == "ratio"
    columns = list(label_columns)
    for period in periods:
        prefix = f"{period} " if len(periods) > 1 else ""
        if is_ratio:
            columns += [
                f"{prefix}{denominator_label}",
                f"{prefix}{numerator_label}",
                f"{prefix}Andel" if unit == "%" else f"{prefix}Värde",
            ]
        else:
            columns.append(str(period))

    def obs_cells(obs: Obs | None, bold: bool = False) -> list[Cell]:
        if is_ratio:
            num = None if obs is None else obs.numerator
            den = None if obs is None else obs.denominator
            value = None if obs is None else obs.value
            return [
                count_cell(den, bold=bold),
                count_cell(num, bold=bold),
                value_cell(value, unit, decimals, denominator=den, bold=bold),
            ]
        return [value_cell(None if obs is None else obs.value, unit, decimals, bold=bold)]

    body = []
    for row in rows:
        cells = [text_cell(label) for label in row.labels]
        cells += [c for obs in row.obs for c in obs_cells(obs)]
        body.append(cells)

    total = None
    if aggregation != "none" and rows:
        sums = [
            aggregate([row.obs[k] for row in rows], aggregation, scale=scale)
            for k in range(len(periods))
        ]
        total = [text_cell(total_label, bold=True)]
        total += [text_cell("") for _ in range(len(label_columns) - 1)]
        total += [c for obs in sums for c in obs_cells(obs, bold=True)]
    widths = [2.5] * len(label_columns) + [1.3] * (len(columns) - len(label_columns))
    return Table(
        columns,
        body,
        caption=caption,
        name=name or caption,
        total=total,
        widths=widths,
        row_headers=len(label_columns),
    )


def sex_ratio_table(
    women: Obs | None,
    men: Obs | None,
    *,
    unit: str,
    decimals: int = 0,
    numerator_label: str,
    denominator_label: str,
    caption: str = "",
    name: str = "",
) -> Table:
    """Seed 001's table per sex: Kön | denominator | numerator | share (K 819 644 79 %)."""
    columns = ["Kön", denominator_label, numerator_label, "Andel" if unit == "%" else "Värde"]
    rows = []
    for label, obs in (("K", women), ("M", men)):
        if obs is None:
            continue
        rows.append(
            [
                text_cell(label),
                count_cell(obs.denominator),
                count_cell(obs.numerator),
                value_cell(obs.value, unit, decimals, denominator=obs.denominator),
            ]
        )
    return Table(columns, rows, caption=caption, name=name or caption, widths=[1, 2, 2, 1.2])


def series_table(
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str,
    decimals: int = 0,
    corner: str = "",
    caption: str = "",
    name: str = "",
) -> Table:
    """Values over periods, one row per series (Kvinnor, Män, Totalt): seed 001's
    table of patients asked about violence, T1 2020-2022. Also the text alternative
    of a chart, in table form."""
    columns = [corner, *periods]
    rows = []
    for label, values in series:
        bold = label.lower().startswith("total")
        rows.append(
            [text_cell(label, bold=bold)]
            + [value_cell(v, unit, decimals, bold=bold) for v in values]
        )
    return Table(columns, rows, caption=caption, name=name or caption)
