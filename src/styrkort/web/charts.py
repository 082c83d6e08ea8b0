"""Indicator charts rendered on the server: altair (Vega-Lite) to SVG with vl-convert.

Readable in black and white: each series has its own line dash and point shape as well as
its own colour, the target is a long-dashed grey line, and the page shows the same numbers
as a table and a text summary beside the image.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass

SERIES_STYLE = {
    # label: (colour, dash, point shape)
    "Totalt": ("#1b1b1b", [1, 0], "circle"),
    "Kvinnor": ("#7b3294", [8, 4], "square"),
    "Män": ("#1f5f8b", [2, 3], "triangle-up"),
    "Målvärde": ("#6b6b6b", [12, 6], "diamond"),
    "Målvärde kvinnor": ("#b07cc6", [12, 6], "square"),
    "Målvärde män": ("#5b93bd", [12, 6], "triangle-up"),
}


@dataclass(frozen=True)
class ChartPoint:
    period: str  # label shown on the axis, e.g. "DÅ04 2022"
    order: int  # position on the axis
    series: str  # a key of SERIES_STYLE
    value: float


def chart_spec(points: list[ChartPoint], *, title: str, unit: str) -> dict:
    """A Vega-Lite spec (dict) of the points: one line per series, x = period in `order`."""
    import altair as alt

    series = [s for s in SERIES_STYLE if any(p.series == s for p in points)]
    periods = [p.period for p in sorted(points, key=lambda p: p.order)]
    axis_order = list(dict.fromkeys(periods))
    data = alt.Data(
        values=[{"period": p.period, "series": p.series, "value": p.value} for p in points]
    )
    y_title = f"Värde ({unit})" if unit else "Värde"
    chart = (
        alt.Chart(data, title=title)
        .mark_line(point={"size": 70, "filled": True}, strokeWidth=2.2)
        .encode(
            x=alt.X("period:O", sort=axis_order, title="Period", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title="Serie",
                scale=alt.Scale(domain=series, range=[SERIES_STYLE[s][0] for s in series]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title="Serie",
                scale=alt.Scale(domain=series, range=[SERIES_STYLE[s][1] for s in series]),
            ),
            shape=alt.Shape(
                "series:N",
                title="Serie",
                scale=alt.Scale(domain=series, range=[SERIES_STYLE[s][2] for s in series]),
            ),
        )
        .properties(width=max(260, 90 * len(axis_order)), height=240)
        .configure(font="DejaVu Sans, Arial, sans-serif")
        .configure_legend(orient="bottom", labelFontSize=12, titleFontSize=12, symbolSize=120)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )
    return chart.to_dict()


@functools.lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json))


def render_svg(points: list[ChartPoint], *, title: str, unit: str) -> str:
    """The chart as SVG text ('' without points)."""
    if not points:
        return ""
    spec = chart_spec(points, title=title, unit=unit)
    return _svg(json.dumps(spec, sort_keys=True, ensure_ascii=False))


def svg_data_uri(svg: str) -> str:
    """For an <img src> with its own alt text (no script, no inline SVG ids to clash)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
