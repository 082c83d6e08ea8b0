"""Small-count suppression for documents meant for publication (pure, no Django).

Public statistics must not let a reader identify a person: a count below the threshold
(default 5) is printed as ``<5``, and a percentage resting on fewer cases than the
threshold is not printed (``..``). Where a table has a summed row, one hidden count in
a column could be recovered by subtraction, so the row with the next smallest count of
that column is hidden too, counts and share (secondary suppression, ``..``).

Only table cells marked as counts (``document.count_cell``, values in ``st``) and
percentages that carry their denominator are touched, and a chart of counts with a small
count is left out; free text written by people (analyses) is printed as written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .document import Cell, Document, Figure, Legend, LegendItem, Paragraph, Table

__all__ = ["HIDDEN", "SuppressionPolicy", "suppress_cell", "suppress_document", "suppress_table"]

#: Printed for a value hidden to protect another (or a percentage on too few cases).
HIDDEN = ".."


@dataclass(frozen=True)
class SuppressionPolicy:
    """``threshold``: counts below it are hidden (5: 1-4 print as ``<5``).
    ``suppress_zero``: hide zero counts too (off by default: a zero identifies no one).
    ``secondary``: hide a second count in a column with a summed row."""

    threshold: int = 5
    suppress_zero: bool = False
    secondary: bool = True

    @property
    def marker(self) -> str:
        return f"<{self.threshold}"

    def hides_count(self, value: float | None) -> bool:
        if value is None or not isinstance(value, int | float):
            return False
        if value == 0:
            return self.suppress_zero
        return 0 < value < self.threshold

    def hides_ratio(self, denominator: float | None) -> bool:
        return denominator is not None and 0 < denominator < self.threshold


def suppress_cell(cell: Cell, policy: SuppressionPolicy) -> Cell:
    """The cell as published: a small count becomes ``<5``, a percentage on fewer than
    the threshold cases ``..``; composite cells are suppressed part by part."""
    if cell.parts:
        parts = tuple((label, suppress_cell(part, policy)) for label, part in cell.parts)
        if parts != cell.parts:
            return replace(cell, parts=parts, suppressed=any(p.suppressed for _, p in parts))
        return cell
    if cell.suppressed:
        return cell
    if cell.kind == "count" and policy.hides_count(cell.value):
        return replace(cell, text=policy.marker, value=policy.marker, suppressed=True)
    if cell.kind == "percent" and policy.hides_ratio(cell.denominator):
        return replace(cell, text=HIDDEN, value=HIDDEN, suppressed=True)
    return cell


def _hide(cell: Cell) -> Cell:
    return replace(cell, text=HIDDEN, value=HIDDEN, suppressed=True)


def suppress_table(table: Table, policy: SuppressionPolicy) -> Table:
    """The table with its cells suppressed; with a summed row, a column with exactly
    one hidden count also hides the row with its next smallest count."""
    rows = [[suppress_cell(c, policy) for c in row] for row in table.rows]
    total = [suppress_cell(c, policy) for c in table.total] if table.total else None
    if policy.secondary and total is not None:
        for j in range(len(table.columns)):
            hidden = [
                i for i, row in enumerate(rows) if row[j].suppressed and row[j].kind == "count"
            ]
            if len(hidden) != 1:
                continue
            candidates = [
                (row[j].value, i)
                for i, row in enumerate(rows)
                if row[j].kind == "count" and not row[j].suppressed and row[j].value
            ]
            if candidates:
                # Hide the whole observation of that row (its counts and its share), or
                # its share would give the hidden count back.
                _, i = min(candidates)
                rows[i] = [
                    _hide(c) if c.kind in ("count", "percent") and not c.suppressed else c
                    for c in rows[i]
                ]
            else:
                total[j] = _hide(total[j])
    return replace(table, rows=rows, total=total)


def suppress_document(document: Document, policy: SuppressionPolicy | None = None) -> Document:
    """A copy of ``document`` for publication: every table suppressed, and the legend
    extended with what ``<5`` and ``..`` mean."""
    policy = policy or SuppressionPolicy()
    blocks = []
    for block in document.blocks:
        if isinstance(block, Table):
            blocks.append(suppress_table(block, policy))
        elif (
            isinstance(block, Figure)
            and block.counts
            and any(policy.hides_count(v) for v in block.values)
        ):
            # A chart cannot print "<5": leave it out rather than show the small count.
            blocks.append(
                Paragraph(
                    f"{block.caption or 'Diagrammet'} visas inte: det bygger på färre än "
                    f"{policy.threshold} fall.",
                    style="note",
                )
            )
        elif isinstance(block, Legend):
            groups = [
                *block.groups,
                (
                    "Skydd av enskilda personer",
                    [
                        LegendItem(policy.marker, f"färre än {policy.threshold} fall"),
                        LegendItem(
                            HIDDEN,
                            "uppgiften visas inte för att skydda enskilda personer "
                            f"(andel av färre än {policy.threshold} fall, eller dold för "
                            "att en summa inte ska avslöja ett litet antal)",
                        ),
                    ],
                ),
            ]
            blocks.append(replace(block, groups=groups))
        else:
            blocks.append(block)
    meta = {**document.meta, "Publicering": f"Antal under {policy.threshold} visas inte"}
    return replace(document, blocks=blocks, meta=meta)
