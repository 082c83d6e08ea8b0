"""`styrkort bench report`: Division Länssjukvård 1's interim report 2022-DÅ04 as .docx
with charts, next to a floor measured in the same run.

Data: the seed demo (loaded here, not timed, when the database does not hold it).
Warm-up (not timed): one whole report, so that imports, the chart engine's start and
python-docx's first document are not counted; the first run's time is reported beside.

Timed, best of N runs (small: 3, full: 7):

* ``report_s``: the whole report, ``build_document`` (the evaluation of the unit with
  roll-ups, history for the charts, breakdowns) and ``render_docx`` with every chart
  rendered anew by vl-convert (the chart cache is bypassed; with it the charts of a
  report already printed cost nothing: ``report_cached_s``);
* ``floor_s``: python-docx writing the same tables (the same cells' texts) into a plain
  document with its own API (``add_table``, ``cell.text``), no charts, no styles.

Target: ``report_s`` at most 2 s. The ratio ``report_s / floor_s`` is printed. A missed
target is reported, not raised: this is a benchmark, not a timed test.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable

import psutil

from styrkort.commands import BadInput

TARGET_S = 2.0
RUNS = {"small": 3, "full": 7}
UNIT = "NLL-LS1"
PERIOD = "2022-DÅ04"


def _ensure_demo(echo: Callable[[str], None]):
    from django.core.management import call_command

    from styrkort.organisation.models import OrgUnit

    unit = OrgUnit.objects.filter(code=UNIT).first()
    if unit is None or not unit.outcomes.exists():
        echo("Läser in demodata (ej tidtaget) ...")
        call_command("demo", "--no-users", stdout=io.StringIO())
        unit = OrgUnit.objects.get(code=UNIT)
    return unit


def _floor(tables) -> bytes:
    """python-docx writing the tables the plain way: no charts, no styles."""
    from docx import Document

    doc = Document()
    for table in tables:
        body = [table.columns, *([c.text for c in row] for row in table.rows)]
        if table.total:
            body.append([c.text for c in table.total])
        t = doc.add_table(rows=len(body), cols=len(table.columns))
        for row, texts in zip(t.rows, body, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def bench_report(size: str = "small", *, echo: Callable[[str], None] | None = None) -> dict:
    """Time the interim report as .docx with charts against the python-docx floor;
    print the figures and return them as a dict (seconds)."""
    from styrkort.reports import charts
    from styrkort.reports.build import build_document
    from styrkort.reports.docx import render_docx

    echo = echo or (lambda line: print(line, file=sys.stderr))
    if size not in RUNS:
        raise BadInput(f"Okänd storlek: '{size}' (använd small eller full).")
    unit = _ensure_demo(echo)

    def fresh_png(spec):
        return charts.render_png(spec, use_cache=False)

    def report(render_chart=fresh_png):
        t0 = time.perf_counter()
        document = build_document("interim", unit, PERIOD)
        t1 = time.perf_counter()
        data = render_docx(document, render_chart=render_chart)
        t2 = time.perf_counter()
        return document, data, t1 - t0, t2 - t1

    t0 = time.perf_counter()
    document, data, _, _ = report()
    first_s = time.perf_counter() - t0
    tables, figures = document.tables(), document.figures()

    runs, builds, renders, floors = [], [], [], []
    for _ in range(RUNS[size]):
        t0 = time.perf_counter()
        _, data, build_s, render_s = report()
        runs.append(time.perf_counter() - t0)
        builds.append(build_s)
        renders.append(render_s)
        t0 = time.perf_counter()
        floor_bytes = _floor(tables)
        floors.append(time.perf_counter() - t0)
    cached = []
    for _ in range(RUNS[size]):
        t0 = time.perf_counter()
        report(render_chart=charts.render_png)
        cached.append(time.perf_counter() - t0)
    chart_times = []
    for figure in figures:
        t0 = time.perf_counter()
        charts.render_png(figure.spec, use_cache=False)
        chart_times.append(time.perf_counter() - t0)

    best, floor = min(runs), min(floors)
    result = {
        "benchmark": "report",
        "size": size,
        "unit": UNIT,
        "period": PERIOD,
        "format": "docx",
        "tables": len(tables),
        "cells": sum(len(t.columns) * (len(t.rows) + 1 + bool(t.total)) for t in tables),
        "charts": len(figures),
        "bytes": len(data),
        "floor_bytes": len(floor_bytes),
        "runs": len(runs),
        "report_s": round(best, 3),
        "report_median_s": round(statistics.median(runs), 3),
        "report_first_s": round(first_s, 3),
        "report_cached_s": round(min(cached), 3),
        "build_s": round(min(builds), 3),
        "render_docx_s": round(min(renders), 3),
        "chart_each_s": round(statistics.median(chart_times), 3) if chart_times else None,
        "floor_s": round(floor, 3),
        "ratio": round(best / floor, 2) if floor else None,
        "target_s": TARGET_S,
        "target_met": best <= TARGET_S,
        "cores": psutil.cpu_count(logical=True),
        "load_1min": round(psutil.getloadavg()[0], 2),
    }
    echo(
        f"Delårsrapport {PERIOD} för {unit.name} som .docx: {len(tables)} tabeller, "
        f"{len(figures)} diagram, {len(data) // 1024} kB."
    )
    echo(
        f"Rapport med diagram: {best:.3f} s (bästa av {len(runs)}; median "
        f"{result['report_median_s']:.3f} s; första körningen {first_s:.3f} s; med "
        f"diagramcache {result['report_cached_s']:.3f} s). Varav data och tabeller "
        f"{result['build_s']:.3f} s, Word med diagram {result['render_docx_s']:.3f} s "
        f"({result['chart_each_s']} s per diagram)."
    )
    echo(
        f"Golv (python-docx skriver samma tabeller utan diagram): {floor:.3f} s; "
        f"kvot {result['ratio']}."
    )
    met = "uppfyllt" if result["target_met"] else "EJ uppfyllt"
    echo(
        f"  Mål tid: {met} ({best:.2f} s ≤ {TARGET_S} s; belastning {result['load_1min']} "
        f"på {result['cores']} kärnor)"
    )
    return result
