"""`styrkort evaluate --org CODE|NAME --period PERIOD [--json]`: statuses, trends and
roll-ups of a unit's plan for a period, as a Swedish table or as the JSON contract of
docs/evaluation.md."""

from __future__ import annotations

import datetime as dt
import json

from styrkort.commands import BadInput, StyrkortCommand, unit_and_period
from styrkort.followup.evaluation import ACTIVITY_SYMBOLS, STATUS_SYMBOLS, TREND_ARROWS
from styrkort.io.numbers import NBSP, format_change_pct, format_number

STATUS_WORDS = {
    "met": "Uppfyllt",
    "partly": "Delvis uppfyllt",
    "not_met": "Ej uppfyllt",
    "not_assessed": "Ej bedömt",
    "no_data": "Uppgift saknas",
}
TREND_WORDS = {"better": "Bättre", "worse": "Sämre", "unchanged": "Oförändrad", "none": "–"}
ACTIVITY_WORDS = {
    "on_track": "Pågår enligt plan",
    "delayed": "Försenad",
    "done": "Klar",
    "planned": "Planerad",
    "cancelled": "Avbruten",
    "not_reported": "Ej rapporterad",
}
SOURCE_WORDS = {
    "entered": "inrapporterat",
    "months": "summerat från månader",
    "pieces": "summerat från delperioder",
    "sexes": "från kvinnor och män",
    "rollup": "uppräknat från underenheter",
}


def fmt_value(value: float | None, unit: str, decimals: int) -> str:
    """A value the Swedish way with its unit: ``51,0 %``, ``31 180``, ``19,0 mnkr``."""
    if value is None:
        return "–"
    text = format_number(value, decimals)
    if unit in ("", "st", "index"):
        return text
    return f"{text}{NBSP}{unit}"


def fmt_ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or denominator is None:
        return ""
    return f"{format_number(numerator, 0)} / {format_number(denominator, 0)}"


class Command(StyrkortCommand):
    requires_system_checks = []
    help = (
        "Måluppfyllelse, utveckling och uppräkning från underenheter för en enhets plan och period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--org", required=True, help="Enhetens kod eller exakta namn, t.ex. NLL-LS1."
        )
        parser.add_argument(
            "--period", required=True, help="Period, t.ex. 2022-DÅ04, 2022-T2, 2022 eller 2022-04."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Skriv resultatet som JSON."
        )
        parser.add_argument(
            "--today",
            help="Dagens datum (ÅÅÅÅ-MM-DD) för att avgöra inaktuella aktiviteter; "
            "standard: i dag.",
        )

    def handle(self, *args, org, period, as_json=False, today=None, **options):
        from styrkort.followup.queries import evaluate_unit

        unit, parsed = unit_and_period(org, period)
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise BadInput(f"Ogiltigt datum: '{today}' (skriv ÅÅÅÅ-MM-DD).") from exc
        evaluation = evaluate_unit(unit, parsed, today=day)
        if as_json:
            self.stdout.write(json.dumps(evaluation.to_json(), ensure_ascii=False, indent=2))
            return
        symbols = dict(unit.organisation.symbols or {})
        self.stdout.write(render_table(evaluation, symbols))


def _status(status: str, symbols: dict) -> str:
    symbol = symbols.get(status, STATUS_SYMBOLS.get(status, ""))
    return f"{symbol} {STATUS_WORDS[status]}".strip()


def _trend(trend: str, symbols: dict) -> str:
    arrow = symbols.get(f"trend_{trend}", TREND_ARROWS.get(trend, ""))
    return f"{arrow} {TREND_WORDS[trend]}".strip()


def _table(headers: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return indent + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *map(line, rows)]


def render_table(ev, symbols: dict | None = None) -> str:
    """The evaluation as Swedish text: per goal a table of its indicators, then notes
    (manual assessments, roll-ups, reconciliation), goals and activities."""
    symbols = symbols or {}
    out = [f"{ev.unit_name} ({ev.unit_code}) · {ev.period_label} ({ev.period})"]
    if ev.plan_id is None:
        out.append("Ingen plan gäller för enheten detta år.")
        return "\n".join(out) + "\n"
    plan_line = f"Plan: {ev.plan_name}"
    if ev.plan_unit_code and ev.plan_unit_code != ev.unit_code:
        plan_line += f" (överordnad enhets plan, {ev.plan_unit_code})"
    out.append(plan_line)
    headers = [
        "Indikator", "Utfall", "Kvinnor", "Män", "Mål", "Måluppfyllelse", "Utveckling",
        "Förändring",
    ]  # fmt: skip
    groups: dict[tuple[str, ...], list] = {}
    for item in ev.indicators:
        groups.setdefault(tuple(item.goal_path), []).append(item)
    for path, items in groups.items():
        out.append("")
        out.append(" › ".join(path) if path else "Utan mål")
        rows, notes = [], []
        for item in items:
            values = item.values
            sex_status = ""
            if item.status["women"] != "no_data" or item.status["men"] != "no_data":
                sex_status = " (K {}, M {})".format(
                    symbols.get(item.status["women"], STATUS_SYMBOLS[item.status["women"]]) or "–",
                    symbols.get(item.status["men"], STATUS_SYMBOLS[item.status["men"]]) or "–",
                )
            sex_trend = ""
            if item.trend["women"] != "none" or item.trend["men"] != "none":
                sex_trend = " (K {}, M {})".format(
                    TREND_ARROWS[item.trend["women"]] or "–", TREND_ARROWS[item.trend["men"]] or "–"
                )
            change = format_change_pct(item.change_pct) if item.change_pct is not None else ""
            if item.change_pp is not None:
                change = f"{format_number(item.change_pp, 1)} %-enh."
                if item.change_pp > 0:
                    change = "+" + change
            name = item.name if len(item.name) <= 60 else item.name[:59] + "…"
            rows.append(
                [
                    name,
                    fmt_value(values["total"], item.unit, item.decimals),
                    fmt_value(values["women"], item.unit, item.decimals),
                    fmt_value(values["men"], item.unit, item.decimals),
                    item.target.text if item.target else "–",
                    _status(item.status["total"], symbols) + sex_status,
                    _trend(item.trend["total"], symbols) + sex_trend,
                    change,
                ]
            )
            notes.extend(_notes(item, symbols))
        out.extend(_table(headers, rows))
        out.extend(f"    {n}" for n in notes)
    if ev.goals:
        out.append("")
        out.append("Mål")
        for goal in ev.goals:
            counts = ", ".join(
                f"{STATUS_WORDS[k].lower()} {v}" for k, v in goal.counts.items() if v
            )
            indent = "  " * goal.level
            line = f"{indent}{_status(goal.status, symbols)}  {goal.level_name}: {goal.name}"
            if counts:
                line += f"  [indikatorer: {counts}]"
            out.append(line)
            if goal.assessment is not None:
                out.append(
                    f"{'  ' * goal.level}    Manuell bedömning (beräknat: "
                    f"{STATUS_WORDS[goal.computed_status].lower()}): {goal.assessment.reason}"
                )
    out.append("")
    activity_line = ", ".join(
        f"{ACTIVITY_SYMBOLS.get(k, '') + ' ' if ACTIVITY_SYMBOLS.get(k) else ''}"
        f"{ACTIVITY_WORDS[k]} {v}"
        for k, v in ev.activity_counts.items()
        if v
    )
    out.append(f"Aktiviteter: {activity_line or 'inga'}")
    for a in ev.stale_activities:
        out.append(f"  Inaktuell status: {a.number} {a.name} – {a.stale_reason}")
    counts = ev.status_counts()
    out.append(
        "Indikatorer: " + ", ".join(f"{_status(k, symbols)} {v}" for k, v in counts.items() if v)
    )
    return "\n".join(out) + "\n"


def _notes(item, symbols: dict) -> list[str]:
    notes = []
    head = item.name if len(item.name) <= 40 else item.name[:39] + "…"
    total_source = item.sources.get("total")
    if total_source and total_source != "entered":
        notes.append(f"{head}: utfallet är {SOURCE_WORDS.get(total_source, total_source)}.")
    if item.numerator is not None and item.denominator is not None:
        notes.append(f"{head}: {fmt_ratio(item.numerator, item.denominator)}.")
    for sex, manual in item.assessments.items():
        who = {"total": "", "women": " (kvinnor)", "men": " (män)"}[sex]
        notes.append(
            f"{head}{who}: manuell bedömning {_status(manual.status, symbols)} "
            f"(beräknat: {STATUS_WORDS[item.computed_status[sex]].lower()}): {manual.reason}"
        )
    if item.share_of_parent_pct is not None:
        share = format_number(item.share_of_parent_pct, 1)
        notes.append(f"{head}: {share}{NBSP}% av {item.parent_code}.")
    if item.rollup is not None and not item.rollup.combined:
        notes.append(
            f"{head}: underenheterna ({item.rollup.from_units} st) har värden som inte kan "
            "vägas samman (andelar utan täljare och nämnare, eller ett mått som inte summeras)."
        )
    elif item.rollup is not None and item.sources.get("total") != "rollup":
        ratio = fmt_ratio(item.rollup.numerator, item.rollup.denominator)
        value = fmt_value(item.rollup.total, item.unit, item.decimals)
        notes.append(
            f"{head}: underenheterna ({item.rollup.from_units} st) ger {value}"
            + (f" ({ratio})" if ratio else "")
            + "."
        )
    for flag in item.reconciliation:
        who = {"total": "", "women": " för kvinnor", "men": " för män"}[flag.sex]
        direct = fmt_value(flag.direct.value, item.unit, item.decimals)
        rolled = fmt_value(flag.rollup.value, item.unit, item.decimals)
        d_ratio = fmt_ratio(flag.direct.numerator, flag.direct.denominator)
        r_ratio = fmt_ratio(flag.rollup.numerator, flag.rollup.denominator)
        notes.append(
            f"{head}: AVVIKELSE{who}: enhetens eget värde {direct}"
            + (f" ({d_ratio})" if d_ratio else "")
            + f" stämmer inte med underenheternas {rolled}"
            + (f" ({r_ratio})" if r_ratio else "")
            + "."
        )
    return notes
