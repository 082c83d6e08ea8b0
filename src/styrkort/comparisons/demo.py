"""The demo's comparisons (fixture kind ``comparisons``): the organisations' Kolada
areas, the seed indicators' Kolada KPIs, comparison groups, and recorded v3 answers
loaded as EXAMPLE values (labelled so wherever they are shown, never published figures)."""

from __future__ import annotations

from pathlib import Path

from styrkort.demo.loader import kind

RECORDED = Path(__file__).resolve().parent / "recorded"


@kind("comparisons")
def load_comparisons(doc: dict, ctx) -> None:
    from styrkort.organisation.models import Organisation
    from styrkort.planning.models import Indicator

    from .kolada import KoladaError, check_area_id, check_kpi_id, parse_data, read_pages
    from .models import ComparisonGroup
    from .services import store_rows

    with ctx.at("areas"):
        for code, area in (doc.get("areas") or {}).items():
            try:
                area = check_area_id(str(area))
            except KoladaError as exc:
                raise ctx.error(str(exc), area) from None
            ctx.organisation(code)  # a clear message for an unknown organisation
            ctx.upsert(Organisation, {"code": code}, {"kolada_area": area})
    with ctx.at("kpis"):
        for code, kpi in (doc.get("kpis") or {}).items():
            try:
                kpi = check_kpi_id(str(kpi))
            except KoladaError as exc:
                raise ctx.error(str(exc), kpi) from None
            if not Indicator.objects.filter(code=code).exists():
                raise ctx.error("okänd indikator", code)
            ctx.upsert(Indicator, {"code": code}, {"kolada_kpi": kpi})
    for i, group in enumerate(doc.get("groups") or [], start=1):
        with ctx.at(f"grupp {i}"):
            org = ctx.organisation(ctx.require(group, "organisation"))
            areas = [str(a) for a in ctx.require(group, "areas")]
            ctx.upsert(
                ComparisonGroup,
                {"organisation": org, "name": ctx.require(group, "name")},
                {"areas": areas, "order": i},
            )
    for name in doc.get("recorded") or []:
        with ctx.at(f"inspelat svar {name}"):
            path = RECORDED / str(name)
            try:
                rows = []
                for number, page in enumerate(read_pages(path.read_text("utf-8")), start=1):
                    rows.extend(parse_data(page, page=number)[0])
            except (OSError, KoladaError) as exc:
                raise ctx.error(str(exc), name) from None
            store_rows(rows, user=None, source=f"fil {name}", example=True, touch=False)
