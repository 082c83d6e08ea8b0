"""Economy and risk tables for the reports, read from ``economy.queries`` and
``risk.queries`` (amounts are stored in tkr and printed in mnkr with one decimal)."""

from __future__ import annotations

from collections.abc import Sequence

from .document import (
    Block,
    Cell,
    Paragraph,
    Table,
    free_text_cell,
    mnkr_cell,
    number_cell,
    text_cell,
)

__all__ = [
    "economy_blocks",
    "income_statement_blocks",
    "income_statement_table",
    "plan_economy_blocks",
    "risk_blocks",
]


def _mnkr(tkr) -> Cell:
    return mnkr_cell(None if tkr is None else float(tkr) / 1000.0, 1, with_unit=False)


def income_statement_table(
    unit, columns: Sequence[tuple[int, str]], *, caption: str
) -> Table | None:
    """The unit's income statement for ``columns`` ((year, kind), ...) with the units
    below added up; None when it holds no amount."""
    from styrkort.economy.queries import income_statement

    statement = income_statement(unit, columns, include_subunits=True)
    if not any(v is not None for row in statement["rows"] for v in row["values"]):
        return None
    rows = []
    for row in statement["rows"]:
        bold = row["row_type"] == "total"
        label = text_cell("\u2003" * row["depth"] + row["name"], bold=bold)
        if row["row_type"] == "heading":
            rows.append([label, *[text_cell("") for _ in statement["columns"]]])
            continue
        cells = [_mnkr(v) for v in row["values"]]
        if bold:
            cells = [Cell(c.text, c.value, c.kind, c.decimals, bold=True) for c in cells]
        rows.append([label, *cells])
    return Table(
        ["Resultaträkning (mnkr)", *[c["label"] for c in statement["columns"]]],
        rows,
        caption=caption,
        name="Resultaträkning",
        widths=[4.5, *[1.6] * len(statement["columns"])],
    )


def income_statement_blocks(
    unit, columns: Sequence[tuple[int, str]], *, caption: str
) -> list[Block]:
    """The income statement table, or a sentence saying why there is none: the
    organisation has no income statement in Styrkort, or no amounts for these years."""
    from styrkort.economy.models import LedgerLine

    if not LedgerLine.objects.filter(organisation_id=unit.organisation_id).exists():
        return [Paragraph(f"{unit.organisation.name} har ingen resultaträkning i Styrkort.")]
    table = income_statement_table(unit, columns, caption=caption)
    if table is None:
        years = sorted({year for year, _kind in columns})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        return [Paragraph(f"Resultaträkningen har inga belopp för {unit.name} {span}.")]
    return [table]


def economy_blocks(unit, period) -> list[Block]:
    """The interim report's economy summary: actual, budget and forecast of the year."""
    return income_statement_blocks(
        unit,
        [(period.year, "actual"), (period.year, "budget"), (period.year, "forecast")],
        caption=f"Resultaträkning {period.year}",
    )


def plan_economy_blocks(unit, start_year: int) -> list[Block]:
    """The plan's income statement: actual two years before, budget and forecast of the
    year before, budget of the first year and plan for the following years (seed 003)."""
    columns = [
        (start_year - 2, "actual"),
        (start_year - 1, "budget"),
        (start_year - 1, "forecast"),
        (start_year, "budget"),
        (start_year + 1, "plan"),
        (start_year + 2, "plan"),
    ]
    return income_statement_blocks(unit, columns, caption="Resultaträkning")


def risk_blocks(unit, year: int) -> list[Block]:
    """The risks of the internal control with probability, consequence, risk value and
    control method (seeds 003, 004); empty when the unit has none. Risk levels that do
    not cover every risk value (``RiskRuleError``) are said in the section."""
    from styrkort.risk.queries import risk_matrix, risk_table
    from styrkort.risk.rules import RiskRuleError

    try:
        rows = risk_table(unit, year, include_subunits=False)
        matrix = risk_matrix(unit, year)
    except RiskRuleError as exc:
        return [Paragraph(f"Riskerna kan inte visas: {exc}")]
    if not rows:
        return []
    table_rows = []
    for r in rows:
        controls = "\n\n".join(
            ", ".join(x for x in (c["method"], c["owner"], c["frequency"]) if x)
            for c in r["controls"]
        )
        table_rows.append(
            [
                text_cell(r["number"] or ""),
                free_text_cell(r["title"] or r["event"]),
                free_text_cell(r["cause"] or ""),
                number_cell(r["probability"]),
                number_cell(r["consequence"]),
                number_cell(r["value"]),
                text_cell(r["level"]),
                free_text_cell(controls or r["actions"] or ""),
            ]
        )
    blocks: list[Block] = [
        Table(
            [
                "Nr",
                "Risk",
                "Orsak",
                "Sannolikhet",
                "Konsekvens",
                "Riskvärde",
                "Nivå",
                "Kontrollmetod",
            ],
            table_rows,
            caption=f"Internkontroll med risker {year}",
            name="Risker",
            widths=[0.6, 3.5, 3, 1.2, 1.2, 1.1, 1.4, 3.5],
        )
    ]
    if matrix.summary:
        blocks.append(Paragraph(matrix.summary))
    return blocks
