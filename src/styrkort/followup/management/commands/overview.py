"""`styrkort overview --org CODE|NAME --period PERIOD [--json]`: the politician's overview
of a region or division (``followup.overview``), as Swedish text or JSON: status counts per
goal area, the units x goal areas grid, changes since the previous reporting point and
which units have reported."""

from __future__ import annotations

import json

from styrkort.commands import StyrkortCommand, unit_and_period

from .evaluate import ACTIVITY_WORDS, STATUS_WORDS, _status, _table

STATE_WORDS = {
    "not_started": "Ej påbörjad",
    "in_progress": "Pågår",
    "returned": "Återsänd",
    "ready": "Klarmarkerad",
    "approved": "Godkänd",
    "excused": "Undantagen",
    "entered": "Har utfall",
    "nothing": "Inga utfall",
}
CHANGE_WORDS = {
    "worse": "Försämrad",
    "better": "Förbättrad",
    "new": "Bedömd nu, inte förra gången",
    "gone": "Bedömd förra gången, inte nu",
}


def _counts(counts: dict[str, int], words: dict[str, str]) -> str:
    return ", ".join(f"{words[k]} {n}" for k, n in counts.items() if n) or "–"


def render_text(ov, symbols: dict | None = None) -> str:
    symbols = symbols or {}
    out = [f"Översikt för {ov.unit_name} ({ov.unit_code}) · {ov.period.canonical}"]
    out.append(f"Plan: {ov.plan_name}" if ov.plan_name else "Enheten har ingen plan för perioden.")
    if ov.areas:
        out += ["", "Måluppfyllelse per målområde"]
        rows = [
            [
                a.name,
                _status(a.status, symbols),
                _counts(a.goals, STATUS_WORDS),
                _counts(a.indicators, STATUS_WORDS),
                _counts(a.activities, ACTIVITY_WORDS),
            ]
            for a in ov.areas
        ]
        rows.append(
            [
                "Hela planen",
                "",
                _counts(ov.total.goals, STATUS_WORDS),
                _counts(ov.total.indicators, STATUS_WORDS),
                _counts(ov.total.activities, ACTIVITY_WORDS),
            ]
        )
        out += _table(["Målområde", "Status", "Mål", "Indikatorer", "Aktiviteter"], rows)
    if ov.grid:
        out += ["", "Enheter och målområden"]
        rows = [
            [r.code] + [_status(c.status, symbols) if c.in_plan else "–" for c in r.cells]
            for r in ov.grid
        ]
        out += _table(["Enhet", *ov.grid_areas], rows)
    out += ["", f"Förändringar sedan {ov.previous_period.canonical}"]
    if ov.changes:
        out += [
            f"  {CHANGE_WORDS[c.kind]}: {c.code} {c.name} "
            f"({_status(c.before, symbols)} → {_status(c.after, symbols)})"
            for c in ov.changes
        ]
    else:
        out.append("  Ingen indikator har ändrad måluppfyllelse.")
    out += ["", "Rapportering" + ("" if ov.round_state else " (inget uppföljningstillfälle)")]
    out += _table(
        ["Enhet", "Status", "Inrapporterat"],
        [
            [
                r.code,
                STATE_WORDS.get(r.state, r.state),
                "" if r.share_reported is None else f"{r.share_reported} %",
            ]
            for r in ov.reported
        ],
    )
    return "\n".join(out) + "\n"


class Command(StyrkortCommand):
    requires_system_checks = []
    help = "Översikt för en region eller division: måluppfyllelse per målområde och enhet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--org", required=True, help="Enhetens kod eller exakta namn, t.ex. NLL."
        )
        parser.add_argument("--period", required=True, help="Period, t.ex. 2022-DÅ04.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Skriv resultatet som JSON."
        )

    def handle(self, *args, org, period, as_json=False, **options):
        from styrkort.followup.overview import build_overview

        unit, parsed = unit_and_period(org, period)
        ov = build_overview(unit, parsed)
        if as_json:
            self.stdout.write(json.dumps(ov.to_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_text(ov, dict(unit.organisation.symbols or {})))
