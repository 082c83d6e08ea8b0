"""Write services for the income statement, amounts, frames and investments.

Each runs in one transaction, takes the acting user as a keyword argument, checks the
permission with organisation.permissions.require and records history with that user:
"plan" for budgets, forecasts, plans, frames and investments, "report" for actuals,
"admin" for the organisation's line structure. Amounts are tkr.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from styrkort.followup.services import UpsertResult
from styrkort.organisation.models import OrgUnit
from styrkort.organisation.permissions import Action, require, scope_for
from styrkort.writes import service

from .models import (
    Amount,
    AmountKind,
    Frame,
    FrameChange,
    FrameChangeCategory,
    Investment,
    InvestmentFrame,
    LedgerLine,
)
from .rules import TKR_FACTORS, LedgerFigures, in_unit, leaves_under
from .rules import ledger_deviations as deviations_of

KIND_ALIASES = {
    "actual": AmountKind.ACTUAL,
    "utfall": AmountKind.ACTUAL,
    "bokslut": AmountKind.ACTUAL,
    "budget": AmountKind.BUDGET,
    "forecast": AmountKind.FORECAST,
    "prognos": AmountKind.FORECAST,
    "plan": AmountKind.PLAN,
}


def _acting(user):
    return user if getattr(user, "is_authenticated", False) else None


#: What to_money names in its messages unless told otherwise.
AMOUNT = gettext_lazy("Beloppet")


def to_money(value, what: str = AMOUNT) -> Decimal:
    """A Decimal from a number or Swedish text ("-1 073 400", "8 712,1"); ValueError with a
    message in the active language otherwise."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError(_("%(what)s saknas.") % {"what": what})
    if isinstance(value, str):
        from styrkort.io.numbers import parse_number

        value = parse_number(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(
            _("%(what)s är inget tal: %(value)s.") % {"what": what, "value": repr(value)}
        ) from None
    if not number.is_finite():
        raise ValueError(
            _("%(what)s är inget ändligt tal: %(value)s.") % {"what": what, "value": repr(value)}
        )
    return number


def action_for(kind: str) -> Action:
    """Actuals are reported ("report"); budgets, forecasts and plans are planned ("plan")."""
    return Action.REPORT if kind == AmountKind.ACTUAL else Action.PLAN


# --- amounts --------------------------------------------------------------------------


@dataclass
class AmountRow:
    """A validated amount to write."""

    line: LedgerLine
    unit: OrgUnit
    year: int
    kind: str
    month: int | None
    value: Decimal
    note: str = ""
    source: str = ""

    @property
    def key(self) -> tuple:
        return (self.line.pk, self.unit.pk, self.year, self.kind, self.month)


class AmountRowsError(ValidationError):
    """Some rows were rejected; `row_errors` lists (row number from 1, message)."""

    def __init__(self, row_errors: list[tuple[int, str]]):
        self.row_errors = row_errors
        super().__init__(
            [_("Rad %(row)s: %(message)s") % {"row": n, "message": msg} for n, msg in row_errors]
        )


def validate_amount_rows(rows: Iterable[Mapping]) -> tuple[list[AmountRow], list[tuple[int, str]]]:
    """Check rows given as mappings with `line` (code or LedgerLine), `unit` (code or
    OrgUnit), `year`, `kind` (actual/budget/forecast/plan or utfall/bokslut/prognos),
    optional `month` (1-12, empty for the year), `value` (tkr; number or Swedish text),
    optional `note` and `source`. Returns the clean rows and [(row number, message)]."""
    rows = list(rows)
    unit_codes = {r.get("unit") for r in rows if isinstance(r.get("unit"), str)}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=unit_codes)}
    lines: dict[tuple[int, str], LedgerLine] = {}
    for line in LedgerLine.objects.filter(organisation__units__code__in=unit_codes).distinct():
        lines[(line.organisation_id, line.code)] = line
    parents = set(
        LedgerLine.objects.filter(parent__isnull=False).values_list("parent_id", flat=True)
    )
    clean, errors, seen = [], [], {}
    for n, raw in enumerate(rows, start=1):
        try:
            clean_row = _clean_amount_row(raw, units, lines, parents)
        except ValueError as exc:
            errors.append((n, str(exc)))
            continue
        if clean_row.key in seen:
            errors.append((n, _("samma belopp som rad %(row)s.") % {"row": seen[clean_row.key]}))
            continue
        seen[clean_row.key] = n
        clean.append(clean_row)
    return clean, errors


def _clean_amount_row(raw: Mapping, units, lines, parents) -> AmountRow:
    unit = raw.get("unit")
    if not isinstance(unit, OrgUnit):
        if unit not in units:
            raise ValueError(_("okänd enhet '%(unit)s'.") % {"unit": unit})
        unit = units[unit]
    line = raw.get("line")
    if not isinstance(line, LedgerLine):
        key = (unit.organisation_id, str(line))
        if key not in lines:
            line = LedgerLine.objects.filter(
                organisation_id=unit.organisation_id, code=str(line)
            ).first()
            if line is None:
                raise ValueError(
                    _("okänd resultaträkningsrad '%(line)s'.") % {"line": raw.get("line")}
                )
            lines[key] = line
        line = lines[key]
    if line.organisation_id != unit.organisation_id:
        raise ValueError(
            _("raden %(line)s hör till en annan organisation än %(unit)s.")
            % {"line": line.code, "unit": unit.code}
        )
    if line.pk in parents:
        raise ValueError(
            _("raden %(line)s är en summarad; ange belopp på raderna under den.")
            % {"line": line.code}
        )
    kind = KIND_ALIASES.get(str(raw.get("kind", "")).strip().lower())
    if kind is None:
        raise ValueError(
            _("okänd typ '%(kind)s' (actual, budget, forecast, plan).") % {"kind": raw.get("kind")}
        )
    year = raw.get("year")
    try:
        year = int(str(year))
    except ValueError:
        raise ValueError(_("ogiltigt år '%(year)s'.") % {"year": year}) from None
    if not 1990 <= year <= 2100:
        raise ValueError(_("ogiltigt år '%(year)s'.") % {"year": year})
    month = raw.get("month")
    if month in (None, ""):
        month = None
    else:
        try:
            month = int(str(month))
        except ValueError:
            raise ValueError(_("ogiltig månad '%(month)s'.") % {"month": month}) from None
        if not 1 <= month <= 12:
            raise ValueError(_("ogiltig månad '%(month)s' (1–12).") % {"month": month})
    value = to_money(raw.get("value"))
    return AmountRow(
        line=line,
        unit=unit,
        year=year,
        kind=kind,
        month=month,
        value=value,
        note=str(raw.get("note") or "")[:500],
        source=str(raw.get("source") or "")[:200],
    )


@service
def upsert_amounts(
    rows: Iterable[Mapping | AmountRow],
    *,
    user,
    source: str = "",
    dry_run: bool = False,
    batch_size: int = 5000,
) -> UpsertResult:
    """Insert or update income-statement amounts in one transaction, history included.

    Rows are mappings (see validate_amount_rows) or AmountRow. Nothing is written when any
    row is rejected (AmountRowsError lists them) or the user may not write one of them
    (PermissionDenied naming the unit): actuals need "report", the other kinds "plan".
    With `dry_run` everything is checked and counted, then rolled back."""
    rows = list(rows)
    clean = [r for r in rows if isinstance(r, AmountRow)]
    mappings = [r for r in rows if not isinstance(r, AmountRow)]
    if mappings:
        more, errors = validate_amount_rows(mappings)
        if errors:
            raise AmountRowsError(errors)
        clean.extend(more)
    scope = scope_for(user)
    for unit, action in {(r.unit, action_for(r.kind)) for r in clean}:
        if not scope.allows(action, unit):
            require(user, action, unit)
    return write_amounts(clean, user=user, source=source, dry_run=dry_run, batch_size=batch_size)


@service
def write_amounts(
    clean: Sequence[AmountRow],
    *,
    user,
    source: str = "",
    dry_run: bool = False,
    batch_size: int = 5000,
) -> UpsertResult:
    """Write validated rows whose permissions the caller has checked (upsert_amounts, or
    the ledger importer that checks them row by row; `user` None is a trusted system
    import). Unchanged amounts are not written; history records `user`."""
    acting, now = _acting(user), timezone.now()
    result = UpsertResult()
    with transaction.atomic():
        existing = _existing_amounts(clean)
        to_create, to_update = [], []
        for row in clean:
            current = existing.get(row.key)
            if current is None:
                to_create.append(
                    Amount(
                        line=row.line,
                        unit=row.unit,
                        year=row.year,
                        kind=row.kind,
                        month=row.month,
                        value=row.value,
                        note=row.note,
                        source=row.source or source,
                        updated_by=acting,
                    )
                )
                continue
            if current.value == row.value and (not row.note or current.note == row.note):
                result.unchanged += 1
                continue
            current.value, current.note = row.value, row.note or current.note
            current.source, current.updated_by, current.updated_at = (
                row.source or source or current.source,
                acting,
                now,
            )
            to_update.append(current)
        if to_create:
            bulk_create_with_history(to_create, Amount, batch_size=batch_size, default_user=acting)
        if to_update:
            bulk_update_with_history(
                to_update,
                Amount,
                ["value", "note", "source", "updated_by", "updated_at"],
                batch_size=batch_size,
                default_user=acting,
            )
        result.created, result.updated = len(to_create), len(to_update)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _existing_amounts(rows: Sequence[AmountRow]) -> dict[tuple, Amount]:
    groups: dict[tuple[int, int], set[int]] = {}
    for row in rows:
        groups.setdefault((row.unit.pk, row.year), set()).add(row.line.pk)
    found = {}
    for (unit_id, year), line_ids in groups.items():
        for amount in Amount.objects.filter(unit_id=unit_id, year=year, line_id__in=line_ids):
            found[(amount.line_id, unit_id, year, amount.kind, amount.month)] = amount
    return found


# --- structure, frames, investments ---------------------------------------------------------


def _root_of(organisation) -> OrgUnit:
    root = OrgUnit.objects.get_root_nodes().filter(organisation=organisation).first()
    if root is None:
        raise ValidationError(_("Organisationen saknar enheter."))
    return root


@service
def save_ledger_line(
    organisation,
    *,
    user,
    code: str,
    name: str,
    parent: LedgerLine | None = None,
    heading: str = "",
    order: int = 0,
    account_range: str = "",
) -> LedgerLine:
    """Create or change (by code) a line of the organisation's income statement.

    A line that holds amounts cannot become a subtotal (its amounts would be hidden)."""
    require(user, Action.ADMIN, _root_of(organisation))
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError(_("Den överordnade raden hör till en annan organisation."))
    if parent is not None and parent.amounts.exists():
        raise ValidationError(
            _("Raden %(line)s har belopp och kan inte bli en summarad.") % {"line": parent.name}
        )
    line = LedgerLine.objects.filter(organisation=organisation, code=code).first()
    line = line or LedgerLine(organisation=organisation, code=code)
    node = parent
    while node is not None:
        if line.pk and node.pk == line.pk:
            raise ValidationError(_("En rad kan inte summeras i sig själv."))
        node = node.parent
    line.name, line.parent, line.heading = name, parent, heading
    line.order, line.account_range = order, account_range
    line._history_user = _acting(user)
    line.full_clean(validate_unique=False, validate_constraints=False)
    line.save()
    return line


@service
def save_frame(
    unit: OrgUnit,
    year: int,
    *,
    user,
    code: str,
    name: str,
    base_amount=None,
    changes: Sequence[Mapping] | None = None,
    recipient: str = "",
    parent: Frame | None = None,
    order: int = 0,
    note: str = "",
    source: str = "",
) -> Frame:
    """Create or change (by code) a budget frame; `changes` ({name, amount, category})
    replace the frame's changes when given. Amounts tkr; reductions negative."""
    require(user, Action.PLAN, unit)
    frame = Frame.objects.filter(code=code).first() or Frame(code=code)
    if frame.pk and frame.unit_id != unit.pk:
        require(user, Action.PLAN, frame.unit)
    frame.unit, frame.year, frame.name, frame.recipient = unit, year, name, recipient
    try:
        frame.base_amount = None if base_amount is None else to_money(base_amount)
    except ValueError as exc:
        raise ValidationError({"base_amount": str(exc)}) from None
    frame.parent, frame.order, frame.note, frame.source = parent, order, note, source
    frame._history_user = _acting(user)
    frame.full_clean(validate_unique=False, validate_constraints=False)
    frame.save()
    if changes is not None:
        for old in frame.changes.all():
            old._history_user = _acting(user)
            old.delete()
        for i, change in enumerate(changes):
            category = change.get("category") or FrameChangeCategory.OTHER
            if category not in FrameChangeCategory.values:
                raise ValidationError(
                    _("Okänd kategori för ramförändring: %(category)s.") % {"category": category}
                )
            try:
                amount = to_money(
                    change.get("amount"),
                    _("Beloppet för %(name)s") % {"name": change.get("name")},
                )
            except ValueError as exc:
                raise ValidationError(str(exc)) from None
            row = FrameChange(
                frame=frame,
                name=str(change.get("name") or ""),
                category=category,
                amount=amount,
                order=i,
                note=str(change.get("note") or ""),
            )
            if not row.name:
                raise ValidationError(_("Ange en benämning för ramförändringen."))
            row._history_user = _acting(user)
            row.save()
    return frame


@service
def save_investment(
    unit: OrgUnit,
    year: int,
    *,
    user,
    name: str,
    amount,
    category: str = "",
    investment: Investment | None = None,
    order: int = 0,
    note: str = "",
    source: str = "",
) -> Investment:
    """Create an investment object (or change `investment`); amount in tkr, not negative."""
    require(user, Action.PLAN, unit)
    if investment is not None and investment.unit_id != unit.pk:
        require(user, Action.PLAN, investment.unit)
    try:
        money = to_money(amount)
    except ValueError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    if money < 0:
        raise ValidationError({"amount": _("Ett investeringsbelopp kan inte vara negativt.")})
    obj = investment or Investment()
    obj.unit, obj.year, obj.name, obj.category, obj.amount = unit, year, name, category, money
    obj.order, obj.note, obj.source = order, note, source
    obj._history_user = _acting(user)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    return obj


@service
def save_investment_frame(
    unit: OrgUnit,
    year: int,
    *,
    user,
    amount,
    decision_level: str = "",
    category: str = "",
    order: int = 0,
    note: str = "",
    source: str = "",
) -> InvestmentFrame:
    """Create or change the investment frame of a unit, year, decision level and category."""
    require(user, Action.PLAN, unit)
    try:
        money = to_money(amount)
    except ValueError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    if money < 0:
        raise ValidationError({"amount": _("En investeringsram kan inte vara negativ.")})
    obj = InvestmentFrame.objects.filter(
        unit=unit, year=year, decision_level=decision_level, category=category
    ).first() or InvestmentFrame(
        unit=unit, year=year, decision_level=decision_level, category=category
    )
    obj.amount, obj.order, obj.note, obj.source = money, order, note, source
    obj._history_user = _acting(user)
    obj.save()
    return obj


# --- indicators fed from the ledger ---------------------------------------------------------

LEDGER_DATA_SOURCE = "Ekonomisystem"


@service
def bind_ledger_indicator(indicator, *, user, line: LedgerLine | None = None, basis="actual"):
    """Mark `indicator` as fed from the ledger: its outcomes become `line` (default the
    result line) as actual (or forecast) minus budget. Needs "plan" on the organisation's
    top unit, like other organisation-wide indicator changes."""
    from .models import LedgerBasis, LedgerIndicator

    require(user, Action.PLAN, _root_of(indicator.organisation))
    if indicator.unit not in TKR_FACTORS:
        raise ValidationError(
            {
                "indicator": _(
                    "Indikatorn %(indicator)s har enheten '%(unit)s'; "
                    "ett belopp ur resultaträkningen kräver kr, tkr eller mnkr."
                )
                % {"indicator": indicator.code, "unit": indicator.unit}
            }
        )
    if line is not None and line.organisation_id != indicator.organisation_id:
        raise ValidationError({"line": _("Raden hör till en annan organisation än indikatorn.")})
    if basis not in LedgerBasis.values:
        raise ValidationError(
            {"basis": _("Okänd jämförelse: %(basis)s (actual eller forecast).") % {"basis": basis}}
        )
    binding = LedgerIndicator.objects.filter(indicator=indicator).first()
    binding = binding or LedgerIndicator(indicator=indicator)
    binding.line, binding.basis = line, basis
    binding._history_user = _acting(user)
    binding.save()
    return binding


@dataclass
class FeedResult:
    """What feed_ledger_indicators wrote: outcome counts and the values per
    (indicator code, unit code, period)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    values: dict = None
    skipped: list = None

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "outcomes": [
                {"indicator": i, "org": u, "period": p, "value": float(v)}
                for (i, u, p), v in (self.values or {}).items()
            ],
            "skipped": list(self.skipped or []),
        }


def ledger_deviations(binding, unit_years) -> dict:
    """{(unit, period): deviation in tkr} for a binding and (unit, year) pairs: the stored
    amounts of each unit (its own) on the leaves under the bound line, read by
    ``economy.rules.ledger_deviations`` (the year, and DÅ04/DÅ08 from monthly figures)."""
    from .queries import result_line

    org_id = binding.indicator.organisation_id
    lines = list(LedgerLine.objects.filter(organisation_id=org_id).values_list("pk", "parent_id"))
    children: dict[int, list[int]] = {}
    for pk, parent in lines:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    line = binding.line or result_line(binding.indicator.organisation)
    if line is None:
        return {}
    leaves = leaves_under(line.pk, children)
    basis = binding.basis
    result = {}
    for unit, year in unit_years:
        rows = Amount.objects.filter(
            unit=unit, year=year, line_id__in=leaves, kind__in=[basis, AmountKind.BUDGET]
        ).values_list("line_id", "kind", "month", "value")
        figures = LedgerFigures(rows, leaves)
        for period, amount in deviations_of(figures, year, str(basis)).items():
            result[(unit, period)] = amount
    return result


@service
def feed_ledger_indicators(
    *, organisation=None, units=None, years=None, user=None, dry_run: bool = False
) -> FeedResult:
    """Write the outcomes of every indicator bound to the ledger (LedgerIndicator) from
    the stored amounts: per unit with amounts, year and reporting point, as
    `bulk_upsert_outcomes` with source "import" and data source "Ekonomisystem".

    Limit to an organisation, some units and/or years. `user` None is a trusted system
    run (the command line, an import without a user); otherwise the user must be allowed
    to report for the units."""
    from styrkort.followup.models import OutcomeSource
    from styrkort.followup.services import (
        OutcomeInput,
        bulk_upsert_outcomes,
        validate_outcome,
    )

    from .models import LedgerBasis, LedgerIndicator

    bindings = LedgerIndicator.objects.select_related("indicator__organisation", "line")
    if organisation is not None:
        bindings = bindings.filter(indicator__organisation=organisation)
    result = FeedResult(values={}, skipped=[])
    rows = []
    for binding in bindings:
        indicator = binding.indicator
        pairs = Amount.objects.filter(
            unit__organisation_id=indicator.organisation_id,
            kind__in=[binding.basis, AmountKind.BUDGET],
        )
        if units is not None:
            pairs = pairs.filter(unit__in=list(units))
        if years is not None:
            pairs = pairs.filter(year__in=list(years))
        unit_ids_years = set(pairs.values_list("unit_id", "year"))
        by_id = OrgUnit.objects.in_bulk({u for u, _y in unit_ids_years})
        unit_years = sorted(
            ((by_id[u], y) for u, y in unit_ids_years), key=lambda p: (p[0].path, p[1])
        )
        if indicator.unit not in TKR_FACTORS:
            result.skipped.append(
                _("%(indicator)s: enheten '%(unit)s' är inget belopp.")
                % {"indicator": indicator.code, "unit": indicator.unit}
            )
            continue
        note = "Prognos mot budget" if binding.basis == LedgerBasis.FORECAST else ""
        for (unit, period), amount in ledger_deviations(binding, unit_years).items():
            value = in_unit(amount, indicator.unit)
            row = OutcomeInput(
                indicator=indicator,
                unit=unit,
                period=period,
                value=float(value),
                data_source=LEDGER_DATA_SOURCE,
                note=note,
            )
            errors = validate_outcome(row)
            if errors:
                result.skipped.append(
                    f"{indicator.code} {unit.code} {period.canonical}: " + " ".join(errors.values())
                )
                continue
            rows.append(row)
            result.values[(indicator.code, unit.code, period.canonical)] = value
    if rows:
        written = bulk_upsert_outcomes(
            rows, user=user, source=OutcomeSource.IMPORT, check_permissions=user is not None
        )
        result.created, result.updated = written.created, written.updated
        result.unchanged = written.unchanged
    if dry_run:
        transaction.set_rollback(True)
    return result


# --- deleting -------------------------------------------------------------------------------


@service
def delete_ledger_line(line: LedgerLine, *, user) -> None:
    """Remove an income-statement line that holds no amounts, has no sub-lines and feeds
    no indicator. Needs "admin" on the organisation's top unit."""
    from .models import LedgerIndicator

    require(user, Action.ADMIN, _root_of(line.organisation))
    if line.children.exists():
        raise ValidationError(
            _("Raden %(line)s har underrader; ta bort dem först.") % {"line": line.name}
        )
    if line.amounts.exists():
        raise ValidationError(
            _("Raden %(line)s har belopp och kan inte tas bort.") % {"line": line.name}
        )
    binding = LedgerIndicator.objects.filter(line=line).select_related("indicator").first()
    if binding is not None:
        raise ValidationError(
            _("Raden %(line)s används av indikatorn %(indicator)s och kan inte tas bort.")
            % {"line": line.name, "indicator": binding.indicator.code}
        )
    line._history_user = _acting(user)
    line.delete()


@service
def delete_amount(amount: Amount, *, user) -> None:
    """Remove one amount: actuals need "report", the other kinds "plan" on the unit."""
    require(user, action_for(amount.kind), amount.unit)
    amount._history_user = _acting(user)
    amount.delete()


@service
def delete_frame(frame: Frame, *, user) -> None:
    """Remove a budget frame with its changes (not one with sub-frames). Needs "plan" on
    the unit."""
    require(user, Action.PLAN, frame.unit)
    if Frame.objects.filter(parent=frame).exists():
        raise ValidationError(
            _("Ramen %(code)s har underordnade ramar; ta bort dem först.") % {"code": frame.code}
        )
    frame._history_user = _acting(user)
    frame.delete()


@service
def delete_investment(investment: Investment, *, user) -> None:
    """Remove an investment object. Needs "plan" on the unit."""
    require(user, Action.PLAN, investment.unit)
    investment._history_user = _acting(user)
    investment.delete()


@service
def delete_investment_frame(frame: InvestmentFrame, *, user) -> None:
    """Remove an investment frame. Needs "plan" on the unit."""
    require(user, Action.PLAN, frame.unit)
    frame._history_user = _acting(user)
    frame.delete()
