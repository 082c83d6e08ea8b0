"""Charts for reports and the web: Vega-Lite specs, rendered once by vl-convert (no
browser, no network) and cached by content.

The specs are the JSON that altair would produce, written as plain dicts: importing
altair costs seconds and building a chart with it about 0.1 s, which is most of a
report's time budget; ``to_altair`` turns a spec into an altair chart where one is
wanted.

Readable in black and white: series differ by line dash and point shape as well as
colour, a target is a dashed rule labelled "Mål", and every chart has a text
alternative (:func:`describe_series`, :func:`describe_bars`) for screen readers and
for the docx picture's description. Numbers use the Swedish locale (``sv-SE``).

The cache key is the spec itself (sorted JSON), the format and the scale: the same
chart is rendered once per process (memory) and once per installation (files under
``STYRKORT_CHART_CACHE_DIR``, default ``var/cache/charts``).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from styrkort.io.numbers import format_number

__all__ = [
    "bar_chart",
    "cache_dir",
    "describe_bars",
    "describe_series",
    "line_chart",
    "render",
    "render_png",
    "render_svg",
    "to_altair",
]

FONT = "DejaVu Sans"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
#: Greys that stay apart in black and white; dashes and shapes carry the difference.
SERIES_STYLE = {
    "Kvinnor": {"dash": [1, 0], "shape": "circle", "colour": "#1f4e79"},
    "Män": {"dash": [6, 3], "shape": "square", "colour": "#c55a11"},
    "Totalt": {"dash": [2, 2], "shape": "triangle-up", "colour": "#404040"},
}
_FALLBACK = [
    {"dash": [1, 0], "shape": "circle", "colour": "#1f4e79"},
    {"dash": [6, 3], "shape": "square", "colour": "#c55a11"},
    {"dash": [2, 2], "shape": "triangle-up", "colour": "#404040"},
    {"dash": [8, 2, 2, 2], "shape": "diamond", "colour": "#548235"},
    {"dash": [4, 4], "shape": "cross", "colour": "#7030a0"},
]
_MEMORY: OrderedDict[str, bytes] = OrderedDict()
_MEMORY_MAX = 256
_LOCK = threading.Lock()


def _unit_suffix(unit: str) -> str:
    return "\u00a0%" if unit == "%" else (f"\u00a0{unit}" if unit and unit != "index" else "")


def _fmt(value: float | None, unit: str, decimals: int) -> str:
    if value is None:
        return "uppgift saknas"
    return f"{format_number(value, decimals)}{_unit_suffix(unit)}"


def _styles(labels: Sequence[str]) -> list[dict[str, Any]]:
    out, spare = [], iter(_FALLBACK)
    for label in labels:
        out.append(SERIES_STYLE.get(label) or next(spare, _FALLBACK[0]))
    return out


def _base_config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#dddddd"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        "title": {"fontSize": 13, "anchor": "start"},
    }


def _scale(labels: Sequence[str], values: list) -> dict[str, Any]:
    return {"domain": list(labels), "range": values}


def _finish(spec: dict[str, Any]) -> dict[str, Any]:
    spec["$schema"] = VEGA_LITE_SCHEMA
    spec["config"] = _base_config()
    return spec


def line_chart(
    title: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "",
    target: float | None = None,
    target_label: str = "Mål",
    decimals: int = 0,
    width: int = 460,
    height: int = 220,
) -> dict[str, Any]:
    """A line chart of values over periods, one line per series (Kvinnor, Män, Totalt),
    and the target as a dashed rule. Returns the Vega-Lite spec (a dict)."""
    labels = [label for label, _ in series]
    styles = _styles(labels)
    rows = [
        {"period": str(p), "serie": label, "value": v}
        for label, values in series
        for p, v in zip(periods, values, strict=False)
        if v is not None
    ]
    y_title = "Andel (%)" if unit == "%" else (unit or "Värde")
    line = {
        "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "period",
                "type": "ordinal",
                "title": None,
                "sort": [str(p) for p in periods],
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": y_title,
                "scale": {"zero": True},
            },
            "color": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": _scale(labels, [s["colour"] for s in styles]),
            },
            "strokeDash": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": _scale(labels, [s["dash"] for s in styles]),
            },
            "shape": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": _scale(labels, [s["shape"] for s in styles]),
            },
        },
        "data": {"values": rows},
    }
    layers: list[dict[str, Any]] = [line]
    if target is not None:
        label = f"{target_label} {_fmt(target, unit, decimals)}"
        data = {"values": [{"target": target, "label": label}]}
        layers.append(
            {
                "data": data,
                "mark": {
                    "type": "rule",
                    "strokeDash": [3, 3],
                    "color": "#000000",
                    "strokeWidth": 1.2,
                },
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
        layers.append(
            {
                "data": data,
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 4,
                    "dy": -6,
                    "fontSize": 11,
                    "color": "#000000",
                },
                "encoding": {
                    "y": {"field": "target", "type": "quantitative"},
                    "x": {"value": 0},
                    "text": {"field": "label", "type": "nominal"},
                },
            }
        )
    return _finish({"title": title, "width": width, "height": height, "layer": layers})


def bar_chart(
    title: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    target: float | None = None,
    decimals: int = 0,
    width: int = 460,
) -> dict[str, Any]:
    """Horizontal bars per unit (clinics, hospitals) with the value printed at each bar
    and the target as a dashed rule; one grey with a black outline reads in print."""
    rows = [
        {"cat": c, "value": v, "label": _fmt(v, unit, decimals)}
        for c, v in zip(categories, values, strict=False)
        if v is not None
    ]
    encoding = {
        "y": {"field": "cat", "type": "nominal", "title": None, "sort": list(categories)},
        "x": {
            "field": "value",
            "type": "quantitative",
            "title": "Andel (%)" if unit == "%" else (unit or "Värde"),
        },
    }
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": "#9db3c9", "stroke": "#000000", "strokeWidth": 0.8},
            "encoding": encoding,
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 11, "color": "#000000"},
            "encoding": {**encoding, "text": {"field": "label", "type": "nominal"}},
        },
    ]
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": target}]},
                "mark": {
                    "type": "rule",
                    "strokeDash": [3, 3],
                    "color": "#000000",
                    "strokeWidth": 1.5,
                },
                "encoding": {"x": {"field": "target", "type": "quantitative"}},
            }
        )
    return _finish(
        {
            "title": title,
            "width": width,
            "height": max(60, 24 * len(rows)),
            "data": {"values": rows},
            "layer": layers,
        }
    )


def to_altair(spec: dict[str, Any]):
    """The spec as an altair chart object (for notebooks and web views that compose
    charts with altair)."""
    import altair as alt

    return (
        alt.LayerChart.from_dict(spec, validate=False)
        if "layer" in spec
        else alt.Chart.from_dict(spec, validate=False)
    )


def describe_series(
    title: str,
    periods: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "",
    target: float | None = None,
    decimals: int = 0,
) -> str:
    """The text alternative of a line chart: what it shows and every value, Swedish."""
    parts = [f"Linjediagram: {title}."]
    for label, values in series:
        pts = ", ".join(
            f"{p} {_fmt(v, unit, decimals)}" for p, v in zip(periods, values, strict=False)
        )
        parts.append(f"{label}: {pts}.")
    if target is not None:
        parts.append(f"Målvärde {_fmt(target, unit, decimals)} (streckad linje).")
    return " ".join(parts)


def describe_bars(
    title: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    target: float | None = None,
    decimals: int = 0,
) -> str:
    """The text alternative of a bar chart."""
    pts = "; ".join(
        f"{c} {_fmt(v, unit, decimals)}" for c, v in zip(categories, values, strict=False)
    )
    text = f"Stapeldiagram: {title}. {pts}."
    if target is not None:
        text += f" Målvärde {_fmt(target, unit, decimals)} (streckad linje)."
    return text


# --- rendering and cache ----------------------------------------------------------------


def cache_dir() -> Path | None:
    """Where rendered charts are kept between runs (None: memory only)."""
    configured = os.environ.get("STYRKORT_CHART_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    try:
        from django.conf import settings

        return Path(settings.VAR_DIR) / "cache" / "charts"
    except Exception:  # Django not configured: memory cache only
        return None


def _key(spec: dict[str, Any], fmt: str, scale: float) -> str:
    import vl_convert

    payload = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(f"{vl_convert.__version__}|{fmt}|{scale}|{payload}".encode())
    return digest.hexdigest()


def _convert(spec: dict[str, Any], fmt: str, scale: float) -> bytes:
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(vl_spec=spec, scale=scale, format_locale="sv-SE")
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(vl_spec=spec, format_locale="sv-SE").encode("utf-8")
    raise ValueError(f"unknown chart format {fmt!r}")


def render(
    spec: dict[str, Any], fmt: str = "png", *, scale: float = 2.0, use_cache: bool = True
) -> bytes:
    """The chart as PNG or SVG bytes, from the cache when the same spec was rendered."""
    key = _key(spec, fmt, scale)
    if use_cache:
        with _LOCK:
            hit = _MEMORY.get(key)
            if hit is not None:
                _MEMORY.move_to_end(key)
                return hit
        directory = cache_dir()
        path = directory / key[:2] / f"{key}.{fmt}" if directory else None
        if path is not None and path.exists():
            data = path.read_bytes()
            _remember(key, data)
            return data
    data = _convert(spec, fmt, scale)
    if use_cache:
        _remember(key, data)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(data)
                tmp.replace(path)
            except OSError:
                pass  # a read-only cache directory only costs a re-render
    return data


def _remember(key: str, data: bytes) -> None:
    with _LOCK:
        _MEMORY[key] = data
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > _MEMORY_MAX:
            _MEMORY.popitem(last=False)


def clear_memory_cache() -> None:
    with _LOCK:
        _MEMORY.clear()


def render_png(spec: dict[str, Any], *, scale: float = 2.0, use_cache: bool = True) -> bytes:
    return render(spec, "png", scale=scale, use_cache=use_cache)


def render_svg(spec: dict[str, Any], *, use_cache: bool = True) -> bytes:
    return render(spec, "svg", scale=1.0, use_cache=use_cache)
