"""Indicator charts rendered on the server: altair (Vega-Lite) to SVG with vl-convert.

Readable in black and white: each series has its own line dash and point shape as well as
its own colour, the target is a long-dashed grey line, and the page shows the same numbers
as a table and a text summary beside the image.

Series are named by key (`total`, `women`, `men`, `target`, ...); the legend, axis titles
and data carry the labels in the active language, so the spec (and the SVG cached by it)
differs per language.
"""

from __future__ import annotations

import base64
import functools
import json
import os
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SERIES_STYLE = {
    # key: (colour, dash, point shape)
    "total": ("#1b1b1b", [1, 0], "circle"),
    "women": ("#7b3294", [8, 4], "square"),
    "men": ("#1f5f8b", [2, 3], "triangle-up"),
    "target": ("#6b6b6b", [12, 6], "diamond"),
    "target_women": ("#b07cc6", [12, 6], "square"),
    "target_men": ("#5b93bd", [12, 6], "triangle-up"),
}

SERIES_LABELS = {
    "total": gettext_lazy("Totalt"),
    "women": gettext_lazy("Kvinnor"),
    "men": gettext_lazy("Män"),
    "target": gettext_lazy("Målvärde"),
    "target_women": gettext_lazy("Målvärde kvinnor"),
    "target_men": gettext_lazy("Målvärde män"),
}


@dataclass(frozen=True)
class ChartPoint:
    period: str  # label shown on the axis, e.g. "DÅ04 2022"
    order: int  # position on the axis
    series: str  # a key of SERIES_STYLE (and SERIES_LABELS)
    value: float


def styled_lines(data, *, x, unit: str, title: str, names, styles, width: int, legend=None):
    """One line per series (the values' ``series``, one of ``names``) with its own colour,
    dash and point shape (``styles``: (colour, dash, shape) per name), y = ``value`` in
    ``unit`` from zero, and the legend under the chart with ``legend``'s extra settings:
    the form of the indicator chart and the comparison chart."""
    import altair as alt

    title_of_legend = _("Serie")
    y_title = _("Värde (%(unit)s)") % {"unit": unit} if unit else _("Värde")

    def channel(kind, i: int):
        scale = alt.Scale(domain=names, range=[style[i] for style in styles])
        return kind("series:N", title=title_of_legend, scale=scale)

    return (
        alt.Chart(data, title=title)
        .mark_line(point={"size": 70, "filled": True}, strokeWidth=2.2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
            color=channel(alt.Color, 0),
            strokeDash=channel(alt.StrokeDash, 1),
            shape=channel(alt.Shape, 2),
        )
        .properties(width=width, height=240)
        .configure(font="DejaVu Sans, Arial, sans-serif")
        .configure_legend(
            orient="bottom", labelFontSize=12, titleFontSize=12, symbolSize=120, **(legend or {})
        )
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )


def chart_spec(points: list[ChartPoint], *, title: str, unit: str) -> dict:
    """A Vega-Lite spec (dict) of the points: one line per series, x = period in `order`.

    Series, axis and legend titles are in the active language."""
    import altair as alt

    keys = [s for s in SERIES_STYLE if any(p.series == s for p in points)]
    series = [str(SERIES_LABELS[s]) for s in keys]
    periods = [p.period for p in sorted(points, key=lambda p: p.order)]
    axis_order = list(dict.fromkeys(periods))
    data = alt.Data(
        values=[
            {"period": p.period, "series": str(SERIES_LABELS[p.series]), "value": p.value}
            for p in points
        ]
    )
    chart = styled_lines(
        data,
        x=alt.X("period:O", sort=axis_order, title=_("Period"), axis=alt.Axis(labelAngle=0)),
        unit=unit,
        title=title,
        names=series,
        styles=[SERIES_STYLE[s] for s in keys],
        width=max(260, 90 * len(axis_order)),
    )
    return chart.to_dict()


@functools.lru_cache(maxsize=256)
def _svg(spec_json: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json))


def render_svg(points: list[ChartPoint], *, title: str, unit: str) -> str:
    """The chart as SVG text ('' without points), in the active language. The SVG is cached
    by the spec, which holds the translated labels: one entry per chart and language."""
    if not points:
        return ""
    spec = chart_spec(points, title=title, unit=unit)
    return _svg(json.dumps(spec, sort_keys=True, ensure_ascii=False))


def svg_data_uri(svg: str) -> str:
    """For an <img src> with its own alt text (no script, no inline SVG ids to clash)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def warm_up() -> None:
    """Draw one small chart: the first chart a worker draws pays for altair's schema
    validation and vl-convert's JavaScript engine starting (about 2 s); after this the
    first real chart costs what later ones do."""
    points = [ChartPoint("2021", 0, "total", 1.0), ChartPoint("2022", 1, "total", 2.0)]
    render_svg(points, title="Styrkort", unit="st")


def prepare_for_workers() -> None:
    """Called when the WSGI application is loaded: import the chart libraries now (with
    gunicorn --preload once, before the workers fork) and warm the engine in each worker
    process right after it forks, in a background thread (the engine's own threads do
    not survive a fork, so it is never started in the parent)."""
    import threading

    import altair  # noqa: F401
    import vl_convert  # noqa: F401

    def in_child() -> None:
        threading.Thread(target=_warm_quietly, name="chart-warm-up", daemon=True).start()

    os.register_at_fork(after_in_child=in_child)


def _warm_quietly() -> None:
    try:
        warm_up()
    except Exception:  # a missing font or engine shows on the first real chart instead
        import logging

        logging.getLogger(__name__).warning("Chart warm-up failed", exc_info=True)
