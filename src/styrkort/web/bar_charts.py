"""Units side by side as a horizontal bar chart (altair to SVG, as ``web.charts``).

One bar per unit for the total, in the order given (best first); women and men as marks on
the same row (a square and a triangle, not colour alone), the target as a long-dashed
vertical line. The page shows the same numbers as a table and a text alternative.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from .charts import SERIES_LABELS, SERIES_STYLE, _svg


def bar_chart_spec(
    rows: list[tuple[str, dict[str, float | None]]],
    *,
    title: str,
    unit: str,
    target: float | None = None,
) -> dict:
    """A Vega-Lite spec of ``rows`` ((unit name, {"total", "women", "men"}) in order)."""
    import altair as alt

    order = [name for name, _values in rows]
    bars = [
        {"unit": name, "value": values["total"]}
        for name, values in rows
        if values.get("total") is not None
    ]
    marks = [
        {"unit": name, "series": str(SERIES_LABELS[sex]), "value": values[sex]}
        for name, values in rows
        for sex in ("women", "men")
        if values.get(sex) is not None
    ]
    x_title = _("Värde (%(unit)s)") % {"unit": unit} if unit else _("Värde")
    y = alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    x = alt.X("value:Q", title=x_title, scale=alt.Scale(zero=True))
    layers = []
    if bars:
        layers.append(
            alt.Chart(alt.Data(values=bars))
            .mark_bar(color="#9a9a9a", stroke="#1b1b1b", strokeWidth=0.8, size=18)
            .encode(x=x, y=y)
        )
    if marks:
        keys = [s for s in ("women", "men") if any(m["series"] == SERIES_LABELS[s] for m in marks)]
        labels = [str(SERIES_LABELS[s]) for s in keys]
        layers.append(
            alt.Chart(alt.Data(values=marks))
            .mark_point(filled=True, size=90, opacity=1)
            .encode(
                x=x,
                y=y,
                color=alt.Color(
                    "series:N",
                    title=_("Kön"),
                    scale=alt.Scale(domain=labels, range=[SERIES_STYLE[s][0] for s in keys]),
                ),
                shape=alt.Shape(
                    "series:N",
                    title=_("Kön"),
                    scale=alt.Scale(domain=labels, range=[SERIES_STYLE[s][2] for s in keys]),
                ),
            )
        )
    if target is not None:
        colour, dash, _shape = SERIES_STYLE["target"]
        layers.append(
            alt.Chart(alt.Data(values=[{"value": target}]))
            .mark_rule(color=colour, strokeDash=dash, strokeWidth=2)
            .encode(x="value:Q")
        )
    chart = (
        alt.layer(*layers, title=title)
        .properties(width=420, height=max(60, 30 * len(order)))
        .configure(font="DejaVu Sans, Arial, sans-serif")
        .configure_legend(orient="bottom", labelFontSize=12, titleFontSize=12, symbolSize=120)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )
    return chart.to_dict()


def render_bar_svg(rows, *, title: str, unit: str, target: float | None = None) -> str:
    """The chart as SVG text ('' when no row has a value); cached by its spec."""
    if not any(v is not None for _name, values in rows for v in values.values()):
        return ""
    spec = bar_chart_spec(rows, title=title, unit=unit, target=target)
    return _svg(json.dumps(spec, sort_keys=True, ensure_ascii=False))
