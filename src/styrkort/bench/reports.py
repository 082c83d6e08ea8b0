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

Then the region's compiled report (``styrkort report region``, ``reports.region``) for
the synthetic region of ``bench evaluate`` (full: 969 units; small: 51), reused while it
is there. Not timed: a reporting round for its DÅ04 is opened, every submission approved
and an analysis written for every division and area (all rolled back afterwards).
Timed, best of N (small: 2, full: 3): ``region_s``, the whole .docx (``build_document``:
the round's overview, the evaluation of the region with its roll-ups, the divisions'
scorecards, the analyses; and ``render_docx``), next to ``region_floor_s``: python-docx
writing the same tables plainly in the same run. Target: ``region_s`` at most 30 s.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import time
from collections.abc import Callable

import psutil

from styrkort.commands import BadInput

TARGET_S = 2.0
RUNS = {"small": 3, "full": 7}
REGION_TARGET_S = 30.0
REGION_RUNS = {"small": 2, "full": 3}
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
    result.update(bench_region_report(size, echo=echo))
    return result


class _Rollback(Exception):
    pass


def _approved_round(root, period) -> None:
    """A round for ``period`` with every unit approved, and an analysis of the first
    indicator with values for every division and area (what the report compiles)."""
    from django.utils import timezone

    from styrkort.followup.models import Analysis, Outcome
    from styrkort.organisation.models import OrgUnit
    from styrkort.rounds import services
    from styrkort.rounds.models import Submission, SubmissionState

    rnd = services.open_round(
        user=None,
        organisation=root.organisation,
        period=period,
        opens_on=period.end + dt.timedelta(days=1),
        deadline=period.end + dt.timedelta(days=21),
    )
    now = timezone.now()
    Submission.objects.filter(round=rnd).update(
        state=SubmissionState.APPROVED, approved_at=now, ready_at=now
    )
    indicator_id = (
        Outcome.objects.filter(unit__organisation_id=root.organisation_id)
        .values_list("indicator_id", flat=True)
        .first()
    )
    units = OrgUnit.objects.filter(organisation_id=root.organisation_id, depth__in=(2, 3))
    Analysis.objects.bulk_create(
        [
            Analysis(
                unit=unit,
                indicator_id=indicator_id,
                period=period.canonical,
                period_start=period.start,
                period_end=period.end,
                text=(
                    f"{unit.name} redovisar utfallet per {period.label_sv}. "
                    "Analysen beskriver orsaker och åtgärder i några meningar, som en "
                    "enhet skriver den i sin delårsrapport."
                ),
            )
            for unit in units
        ]
    )


def bench_region_report(size: str = "small", *, echo: Callable[[str], None]) -> dict:
    """Time the region's compiled report as .docx for the synthetic region against the
    python-docx floor; the round and analyses it needs are rolled back afterwards."""
    from django.db import transaction

    from styrkort.periods import parse_period
    from styrkort.reports.build import build_document
    from styrkort.reports.docx import render_docx

    from .evaluate import SIZES, ensure_region

    root, _generated = ensure_region(size, echo=echo)
    period = parse_period(SIZES[size].period)
    figures: dict = {}
    try:
        with transaction.atomic():
            _approved_round(root, period)
            runs, builds, renders, floors = [], [], [], []
            for _ in range(REGION_RUNS[size]):
                t0 = time.perf_counter()
                document = build_document("region", root, period)
                t1 = time.perf_counter()
                data = render_docx(document)
                t2 = time.perf_counter()
                runs.append(t2 - t0)
                builds.append(t1 - t0)
                renders.append(t2 - t1)
                t0 = time.perf_counter()
                floor_bytes = _floor(document.tables())
                floors.append(time.perf_counter() - t0)
            tables = document.tables()
            figures = {
                "region_units": len(next(t for t in tables if t.name == "Enheter").rows),
                "region_tables": len(tables),
                "region_cells": sum(
                    len(t.columns) * (len(t.rows) + 1 + bool(t.total)) for t in tables
                ),
                "region_chapters": sum(1 for b in document.headings() if b.level == 1),
                "region_bytes": len(data),
                "region_floor_bytes": len(floor_bytes),
                "region_s": round(min(runs), 3),
                "region_build_s": round(min(builds), 3),
                "region_render_docx_s": round(min(renders), 3),
                "region_floor_s": round(min(floors), 3),
            }
            raise _Rollback
    except _Rollback:
        pass
    best, floor = figures["region_s"], figures["region_floor_s"]
    figures.update(
        region_period=period.canonical,
        region_ratio=round(best / floor, 2) if floor else None,
        region_target_s=REGION_TARGET_S,
        region_target_met=best <= REGION_TARGET_S,
    )
    echo(
        f"Regionens sammanställda rapport {period.label_sv} för '{root.name}' som .docx: "
        f"{figures['region_units']} enheter, {figures['region_chapters']} kapitel, "
        f"{figures['region_tables']} tabeller ({figures['region_cells']} celler), "
        f"{figures['region_bytes'] // 1024} kB."
    )
    echo(
        f"Rapport: {best:.3f} s (bästa av {REGION_RUNS[size]}; data och tabeller "
        f"{figures['region_build_s']:.3f} s, Word {figures['region_render_docx_s']:.3f} s). "
        f"Golv (python-docx skriver samma tabeller): {floor:.3f} s; kvot "
        f"{figures['region_ratio']}."
    )
    met = "uppfyllt" if figures["region_target_met"] else "EJ uppfyllt"
    echo(f"  Mål tid: {met} ({best:.2f} s ≤ {REGION_TARGET_S:.0f} s)")
    return figures
