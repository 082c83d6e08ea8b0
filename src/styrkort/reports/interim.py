"""The interim report (delårsrapport) and the annual report (årsrapport) of a unit, as
seed 001 prints them: introduction, production with year-over-year change and remote
share, accessibility, per perspective the goal tables with status and trend, each
indicator's analysis with its chart and breakdowns per sub-unit and per hospital,
the follow-up of the strategic actions, economy, and the legend of symbols.

Built on ``followup.queries.evaluate_tree`` (values, targets, statuses, trends,
roll-ups, reconciliation, goals, activities): this module only arranges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from styrkort.followup.evaluation import ratio_scale
from styrkort.followup.queries import evaluate_tree
from styrkort.io.numbers import format_number
from styrkort.periods import Period, parse_period
from styrkort.periods import period_text as _period_text
from styrkort.planning.models import Goal, Indicator

from . import charts
from .cells import outcome_cell, status_cell, target_cell, trend_cell
from .comparisons import comparison_blocks
from .data import by_site, history, own, reported, unit_infos
from .document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
    Text,
    change_cell,
    free_text_cell,
    number_cell,
    text_cell,
    value_cell,
)
from .economy import economy_blocks
from .interim_summary import activity_table, status_table
from .layout import layout_for
from .symbols import Symbols
from .tables import BreakdownRow, ProductionRow, breakdown_table, production_table, sex_ratio_table

__all__ = ["build_interim", "period_words"]


def period_words(period: Period) -> str:
    """``2022-DÅ04`` -> ``januari–april 2022``; a year -> ``2022`` (``periods.period_text``)."""
    return _period_text(period, "months")


#: Where a long header may break in a narrow column (U+00AD, a soft hyphen).
_SOFT_HYPHENS = {"Framgångsfaktor": "Framgångs\u00adfaktor", "Strategiskt mål": "Strategiskt mål"}


def _short(period_text: str) -> str:
    """A period label for columns and chart axes: ``2022-DÅ04`` -> ``DÅ04 2022``
    (``periods.period_text``, the form of tables)."""
    try:
        return _period_text(period_text, "label")
    except ValueError:
        return period_text


class InterimBuilder:
    def __init__(
        self,
        unit,
        period: Period,
        *,
        annual: bool,
        today,
        with_charts: bool,
        history_years: int,
        progress: Callable[[str], None] | None,
    ):
        self.unit = unit
        self.period = period
        self.annual = annual
        self.with_charts = with_charts
        self.history_years = history_years
        self.progress = progress or (lambda step: None)
        self.tree = evaluate_tree(unit, period, today=today, unplaced=True)
        self.ev = self.tree.unit(unit.id)
        self.symbols = Symbols(getattr(unit.organisation, "symbols", None))
        self.layout = layout_for(self.ev.organisation_code)
        self.goals = {g.goal_id: g for g in self.ev.goals}
        self.infos = unit_infos(self.tree)
        details = Goal.objects.filter(id__in=list(self.goals)).values_list(
            "id", "description", "planning_comment"
        )
        self.goal_text = {gid: (desc, comment) for gid, desc, comment in details}
        self.all_indicators = {i.code: i for i in (*self.ev.indicators, *self.ev.other_indicators)}
        ids = [i.indicator_id for i in self.all_indicators.values()]
        # history_years=0: no values over earlier years (the region's compiled report
        # prints the goal tables alone).
        self.history = (
            history(self.tree, unit.id, ids, years=history_years) if history_years else {}
        )
        self.labels = {
            pk: (num, den)
            for pk, num, den in Indicator.objects.filter(id__in=ids).values_list(
                "id", "numerator_label", "denominator_label"
            )
        }

    # --- structure ------------------------------------------------------------

    def build(self) -> Document:
        ev, period = self.ev, self.period
        kind = "Årsrapport" if self.annual else "Delårsrapport"
        doc = Document(
            _period_text(period, "report"),
            f"{ev.unit_name} – produktion och måluppfyllelse",
            meta={
                "Gäller för verksamhet": f"{ev.organisation_name}; {ev.unit_name}",
                "Period": _short(period.canonical)
                if period.is_year
                else f"{_short(period.canonical)} ({period_words(period)})",
                "Plan": ev.plan_name or "Ingen plan för perioden",
                "Utskriven": dt.date.today().isoformat(),
            },
        )
        doc.add(TableOfContents())
        doc.add(Heading("Inledning", 1))
        doc.add(
            Paragraph(
                f"I denna {kind.lower()} för {ev.unit_name} per {_period_text(period, 'end')} "
                "presenteras produktion och tillgänglighet samt mål och måluppfyllelse. "
                "Utfall jämförs med samma period föregående år. Måluppfyllelse och "
                "utveckling visas med symbol och text enligt teckenförklaringen."
            )
        )
        doc.add(self.symbols.legend())
        self.progress("summary")
        self._summary(doc)
        self.progress("production")
        self._production(doc)
        self.progress("goals")
        self._perspectives(doc)
        self.progress("activities")
        self._activities(doc)
        self._economy(doc)
        doc.add(*comparison_blocks(self.ev))  # after the seed-shaped tables
        return doc

    # --- summary: statuses per goal area, activities per status -------------------

    def _summary(self, doc: Document) -> None:
        items_label = self.layout.extra.get("items_label", "Styrmått")
        tables = [
            t
            for t in (
                status_table(self.ev, self.symbols, items_label=items_label),
                activity_table(self.ev, self.symbols),
            )
            if t is not None
        ]
        if tables:
            doc.add(Heading("Måluppfyllelse och aktiviteter i sammanfattning", 1), *tables)

    # --- production and accessibility ------------------------------------------

    def _production(self, doc: Document) -> None:
        tables, used = [], set()
        for spec in self.layout.production:
            rows = []
            for r in spec.rows:
                ind = self.all_indicators.get(r.indicator)
                if ind is None:
                    continue
                remote = self.all_indicators.get(r.remote) if r.remote else None
                used |= {r.indicator, r.remote}
                rows.append(
                    ProductionRow(
                        r.label,
                        ind.values["total"],
                        ind.previous_values["total"],
                        remote.values["total"] if remote else None,
                        remote.previous_values["total"] if remote else None,
                        level=r.level,
                    )
                )
            if rows:
                tables.append(
                    production_table(
                        rows,
                        current_label=_short(self.period.canonical),
                        previous_label=_short(self._previous_label()),
                        caption=spec.caption,
                        heading=spec.heading,
                        with_remote=spec.with_remote,
                    )
                )
        previous = self._previous_label()
        others = [i for i in self.ev.other_indicators if i.code not in used and i.has_data]
        if others:
            rows = [
                [
                    text_cell(i.name),
                    outcome_cell(i),
                    value_cell(i.previous_values["total"], i.unit, i.decimals),
                    change_cell(i.change_pct),
                ]
                for i in others
            ]
            tables.append(
                Table(
                    ["Mått", _short(self.period.canonical), _short(previous), "Förändring %"],
                    rows,
                    caption="Övriga mått",
                    name="Övriga mått",
                    widths=[5, 2, 2, 1.5],
                )
            )
        if not tables and not self.layout.accessibility:
            return
        doc.add(Heading("Produktion, tillgänglighet mm", 1))
        if tables:
            doc.add(Heading("Produktion", 2))
            doc.add(*tables)
            for code in sorted(used - {None}):
                ind = self.all_indicators.get(code)
                if ind is not None and ind.analysis:
                    doc.add(Text(ind.analysis))
        access = [
            self.all_indicators[c] for c in self.layout.accessibility if c in self.all_indicators
        ]
        if access:
            doc.add(Heading("Tillgänglighet", 2))
            if self.layout.accessibility_intro:
                doc.add(Paragraph(self.layout.accessibility_intro))
            for ind in access:
                doc.add(Heading(ind.name, 3))
                doc.add(self._values_table(ind))
                self._indicator_body(doc, ind, heading=False)

    def _previous_label(self) -> str:
        for ind in (*self.ev.indicators, *self.ev.other_indicators):
            return ind.previous_period
        return str(self.period.year - 1)

    def _values_table(self, ind) -> Table:
        return Table(
            [
                "Mål",
                "Periodens utfall",
                f"Utfall {ind.previous_period}",
                "Måluppfyllelse",
                "Utveckling",
            ],
            [
                [
                    target_cell(ind),
                    outcome_cell(ind),
                    value_cell(ind.previous_values["total"], ind.unit, ind.decimals),
                    status_cell(ind, self.symbols),
                    trend_cell(ind, self.symbols),
                ]
            ],
            name=ind.name[:28],
            widths=[1.5, 1.8, 1.6, 2.2, 2],
            row_headers=0,
        )

    # --- perspectives -----------------------------------------------------------

    def _ancestor(self, goal_id: int, level: int):
        goal = self.goals.get(goal_id)
        while goal is not None and goal.level > level:
            goal = self.goals.get(goal.parent_id)
        return goal if goal is not None and goal.level == level else None

    def _perspectives(self, doc: Document) -> None:
        if not self.ev.indicators:
            return
        doc.add(Heading("Måluppfyllelse i perspektiv", 1))
        plan_intro = self._plan_introduction()
        if plan_intro:
            doc.add(Text(plan_intro))
        access = set(self.layout.accessibility)
        for top in [g for g in self.ev.goals if g.level == 1]:
            inds = [i for i in self.ev.indicators if self._ancestor(i.goal_id, 1) is top]
            if not inds:
                continue
            doc.add(Heading(top.name, 2))
            description = self.goal_text.get(top.goal_id, ("", ""))[0]
            if description:
                doc.add(Text(description))
            self._goal_analyses(doc, [top])
            groups: dict[int, list] = {}
            for ind in inds:
                group = self._ancestor(ind.goal_id, 2) or top
                groups.setdefault(group.goal_id, []).append(ind)
            quiet = {i.code for i in inds if self._quiet(i)}
            for group_id, members in groups.items():
                doc.add(self._goal_table(self.goals[group_id], members))
                self._quiet_note(doc, [i for i in members if i.code in quiet])
                below = [self.goals[i.goal_id] for i in members]
                self._goal_analyses(doc, [self.goals[group_id], *below], skip={top.goal_id})
            shown_access = False
            for ind in inds:
                if ind.code in quiet:
                    continue
                if ind.code in access:
                    if not shown_access:
                        doc.add(Heading("Tillgänglighet", 3))
                        doc.add(
                            Paragraph(
                                "Se avsnittet Tillgänglighet under Produktion, tillgänglighet mm."
                            )
                        )
                        shown_access = True
                    continue
                self._indicator_body(doc, ind, heading=True)

    @staticmethod
    def _quiet(ind) -> bool:
        """An indicator with nothing to say but that it is not assessed (no values, no
        analysis): its reason is said once under its goal's table, not under a heading
        of its own (seed 002's 65 items whose colour the OCR lost)."""
        assessment = ind.assessments.get("total")
        return (
            not ind.has_data
            and not ind.analysis
            and assessment is not None
            and ind.status["total"] == "not_assessed"
        )

    def _quiet_note(self, doc: Document, inds) -> None:
        reasons: dict[str, int] = {}
        for ind in inds:
            reason = ind.assessments["total"].reason
            reasons[reason] = reasons.get(reason, 0) + 1
        symbol, label = self.symbols.status("not_assessed")
        for reason, n in reasons.items():
            what = self.layout.extra.get("items_label", "Styrmått").lower()
            doc.add(Text(reason, style="note", lead=f"{symbol} {label}, {n} {what}:"))

    def _goal_analyses(self, doc: Document, goals, skip=frozenset()) -> None:
        """The unit's analyses of `goals` for the period (saved on the goal follow-up
        page), each once, under the goal's table."""
        shown = set(skip)
        for goal in goals:
            if goal.goal_id in shown or not getattr(goal, "analysis", None):
                continue
            shown.add(goal.goal_id)
            lead = f"Analys av {goal.level_name.lower()} {goal.name}:"
            doc.add(Text(goal.analysis, lead=lead))

    def _plan_introduction(self) -> str:
        from styrkort.planning.models import Plan

        if self.ev.plan_id is None:
            return ""
        return (
            Plan.objects.filter(id=self.ev.plan_id).values_list("introduction", flat=True).first()
            or ""
        )

    def _goal_table(self, group, inds) -> Table:
        leaf_level = max((self.goals[i.goal_id].level for i in inds), default=3)
        factor_name = next(
            (
                self.goals[i.goal_id].level_name
                for i in inds
                if self.goals[i.goal_id].level == leaf_level
            ),
            "Mål",
        )
        rows = []
        for ind in inds:
            factor = self.goals[ind.goal_id]
            rows.append(
                [
                    text_cell(factor.name if factor.goal_id != group.goal_id else ""),
                    text_cell(ind.name),
                    target_cell(ind),
                    text_cell(ind.reporting_points),
                    outcome_cell(ind),
                    status_cell(ind, self.symbols),
                    trend_cell(ind, self.symbols),
                ]
            )
        return Table(
            [
                _SOFT_HYPHENS.get(factor_name, factor_name),
                "Styrmått",
                "Mål",
                "Uppfölj\u00adnings\u00adperiod",
                "Periodens utfall",
                "Mål\u00aduppfyllelse",
                "Utveck\u00adling",
            ],
            rows,
            caption=f"{group.level_name}: {group.name}",
            name=group.name[:28],
            widths=[2.7, 3.9, 1.9, 1.6, 1.7, 2.3, 2.0],
        )

    # --- one indicator ------------------------------------------------------------

    def _indicator_body(self, doc: Document, ind, *, heading: bool) -> None:
        if heading:
            doc.add(Heading(ind.name, 3))
        if ind.analysis:
            doc.add(Text(ind.analysis))
        assessment = ind.assessments.get("total")
        if assessment is not None:
            symbol, label = self.symbols.status(assessment.status)
            doc.add(Text(assessment.reason, style="note", lead=f"Bedömning: {symbol} {label}."))
        women, men = ind.obs.get("women"), ind.obs.get("men")
        if (
            ind.aggregation == "ratio"
            and women is not None
            and women.has_ratio
            and men is not None
            and men.has_ratio
        ):
            doc.add(
                sex_ratio_table(
                    women,
                    men,
                    unit=ind.unit,
                    decimals=ind.decimals,
                    numerator_label=self._label(ind, "numerator"),
                    denominator_label=self._label(ind, "denominator"),
                    caption=f"{self.ev.unit_name}: {ind.name} per kön",
                    name=f"{ind.name[:20]} kön",
                )
            )
        self._chart(doc, ind)
        self._breakdowns(doc, ind)
        for rec in ind.reconciliation:
            info = next((u for u in self.infos.values() if u.code == rec.unit_code), None)
            doc.add(
                Paragraph(
                    f"Avstämning: {info.name if info else rec.unit_code} har rapporterat "
                    f"{self._obs_text(rec.direct, ind)} men enheterna under ger tillsammans "
                    f"{self._obs_text(rec.rollup, ind)}.",
                    style="note",
                )
            )

    @staticmethod
    def _obs_text(obs, ind) -> str:
        text = value_cell(obs.value, ind.unit, max(ind.decimals, 1)).text
        if obs.numerator is not None and obs.denominator is not None:
            text += f" ({format_number(obs.numerator, 0)} av {format_number(obs.denominator, 0)})"
        return text

    def _label(self, ind, which: str) -> str:
        num, den = self.labels.get(ind.indicator_id, ("", ""))
        if which == "numerator":
            return num or "Täljare"
        return den or "Nämnare"

    def _chart(self, doc: Document, ind) -> None:
        points = self.history.get(ind.indicator_id, [])
        if len(points) < 2:
            return
        periods = [_short(p.period) for p in points]
        series = []
        for key, label in (("women", "Kvinnor"), ("men", "Män"), ("total", "Totalt")):
            values = [p.values.get(key) for p in points]
            if sum(v is not None for v in values) >= 1:
                series.append((label, values))
        if not series:
            return
        target = None
        spec = (ind.target.spec if ind.target else None) or {}
        if spec.get("kind") == "value" and isinstance(spec.get("value"), int | float):
            target = float(spec["value"])
        title = ind.name if len(ind.name) <= 70 else ind.name[:67] + "…"
        doc.add(
            Table(
                ["", *periods],
                [
                    [text_cell(label)] + [value_cell(v, ind.unit, ind.decimals) for v in values]
                    for label, values in series
                ],
                caption=f"{ind.name}, utfall över tid",
                name=f"{ind.name[:22]} tid",
            )
        )
        if self.with_charts:
            doc.add(
                Figure(
                    charts.line_chart(
                        title, periods, series, unit=ind.unit, target=target, decimals=ind.decimals
                    ),
                    charts.describe_series(
                        ind.name,
                        periods,
                        series,
                        unit=ind.unit,
                        target=target,
                        decimals=ind.decimals,
                    ),
                    caption=f"Diagram: {ind.name}",
                    values=tuple(v for _, vals in series for v in vals if v is not None),
                    counts=ind.unit == "st",
                )
            )

    def _breakdowns(self, doc: Document, ind) -> None:
        if ind.rollup is None or ind.rollup.from_units == 0:
            return
        root = self.unit.id
        current = reported(self.tree, ind.indicator_id)
        children = [u for u in self.infos.values() if u.parent_id == root]
        child_of = {}
        for info in self.infos.values():
            node = info
            while node is not None and node.parent_id not in (root, None):
                node = self.infos.get(node.parent_id)
            if node is not None and node.parent_id == root:
                child_of[info.id] = node
        name = ind.name
        common = dict(
            aggregation=ind.aggregation,
            unit=ind.unit,
            decimals=ind.decimals,
            numerator_label=self._label(ind, "numerator"),
            denominator_label=self._label(ind, "denominator"),
        )
        if ind.aggregation == "ratio":
            rows = [BreakdownRow((c.name,), (current[c.id],)) for c in children if c.id in current]
            if len(rows) > 1:
                doc.add(
                    breakdown_table(
                        rows,
                        label_columns=["Verksamhetsområde"],
                        periods=[_short(self.period.canonical)],
                        caption=f"{name} per verksamhetsområde",
                        name=f"{name[:20]} VO",
                        **common,
                    )
                )
            leaves = [
                (self.infos[uid], obs)
                for uid, obs in sorted(
                    own(self.tree, ind.indicator_id).items(), key=lambda kv: self._sort_key(kv[0])
                )
                if uid != root
                and not any(i.parent_id == uid and i.id in current for i in self.infos.values())
            ]
            if leaves and any(info.depth > self.infos[root].depth + 1 for info, _ in leaves):
                rows = [
                    BreakdownRow(
                        (
                            child_of[info.id].name if info.id in child_of else "",
                            info.site or info.name,
                        ),
                        (obs,),
                    )
                    for info, obs in leaves
                ]
                doc.add(
                    breakdown_table(
                        rows,
                        label_columns=["Verksamhetsområde", "Sjukhus"],
                        periods=[_short(self.period.canonical)],
                        caption=f"{name} per klinik",
                        name=f"{name[:20]} klinik",
                        total_label="Summa",
                        **common,
                    )
                )
            sites = by_site(leaves, ind.aggregation, ratio_scale(ind.unit))
            if len(sites) > 1:
                doc.add(
                    breakdown_table(
                        [BreakdownRow((s,), (o,)) for s, o in sites],
                        label_columns=["Sjukhus"],
                        periods=[_short(self.period.canonical)],
                        caption=f"{name} per sjukhus",
                        name=f"{name[:20]} sjukhus",
                        **common,
                    )
                )
        else:
            previous = reported(self.tree, ind.indicator_id, previous=True)
            rows = [
                BreakdownRow((c.name,), (previous.get(c.id), current.get(c.id)))
                for c in children
                if c.id in current or c.id in previous
            ]
            if rows:
                doc.add(
                    breakdown_table(
                        rows,
                        label_columns=["Verksamhetsområde"],
                        periods=[_short(ind.previous_period), _short(self.period.canonical)],
                        caption=f"{name} per verksamhetsområde",
                        name=f"{name[:20]} VO",
                        total_label="Totalt",
                        **common,
                    )
                )

    def _sort_key(self, uid: int):
        info = self.infos[uid]
        parent = self.infos.get(info.parent_id)
        return (parent.name if parent else "", info.site or "", info.name)

    # --- activities and economy -----------------------------------------------------

    def _activities(self, doc: Document) -> None:
        acts = self.ev.activities
        if not acts:
            return
        doc.add(Heading(f"Uppföljning av strategiska åtgärder, {self.ev.unit_name}", 1))
        counts = self.ev.activity_counts
        parts = [f"{n} {self.symbols.activity(k)[1].lower()}" for k, n in counts.items() if n]
        doc.add(Paragraph(f"{sum(counts.values())} åtgärder: " + ", ".join(parts) + "."))
        groups: dict[object, list] = {}
        for act in acts:
            goal = next((self.goals[g] for g in act.goal_ids if g in self.goals), None)
            top = self._ancestor(goal.goal_id, 1) if goal else None
            groups.setdefault(top.goal_id if top else None, []).append((goal, act))
        order = {g.goal_id: i for i, g in enumerate(self.ev.goals)}
        for top_id, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order))):
            title = self.goals[top_id].name if top_id else "Övriga åtgärder"
            # In number order, as seed 001 prints them; numbers that are not whole
            # numbers (an area's own actions, "26-IM") after the division's.
            items.sort(
                key=lambda ga: (
                    not ga[1].number.isdigit(),
                    int(ga[1].number) if ga[1].number.isdigit() else 0,
                    ga[1].number,
                )
            )
            doc.add(Heading(title, 2))
            rows = []
            for goal, act in items:
                target = f"{goal.level_name}: {goal.name}" if goal else ""
                comment = act.comment or ""
                if act.stale and act.stale_reason:
                    comment = (comment + "\n\n" if comment else "") + f"Obs: {act.stale_reason}"
                rows.append(
                    [
                        number_cell(int(act.number))
                        if act.number.isdigit()
                        else text_cell(act.number),
                        text_cell(target),
                        text_cell(act.name),
                        self.symbols.activity_cell(act.status),
                        free_text_cell(comment),
                    ]
                )
            doc.add(
                Table(
                    ["Nr", "Mål", "Åtgärd", "Status", "Kommentar"],
                    rows,
                    caption=f"Strategiska åtgärder: {title}",
                    name=f"Åtgärder {title}"[:28],
                    widths=[0.6, 3.5, 4.5, 2.2, 5.2],
                )
            )

    def _economy(self, doc: Document) -> None:
        blocks = economy_blocks(self.unit, self.period)
        if blocks:
            doc.add(Heading("Ekonomi", 1), *blocks)


def build_interim(
    unit,
    period: Period | str,
    *,
    annual: bool = False,
    today: dt.date | None = None,
    with_charts: bool = True,
    history_years: int = 8,
    progress: Callable[[str], None] | None = None,
) -> Document:
    """The interim (or, with ``annual``, the annual) report of ``unit`` for ``period``."""
    if isinstance(period, str):
        period = parse_period(period)
    return InterimBuilder(
        unit,
        period,
        annual=annual,
        today=today,
        with_charts=with_charts,
        history_years=history_years,
        progress=progress,
    ).build()
