"""A small report built from seed 001's printed numbers, for tests of the document layer
that need no database."""

from styrkort.followup.evaluation import Obs
from styrkort.reports import charts
from styrkort.reports.document import (
    Cell,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
    percent_cell,
    text_cell,
)
from styrkort.reports.symbols import Symbols
from styrkort.reports.tables import (
    BreakdownRow,
    ProductionRow,
    breakdown_table,
    production_table,
    sex_ratio_table,
)

PRODUCTION = [
    ProductionRow("Läkarbesök", 31180, 29685, 6247, 7037),
    ProductionRow("Somatik", 29752, 27864, 5438, 6220, level=1),
    ProductionRow("Psykiatri", 1428, 1821, 809, 817, level=1),
    ProductionRow("Övriga vårdgivarbesök", 31128, 33024, 8455, 9600),
    ProductionRow("Somatik", 26241, 27291, 6280, 6515, level=1),
    ProductionRow("Psykiatri", 4887, 5733, 2175, 3085, level=1),
    ProductionRow("Totalt antal besök", 62308, 62709, 14702, 16637),
]

MEDICATION = [
    ("VO Internmedicin", "Gällivare sjukhus", 135, 228),
    ("VO Internmedicin", "Kalix sjukhus", 216, 255),
    ("VO Internmedicin", "Kiruna sjukhus", 171, 194),
    ("VO Internmedicin", "Piteå sjukhus", 317, 423),
    ("VO Internmedicin", "Sunderby sjukhus", 481, 653),
    ("VO Neurocentrum", "Sunderby sjukhus", 4, 4),
]


def medication_table() -> Table:
    return breakdown_table(
        [BreakdownRow((vo, site), (Obs.from_ratio(n, d),)) for vo, site, n, d in MEDICATION],
        label_columns=["Verksamhetsområde", "Sjukhus"],
        periods=["2022-DÅ04"],
        aggregation="ratio",
        unit="%",
        numerator_label="Antal med LM-berättelse",
        denominator_label="Antal med 5 ATC och VTF",
        caption="Läkemedelsberättelse per klinik",
    )


def sample_document() -> Document:
    symbols = Symbols()
    doc = Document(
        "Delårsrapport 2022-DÅ04",
        "Division Länssjukvård 1 – bilaga produktion och måluppfyllelse",
        meta={"Gäller för verksamhet": "Region Norrbotten; Division Länssjukvård 1"},
    )
    doc.add(TableOfContents(), Heading("Produktion", 1))
    doc.add(
        production_table(
            PRODUCTION, current_label="202204", previous_label="202104", caption="Besök"
        )
    )
    doc.add(Heading("Måluppfyllelse", 1), Heading("Verksamhet", 2))
    goal = Table(
        ["Framgångsfaktor", "Styrmått", "Mål", "Utfall", "Måluppfyllelse", "Utveckling"],
        [
            [
                text_cell("En sammanhållen och samordnad vård utifrån individens behov"),
                text_cell("Oplanerade återinskrivningar inom 30 dagar (%)"),
                text_cell("M: 17,2 % K: 16 %"),
                Cell(parts=(("K", percent_cell(18.8)), ("M", percent_cell(17.3)))),
                Cell(
                    parts=(
                        ("K", symbols.status_cell("not_met")),
                        ("M", symbols.status_cell("partly")),
                    )
                ),
                Cell(
                    parts=(("K", symbols.trend_cell("worse")), ("M", symbols.trend_cell("better")))
                ),
            ]
        ],
        caption="Strategiskt mål: God nära och samordnad vård",
        name="Verksamhet",
        widths=[3, 4, 1.5, 1.5, 2, 1.6],
    )
    doc.add(goal)
    doc.add(Paragraph("Divisionen har ett gott genomsnitt."))
    doc.add(
        sex_ratio_table(
            Obs.from_ratio(644, 819),
            Obs.from_ratio(658, 845),
            unit="%",
            numerator_label="Antal med LM-berättelse",
            denominator_label="Antal med 5 ATC och VTF",
            caption="Läkemedelsberättelse per kön",
        )
    )
    doc.add(medication_table())
    periods = ["T1 2020", "T1 2021", "T1 2022"]
    series = [("Kvinnor", [270, 176, 205]), ("Män", [200, 139, 134])]
    title = "Antal patienter som fått fråga om våld i nära relation"
    doc.add(
        Figure(
            charts.line_chart(title, periods, series, unit="st"),
            charts.describe_series(title, periods, series, unit="st"),
            caption=title,
        )
    )
    doc.add(symbols.legend())
    return doc
