"""What a report reads beyond the evaluation: values over earlier years (charts),
values per sub-unit and per site (breakdown tables), and the units' sites.

Built on the evaluation's own machinery (``followup.queries``): values per period are
derived by ``load_period_values`` (entered, or from finer periods) and rolled up the
tree by ``rollup_many`` with the indicator's aggregation; nothing here computes a
status or a trend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from styrkort.followup.evaluation import Obs, aggregate
from styrkort.followup.evaluation.sexes import SEXES
from styrkort.followup.queries import TreeEvaluation
from styrkort.followup.queries.outcomes import IndicatorRule, load_period_values
from styrkort.followup.queries.rollups import RollupRule, rollup_many
from styrkort.organisation.models import OrgUnit
from styrkort.periods import Period, year_period

__all__ = ["HistoryPoint", "UnitInfo", "history", "history_periods", "unit_infos"]


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    depth: int
    parent_id: int | None
    site: str | None


def unit_infos(tree: TreeEvaluation) -> dict[int, UnitInfo]:
    """The subtree's units with their parent and site (hospital), one query for sites."""
    snap = tree.snapshot
    sites = dict(
        OrgUnit.objects.filter(id__in=list(snap.units), site__isnull=False).values_list(
            "id", "site__name"
        )
    )
    return {
        uid: UnitInfo(
            uid, row.code, row.name, row.depth, snap.tree.parent_of.get(uid), sites.get(uid)
        )
        for uid, row in snap.units.items()
    }


def history_periods(period: Period, years: int = 8) -> list[Period]:
    """The periods a chart may show: for each of the ``years`` years before, the same
    period that year and the whole year (the chart prefers the same period), and the
    period itself."""
    out: list[Period] = []
    for y in range(period.year - years, period.year):
        same = Period(y, period.first_month, period.last_month)
        out.append(same)
        if not same.is_year:
            out.append(year_period(y))
    out.append(period)
    return out


@dataclass(frozen=True)
class HistoryPoint:
    period: str
    values: dict[str, float | None]


def history(
    tree: TreeEvaluation,
    unit_id: int,
    indicator_ids: Iterable[int],
    *,
    years: int = 8,
) -> dict[int, list[HistoryPoint]]:
    """Indicator id -> the unit's values (total, women, men) over earlier years, oldest
    first: the same period each year, else the whole year (labelled as such, as seed
    001's re-admissions chart mixes years with the current tertial), then the current
    period. Values are the unit's own, else rolled up from its valid sub-units."""
    snap = tree.snapshot
    period = snap.period
    ids = [i for i in indicator_ids if i in snap.indicators]
    if not ids:
        return {}
    periods = history_periods(period, years)
    rules = {
        i: IndicatorRule(
            snap.indicators[i].aggregation,
            snap.indicators[i].measure_type,
            snap.indicators[i].scale,
            snap.indicators[i].decimals,
        )
        for i in ids
    }
    root = snap.units[snap.root.id]
    loaded = load_period_values(rules, periods, root_path=root.path)
    roll_rules = {
        (i, sex): RollupRule(rules[i].aggregation, rules[i].scale, rules[i].decimals)
        for i in ids
        for sex in SEXES
    }
    by_period: dict[Period, dict[tuple[int, str], Obs | None]] = {}
    for p in periods:
        per_key = _by_key(loaded.get(p, {}))
        direct = {
            (i, sex): {u: pv.obs for u, pv in per_key.get((i, sex), {}).items()}
            for i in ids
            for sex in SEXES
        }
        valid = {u.id for u in snap.units.values() if u.valid_in(p)}
        rolled = rollup_many(direct, roll_rules, snap.tree, valid_units=valid)
        by_period[p] = {
            key: (rolled[key][unit_id].reported if unit_id in rolled[key] else None)
            for key in direct
        }
    out: dict[int, list[HistoryPoint]] = {}
    for i in ids:
        points = []
        for y in range(period.year - years, period.year):
            same = Period(y, period.first_month, period.last_month)
            chosen = same
            values = {s: _value(by_period[same].get((i, s))) for s in SEXES}
            if all(v is None for v in values.values()) and not same.is_year:
                chosen = year_period(y)
                values = {s: _value(by_period[chosen].get((i, s))) for s in SEXES}
            if any(v is not None for v in values.values()):
                points.append(HistoryPoint(chosen.canonical, values))
        values = {s: _value(by_period[period].get((i, s))) for s in SEXES}
        if any(v is not None for v in values.values()):
            points.append(HistoryPoint(period.canonical, values))
        out[i] = points
    return out


def _by_key(values: dict) -> dict:
    """(indicator, sex) -> unit -> value, whichever way round ``load_period_values``
    nests a period's values (by unit first, or by indicator and sex first)."""
    if not values:
        return {}
    first = next(iter(values))
    if isinstance(first, tuple):
        return values
    out: dict = {}
    for unit, by_key in values.items():
        for key, value in by_key.items():
            out.setdefault(key, {})[unit] = value
    return out


def _value(obs: Obs | None) -> float | None:
    return None if obs is None else obs.value


def reported(tree: TreeEvaluation, indicator_id: int, *, previous: bool = False) -> dict[int, Obs]:
    """Unit id -> the value each unit of the subtree reports for the indicator (its own,
    else rolled up from its sub-units), this period or last year's."""
    return {
        uid: node.reported
        for uid, node in tree.rollup(indicator_id, "total", previous=previous).items()
        if node.reported is not None and not node.reported.is_empty
    }


def own(tree: TreeEvaluation, indicator_id: int) -> dict[int, Obs]:
    """Unit id -> the value entered for the unit itself (not rolled up), this period."""
    return {
        uid: node.direct
        for uid, node in tree.rollup(indicator_id, "total").items()
        if node.direct is not None and not node.direct.is_empty
    }


def by_site(
    leaves: Sequence[tuple[UnitInfo, Obs]], aggregation: str, scale: float
) -> list[tuple[str, Obs | None]]:
    """The leaves' values added up per site (hospital), in name order, with the
    indicator's aggregation (ratios from summed numerators and denominators)."""
    groups: dict[str, list[Obs]] = {}
    for info, obs in leaves:
        if info.site:
            groups.setdefault(info.site, []).append(obs)
    return [
        (site, aggregate(obs, aggregation, scale=scale)) for site, obs in sorted(groups.items())
    ]
