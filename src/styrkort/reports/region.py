"""The region's own report compiled from its units: the board's delårsrapport (a
reporting point) or årsrapport (the year), assembled from the approved content of the
reporting round.

Chapters, in order: the reporting (every unit of the round with its state, and the
states counted); the region's scorecard (the top unit's goal tables with the values
rolled up from the units, ``InterimBuilder``'s own tables); the goal attainment per
division (status counts of indicators and activities across the units); one chapter
per division with its analyses and those of its approved units; the economy (income
statement with forecast, the balanced-budget result); the internal control's results
of the period.

Only approved submissions count: the analyses, activity comments and control results
of a unit whose submission is not approved (or excused) are left out, and the list of
units says so. The numbers are the evaluation's roll-ups of what the units reported.
A region without a round for the period has no compiled report (``ReportError``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

from styrkort.followup.evaluation.goals import ACTIVITY_ORDER
from styrkort.followup.evaluation.status import STATUS_ORDER
from styrkort.io.numbers import format_number
from styrkort.periods import Period, parse_period, period_text

from .document import (
    Document,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
    Text,
    count_cell,
    free_text_cell,
    text_cell,
)
from .economy import economy_blocks
from .interim import InterimBuilder

__all__ = ["build_region", "region_root"]

#: Submission states printed, in the order of the round's pages (``rounds.rules``).
STATE_ORDER = ("approved", "excused", "ready", "in_progress", "returned", "not_started")
#: Counted in running text ("25 godkända", "2 försenade"): the plural of the labels.
STATE_PLURAL = {
    "approved": "godkända",
    "excused": "undantagna",
    "ready": "klarmarkerade",
    "in_progress": "pågår",
    "returned": "återsända",
    "not_started": "ej påbörjade",
}
ACTIVITY_PLURAL = {
    "done": "klara",
    "on_track": "pågår enligt plan",
    "delayed": "försenade",
    "planned": "planerade",
    "cancelled": "avbrutna",
    "not_reported": "ej rapporterade",
}


def _error(message: str):
    from .build import ReportError

    return ReportError(message)


def region_root(unit):
    """The organisation's top unit (the region), which the compiled report is made for;
    a ``ReportError`` naming it when ``unit`` is another unit."""
    from styrkort.rounds.services import top_unit

    top = top_unit(unit.organisation)  # the organisation has a unit: ``unit``
    if top.pk != unit.pk:
        raise _error(
            f"Den sammanställda rapporten görs för hela regionen: välj {top.name} "
            f"({top.code}), inte {unit.name}."
        )
    return top


def _deadline(period: Period) -> dt.date:
    """Two months after the period's end (kommunallagen 11 kap. 16 §)."""
    end = period.end
    month = end.month + 2
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    import calendar

    return dt.date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


class RegionBuilder:
    def __init__(
        self,
        root,
        period: Period,
        *,
        annual: bool,
        today,
        with_charts: bool,
        progress: Callable[[str], None] | None,
    ):
        from styrkort.rounds.due import overview
        from styrkort.rounds.models import ReportingRound
        from styrkort.rounds.rules import APPROVED, EXCUSED, STATE_LABELS, STATE_SYMBOLS

        self.root = root
        self.period = period
        self.annual = annual
        self.progress = progress or (lambda step: None)
        self.round = ReportingRound.objects.filter(
            organisation_id=root.organisation_id, period=period.canonical
        ).first()
        if self.round is None:
            raise _error(
                f"{root.organisation.name} har inget uppföljningstillfälle för "
                f"{period_text(period)}: den sammanställda rapporten byggs av det som "
                f"enheterna lämnat in och fått godkänt. Öppna tillfället med "
                f"'styrkort round open --org {root.organisation.code} --period "
                f"{period.canonical}'."
            )
        self.progress("inrapporteringen")
        self.units = overview(self.round, today=today)
        self.state_labels = {k: str(v) for k, v in STATE_LABELS.items()}
        self.state_symbols = STATE_SYMBOLS
        self.approved = {u.unit_id for u in self.units if u.state in (APPROVED, EXCUSED)}
        self.progress("regionens styrkort")
        # The region's evaluation (one load of the whole tree); its tables are the
        # interim report's own.
        self.interim = InterimBuilder(
            root,
            period,
            annual=annual,
            today=today,
            with_charts=with_charts,
            history_years=0,
            progress=None,
        )
        self.tree = self.interim.tree
        self.ev = self.interim.ev
        self.symbols = self.interim.symbols
        depth = root.depth + 1
        self.divisions = [u for u in self.units if u.depth == depth]
        self._evaluations: dict[int, object] = {}

    def evaluation(self, unit_id: int):
        """A unit's evaluation from the region's one load (each evaluated once)."""
        if unit_id not in self._evaluations:
            self._evaluations[unit_id] = self.tree.unit(unit_id)
        return self._evaluations[unit_id]

    # --- structure -------------------------------------------------------------

    def build(self) -> Document:
        period, root = self.period, self.root
        title = period_text(period, "report")
        doc = Document(
            title,
            f"{root.name} – sammanställd från enheternas godkända rapporter",
            meta={
                "Organisation": root.organisation.name,
                "Period": f"{period_text(period)} ({period_text(period, 'months')})",
                "Uppföljningstillfälle": self._round_words(),
                "Plan": self.ev.plan_name or "Ingen plan för perioden",
                "Utskriven": dt.date.today().isoformat(),
            },
        )
        doc.add(TableOfContents())
        self._introduction(doc)
        self._reporting(doc)
        self.progress("måluppfyllelse")
        self._scorecard(doc)
        self._counts(doc)
        self.progress("divisionernas analyser")
        self._divisions(doc)
        self.progress("ekonomi")
        self._economy(doc)
        self._internal_control(doc)
        return doc

    def _round_words(self) -> str:
        state = "stängt" if self.round.state == "closed" else "öppet"
        approved = sum(1 for u in self.units if u.unit_id in self.approved)
        return f"{state}; {approved} av {len(self.units)} enheter godkända eller undantagna"

    def _introduction(self, doc: Document) -> None:
        kind = "årsrapport" if self.annual else "delårsrapport"
        doc.add(Heading("Inledning", 1))
        approved = sum(1 for u in self.units if u.unit_id in self.approved)
        doc.add(
            Paragraph(
                f"Denna {kind} för {self.root.name} per {period_text(self.period, 'end')} "
                f"är sammanställd ur enheternas rapporter i uppföljningstillfället "
                f"{period_text(self.period)}. Bara godkänt innehåll ingår: "
                f"{approved} av {len(self.units)} enheter är godkända eller undantagna. "
                "Regionens styrkort visar utfallen summerade från enheterna; varje division "
                "har sitt eget kapitel med sina analyser."
            )
        )
        pending = len(self.units) - approved
        if pending:
            # The figures are roll-ups of everything the units have entered: leaving a unit
            # out would make the region's totals wrong, so the report says it is preliminary.
            doc.add(
                Paragraph(
                    f"Preliminär: {pending} {'enhet är' if pending == 1 else 'enheter är'} "
                    "ännu inte godkända. Deras utfall ingår i regionens summerade värden men "
                    "kan ändras; deras analyser och kontrollresultat ingår inte.",
                    style="note",
                )
            )
        if not self.annual:
            doc.add(
                Paragraph(
                    "Delårsrapporten ska nå fullmäktige och revisorerna senast två månader "
                    f"efter periodens slut (kommunallagen 11 kap. 16 §): "
                    f"{_deadline(self.period).isoformat()}.",
                    style="note",
                )
            )

    # --- the reporting ------------------------------------------------------------

    def _state_cell(self, state: str):
        return text_cell(f"{self.state_symbols[state]} {self.state_labels[state]}")

    def _reporting(self, doc: Document) -> None:
        doc.add(Heading("Inrapportering", 1))
        counts = Counter(u.state for u in self.units)
        parts = [
            f"{counts[s]} {STATE_PLURAL[s] if counts[s] != 1 else self.state_labels[s].lower()}"
            for s in STATE_ORDER
            if counts[s]
        ]
        doc.add(Paragraph(f"{len(self.units)} enheter i tillfället: " + ", ".join(parts) + "."))
        doc.add(
            Table(
                ["Status", "Enheter"],
                [[self._state_cell(s), count_cell(counts[s])] for s in STATE_ORDER if counts[s]],
                caption=f"Enheternas status {period_text(self.period)}",
                name="Status per enhet",
                total=[text_cell("Totalt", bold=True), count_cell(len(self.units), bold=True)],
                widths=[3, 1.2],
            )
        )
        rows = []
        base = self.root.depth
        for u in self.units:
            rows.append(
                [
                    text_cell("\u2003" * (u.depth - base) + u.name),
                    text_cell(u.code),
                    self._state_cell(u.state),
                    text_cell(u.approved_by or ""),
                    text_cell(_date(u.approved_at)),
                ]
            )
        doc.add(
            Table(
                ["Enhet", "Kod", "Status", "Godkänd av", "Godkänd"],
                rows,
                caption="Enheternas inrapportering",
                name="Enheter",
                widths=[5, 2.4, 2.4, 2.4, 1.8],
            )
        )

    # --- the region's scorecard ------------------------------------------------------

    def _scorecard(self, doc: Document) -> None:
        ib, ev = self.interim, self.ev
        doc.add(Heading(f"Regionens styrkort, {ev.plan_name or self.root.name}", 1))
        counts = ev.status_counts()
        doc.add(Paragraph(self._status_sentence(counts, len(ev.indicators))))
        if not ev.indicators:
            doc.add(Paragraph("Regionens plan placerar inga styrmått för perioden."))
            return
        for top in [g for g in ev.goals if g.level == 1]:
            inds = [i for i in ev.indicators if ib._ancestor(i.goal_id, 1) is top]
            if not inds:
                continue
            doc.add(Heading(top.name, 2))
            groups: dict[int, list] = {}
            for ind in inds:
                group = ib._ancestor(ind.goal_id, 2) or top
                groups.setdefault(group.goal_id, []).append(ind)
            for group_id, members in groups.items():
                doc.add(ib._goal_table(ib.goals[group_id], members))
            for goal in [top, *(ib.goals[g] for g in groups)]:
                if goal.analysis and self.root.pk in self.approved:
                    doc.add(
                        Text(
                            goal.analysis, lead=f"Analys av {goal.level_name.lower()} {goal.name}:"
                        )
                    )

    def _status_sentence(self, counts: dict[str, int], total: int) -> str:
        parts = [
            f"{counts.get(k, 0)} {self.symbols.status(k)[1].lower()}"
            for k in STATUS_ORDER
            if counts.get(k)
        ]
        return f"{total} styrmått: " + (", ".join(parts) if parts else "inga bedömda") + "."

    # --- goal attainment across the units ----------------------------------------------

    def _counts(self, doc: Document) -> None:
        doc.add(Heading("Måluppfyllelse per division", 1))
        doc.add(
            Paragraph(
                "Styrmåttens måluppfyllelse och de strategiska åtgärdernas status i varje "
                "division (divisionens egen plan, utfallen summerade från dess enheter)."
            )
        )
        rows, totals, act_totals = [], Counter(), Counter()
        for div in self.divisions:
            ev = self.evaluation(div.unit_id)
            counts = ev.status_counts()
            acts = ev.activity_counts
            totals.update(counts)
            act_totals.update(acts)
            rows.append(
                [
                    text_cell(div.name),
                    *[count_cell(counts.get(k, 0)) for k in STATUS_ORDER],
                    count_cell(sum(acts.values())),
                    *[count_cell(acts.get(k, 0)) for k in ("done", "on_track", "delayed")],
                ]
            )
        status_heads = [" ".join(self.symbols.status(k)) for k in STATUS_ORDER]
        act_heads = [" ".join(self.symbols.activity(k)) for k in ("done", "on_track", "delayed")]
        doc.add(
            Table(
                ["Division", *status_heads, "Åtgärder", *act_heads],
                rows,
                caption=f"Måluppfyllelse per division {period_text(self.period)}",
                name="Per division",
                total=[
                    text_cell("Totalt", bold=True),
                    *[count_cell(totals.get(k, 0), bold=True) for k in STATUS_ORDER],
                    count_cell(sum(act_totals.values()), bold=True),
                    *[
                        count_cell(act_totals.get(k, 0), bold=True)
                        for k in ("done", "on_track", "delayed")
                    ],
                ],
                widths=[4, *[1.3] * len(STATUS_ORDER), 1.3, 1.3, 1.3, 1.3],
            )
        )

    # --- one chapter per division -------------------------------------------------------

    def _analyses(self) -> dict[int, list[tuple[int, str, str]]]:
        """{unit id: [(order, about, text)]}: the period's analyses of the approved units,
        what each is about (a goal or an indicator) in words."""
        from styrkort.followup.models import Analysis

        ids = [u.unit_id for u in self.units if u.unit_id in self.approved]
        out: dict[int, list] = defaultdict(list)
        rows = (
            Analysis.objects.filter(unit_id__in=ids, period=self.period.canonical)
            .exclude(text="")
            .values_list(
                "unit_id",
                "goal_id",
                "goal__name",
                "indicator__name",
                "text",
            )
            .order_by("unit__path", "goal__level", "goal__order", "indicator__name", "id")
        )
        for unit_id, goal_id, goal_name, ind_name, text in rows:
            if goal_id is not None:
                out[unit_id].append((0, f"Mål: {goal_name}", text))
            else:
                out[unit_id].append((1, f"Styrmått: {ind_name}", text))
        for items in out.values():
            items.sort(key=lambda item: item[0])
        return out

    def _divisions(self, doc: Document) -> None:
        analyses = self._analyses()
        for div in self.divisions:
            doc.add(Heading(div.name, 1))
            state = f"{self.state_symbols[div.state]} {self.state_labels[div.state]}"
            members = [u for u in self.units if u.path.startswith(div.path)]
            done = sum(1 for u in members if u.unit_id in self.approved)
            line = (
                f"Inrapportering: {state}"
                + (f" {_date(div.approved_at)}" if div.approved_at else "")
                + (f" av {div.approved_by}" if div.approved_by else "")
                + f". {done} av {len(members)} enheter i divisionen godkända eller undantagna."
            )
            doc.add(Paragraph(line))
            ev = self.evaluation(div.unit_id)
            doc.add(Paragraph(self._status_sentence(ev.status_counts(), len(ev.indicators))))
            acts = ev.activity_counts
            if sum(acts.values()):
                parts = [
                    f"{acts[k]} "
                    + (ACTIVITY_PLURAL[k] if acts[k] != 1 else self.symbols.activity(k)[1].lower())
                    for k in ACTIVITY_ORDER
                    if acts.get(k)
                ]
                doc.add(
                    Paragraph(
                        f"{sum(acts.values())} strategiska åtgärder: " + ", ".join(parts) + "."
                    )
                )
            shown = False
            for u in members:
                items = analyses.get(u.unit_id)
                if not items:
                    continue
                shown = True
                if u.unit_id != div.unit_id:
                    doc.add(Heading(u.name, 2))
                for _order, about, text in items:
                    doc.add(Text(text, lead=f"{about}."))
            if not shown:
                doc.add(
                    Paragraph(
                        "Inga godkända analyser för perioden."
                        if div.unit_id in self.approved
                        else "Divisionens rapport är inte godkänd: dess analyser ingår inte.",
                        style="note",
                    )
                )
            stale = [a for a in ev.activities if a.stale and div.unit_id in self.approved]
            if stale:
                doc.add(
                    Paragraph(
                        f"{len(stale)} åtgärder har en status som kan vara inaktuell.",
                        style="note",
                    )
                )

    # --- economy and internal control -------------------------------------------------

    def _economy(self, doc: Document) -> None:
        doc.add(Heading("Ekonomi", 1))
        doc.add(*economy_blocks(self.root, self.period))
        sentence = self._balanced_budget()
        if sentence:
            doc.add(Heading("Balanskravsresultat", 2), Paragraph(sentence))

    def _money(self, tkr: float) -> str:
        if getattr(self.root.organisation, "economy_unit", "tkr") == "mnkr":
            return f"{format_number(tkr / 1000.0, 1)}\u00a0mnkr"
        return f"{format_number(tkr, 0)}\u00a0tkr"

    def _balanced_budget(self) -> str:
        """Årets resultat by the forecast (else the actual) and the balance requirement
        (kommunallagen 11 kap. 5 §): met when the result is at least zero. Styrkort holds
        no balanskravsjusteringar, so the result is the balanced-budget result."""
        from styrkort.economy.queries import income_statement, result_line

        top = result_line(self.root.organisation)
        if top is None:
            return ""
        year = self.period.year
        statement = income_statement(
            self.root, [(year, "forecast"), (year, "actual")], include_subunits=True
        )
        row = next(
            (r for r in statement["rows"] if r["code"] == top.code and r["row_type"] != "heading"),
            None,
        )
        if row is None:
            return ""
        forecast, actual = row["values"]
        value, what = (forecast, "prognos") if forecast is not None else (actual, "utfall")
        if value is None:
            return ""
        met = "uppfyllt" if value >= 0 else "inte uppfyllt"
        return (
            f"{top.name} {year} enligt {what}: {self._money(float(value))}. Inga "
            "balanskravsjusteringar är registrerade, så balanskravsresultatet är detsamma; "
            f"balanskravet (kommunallagen 11 kap. 5 §) är {met}."
        )

    def _internal_control(self, doc: Document) -> None:
        from styrkort.risk.models import ControlResult

        doc.add(Heading("Intern kontroll", 1))
        results = list(
            ControlResult.objects.filter(
                control__risk__unit__organisation_id=self.root.organisation_id,
                control__risk__unit_id__in=list(self.approved),
                period_start__gte=self.period.start,
                period_end__lte=self.period.end,
            )
            .select_related("control__risk__unit")
            .order_by("control__risk__unit__path", "control__risk__order", "control__order", "id")
        )
        if not results:
            doc.add(
                Paragraph(
                    f"Inga resultat av internkontrollen är registrerade för "
                    f"{period_text(self.period, 'months')} av godkända enheter."
                )
            )
            return
        counts = Counter(r.get_outcome_display() for r in results)
        doc.add(
            Paragraph(
                f"{len(results)} {'kontroll' if len(results) == 1 else 'kontroller'}: "
                + ", ".join(f"{n} {label.lower()}" for label, n in counts.items())
                + "."
            )
        )
        doc.add(
            Table(
                ["Enhet", "Risk", "Kontrollmoment", "Resultat", "Kommentar"],
                [
                    [
                        text_cell(r.control.risk.unit.name),
                        free_text_cell(r.control.risk.title or r.control.risk.event),
                        free_text_cell(r.control.method),
                        text_cell(r.get_outcome_display()),
                        free_text_cell(r.comment),
                    ]
                    for r in results
                ],
                caption=f"Internkontrollens resultat {period_text(self.period)}",
                name="Intern kontroll",
                widths=[2.5, 3.5, 3.5, 1.8, 4],
            )
        )


def build_region(
    unit,
    period: Period | str,
    *,
    annual: bool | None = None,
    today: dt.date | None = None,
    with_charts: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Document:
    """The compiled report of the region whose top unit is ``unit`` for ``period``: a
    delårsrapport for a reporting point, an årsrapport for a year."""
    if isinstance(period, str):
        period = parse_period(period)
    root = region_root(unit)
    return RegionBuilder(
        root,
        period,
        annual=period.is_year if annual is None else annual,
        today=today,
        with_charts=with_charts,
        progress=progress,
    ).build()
