"""The reports' comparisons with others (Kolada): one table of their own after the
seed-shaped tables, so those keep exactly the seeds' columns. Every value names its year
and its source; example values say that they are examples."""

from __future__ import annotations

from .document import Heading, Paragraph, Table, number_cell, text_cell

SOURCE = "Källa: Kolada."
EXAMPLE = "Källa: Kolada – exempelvärden, inte publicerade siffror."


def comparison_blocks(evaluation) -> list:
    """Heading, table and source line for the indicators of ``evaluation`` (a
    ``UnitEvaluation``) that have Kolada values; empty when none has."""
    rows, example = [], False
    for item in evaluation.indicators:
        for entry in item.comparisons:
            if entry["period"] is None:
                continue
            example |= "exempel" in entry["source"]
            flags = "; ".join(
                f"{label}: {entry['flags'][sex]}"
                for sex, label in (("total", "totalt"), ("women", "kvinnor"), ("men", "män"))
                if entry["flags"][sex]
            )
            rows.append(
                [
                    text_cell(item.name),
                    text_cell(entry["area_name"]),
                    text_cell(entry["period"]),
                    number_cell(entry["values"]["total"], max(item.decimals, 1)),
                    number_cell(entry["values"]["women"], max(item.decimals, 1)),
                    number_cell(entry["values"]["men"], max(item.decimals, 1)),
                    text_cell(flags),
                ]
            )
    if not rows:
        return []
    return [
        Heading("Jämförelser med riket och andra regioner", 1),
        Table(
            ["Indikator", "Område", "År", "Totalt", "Kvinnor", "Män", "Koladas anmärkning"],
            rows,
            caption="Jämförelsevärden från Kolada"
            + (" (exempelvärden, inte publicerade siffror)" if example else ""),
            name="Jämförelser",
            widths=[5.0, 3.0, 1.0, 1.3, 1.3, 1.3, 2.5],
        ),
        Paragraph(EXAMPLE if example else SOURCE, style="note"),
    ]
