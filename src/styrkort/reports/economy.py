"""Economy and risk tables for the reports, read from ``economy.queries`` and
``risk.queries``. Amounts are stored in tkr and printed in the organisation's economy
unit (``Organisation.economy_unit``): tkr as integers (seed 003), mnkr with the decimals
the seed prints (seed 004). The web economy page shows the same tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from styrkort.io.numbers import NBSP, format_number

from .document import (
    Block,
    Cell,
    Paragraph,
    Table,
    free_text_cell,
    number_cell,
    text_cell,
)
from .symbols import footnote_mark

__all__ = [
    "amount_cell",
    "economy_blocks",
    "economy_unit",
    "frame_allocation_tables",
    "frame_changes_tables",
    "frame_reductions_table",
    "income_statement_blocks",
    "income_statement_table",
    "investment_tables",
    "money_decimals",
    "plan_economy_blocks",
    "plan_frame_blocks",
    "risk_blocks",
]


def economy_unit(organisation) -> str:
    """The unit the organisation prints its economy tables in: ``tkr`` (seed 003) or
    ``mnkr`` (seed 004), the setting ``Organisation.economy_unit``."""
    return "mnkr" if getattr(organisation, "economy_unit", "tkr") == "mnkr" else "tkr"


def money_decimals(values_tkr, unit: str) -> int:
    """Decimals of a table's amounts: tkr as integers; mnkr with one decimal, or none when
    every amount is a whole number of mnkr (seed 004's "Budgetminskning": 17, 187, 110)."""
    if unit == "tkr":
        return 0
    present = [Decimal(str(v)) for v in values_tkr if v is not None]
    return 0 if present and all(v % 1000 == 0 for v in present) else 1


def amount_cell(tkr, unit: str, decimals: int | None = None, *, bold: bool = False) -> Cell:
    """An amount stored in tkr printed in ``unit`` (``tkr``: ``1 070 400``; ``mnkr``:
    ``8 712,1``). An amount that is not zero is never rounded to a zero: more decimals
    are shown instead (-45 tkr in mnkr is ``-0,045``, not ``0,0``)."""
    if decimals is None:
        decimals = 0 if unit == "tkr" else 1
    if tkr is None:
        return Cell("", None, "number", decimals, bold=bold)
    value = Decimal(str(tkr)) / (1000 if unit == "mnkr" else 1)
    while value != 0 and round(value, decimals) == 0 and decimals < 3:
        decimals += 1
    return Cell(format_number(value, decimals), float(value), "number", decimals, bold=bold)


def _unit_header(unit: str) -> str:
    return "Mnkr" if unit == "mnkr" else "Tkr"


def income_statement_table(
    unit, columns: Sequence[tuple[int, str]], *, caption: str
) -> Table | None:
    """The unit's income statement for ``columns`` ((year, kind), ...) with the units
    below added up, in the organisation's economy unit; None when it holds no amount."""
    from styrkort.economy.queries import income_statement

    statement = income_statement(unit, columns, include_subunits=True)
    if not any(v is not None for row in statement["rows"] for v in row["values"]):
        return None
    money = economy_unit(unit.organisation)
    decimals = money_decimals([v for row in statement["rows"] for v in row["values"]], money)
    rows = []
    for row in statement["rows"]:
        bold = row["row_type"] == "total"
        label = text_cell("\u2003" * row["depth"] + row["name"], bold=bold)
        if row["row_type"] == "heading":
            rows.append([label, *[text_cell("") for _ in statement["columns"]]])
            continue
        rows.append([label, *[amount_cell(v, money, decimals, bold=bold) for v in row["values"]]])
    return Table(
        [_unit_header(money), *[c["label"] for c in statement["columns"]]],
        rows,
        caption=f"{caption} ({money})",
        name="Resultaträkning",
        widths=[3.4, *[1.75] * len(statement["columns"])],  # -1 102 800 on one line
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


def plan_economy_blocks(unit, start_year: int, *, say_missing: bool = True) -> list[Block]:
    """The plan's income statement: actual two years before, budget and forecast of the
    year before, budget of the first year and plan for the following years (seed 003).
    ``say_missing=False``: nothing (instead of a sentence) when the organisation keeps
    no income statement in Styrkort (seed 004's board plan prints none)."""
    from styrkort.economy.models import LedgerLine

    if (
        not say_missing
        and not LedgerLine.objects.filter(organisation_id=unit.organisation_id).exists()
    ):
        return []
    columns = [
        (start_year - 2, "actual"),
        (start_year - 1, "budget"),
        (start_year - 1, "forecast"),
        (start_year, "budget"),
        (start_year + 1, "plan"),
        (start_year + 2, "plan"),
    ]
    return income_statement_blocks(unit, columns, caption="Resultaträkning")


# --- frames (seed 004) ----------------------------------------------------------------


def _frame_label(frame: dict) -> str:
    """A frame's own word for its total: its name without recipient and year
    ("Regionbidrag till Regionstyrelsen 2022" -> "Regionbidrag"); "Ram" otherwise."""
    name = re.sub(r"\s*\b\d{4}$", "", frame["name"]).strip()
    if frame["recipient"]:
        name = name.replace(f" till {frame['recipient']}", "").strip()
    return name or "Ram"


def frame_changes_tables(unit, years: Sequence[int]) -> list[Table]:
    """The changes of the unit's frames with a base over ``years``, one table per
    recipient (seed 004's "Förändringar i regionbidraget till Regionstyrelsen"): last
    year's grant, each change and the new frame, one column per year. Frames allocated
    from another are in ``frame_allocation_tables``."""
    from styrkort.economy.queries import frames

    per_year = {}
    for year in years:
        found = frames(unit, year)
        allocated = {a["code"] for f in found for a in f["allocations"]}
        per_year[year] = [f for f in found if f["base"] is not None and f["code"] not in allocated]
    recipients = list(dict.fromkeys(f["recipient"] for y in years for f in per_year[y]))
    return [
        _frame_changes_table(
            unit,
            years,
            {
                y: next(f for f in per_year[y] if f["recipient"] == who)
                for y in years
                if any(f["recipient"] == who for f in per_year[y])
            },
        )
        for who in recipients
    ]


def _frame_changes_table(unit, years: Sequence[int], shown: dict) -> Table:
    first = shown[min(shown)]
    money = economy_unit(unit.organisation)
    names = list(dict.fromkeys(c["name"] for f in shown.values() for c in f["changes"]))
    amounts = [f["base"] for f in shown.values()] + [f["total"] for f in shown.values()]
    amounts += [c["amount"] for f in shown.values() for c in f["changes"]]
    decimals = money_decimals(amounts, money)

    def cells(pick) -> list[Cell]:
        return [amount_cell(pick(shown[y]) if y in shown else None, money, decimals) for y in years]

    def change(name):
        return lambda f: next((c["amount"] for c in f["changes"] if c["name"] == name), None)

    rows = [[text_cell("Anslag året innan"), *cells(lambda f: f["base"])]]
    rows += [[text_cell(name), *cells(change(name))] for name in names]
    total = [
        text_cell(_frame_label(first), bold=True),
        *[
            Cell(c.text, c.value, c.kind, c.decimals, bold=True)
            for c in cells(lambda f: f["total"])
        ],
    ]
    who = first["recipient"] or unit.name
    return Table(
        [_unit_header(money), *[str(y) for y in years]],
        rows,
        caption=f"Förändringar i ramen till {who} ({money})",
        name="Ramförändringar",
        total=total,
        widths=[6, *[1.6] * len(years)],
    )


def frame_reductions_table(unit, years: Sequence[int]) -> Table | None:
    """The reductions per recipient and year with their sums (seed 004's "Budgetminskning
    2020-2022"); None when there are none."""
    from styrkort.economy.queries import frame_reduction_notes, frame_reductions

    reductions = frame_reductions(unit, list(years))
    if len(reductions) < 2:
        return None
    money = economy_unit(unit.organisation)
    decimals = money_decimals([v for r in reductions for v in r["values"]], money)
    # Where each year's reduction was decided, as the seed's footnotes on the year headers.
    headers, footnotes = [], []
    notes = frame_reduction_notes(unit, list(years))
    for year in years:
        marks = []
        for note in notes.get(year, []):
            mark = footnote_mark(len(footnotes) + 1)
            marks.append(mark)
            footnotes.append(f"{mark} {note}")
        headers.append(" ".join([str(year), *marks]))

    def row(r, bold=False):
        return [
            text_cell(r["name"], bold=bold),
            *[amount_cell(v, money, decimals, bold=bold) for v in [*r["values"], r["sum"]]],
        ]

    return Table(
        [_unit_header(money), *headers, "Summa"],
        [row(r) for r in reductions[:-1]],
        caption=f"Budgetminskning {years[0]}–{years[-1]} ({money})",
        name="Budgetminskning",
        total=row(reductions[-1], bold=True),
        widths=[5, *[1.4] * (len(years) + 1)],
        note="\n".join(footnotes),
    )


def frame_allocation_tables(unit, year: int) -> list[Table]:
    """Each frame of the year that is allocated further, as one table (seed 004's
    "Ekonomisk ram 2022"): per recipient last year's frame, each kind of change and the
    new frame, with the Totalt row added up."""
    from styrkort.economy.queries import frames

    money = economy_unit(unit.organisation)
    tables = []
    for frame in frames(unit, year):
        parts = frame["allocations"]
        if not parts:
            continue
        names = list(dict.fromkeys(c["name"] for p in parts for c in p["changes"]))

        def amounts(p, names=names):
            by_name = {}
            for c in p["changes"]:
                by_name[c["name"]] = by_name.get(c["name"], 0) + c["amount"]
            return [p["base"], *[by_name.get(n) for n in names], p["total"]]

        matrix = [amounts(p) for p in parts]
        sums = [
            sum((v for v in column if v is not None), Decimal(0))
            if any(v is not None for v in column)
            else None
            for column in zip(*matrix, strict=True)
        ]
        decimals = money_decimals([v for r in matrix for v in r], money)
        rows = [
            [text_cell(p["recipient"] or p["name"]), *[amount_cell(v, money, decimals) for v in r]]
            for p, r in zip(parts, matrix, strict=True)
        ]
        total = [
            text_cell("Totalt", bold=True),
            *[amount_cell(v, money, decimals, bold=True) for v in sums],
        ]
        tables.append(
            Table(
                ["Mottagare", f"Ram {year - 1}", *names, f"Ram {year}"],
                rows,
                caption=f"Ekonomisk ram {year} ({money})",
                name=f"Ekonomisk ram {year}",
                total=total,
                widths=[4, *[1.5] * (len(names) + 2)],
            )
        )
    return tables


# --- investments (seeds 003, 004) -----------------------------------------------------


def investment_tables(unit, year: int) -> list[Table]:
    """Seed 003's "Investeringar PV 2024": the objects over and the objects under the
    threshold with their totals, the total frame and what remains for urgent
    investments; and seed 004's "Investeringsramar 2022" (decision level x category with
    its sums). Empty when the unit has neither."""
    from styrkort.economy.queries import investment_frames, investments

    money = economy_unit(unit.organisation)
    inv = investments(unit, year)
    frames = investment_frames(unit, year)
    tables: list[Table] = []
    threshold = format_number(Decimal(inv["threshold"]) / 1000, 1)
    short = unit.short_name or unit.name
    has_objects = bool(inv["over"] or inv["under"])
    if has_objects:
        amounts = [o.amount for o in [*inv["over"], *inv["under"]]]
        amounts += [inv["total"], inv["frame_total"], inv["remaining"]]
        decimals = money_decimals(amounts, money)
        summary = [
            [
                text_cell(f"Totalt över & under {threshold} mnkr"),
                amount_cell(inv["total"], money, decimals),
            ]
        ]
        if inv["frame_total"] is not None:
            summary += [
                [
                    text_cell("Utrymme för akutinvesteringar"),
                    amount_cell(inv["remaining"], money, decimals),
                ],
                [text_cell(f"Totalram {year}"), amount_cell(inv["frame_total"], money, decimals)],
            ]
        tables.append(
            Table(
                [f"Investeringar {short} {year}", _unit_header(money)],
                summary,
                caption=f"Investeringar {short} {year} ({money})",
                name=f"Investeringar {year}",
                widths=[6, 2],
            )
        )
        for side, objects, subtotal in (
            ("över", inv["over"], inv["over_total"]),
            ("under", inv["under"], inv["under_total"]),
        ):
            tables.append(
                Table(
                    ["Basenhet", f"Objekt {side} {threshold} mnkr", "Totalt"],
                    [
                        [
                            text_cell(o.unit.name if o.unit_id else ""),
                            text_cell(o.name),
                            amount_cell(o.amount, money, decimals),
                        ]
                        for o in sorted(objects, key=lambda o: (o.order, o.pk))
                    ],
                    caption=f"Investeringsobjekt {side} {threshold} mnkr {year} ({money})",
                    name=f"Objekt {side} {threshold} mnkr",
                    total=[
                        text_cell("Totalt", bold=True),
                        text_cell(""),
                        amount_cell(subtotal or 0, money, decimals, bold=True),
                    ],
                    widths=[3.5, 4.5, 1.6],
                )
            )
    if frames["rows"] and any(r["decision_level"] for r in frames["rows"]):
        amounts = [v for r in frames["rows"] for v in r["values"]] + [frames["total"]]
        decimals = money_decimals(amounts, money)
        tables.append(
            Table(
                ["Beslutsnivå", *frames["categories"], "Summa"],
                [
                    [
                        text_cell(r["decision_level"] or "–"),
                        *[amount_cell(v, money, decimals) for v in [*r["values"], r["sum"]]],
                    ]
                    for r in frames["rows"]
                ],
                caption=f"Investeringsramar {year} ({money})",
                name=f"Investeringsramar {year}",
                total=[
                    text_cell("Summa", bold=True),
                    *[
                        amount_cell(v, money, decimals, bold=True)
                        for v in [*frames["sums"], frames["total"]]
                    ],
                ],
                widths=[3, *[1.5] * (len(frames["categories"]) + 1)],
            )
        )
    return tables


def plan_frame_blocks(unit, start_year: int, end_year: int) -> list[Block]:
    """The plan's frames (seed 004): the changes of the frame over the plan years, the
    reductions of the two years before and the first year, and the allocated frames."""
    years = list(range(start_year, max(end_year, start_year) + 1))
    blocks: list[Block] = []
    for table in (
        *frame_changes_tables(unit, years),
        frame_reductions_table(unit, [start_year - 2, start_year - 1, start_year]),
        *frame_allocation_tables(unit, start_year),
    ):
        if table is not None:
            blocks.append(table)
    return blocks


DERIVED_MARK = "\u2020"  # †: a value the plan does not print, derived from the others
DERIVED_NOTE = (
    f"{DERIVED_MARK} Sannolikheten är härledd: planen anger konsekvens och riskvärde, "
    "och sannolikheten är riskvärdet delat med konsekvensen."
)


def _probability_cell(probability, derived: bool) -> Cell:
    """The probability; one the plan does not print but that is derived from risk value
    and consequence (seed 004) is marked † (explained under the table), never by colour
    alone. In a spreadsheet the marked text stays, with the number beside it."""
    cell = number_cell(probability)
    if not derived or probability is None:
        return cell
    return Cell(f"{cell.text}{NBSP}{DERIVED_MARK}", cell.value, cell.kind, 0, written=True)


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
                _probability_cell(r["probability"], r.get("probability_derived", False)),
                number_cell(r["consequence"]),
                number_cell(r["value"]),
                text_cell(r["level"]),
                free_text_cell(controls or r["actions"] or ""),
            ]
        )
    derived = any(r.get("probability_derived") for r in rows)
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
            note=DERIVED_NOTE if derived else "",
        )
    ]
    if matrix.summary:
        blocks.append(Paragraph(matrix.summary))
    return blocks
