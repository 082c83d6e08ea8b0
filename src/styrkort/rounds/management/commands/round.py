"""`styrkort round open|extend|close|reopen|status|remind`: the reporting rounds of an
organisation from the command line (docs/rounds.md). Bad input exits 2 with one
Swedish line; `--json` prints the result as JSON."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError

from styrkort.commands import BadInput, StyrkortCommand
from styrkort.organisation.models import Organisation, OrgUnit, UnitType
from styrkort.rounds.management import remind


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise BadInput(f"Ogiltigt datum för {what}: '{text}' (skriv ÅÅÅÅ-MM-DD).") from exc


def _organisation(text: str) -> Organisation:
    org = Organisation.objects.filter(code__iexact=text).first()
    if org is None:
        unit = OrgUnit.objects.filter(code__iexact=text).select_related("organisation").first()
        org = unit.organisation if unit else None
    if org is None:
        raise BadInput(
            f"Okänd organisation: '{text}'. Ange organisationens eller toppenhetens kod."
        )
    return org


def _unit(org: Organisation, text: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(organisation=org, code__iexact=text).first()
    if unit is None:
        raise BadInput(f"Okänd enhet i {org.name}: '{text}'.")
    return unit


def _levels(org: Organisation, items: list[str]) -> dict[str, str]:
    """LEVEL=DATE pairs; LEVEL is a tree depth (1 = the top unit) or a unit type
    (division, business_area, ...: the depth of the organisation's units of that type)."""
    types = {t.value: t for t in UnitType} | {str(t.label).casefold(): t for t in UnitType}
    out: dict[str, str] = {}
    for item in items:
        level, sep, day = item.partition("=")
        if not sep:
            raise BadInput(f"Skriv --deadline-level NIVÅ=DATUM, inte '{item}'.")
        level = level.strip()
        if level.isdigit():
            depth = int(level)
        else:
            unit_type = types.get(level.casefold())
            if unit_type is None:
                raise BadInput(
                    f"Okänd nivå: '{level}'. Ange ett djup (1 = toppenheten) eller en enhetstyp: "
                    + ", ".join(t.value for t in UnitType)
                    + "."
                )
            depths = set(
                OrgUnit.objects.filter(organisation=org, type=unit_type).values_list(
                    "depth", flat=True
                )
            )
            if len(depths) != 1:
                raise BadInput(
                    f"Enhetstypen '{level}' finns inte på en enda nivå i {org.name}; ange djupet."
                )
            depth = depths.pop()
        out[str(depth)] = _date(day.strip(), f"nivå {level}").isoformat()
    return out


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


MISSING_WORDS = {"outcomes": "utfall", "goal_analyses": "målanalyser", "activities": "aktiviteter"}


class Command(StyrkortCommand):
    requires_system_checks = []
    help = "Uppföljningstillfällen: öppna, förläng, stäng, öppna igen och visa status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        def common(p):
            p.add_argument("--org", required=True, help="Organisationens eller toppenhetens kod.")
            p.add_argument("--period", required=True, help="T.ex. 2022-DÅ08.")
            p.add_argument("--json", action="store_true", dest="as_json")

        for name, text in (
            ("open", "Öppna ett uppföljningstillfälle."),
            ("extend", "Flytta sista dag."),
        ):
            p = sub.add_parser(name, help=text)
            common(p)
            p.add_argument("--deadline", required=(name == "open"), help="Sista dag, ÅÅÅÅ-MM-DD.")
            p.add_argument(
                "--deadline-level",
                action="append",
                default=[],
                metavar="NIVÅ=DATUM",
                help="Tidigare sista dag för en nivå (djup eller enhetstyp), t.ex. "
                "business_area=2022-09-05.",
            )
            if name == "open":
                p.add_argument("--opens", help="Öppningsdag (standard: i dag).")
            else:
                p.add_argument("--reason", default="")
        p = sub.add_parser("close", help="Stäng tillfället (allt låses).")
        common(p)
        p = sub.add_parser("reopen", help="Öppna ett stängt tillfälle eller en enhet igen.")
        common(p)
        p.add_argument("--unit", help="Enhetens kod (utan: hela tillfället).")
        p.add_argument("--reason", required=True)
        p = sub.add_parser("status", help="Varje enhets läge och vad som saknas.")
        common(p)
        remind.add_parser(sub)

    def handle(self, *args, action, org=None, period=None, as_json=False, **options):
        if action == "remind":
            return remind.run(self, as_json=as_json, **options)
        from styrkort.rounds import services
        from styrkort.rounds.due import overview
        from styrkort.rounds.status import round_json

        organisation = _organisation(org)
        try:
            if action == "open":
                rnd = services.open_round(
                    user=None,
                    organisation=organisation,
                    period=period,
                    deadline=_date(options["deadline"], "--deadline"),
                    opens_on=_date(options["opens"], "--opens") if options.get("opens") else None,
                    level_deadlines=_levels(organisation, options["deadline_level"]),
                )
            else:
                rnd = services.find_round(organisation, period)
                if action == "extend":
                    rnd = services.extend_round(
                        user=None,
                        round=rnd,
                        deadline=_date(options["deadline"], "--deadline")
                        if options.get("deadline")
                        else None,
                        level_deadlines=_levels(organisation, options["deadline_level"]),
                        reason=options.get("reason", ""),
                    )
                elif action == "close":
                    rnd = services.close_round(user=None, round=rnd)
                elif action == "reopen":
                    unit = _unit(organisation, options["unit"]) if options.get("unit") else None
                    services.reopen(user=None, round=rnd, unit=unit, reason=options["reason"])
                    rnd.refresh_from_db()
        except (ValidationError, PermissionDenied) as exc:
            raise BadInput(
                _messages(exc) if isinstance(exc, ValidationError) else str(exc)
            ) from exc
        units = overview(rnd)
        data = round_json(rnd, progress=units)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._print(organisation, rnd, data, units)

    def _print(self, organisation, rnd, data, units) -> None:
        from styrkort.periods import parse_period
        from styrkort.rounds.rules import STATE_LABELS

        state_words = {"planned": "planerat", "open": "öppet", "closed": "stängt"}
        self.stdout.write(
            f"{organisation.name}, {parse_period(rnd.period).label_sv}: "
            f"{state_words[data['state']]}, öppnar {data['opens']}, sista dag {rnd.deadline}"
        )
        counts: dict[str, int] = {}
        for u in units:
            counts[u.state] = counts.get(u.state, 0) + 1
        self.stdout.write(", ".join(f"{STATE_LABELS[s]}: {n}" for s, n in sorted(counts.items())))
        for u in units:
            missing = ", ".join(f"{MISSING_WORDS[k]} {v}" for k, v in u.missing.items() if v)
            self.stdout.write(
                f"{'  ' * (u.depth - 1)}{u.symbol} {u.code} {u.name}: {u.state_label}"
                f" (sista dag {u.deadline})" + (f"; saknas: {missing}" if missing else "")
            )
