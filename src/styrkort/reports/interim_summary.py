"""The interim report's summary tables, as seed 002 prints them: per goal area the
status counts of its goals and of its indicators (kortsiktiga nyckeltal and uppdrag),
the area's combined status and how many items it rests on; and the activities by
status with the count whose status has gone stale.

Pure arrangement of a ``UnitEvaluation`` (``followup.queries``): nothing is computed
here that the evaluation does not hold.
"""

from __future__ import annotations

from styrkort.followup.evaluation.goals import ACTIVITY_ORDER
from styrkort.followup.evaluation.status import STATUS_ORDER

from .document import Table, count_cell, text_cell
from .symbols import Symbols

__all__ = ["ACTIVITY_ORDER", "STATUS_ORDER", "activity_table", "status_table"]

#: Where a header may break in a narrow column of a document (U+00AD, a soft hyphen; the
#: spreadsheet and the screen drop it).
_BREAKS = {
    "Uppfyllt": "Upp\u00adfyllt",
    "uppfyllt": "upp\u00adfyllt",
    "bedömt": "be\u00addömt",
    "Försenad": "För\u00adsenad",
    "Planerad": "Plane\u00adrad",
    "Avbruten": "Av\u00adbruten",
    "rapporterad": "rappor\u00adterad",
    "saknas": "sak\u00adnas",
}


def _header(symbol: str, words: str) -> str:
    words = " ".join(_BREAKS.get(w, w) for w in words.split())
    return f"{symbol} {words}".strip()


def _area_of(goals: dict, goal_id: int | None):
    goal = goals.get(goal_id)
    while goal is not None and goal.level > 1:
        goal = goals.get(goal.parent_id)
    return goal


def _basis(goal) -> str:
    basis = getattr(goal, "basis", None)
    return f"{basis.assessed} av {basis.total}" if basis is not None and basis.total else ""


def status_table(ev, symbols: Symbols, *, items_label: str = "Styrmått") -> Table | None:
    """Per goal area (level 1): a row for the goals under it (each level below) and a row
    for its indicators, each with the count per status; on the area's first row its
    combined status and its basis (``4 av 37``: of the indicators and activities under
    it, how many have an assessed status); a ``Sammanställning`` per row kind."""
    goals = {g.goal_id: g for g in ev.goals}
    areas = [g for g in ev.goals if g.level == 1]
    if not areas:
        return None
    area_word = areas[0].level_name
    rows, totals = [], {}
    assessed_all = items_all = 0
    for area in areas:
        by_level: dict[tuple[int, str], list[str]] = {}
        for g in ev.goals:
            if g.level > 1 and _area_of(goals, g.goal_id) is area:
                by_level.setdefault((g.level, g.level_name), []).append(g.status)
        kinds = [
            (name, {s: statuses.count(s) for s in STATUS_ORDER})
            for (_, name), statuses in sorted(by_level.items())
        ]
        kinds.append((items_label, {s: area.counts.get(s, 0) for s in STATUS_ORDER}))
        if area.basis is not None:
            assessed_all += area.basis.assessed
            items_all += area.basis.total
        for i, (kind, counts) in enumerate(kinds):
            rows.append(
                [
                    text_cell(area.name if i == 0 else ""),
                    text_cell(kind),
                    count_cell(sum(counts.values())),
                    *(count_cell(counts[s]) for s in STATUS_ORDER),
                    symbols.status_cell(area.status) if i == 0 else text_cell(""),
                    text_cell(_basis(area) if i == 0 else ""),
                ]
            )
            total = totals.setdefault(kind, dict.fromkeys(STATUS_ORDER, 0))
            for s in STATUS_ORDER:
                total[s] += counts[s]
    total_rows = []
    basis_all = f"{assessed_all} av {items_all}" if items_all else ""
    for i, (kind, counts) in enumerate(totals.items()):
        total_rows.append(
            [
                text_cell("Sammanställning" if i == 0 else "", bold=True),
                text_cell(kind, bold=True),
                count_cell(sum(counts.values()), bold=True),
                *(count_cell(counts[s], bold=True) for s in STATUS_ORDER),
                text_cell(""),
                text_cell(basis_all if i == 0 else "", bold=True),
            ]
        )
    return Table(
        [
            area_word,
            "Slag",
            "Antal",
            *(_header(*symbols.status(s)) for s in STATUS_ORDER),
            "Samman\u00advägd status",
            "Bygger på",
        ],
        rows + total_rows,
        caption=f"Status per {area_word.lower()}",
        name="Status per område",
        widths=[3.2, 2.4, 1.2, 1.25, 1.25, 1.25, 1.25, 1.25, 1.8, 1.5],
        row_headers=2,
        note=(
            f"Antal per status. Sammanvägd status: statusen för varje {area_word.lower()}, "
            "beräknad från allt under det. Bygger på: hur många av posterna under det "
            f"({items_label.lower()} och aktiviteter) som har en bedömd status (uppfyllt, "
            "delvis uppfyllt eller ej uppfyllt)."
        ),
    )


def activity_table(ev, symbols: Symbols) -> Table | None:
    """The activities by status, per goal area for those linked to a goal, a row for
    those counted only as a whole (``ActivitySummary``), a total row, and how many
    activities have a stale status."""
    counts_all = {k: ev.activity_counts.get(k, 0) for k in ACTIVITY_ORDER}
    if not sum(counts_all.values()):
        return None
    goals = {g.goal_id: g for g in ev.goals}
    groups: dict[str, dict] = {g.name: None for g in ev.goals if g.level == 1}
    for act in ev.activities:
        area = next((_area_of(goals, g) for g in act.goal_ids if g in goals), None)
        name = area.name if area is not None else "Utan koppling till mål"
        group = groups.get(name) or {"counts": dict.fromkeys(ACTIVITY_ORDER, 0), "stale": 0}
        groups[name] = group
        group["counts"][act.status if act.status in ACTIVITY_ORDER else "not_reported"] += 1
        group["stale"] += bool(act.stale)
    groups = {name: g for name, g in groups.items() if g is not None}
    rows = [
        [
            text_cell(name),
            *(count_cell(g["counts"][k]) for k in ACTIVITY_ORDER),
            count_cell(sum(g["counts"].values())),
            count_cell(g["stale"]),
        ]
        for name, g in groups.items()
    ]
    summary = {
        k: counts_all[k] - sum(g["counts"][k] for g in groups.values()) for k in ACTIVITY_ORDER
    }
    note = ""
    if sum(summary.values()) > 0:
        rows.append(
            [
                text_cell("Rapporterade som antal"),
                *(count_cell(summary[k]) for k in ACTIVITY_ORDER),
                count_cell(sum(summary.values())),
                text_cell("uppgift saknas"),
            ]
        )
        note = (
            "Aktiviteter rapporterade bara som antal per status: om en status är "
            "inaktuell går inte att se för de enskilda aktiviteterna."
        )
    stale = len(ev.stale_activities)
    total = [
        text_cell("Totalt", bold=True),
        *(count_cell(counts_all[k], bold=True) for k in ACTIVITY_ORDER),
        count_cell(sum(counts_all.values()), bold=True),
        count_cell(stale, bold=True) if ev.activities else text_cell("uppgift saknas", bold=True),
    ]
    return Table(
        [
            "Del",
            *(_header(*symbols.activity(k)) for k in ACTIVITY_ORDER),
            "Totalt",
            "Varav inaktuell status",
        ],
        rows,
        caption="Aktiviteter per status",
        name="Aktiviteter per status",
        total=total,
        widths=[2.6, 1.4, 1.6, 1.5, 1.5, 1.5, 1.8, 1.3, 1.8],
        note=note,
    )
