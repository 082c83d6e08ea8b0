"""The indicator page's comparisons (``web/comparisons/indicator_comparisons.html``): the
chart of the region, riket and the comparison groups per year with the unit's own
yearly outcome, a division's sibling divisions and the target line, the same numbers as
a table, and the regions' ranking for the year compared with. Every value says its year
and its source, and example values say that they are examples."""

from __future__ import annotations

from django.utils.translation import gettext as _

from styrkort.comparisons.areas import area_name
from styrkort.comparisons.queries import for_indicator
from styrkort.web.charts import svg_data_uri
from styrkort.web.comparison_charts import comparison_chart_svg
from styrkort.web.presentation import format_value

SEX_LABELS = (("total", "Totalt"), ("women", "Kvinnor"), ("men", "Män"))


def _fmt(value, indicator) -> str:
    return (
        format_value(value, indicator.unit, max(indicator.decimals, 1)) if value is not None else ""
    )


def _yearly_outcomes(indicator, unit, years) -> dict[int, float]:
    from styrkort.followup.models import Outcome

    return {
        int(period): value
        for period, value in Outcome.objects.filter(
            indicator=indicator, unit=unit, sex="total", period__in=[str(y) for y in years]
        ).values_list("period", "value")
        if value is not None
    }


# At most this many sibling units are drawn beside a division (the side-by-side view
# compares any number of them).
MAX_SIBLINGS = 8


def _sibling_outcomes(indicator, unit, period, years) -> tuple[dict[str, dict], int]:
    """For a unit below the top (a division), its sibling units' yearly outcomes, in tree
    order, only those with a value in one of ``years`` (at most MAX_SIBLINGS), and how
    many more have one."""
    from styrkort.followup.models import Outcome
    from styrkort.organisation.lookup import children_valid_in, parent_unit

    parent = parent_unit(unit)
    if parent is None:
        return {}, 0
    siblings = [s for s in children_valid_in(parent, period) if s.pk != unit.pk]
    found: dict[int, dict[int, float]] = {}
    for unit_id, year, value in Outcome.objects.filter(
        indicator=indicator,
        unit__in=siblings,
        sex="total",
        period__in=[str(y) for y in years],
        value__isnull=False,
    ).values_list("unit_id", "period", "value"):
        found.setdefault(unit_id, {})[int(year)] = value
    with_values = [s for s in siblings if s.pk in found]
    shown = with_values[:MAX_SIBLINGS]
    return {s.name: found[s.pk] for s in shown}, len(with_values) - len(shown)


def _yearly_targets(indicator, unit, years) -> dict[int, float]:
    from styrkort.planning.models import Target

    out = {}
    for year, spec in Target.objects.filter(
        placement__indicator=indicator,
        placement__plan__unit=unit,
        year__in=years,
        is_long_term=False,
        unit=None,
    ).values_list("year", "spec"):
        if (spec or {}).get("kind") == "value" and spec.get("value") is not None:
            out[year] = spec["value"]
    return out


def indicator_context(indicator, unit, period, item=None) -> dict:
    """Template context for the comparisons of ``indicator`` on ``unit``'s page for
    ``period``: ``{"comparison": None}`` without a Kolada KPI."""
    comparison = for_indicator(indicator, unit.organisation, period.year)
    if comparison is None:
        return {"comparison": None}
    series = comparison.series()
    years = [row["year"] for row in series]
    own_name = area_name(comparison.own_area) if comparison.own_area else ""
    unit_name = _("%(unit)s, eget helårsutfall") % {"unit": unit.name}
    group_names = [g.name for g in comparison.groups]
    outcomes = _yearly_outcomes(indicator, unit, years)
    siblings, siblings_left = _sibling_outcomes(indicator, unit, period, years)
    targets = _yearly_targets(indicator, unit, years)
    names = [n for n in (own_name, _("Riket")) if n]
    names += group_names
    if outcomes:
        names.append(unit_name)
    names += list(siblings)
    if targets:
        names.append(_("Målvärde"))
    chart_rows, table = [], []
    for row in series:
        year = row["year"]
        values = {}
        if own_name:
            values[own_name] = row["own"]
        values[_("Riket")] = row["national"]
        for group in comparison.groups:
            values[group.name] = comparison.group_value(group, year)
        if outcomes:
            values[unit_name] = outcomes.get(year)
        for name, by_year in siblings.items():
            values[name] = by_year.get(year)
        if targets:
            values[_("Målvärde")] = targets.get(year)
        chart_rows.append({"year": year, "values": values})
        flags = {own_name: row["own_flag"], _("Riket"): row["national_flag"]}
        table.append(
            {
                "year": year,
                "cells": [
                    {"value": _fmt(values.get(n), indicator), "flag": flags.get(n, "")}
                    for n in names
                ],
            }
        )
    svg = comparison_chart_svg(
        chart_rows,
        names,
        title=_("Jämförelse med riket, %(kpi)s") % {"kpi": comparison.kpi},
        unit=indicator.unit,
    )
    ranking = [{**r, "text": _fmt(r["value"], indicator)} for r in comparison.ranking("total")]
    entries = comparison.entries()
    for entry in entries:
        entry["cells"] = [
            {
                "label": label,
                "value": _fmt(entry["values"][sex], indicator),
                "flag": entry["flags"][sex] or "",
            }
            for sex, label in SEX_LABELS
        ]
    return {
        "comparison": comparison,
        "comparison_entries": entries,
        "comparison_names": names,
        "comparison_table": table,
        "comparison_ranking": ranking,
        "comparison_regions": sum(1 for r in ranking if r["value"] is not None),
        "comparison_chart_uri": svg_data_uri(svg) if svg else "",
        "comparison_chart_alt": _chart_alt(indicator, comparison, names, table),
        "comparison_national": _fmt(comparison.national(), indicator),
        "comparison_siblings": list(siblings),
        "comparison_siblings_left": siblings_left,
        "comparison_reference": _reference(item, indicator),
    }


def _reference(item, indicator) -> dict | None:
    """The value a relative-to-others target was assessed against, and its year."""
    target = getattr(item, "target", None)
    if target is None or target.kind != "comparison" or not target.reference_period:
        return None
    spec = target.spec or {}
    others = _("jämförelsegruppen") if spec.get("reference") == "group" else _("riket")
    if spec.get("relation") == "top":
        others = _("regionerna")
    return {
        "others": others,
        "year": target.reference_period,
        "value": _fmt(target.reference_values.get("total"), indicator),
    }


def _chart_alt(indicator, comparison, names, table) -> str:
    if not table:
        return ""
    last = table[-1]
    parts = [f"{n}: {c['value']}" for n, c in zip(names, last["cells"], strict=True) if c["value"]]
    text = _("Diagram över %(name)s per år från %(first)s till %(last)s, jämfört med riket.") % {
        "name": indicator.name,
        "first": table[0]["year"],
        "last": last["year"],
    }
    return f"{text} {last['year']}: {'; '.join(parts)}." if parts else text
