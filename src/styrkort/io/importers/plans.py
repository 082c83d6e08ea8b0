"""Import of plans with their goal trees, indicators and targets from one flat table.

Each row names a plan and a path of goals (``goal1`` … ``goal6``, top level first),
optionally an indicator placed under the deepest goal named, and optionally one target
for that placement. Rows repeat the plan and goal columns; a goal is the same goal when
its plan, parent and name are the same. Plans, goals, indicators, placements and
targets are upserted on those natural keys through the planning services (the same
permission checks, rules and history as the web form and the API), so importing the
same file twice changes nothing. docs/import.md lists the columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from styrkort.io.numbers import NumberError, parse_number
from styrkort.organisation.permissions import Action, scope_for
from styrkort.periods import PeriodError, parse_period

from .base import Column, Importer, cell_text
from .registry import register

__all__ = ["PLAN_COLUMNS", "PlanImporter"]

MAX_LEVELS = 6


def _goal_column(level: int) -> Column:
    return Column(
        f"goal{level}",
        (f"mål{level}", f"mal{level}", f"nivå{level}", f"niva{level}", f"level{level}"),
        help=f"Målets namn på nivå {level}.",
    )


PLAN_COLUMNS: tuple[Column, ...] = (
    Column("plan", ("plankod", "plan code"), required=True, help="Planens kod."),
    Column("plan_name", ("plannamn", "planens namn"), help="Krävs för en ny plan."),
    Column("org", ("enhet", "organisation", "unit"), help="Planens enhet (kod eller namn)."),
    Column("start_year", ("första år", "från år", "startår"), help="Krävs för en ny plan."),
    Column("end_year", ("sista år", "till år", "slutår"), help="Krävs för en ny plan."),
    Column("plan_model", ("styrmodell",), help="Tomt: organisationens enda styrmodell."),
    *(_goal_column(level) for level in range(1, MAX_LEVELS + 1)),
    Column("indicator", ("indikator", "indikatorkod"), help="Indikatorns kod."),
    Column("indicator_name", ("indikatornamn", "namn på indikator", "styrmått")),
    Column("unit", ("måttenhet", "mattenhet", "enhet för mått"), help="%, st, kr, dagar …"),
    Column("kind", ("typ", "indikatortyp"), help="styrmått eller kontrollmått."),
    Column("direction", ("riktning", "önskad riktning"), help="högre, lägre, mål, ingen."),
    Column("aggregation", ("aggregering",), help="summa, kvot, medel, min, max, senaste."),
    Column("measure_type", ("måtttyp", "matttyp"), help="flöde, stock, genomsnitt."),
    Column("by_sex", ("per kön", "könsuppdelad"), help="ja eller nej."),
    Column("decimals", ("decimaler",)),
    Column("definition", ("definition",)),
    Column("source", ("källa", "kalla", "datakälla")),
    Column(
        "kolada_kpi",
        ("kolada", "kolada-nyckeltal", "kolada-id"),
        help="Motsvarande nyckeltal i Kolada, t.ex. N79221.",
    ),
    Column("baseline", ("ingångsvärde", "ingangsvarde")),
    Column("baseline_period", ("ingångsvärdets period", "ingångsår")),
    Column("reporting_points", ("uppföljningsperiod", "uppföljning", "rapporteringstillfällen")),
    Column("target_year", ("målår", "malar", "år för målvärde")),
    Column("target", ("målvärde", "malvarde")),
    Column("target_org", ("målets enhet", "mål för enhet"), help="För mål per enhet."),
    Column("long_term", ("långsiktigt", "långsiktigt målvärde"), help="ja eller nej."),
    Column(
        "by_hand",
        ("bedöms manuellt", "manuell bedömning"),
        help="ja för ett målvärde som inte mäts automatiskt (måluppfyllelsen sätts för hand).",
    ),
    Column(
        "reason",
        ("skäl", "skäl till ändringen", "ändringsskäl"),
        help="Krävs för ändringar i en fastställd plan (en revidering).",
    ),
)

#: The services that change a plan's content: an adopted plan needs the file's reason.
_REVISING = {"update_plan", "create_goal", "place_indicator", "update_placement", "set_target"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


UNITS = {
    "%": "%",
    "procent": "%",
    "st": "st",
    "antal": "st",
    "kr": "kr",
    "tkr": "tkr",
    "mnkr": "mnkr",
    "index": "index",
    "dagar": "dagar",
    "‰": "‰",
    "promille": "‰",
    "per 1000": "per 1000",
    "per 1 000 invånare": "per 1000",
    "timmar": "timmar",
}
KINDS = {
    "steering": "steering",
    "styrmått": "steering",
    "control": "control",
    "kontrollmått": "control",
}
DIRECTIONS = {
    "higher": "higher",
    "högre": "higher",
    "högre är bättre": "higher",
    "öka": "higher",
    "lower": "lower",
    "lägre": "lower",
    "lägre är bättre": "lower",
    "minska": "lower",
    "target": "target",
    "mål": "target",
    "på målet": "target",
    "none": "none",
    "ingen": "none",
}
AGGREGATIONS = {
    "sum": "sum",
    "summa": "sum",
    "ratio": "ratio",
    "kvot": "ratio",
    "mean": "mean",
    "medel": "mean",
    "medelvärde": "mean",
    "min": "min",
    "minsta": "min",
    "max": "max",
    "största": "max",
    "last": "last",
    "senaste": "last",
    "none": "none",
    "ingen": "none",
}
MEASURE_TYPES = {
    "flow": "flow",
    "flöde": "flow",
    "stock": "stock",
    "lager": "stock",
    "average": "average",
    "genomsnitt": "average",
}
YES = {"ja", "j", "yes", "y", "true", "1", "x"}
NO = {"nej", "n", "no", "false", "0", ""}


@dataclass
class _Item:
    """An object the file asks for: its first row, its wanted attributes, and which
    row set each attribute (for conflict messages)."""

    row: int
    attrs: dict = field(default_factory=dict)
    attr_rows: dict = field(default_factory=dict)
    obj: object = None


class PlanImporter(Importer):
    """Plans, goals, indicators, placements and targets from a flat CSV/XLSX table."""

    kind = "plans"
    label = "Planer"
    columns = PLAN_COLUMNS

    # --- reading ----------------------------------------------------------------

    def begin(self) -> None:
        from styrkort.organisation.models import OrgUnit
        from styrkort.planning.models import Indicator, Plan, PlanModel

        self.scope = scope_for(self.user) if self.user is not None else None
        self.units = {u.code: u for u in OrgUnit.objects.select_related("organisation")}
        self.units_by_name: dict[str, list] = {}
        for unit in self.units.values():
            self.units_by_name.setdefault(_fold(unit.name), []).append(unit)
        self.units_folded = {_fold(code): u for code, u in self.units.items()}
        self.existing_plans = {p.code: p for p in Plan.objects.select_related("unit")}
        self.reasons: dict[str, str] = {}  # plan code -> the file's reason (a revision)
        self.existing_indicators = {i.code: i for i in Indicator.objects.all()}
        self.plan_models: dict[int, list] = {}
        for model in PlanModel.objects.all():
            self.plan_models.setdefault(model.organisation_id, []).append(model)
        self.plans: dict[str, _Item] = {}
        self.goals: dict[tuple, _Item] = {}
        self.indicators: dict[str, _Item] = {}
        self.placements: dict[tuple, _Item] = {}
        self.targets: dict[tuple, _Item] = {}

    def _unit(self, text: str):
        unit = self.units.get(text) or self.units_folded.get(_fold(text))
        if unit is not None:
            return unit
        named = self.units_by_name.get(_fold(text), [])
        if len(named) == 1:
            return named[0]
        if named:
            codes = ", ".join(sorted(u.code for u in named))
            raise ValueError(
                _("Flera enheter heter '%(text)s': %(codes)s. Ange enhetens kod.")
                % {"text": text, "codes": codes}
            )
        raise ValueError(
            _("Okänd enhet: '%(text)s' (ange enhetens kod eller exakta namn).") % {"text": text}
        )

    def _merge(self, item: _Item, number: int, name: str, value, label: str) -> bool:
        """Set `item.attrs[name]`; a different value from an earlier row is rejected."""
        if value is None or value == "":
            return True
        if name in item.attrs and item.attrs[name] != value:
            self.report.reject(
                number,
                label,
                _("'%(value)s' strider mot '%(other)s' på rad %(row)s.")
                % {"value": value, "other": item.attrs[name], "row": item.attr_rows[name]},
            )
            return False
        item.attrs[name] = value
        item.attr_rows.setdefault(name, number)
        return True

    def _choice(self, number, values, name, table) -> tuple[bool, str | None]:
        text = cell_text(values.get(name))
        if not text:
            return True, None
        choice = table.get(_fold(text))
        if choice is None:
            allowed = ", ".join(sorted({k for k in table if k.isascii()} | set(table.values())))
            self.report.reject(
                number,
                self.column_labels[name],
                _("Okänt värde '%(text)s'. Använd %(allowed)s.")
                % {"text": text, "allowed": allowed},
            )
            return False, None
        return True, choice

    def _int(self, number, values, name, low, high) -> tuple[bool, int | None]:
        text = cell_text(values.get(name))
        if not text:
            return True, None
        try:
            value = parse_number(text)
        except NumberError as exc:
            self.report.reject(number, self.column_labels[name], str(exc) + ".")
            return False, None
        if not value.is_integer() or not low <= value <= high:
            self.report.reject(
                number,
                self.column_labels[name],
                _("Ange ett heltal %(low)s–%(high)s: '%(text)s'.")
                % {"low": low, "high": high, "text": text},
            )
            return False, None
        return True, int(value)

    def _bool(self, number, values, name) -> tuple[bool, bool]:
        text = _fold(cell_text(values.get(name)))
        if text in YES:
            return True, True
        if text in NO:
            return True, False
        self.report.reject(
            number, self.column_labels[name], _("Ange ja eller nej: '%(text)s'.") % {"text": text}
        )
        return False, False

    def process_row(self, number: int, values: Mapping[str, object]) -> None:
        label = self.column_labels
        text = {name: cell_text(values.get(name)) for name in values}
        ok = True
        plan_code = text.get("plan", "")
        if not plan_code:
            self.report.reject(number, label["plan"], _("Planens kod saknas."))
            return
        plan = self.plans.setdefault(plan_code, _Item(number))
        if text.get("reason"):
            self.reasons.setdefault(plan_code, text["reason"])
        if text.get("org"):
            try:
                unit = self._unit(text["org"])
            except ValueError as exc:
                self.report.reject(number, label["org"], str(exc))
                ok = False
            else:
                ok &= self._merge(plan, number, "unit", unit.code, label["org"])
        ok &= self._merge(plan, number, "name", text.get("plan_name"), label["plan_name"])
        for name in ("start_year", "end_year"):
            good, year = self._int(number, values, name, 1990, 2100)
            ok &= good and self._merge(plan, number, name, year, label[name])
        ok &= self._merge(plan, number, "plan_model", text.get("plan_model"), label["plan_model"])

        path: list[str] = []
        gap = False
        for level in range(1, MAX_LEVELS + 1):
            name = text.get(f"goal{level}", "")
            if name and gap:
                self.report.reject(
                    number,
                    label[f"goal{level}"],
                    _("Mål på nivå %(level)s utan mål på nivån ovanför.") % {"level": level},
                )
                ok = False
                break
            if not name:
                gap = True
                continue
            if len(name) > 500:
                self.report.reject(number, label[f"goal{level}"], _("Målets namn är för långt."))
                ok = False
                break
            path.append(name)
            self.goals.setdefault((plan_code, tuple(path)), _Item(number))

        ind_code = text.get("indicator", "")
        placement_key = None
        if ind_code:
            ok &= self._read_indicator(number, values, text, ind_code)
            if not path:
                self.report.reject(
                    number,
                    label["indicator"],
                    _("Indikatorn måste placeras under ett mål (goal1 …)."),
                )
                ok = False
            else:
                placement_key = (plan_code, tuple(path), ind_code)
                placement = self.placements.setdefault(placement_key, _Item(number))
                ok &= self._read_placement(number, text, placement)
        else:
            for name in ("indicator_name", "baseline", "target"):
                if text.get(name):
                    self.report.reject(number, label[name], _("Ange indikatorns kod (indicator)."))
                    ok = False
        if placement_key is not None and (text.get("target") or text.get("target_year")):
            ok &= self._read_target(number, values, text, placement_key)

    def _read_indicator(self, number, values, text, code) -> bool:
        label = self.column_labels
        item = self.indicators.setdefault(code, _Item(number))
        ok = self._merge(item, number, "name", text.get("indicator_name"), label["indicator_name"])
        for name, table in (
            ("unit", UNITS),
            ("kind", KINDS),
            ("direction", DIRECTIONS),
            ("aggregation", AGGREGATIONS),
            ("measure_type", MEASURE_TYPES),
        ):
            good, choice = self._choice(number, values, name, table)
            ok &= good and self._merge(item, number, name, choice, label[name])
        if text.get("by_sex"):
            good, flag = self._bool(number, values, "by_sex")
            ok &= good and self._merge(item, number, "by_sex", flag, label["by_sex"])
        good, decimals = self._int(number, values, "decimals", 0, 6)
        ok &= good and self._merge(item, number, "decimals", decimals, label["decimals"])
        ok &= self._merge(item, number, "definition", text.get("definition"), label["definition"])
        ok &= self._merge(item, number, "source", text.get("source"), label["source"])
        kpi = (text.get("kolada_kpi") or "").strip().upper()
        ok &= self._merge(item, number, "kolada_kpi", kpi, label["kolada_kpi"])
        return ok

    def _read_placement(self, number, text, item: _Item) -> bool:
        label = self.column_labels
        ok = True
        baseline = text.get("baseline", "")
        if baseline:
            ok &= self._merge(item, number, "baseline_text", baseline, label["baseline"])
        period_text = text.get("baseline_period", "")
        if period_text:
            try:
                period = parse_period(period_text).canonical
            except PeriodError as exc:
                self.report.reject(number, label["baseline_period"], str(exc))
                ok = False
            else:
                ok &= self._merge(item, number, "baseline_period", period, label["baseline_period"])
        points = text.get("reporting_points", "")
        if points:
            ok &= self._merge(item, number, "reporting_points", points, label["reporting_points"])
        return ok

    def _read_target(self, number, values, text, placement_key) -> bool:
        label = self.column_labels
        target_text = text.get("target", "")
        if not target_text:
            self.report.reject(number, label["target"], _("Målvärde saknas."))
            return False
        if len(target_text) > 300:
            self.report.reject(number, label["target"], _("Målvärdet får vara högst 300 tecken."))
            return False
        good, year = self._int(number, values, "target_year", 1990, 2100)
        if not good:
            return False
        if year is None:
            self.report.reject(number, label["target_year"], _("Ange året målvärdet gäller."))
            return False
        good, long_term = self._bool(number, values, "long_term")
        if not good:
            return False
        unit_code = None
        if text.get("target_org"):
            try:
                unit_code = self._unit(text["target_org"]).code
            except ValueError as exc:
                self.report.reject(number, label["target_org"], str(exc))
                return False
        good, by_hand = self._bool(number, values, "by_hand")
        if not good:
            return False
        key = (placement_key, year, unit_code, long_term)
        item = self.targets.setdefault(key, _Item(number))
        return self._merge(item, number, "text", target_text, label["target"]) and self._merge(
            item, number, "by_hand", by_hand, label["by_hand"]
        )

    # --- writing ----------------------------------------------------------------
    #
    # Every object is written by a planning service (create_plan, update_plan,
    # create_indicator, update_indicator, create_goal, place_indicator,
    # update_placement, set_target) inside the import's one transaction, so the
    # permission checks, rules and history are those of the web form and the API. An
    # object the file leaves as it is goes to no service: a re-import writes nothing.

    def finish(self) -> None:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        self._counts = counts
        for code, item in self.plans.items():
            self._write_plan(code, item)
        if not self.report.ok:
            return
        for code, item in self.indicators.items():
            self._write_indicator(code, item)
        if not self.report.ok:
            return
        for (plan_code, path), item in self.goals.items():
            self._write_goal(plan_code, path, item)
        for key, item in self.placements.items():
            self._write_placement(key, item)
        for key, item in self.targets.items():
            self._write_target(key, item)
        self.report.created = counts["created"]
        self.report.updated = counts["updated"]
        self.report.unchanged = counts["unchanged"]

    def _may_plan(self, unit) -> bool:
        return self.scope is None or self.scope.allows(Action.PLAN, unit)

    def _reject_error(self, item: _Item, labels: dict[str, str], exc: ValidationError) -> None:
        """A service's field errors as row errors in the columns the labels name."""
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                self.report.reject(
                    item.row, labels.get(name, labels["__all__"]), " ".join(messages)
                )
        else:
            self.report.reject(item.row, labels["__all__"], " ".join(exc.messages))

    def _write(self, item: _Item, labels: dict[str, str], write, created: bool, **kwargs):
        """Call the service `write` for `item` as the importing user and count it; a
        refusal becomes a row error (the transaction is rolled back at the end)."""
        if getattr(write, "__name__", "") in _REVISING:
            plan = kwargs.get("plan") or getattr(
                kwargs.get("placement") or kwargs.get("goal"), "plan", None
            )
            if plan is not None and self.reasons.get(plan.code):
                kwargs["reason"] = self.reasons[plan.code]
        try:
            obj = write(user=self.user, **kwargs)
        except PermissionDenied as exc:
            self.report.reject(item.row, labels["__all__"], str(exc), forbidden=True)
            return None
        except ValidationError as exc:
            self._reject_error(item, labels, exc)
            return None
        item.obj = obj
        self._counts["created" if created else "updated"] += 1
        return obj

    def _unchanged(self, item: _Item, obj) -> None:
        item.obj = obj
        self._counts["unchanged"] += 1

    @staticmethod
    def _changes(obj, wanted: dict) -> dict:
        """The wanted attributes that differ from `obj`'s."""
        return {name: value for name, value in wanted.items() if getattr(obj, name) != value}

    def _write_plan(self, code: str, item: _Item) -> None:
        from styrkort.planning import services

        label = self.column_labels
        attrs = dict(item.attrs)
        plan = self.existing_plans.get(code)
        unit = self.units[attrs.pop("unit")] if "unit" in attrs else None
        model_name = attrs.pop("plan_model", None)
        if plan is None:
            missing = [
                label[n]
                for n, key in (
                    ("org", "unit"),
                    ("plan_name", "name"),
                    ("start_year", "start_year"),
                    ("end_year", "end_year"),
                )
                if (key == "unit" and unit is None) or (key != "unit" and key not in attrs)
            ]
            if missing:
                self.report.reject(
                    item.row,
                    missing[0],
                    _("Planen %(code)s finns inte; för en ny plan krävs %(missing)s.")
                    % {"code": code, "missing": ", ".join(missing)},
                )
                return
        elif unit is not None and unit.pk != plan.unit_id:
            self.report.reject(
                item.row,
                label["org"],
                _("Planen %(code)s hör till %(unit)s, inte %(other)s.")
                % {"code": code, "unit": plan.unit.name, "other": unit.name},
            )
            return
        plan_unit = unit if plan is None else plan.unit
        if not self._may_plan(plan_unit):
            self.report.reject(
                item.row,
                label["plan"],
                _("Du saknar behörighet att ändra planen för %(unit)s.") % {"unit": plan_unit.name},
                forbidden=True,
            )
            return
        models = self.plan_models.get(plan_unit.organisation_id, [])
        if model_name:
            chosen = [m for m in models if _fold(m.name) == _fold(model_name)]
            if not chosen:
                self.report.reject(
                    item.row,
                    label["plan_model"],
                    _("Okänd styrmodell '%(name)s'.") % {"name": model_name},
                )
                return
            attrs["plan_model"] = chosen[0]
        elif plan is None:
            if len(models) != 1:
                self.report.reject(
                    item.row,
                    label["plan_model"],
                    _("Ange styrmodell: organisationen har ingen.")
                    if not models
                    else _("Ange styrmodell: organisationen har %(count)s styrmodeller.")
                    % {"count": len(models)},
                )
                return
            attrs["plan_model"] = models[0]
        labels = {
            "code": label["plan"],
            "unit": label["org"],
            "name": label["plan_name"],
            "start_year": label["start_year"],
            "end_year": label["end_year"],
            "plan_model": label["plan_model"],
            "__all__": label["plan"],
        }
        if plan is None:
            self._write(item, labels, services.create_plan, True, code=code, unit=unit, **attrs)
            return
        changes = self._changes(plan, attrs)
        if changes:
            self._write(item, labels, services.update_plan, False, plan=plan, **changes)
        else:
            self._unchanged(item, plan)

    def _write_indicator(self, code: str, item: _Item) -> None:
        from styrkort.planning import services

        label = self.column_labels
        labels = {
            "code": label["indicator"],
            "name": label["indicator_name"],
            "unit": label["unit"],
            "kind": label["kind"],
            "direction": label["direction"],
            "aggregation": label["aggregation"],
            "measure_type": label["measure_type"],
            "by_sex": label["by_sex"],
            "definition": label["definition"],
            "source": label["source"],
            "kolada_kpi": label["kolada_kpi"],
            "decimals": label["decimals"],
            "__all__": label["indicator"],
        }
        try:
            wanted = services.indicator_values(item.attrs)
        except ValidationError as exc:
            self._reject_error(item, labels, exc)
            return
        indicator = self.existing_indicators.get(code)
        plans = {}
        for plan_code, _path, ind in self.placements:
            plan = self.plans[plan_code].obj
            if ind == code and plan is not None:
                plans.setdefault(plan.unit.organisation_id, plan)
        if indicator is None:
            if "name" not in wanted:
                self.report.reject(
                    item.row,
                    label["indicator_name"],
                    _("Indikatorn %(code)s finns inte; för en ny indikator krävs indikatornamn.")
                    % {"code": code},
                )
                return
            if len(plans) != 1:
                self.report.reject(
                    item.row,
                    label["indicator"],
                    _("Indikatorn %(code)s måste placeras i planer i en och samma organisation.")
                    % {"code": code},
                )
                return
            (plan,) = plans.values()
            self._write(
                item, labels, services.create_indicator, True, plan=plan, code=code, **wanted
            )
            return
        if set(plans) - {indicator.organisation_id}:
            self.report.reject(
                item.row,
                label["indicator"],
                _("Indikatorn %(code)s hör till en annan organisation än planen.") % {"code": code},
            )
            return
        changes = self._changes(indicator, wanted)
        if not changes:
            self._unchanged(item, indicator)
            return
        if self.scope is not None:
            roots = [
                u
                for u in self.units.values()
                if u.depth == 1 and u.organisation_id == indicator.organisation_id
            ]
            if not any(self.scope.allows(Action.PLAN, r) for r in roots):
                self.report.reject(
                    item.row,
                    label["indicator"],
                    _(
                        "Indikatorn %(code)s finns redan; dess egenskaper kan bara ändras av den "
                        "som planerar för hela organisationen."
                    )
                    % {"code": code},
                    forbidden=True,
                )
                return
        self._write(item, labels, services.update_indicator, False, indicator=indicator, **changes)

    def _write_goal(self, plan_code: str, path: tuple, item: _Item) -> None:
        from styrkort.planning import services
        from styrkort.planning.models import Goal

        plan = self.plans[plan_code].obj
        parent = self.goals[(plan_code, path[:-1])].obj if len(path) > 1 else None
        if plan is None or (len(path) > 1 and parent is None):
            return
        existing = Goal.objects.filter(
            plan=plan, parent=parent, name=path[-1], level=len(path)
        ).first()
        if existing is not None:
            self._unchanged(item, existing)
            return
        column = self.column_labels[f"goal{len(path)}"]
        labels = {"name": column, "__all__": column}
        self._write(
            item, labels, services.create_goal, True, plan=plan, parent=parent, name=path[-1]
        )

    def _write_placement(self, key: tuple, item: _Item) -> None:
        from styrkort.planning import services
        from styrkort.planning.models import PlanIndicator

        plan_code, path, code = key
        goal = self.goals[(plan_code, path)].obj
        indicator = self.indicators[code].obj
        if goal is None or indicator is None:
            return
        attrs = dict(item.attrs)
        if "baseline_text" in attrs:
            try:
                attrs["baseline_value"] = parse_number(attrs["baseline_text"])
            except NumberError:
                attrs["baseline_value"] = None
        label = self.column_labels
        labels = {
            "baseline_text": label["baseline"],
            "baseline_value": label["baseline"],
            "baseline_period": label["baseline_period"],
            "reporting_points": label["reporting_points"],
            "__all__": label["indicator"],
        }
        placement = PlanIndicator.objects.filter(goal=goal, indicator=indicator).first()
        if placement is None:
            self._write(
                item,
                labels,
                services.place_indicator,
                True,
                goal=goal,
                indicator=indicator,
                **attrs,
            )
            return
        changes = self._changes(placement, attrs)
        if changes:
            self._write(
                item, labels, services.update_placement, False, placement=placement, **changes
            )
        else:
            self._unchanged(item, placement)

    def _write_target(self, key: tuple, item: _Item) -> None:
        from styrkort.planning import services
        from styrkort.planning.models import Target

        placement_key, year, unit_code, long_term = key
        placement = self.placements[placement_key].obj
        if placement is None:
            return
        unit = self.units[unit_code] if unit_code else None
        text = item.attrs["text"]
        by_hand = bool(item.attrs.get("by_hand"))
        target = Target.objects.filter(
            placement=placement, year=year, unit=unit, is_long_term=long_term
        ).first()
        if target is not None and target.text == text and target.assessed_by_hand == by_hand:
            self._unchanged(item, target)
            return
        label = self.column_labels
        labels = {
            "text": label["target"],
            "year": label["target_year"],
            "unit": label["target_org"],
            "__all__": label["target"],
        }
        self._write(
            item,
            labels,
            services.set_target,
            target is None,
            placement=placement,
            year=year,
            unit=unit,
            is_long_term=long_term,
            text=text,
            note="" if target is None else target.note,
            assessed_by_hand=by_hand,
        )


register(PlanImporter)
