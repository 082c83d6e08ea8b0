"""The operational plan (verksamhetsplan) of a unit, as seed 003 prints it: the political
direction, then per perspective the political goal, the unit's own goal with its
planning comment, the indicator table (target and long-term target) and the action
plans (description, background, konkretisering); the income statement and the risks of
the internal control when the economy and risk data exist."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db.models import Prefetch

from styrkort.planning.lookup import unit_plan
from styrkort.planning.models import Activity, Goal, Plan, PlanIndicator, Target

from .build import ReportError
from .document import (
    Cell,
    Document,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
    Text,
    text_cell,
    value_cell,
    written_cell,
)
from .economy import investment_tables, plan_economy_blocks, plan_frame_blocks, risk_blocks
from .symbols import footnote_mark

__all__ = ["build_plan", "plan_for"]

STATE_WORDS = {"draft": "Utkast", "adopted": "Fastställd", "archived": "Arkiverad"}


def plan_for(unit, year: int) -> Plan:
    """The unit's plan covering ``year`` (``planning.lookup.unit_plan``: the adopted one,
    else the latest)."""
    plan = unit_plan(unit, year)
    if plan is None:
        raise ReportError(f"{unit.name} ({unit.code}) har ingen plan som gäller {year}.")
    return plan


def _target_cell(target: Target | None, unit: str, decimals: int) -> Cell:
    """The target as the plan writes it ("max 2 %"), with its parsed number as the typed
    value (``written``: a spreadsheet keeps the words and puts the number beside them)."""
    if target is None:
        return text_cell("")
    spec = target.spec or {}
    if spec.get("kind") == "value" and isinstance(spec.get("value"), int | float):
        typed = value_cell(float(spec["value"]), spec.get("unit") or unit, decimals)
        return written_cell(target.text, typed)
    return text_cell(target.text)


def _long_term_cell(targets: list[Target], unit: str, decimals: int) -> Cell:
    long_term = [t for t in targets if t.is_long_term]
    if not long_term:
        return text_cell("")
    target = max(long_term, key=lambda t: t.year)
    cell = _target_cell(target, unit, decimals)
    year = f"{target.year}: " if target.year else ""
    if not cell.is_numeric:
        return text_cell(f"{year}{target.text}")
    return Cell(f"{year}{target.text}", cell.value, cell.kind, cell.decimals, written=True)


FOOTNOTE = re.compile(r"^\s*Fotnot\s+(\d+)\s*[:.]\s*", re.IGNORECASE)


def footnote(note: str, fallback: int) -> tuple[str, str]:
    """(marker, text) of a placement's note: "Fotnot 3: Uppdelat ..." keeps the plan's
    own number (³); other notes are numbered in order."""
    match = FOOTNOTE.match(note)
    number = int(match.group(1)) if match else fallback
    text = note[match.end() :] if match else note
    return footnote_mark(number), " ".join(text.split())


class PlanBuilder:
    def __init__(self, unit, year: int):
        self.unit = unit
        self.year = year
        self.plan = plan_for(unit, year)
        self.goals = list(Goal.objects.filter(plan=self.plan).order_by("level", "order", "id"))
        self.children: dict[int | None, list[Goal]] = defaultdict(list)
        for goal in self.goals:
            self.children[goal.parent_id].append(goal)
        self.footnotes: list[str] = []
        self.level_names = {lvl.level: lvl.name for lvl in self.plan.plan_model.levels.all()}
        placements = (
            PlanIndicator.objects.filter(plan=self.plan)
            .select_related("indicator")
            .prefetch_related(
                Prefetch("targets", queryset=Target.objects.filter(unit__isnull=True))
            )
            .order_by("order", "id")
        )
        self.placements: dict[int, list[PlanIndicator]] = defaultdict(list)
        for placement in placements:
            self.placements[placement.goal_id].append(placement)
        self.activities: dict[int, list[Activity]] = defaultdict(list)
        for activity in (
            Activity.objects.filter(plan=self.plan)
            .prefetch_related("goals")
            .order_by("order", "id")
        ):
            for goal in activity.goals.all():
                self.activities[goal.id].append(activity)

    def build(self) -> Document:
        plan, unit = self.plan, self.unit
        meta = {
            "Gäller för verksamhet": f"{unit.organisation.name}; {unit.name}",
            "Planperiod": str(plan.start_year)
            if plan.end_year in (None, plan.start_year)
            else f"{plan.start_year}–{plan.end_year}",
            "Status": STATE_WORDS.get(plan.state, plan.state),
            "Styrmodell": plan.plan_model.name,
            "Utskriven": dt.date.today().isoformat(),
        }
        if plan.decision_ref:
            meta["Beslut"] = plan.decision_ref
        doc = Document(plan.name, unit.name, meta=meta)
        doc.add(TableOfContents())
        if plan.vision:
            doc.add(Heading("Vision", 1), Text(plan.vision))
        if plan.introduction:
            doc.add(Heading("Politisk inriktning", 1), Text(plan.introduction))
        doc.add(Heading("Mål och handlingsplan", 1))
        for top in self.children[None]:
            self._goal(doc, top)
        statement = plan_economy_blocks(unit, plan.start_year, say_missing=False)
        frames = plan_frame_blocks(unit, plan.start_year, plan.end_year)
        investments = investment_tables(unit, plan.start_year)
        if statement or frames or investments:
            doc.add(Heading("Ekonomiska förutsättningar", 1))
        if statement:
            doc.add(Heading("Resultaträkning", 2), *statement)
        if frames:
            doc.add(Heading("Ramar", 2), *frames)
        if investments:
            doc.add(Heading(f"Investeringar {plan.start_year}", 2), *investments)
        risks = risk_blocks(unit, plan.start_year)
        if risks:
            doc.add(Heading("Internkontroll med risker", 1), *risks)
        return doc

    def _goal(self, doc: Document, goal: Goal) -> None:
        level_name = self.level_names.get(goal.level, "")
        if goal.level == 1:
            doc.add(Heading(goal.name, 2))
        elif goal.level == 2:
            doc.add(Heading(f"{level_name}: {goal.name}" if level_name else goal.name, 3))
        else:
            doc.add(Heading(f"{level_name}: {goal.name}" if level_name else goal.name, 4))
        if goal.description:
            doc.add(Text(goal.description))
        if goal.planning_comment:
            doc.add(Paragraph("Verksamhetens planeringskommentar", style="label"))
            doc.add(Text(goal.planning_comment))
        placements = self.placements.get(goal.id, [])
        if placements:
            doc.add(self._indicator_table(goal, placements))
        activities = self.activities.get(goal.id, [])
        if activities:
            doc.add(Paragraph("Handlingsplan", style="label"))
            for activity in activities:
                doc.add(Heading(activity.name, 4))
                for label, text in (
                    ("Beskrivning", activity.description),
                    ("Bakgrund till aktiviteten", activity.background),
                    ("Konkretisering", activity.concretisation),
                ):
                    if text:
                        doc.add(Paragraph(label, style="label"), Text(text))
        for child in self.children.get(goal.id, []):
            self._goal(doc, child)

    def _indicator_table(self, goal: Goal, placements: list[PlanIndicator]) -> Table:
        """The plan's indicator table in the seeds' order: indicator (styrmått), baseline,
        the target of each year of the plan, the long-term target with its year, source
        and reporting points; the placements' notes as numbered footnotes."""
        plan = self.plan
        targets = {p.pk: list(p.targets.all()) for p in placements}
        years = sorted(
            {
                t.year
                for ts in targets.values()
                for t in ts
                if not t.is_long_term and plan.start_year <= t.year <= (plan.end_year or t.year)
            }
        ) or [self.year]
        with_baseline = any(p.baseline_text for p in placements)
        with_long_term = any(t.is_long_term for ts in targets.values() for t in ts)
        with_source = any(p.indicator.source for p in placements)
        with_points = any(p.reporting_points or p.indicator.reporting_points for p in placements)
        steering = all(p.indicator.kind == "steering" for p in placements) and len(years) > 1
        columns = ["Styrmått" if steering else "Indikator"]
        widths = [6.0]
        if with_baseline:
            columns.append("Ingångsvärde")
            widths.append(2.4)
        columns += [f"Mål {y}" if len(years) > 1 else f"Målvärde {y}" for y in years]
        widths += [2.0] * len(years)
        if with_long_term:
            columns.append("Långsiktigt målvärde")
            widths.append(2.2)
        if with_source:
            columns.append("Källa")
            widths.append(2.6)  # "Medarbetarenkäten" on one line
        if with_points:
            columns.append("Period")
            widths.append(1.6)
        rows, notes = [], []
        for placement in placements:
            ind = placement.indicator
            name = ind.name
            if placement.note:
                marker, text = footnote(placement.note, len(self.footnotes) + 1)
                self.footnotes.append(marker)
                notes.append(f"{marker} {text}")
                name = f"{name} {marker}"
            row = [text_cell(name)]
            if with_baseline:
                row.append(text_cell(placement.baseline_text))
            for year in years:
                current = next(
                    (t for t in targets[placement.pk] if not t.is_long_term and t.year == year),
                    None,
                )
                row.append(_target_cell(current, ind.unit, ind.decimals))
            if with_long_term:
                row.append(_long_term_cell(targets[placement.pk], ind.unit, ind.decimals))
            if with_source:
                row.append(text_cell(ind.source))
            if with_points:
                row.append(text_cell(placement.reporting_points or ind.reporting_points))
            rows.append(row)
        return Table(
            columns,
            rows,
            caption=f"Indikatorer: {goal.name}",
            name=f"Indikatorer {goal.code or goal.id}"[:28],
            widths=widths,
            note="\n".join(notes),
        )


def build_plan(unit, year: int, *, with_charts: bool = True) -> Document:
    """The plan of ``unit`` covering ``year`` as a ``Document``."""
    return PlanBuilder(unit, year).build()
