"""Reading comparison values for an indicator: the year a period compares with, the
entries of ``evaluate --json``'s ``comparisons``, the regions' ranking and the series
for the chart, and the facts a comparison target is assessed against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from styrkort.followup.evaluation.comparison import ComparisonFacts, rank_among
from styrkort.followup.evaluation.direction import direction_sign

from .areas import NATIONAL, REGIONS, area_name

SEXES = ("total", "women", "men")
SOURCE = "Kolada"
EXAMPLE_SOURCE = "Kolada (exempelvärden, inte publicerade siffror)"


@dataclass(frozen=True)
class Cell:
    value: float | None
    status: str
    example: bool


@dataclass
class KpiValues:
    """Every stored value of one KPI: (area, year, sex) -> Cell."""

    kpi: str
    cells: dict[tuple[str, int, str], Cell] = field(default_factory=dict)

    def years(self) -> list[int]:
        return sorted({year for _area, year, _sex in self.cells})

    def year_for(self, year: int) -> int | None:
        """The latest year with values that is not after ``year``."""
        found = [y for y in self.years() if y <= year]
        return found[-1] if found else None

    def get(self, area: str, year: int | None, sex: str = "total") -> Cell | None:
        return None if year is None else self.cells.get((area, year, sex))

    def value(self, area: str, year: int | None, sex: str = "total") -> float | None:
        cell = self.get(area, year, sex)
        return None if cell is None else cell.value


def load_kpis(kpis: Iterable[str]) -> dict[str, KpiValues]:
    """The stored values of the KPIs, in one query."""
    from .models import ComparisonValue

    kpis = sorted({k for k in kpis if k})
    out = {k: KpiValues(k) for k in kpis}
    if not kpis:
        return out
    from styrkort.followup.queries.compiled import Many, rows

    found = rows(
        ("kolada_values",),
        lambda kpis: ComparisonValue.objects.filter(source="kolada", kpi__in=kpis).values_list(
            "kpi", "area", "year", "sex", "value", "status", "example"
        ),
        kpis=Many(kpis, str),
    )
    for kpi, area, year, sex, value, status, example in found:
        out[kpi].cells[(area, year, sex)] = Cell(value, status, example)
    return out


@dataclass
class Group:
    name: str
    areas: tuple[str, ...]


@dataclass
class IndicatorComparison:
    """One indicator's comparisons for a period: the KPI, the year compared with (the
    latest published year not after the period's), the organisation's own area, riket
    and the comparison groups."""

    kpi: str
    period_year: int
    year: int | None
    own_area: str
    direction: str
    values: KpiValues
    groups: list[Group] = field(default_factory=list)

    @property
    def example(self) -> bool:
        return any(c.example for c in self.values.cells.values())

    @property
    def source(self) -> str:
        return EXAMPLE_SOURCE if self.example else SOURCE

    def _entry(self, area: str, name: str, year: int | None) -> dict[str, Any]:
        values, flags = {}, {}
        for sex in SEXES:
            cell = self.values.get(area, year, sex)
            values[sex] = None if cell is None else cell.value
            flags[sex] = None if cell is None else (cell.status or None)
        return {
            "source": self.source,
            "kpi": self.kpi,
            "area": area,
            "area_name": name,
            "period": year,
            "values": values,
            "flags": flags,
        }

    def group_value(self, group: Group, year: int | None, sex: str = "total") -> float | None:
        """The mean of the group's areas that have a value (None when none has)."""
        known = [v for a in group.areas if (v := self.values.value(a, year, sex)) is not None]
        return sum(known) / len(known) if known else None

    def _group_entry(self, group: Group, year: int | None) -> dict[str, Any]:
        values, flags = {}, {}
        for sex in SEXES:
            values[sex] = self.group_value(group, year, sex)
            missing = sum(1 for a in group.areas if self.values.value(a, year, sex) is None)
            known = values[sex] is not None
            flags[sex] = f"{missing} område saknar värde" if known and missing else None
        return {
            "source": self.source,
            "kpi": self.kpi,
            "area": ",".join(group.areas),
            "area_name": group.name,
            "period": year,
            "values": values,
            "flags": flags,
        }

    def entries(self) -> list[dict[str, Any]]:
        """``evaluate --json``'s ``comparisons``: own area, riket, then the groups."""
        out = []
        if self.own_area and self.own_area != NATIONAL:
            out.append(self._entry(self.own_area, area_name(self.own_area), self.year))
        out.append(self._entry(NATIONAL, area_name(NATIONAL), self.year))
        out.extend(self._group_entry(g, self.year) for g in self.groups)
        return out

    def reference(self, spec: dict, sex: str = "total", year: int | None = None) -> float | None:
        """The value a comparison target (``spec``) is held against: riket's, or the first
        comparison group's mean, in ``year`` (default: the year compared with)."""
        year = self.year if year is None else year
        if spec.get("reference") == "group" and self.groups:
            return self.group_value(self.groups[0], year, sex)
        return self.values.value(NATIONAL, year, sex)

    def facts(self, spec: dict, sex: str = "total") -> ComparisonFacts:
        """What a comparison target (``spec``) is assessed against, for ``sex``."""
        baseline_year = spec.get("reference_year")
        if spec.get("relation") == "gap" and baseline_year is None and self.year:
            baseline_year = self.year - 1
        base_ref = None if baseline_year is None else self.reference(spec, sex, baseline_year)
        return ComparisonFacts(
            year=self.year,
            reference=self.reference(spec, sex),
            regions={
                a: v for a in REGIONS if (v := self.values.value(a, self.year, sex)) is not None
            },
            own_area=self.own_area or None,
            baseline_year=baseline_year,
            baseline_value=self.values.value(self.own_area, baseline_year, sex),
            baseline_reference=base_ref,
        )

    def ranking(self, sex: str = "total") -> list[dict[str, Any]]:
        """The 21 regions by their value in the year, best first (by the indicator's
        direction; without one, highest first), ties sharing a place; a region without
        a value that year comes last, marked missing."""
        sign = direction_sign(self.direction) or 1
        rows, missing = [], []
        for area, name in REGIONS.items():
            cell = self.values.get(area, self.year, sex)
            if cell is None or cell.value is None:
                missing.append(
                    {"area": area, "name": name, "value": None, "flag": cell.status if cell else "",
                     "place": None, "own": area == self.own_area}
                )  # fmt: skip
                continue
            rows.append(
                {"area": area, "name": name, "value": cell.value, "flag": cell.status,
                 "place": None, "own": area == self.own_area}
            )  # fmt: skip
        values = {r["area"]: r["value"] for r in rows}
        for row in rows:
            others = {a: v for a, v in values.items() if a != row["area"]}
            if self.direction in ("higher", "lower"):
                row["place"] = rank_among(row["value"], others, self.direction)
            else:
                row["place"] = 1 + sum(1 for v in others.values() if v > row["value"])
        rows.sort(key=lambda r: (r["place"], -sign * r["value"], r["name"]))
        return rows + missing

    def national(self, sex: str = "total") -> float | None:
        return self.values.value(NATIONAL, self.year, sex)

    def series(self) -> list[dict[str, Any]]:
        """Per published year up to the period's: the own area's and riket's totals,
        with Kolada's value status."""
        out = []
        for year in self.values.years():
            if year > self.period_year:
                continue
            own = self.values.get(self.own_area, year) if self.own_area else None
            nat = self.values.get(NATIONAL, year)
            out.append(
                {
                    "year": year,
                    "own": None if own is None else own.value,
                    "own_flag": "" if own is None else own.status,
                    "national": None if nat is None else nat.value,
                    "national_flag": "" if nat is None else nat.status,
                }
            )
        return out


def _groups(organisation) -> list[Group]:
    from .models import ComparisonGroup

    return [
        Group(g.name, tuple(str(a) for a in g.areas or []))
        for g in ComparisonGroup.objects.filter(organisation=organisation)
    ]


def for_indicators(
    organisation, indicators: Iterable[tuple[int, str, str]], period_year: int
) -> dict[int, IndicatorComparison]:
    """Comparisons of the indicators ``(id, kolada_kpi, direction)`` with a KPI, for an
    organisation and the period's year; two queries whatever their number."""
    indicators = [(i, k, d) for i, k, d in indicators if k]
    if not indicators:
        return {}
    values = load_kpis(k for _i, k, _d in indicators)
    groups = _groups(organisation)
    out = {}
    for ind_id, kpi, direction in indicators:
        kv = values[kpi]
        out[ind_id] = IndicatorComparison(
            kpi=kpi,
            period_year=period_year,
            year=kv.year_for(period_year),
            own_area=organisation.kolada_area or "",
            direction=direction,
            values=kv,
            groups=groups,
        )
    return out


def for_indicator(indicator, organisation, period_year: int) -> IndicatorComparison | None:
    if not indicator.kolada_kpi:
        return None
    found = for_indicators(
        organisation, [(indicator.id, indicator.kolada_kpi, indicator.direction)], period_year
    )
    return found.get(indicator.id)
