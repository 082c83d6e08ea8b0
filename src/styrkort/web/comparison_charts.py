"""The indicator page's comparison chart: the organisation's region and riket (and the
comparison groups) from Kolada per year, with the unit's own yearly outcome and the
target line. Readable in black and white (dash and point shape per series); the page
shows the same numbers as a table and a text alternative."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from styrkort.web.charts import _svg, styled_lines

STYLES = [
    # (colour, dash, point shape) in the order the series come: the region, riket, the
    # groups, the unit's own outcome, a division's siblings; each pair differs in dash or
    # shape, not only in colour, and every colour has at least 3:1 contrast with white.
    ("#1b1b1b", [1, 0], "circle"),
    ("#1f5f8b", [2, 3], "triangle-up"),
    ("#7b3294", [8, 4], "square"),
    ("#2d6a2d", [4, 2], "cross"),
    ("#a6361c", [6, 2, 1, 2], "triangle-down"),
    ("#005f73", [1, 3], "triangle-right"),
    ("#8a5a00", [10, 3], "triangle-left"),
    ("#5c4b8a", [3, 1], "wedge"),
    ("#7a1f4f", [6, 6], "circle"),
    ("#3d5a1e", [2, 6], "square"),
    ("#1d3f8c", [12, 2, 2, 2], "triangle-up"),
    ("#7d3c00", [5, 1, 1, 1], "cross"),
    ("#4a4a4a", [9, 2, 3, 2], "triangle-down"),
]
TARGET_STYLE = ("#6b6b6b", [12, 6], "diamond")


def comparison_chart_svg(rows: list[dict], series: list[str], *, title: str, unit: str) -> str:
    """SVG of ``rows`` (``{"year", "values": {series name: value}}``) with one line per
    series name in ``series`` (the target line last); '' without values."""
    import altair as alt

    points = [
        {"year": str(row["year"]), "series": name, "value": value}
        for row in rows
        for name, value in row["values"].items()
        if value is not None
    ]
    if not points:
        return ""
    names = [s for s in series if any(p["series"] == s for p in points)]
    styles = [STYLES[i % len(STYLES)] for i in range(len(names))]
    if names and names[-1] == series[-1] and series[-1] == _("Målvärde"):
        styles[-1] = TARGET_STYLE
    years = sorted({p["year"] for p in points})
    chart = styled_lines(
        alt.Data(values=points),
        x=alt.X("year:O", sort=years, title=_("År"), axis=alt.Axis(labelAngle=0)),
        unit=unit,
        title=title,
        names=names,
        styles=styles,
        width=max(260, 90 * len(years)),
        # "Division Länssjukvård 1, eget helårsutfall" in full, one series a line
        legend={"direction": "vertical", "labelLimit": 360},
    )
    return _svg(json.dumps(chart.to_dict(), sort_keys=True, ensure_ascii=False))
