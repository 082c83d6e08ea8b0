"""The scorecard's tables as one flat table: a row per indicator with the goals it sits
under, target, outcome (total, women, men), status and trend, as the page shows them
(the same evaluation and the same sections, web.layout)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from styrkort.web.layout import build_sections, column_heading
from styrkort.web.presentation import STATUS_LABELS, status_badge, trend_badge

from . import ExportTable, num


def _label(badge) -> str:
    return badge.label


def scorecard_tables(evaluation, *, title: str) -> list[ExportTable]:
    sections = build_sections(evaluation)
    first = next((column_heading(s) for s in sections if column_heading(s)), "")
    levels = [
        next((s.goal.level_name for s in sections if getattr(s.goal, "level_name", "")), "")
        or _("Perspektiv"),
        next(
            (
                t.goal.level_name
                for s in sections
                for t in s.tables
                if t.goal is not None and getattr(t.goal, "level_name", "")
            ),
            "",
        )
        or _("Mål"),
        first or _("Delmål"),
    ]
    columns = [
        *levels,
        _("Indikator"),
        _("Kod"),
        _("Mål"),
        _("Uppföljningsperiod"),
        _("Utfall totalt"),
        _("Utfall kvinnor"),
        _("Utfall män"),
        _("Enhet"),
        _("Måluppfyllelse"),
        _("Måluppfyllelse kvinnor"),
        _("Måluppfyllelse män"),
        _("Utveckling"),
        _("Förändring mot föregående år (%)"),
    ]
    table = ExportTable(title=title, columns=columns)
    for section in sections:
        for part in section.tables:
            for row in part.rows:
                item = row["item"]
                values = item.values
                status, trend = item.status, item.trend
                by_sex = item.by_sex
                table.rows.append(
                    [
                        section.goal.name,
                        part.goal.name if part.goal is not None else "",
                        row["goal"].name if row["goal"] is not None else "",
                        item.name,
                        item.code,
                        item.target.text if item.target else "",
                        item.reporting_points,
                        num(values.get("total"), item.decimals),
                        num(values.get("women"), item.decimals),
                        num(values.get("men"), item.decimals),
                        item.unit,
                        _label(status_badge(status.get("total"))),
                        _label(status_badge(status.get("women"))) if by_sex else "",
                        _label(status_badge(status.get("men"))) if by_sex else "",
                        _label(trend_badge(trend.get("total"))),
                        num(item.change_pct, 1),
                    ]
                )
    tables = [table]
    counts = list(getattr(evaluation, "goal_counts", []) or [])
    if counts:  # the "Måluppfyllelse per nivå" tables under each goal area
        keys = list(STATUS_LABELS)
        tables.append(
            ExportTable(
                title=_("Måluppfyllelse per nivå"),
                columns=[_("Målområde"), _("Nivå"), *[str(STATUS_LABELS[k][1]) for k in keys]],
                rows=[
                    [c.area or _("Hela planen"), c.level_name, *[c.counts.get(k, 0) for k in keys]]
                    for c in counts
                ],
            )
        )
    return tables
