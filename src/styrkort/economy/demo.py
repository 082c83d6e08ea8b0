"""Demo fixture kinds `ledger`, `investments` and `frames` (docs/risk-economy.md).

Amounts in a file are in its `currency_unit` (tkr or mnkr) and stored in tkr."""

from __future__ import annotations

from decimal import Decimal

from styrkort.demo.loader import LoadContext, register_kind

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

SCALE = {"tkr": Decimal(1), "mnkr": Decimal(1000)}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _check_keys(ctx: LoadContext, data, allowed: set[str]) -> None:
    if not isinstance(data, dict):
        raise ctx.error("förväntade en mappning", data)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ctx.error("okänt fält", ", ".join(unknown))


def _scale(ctx: LoadContext, doc: dict) -> Decimal:
    return SCALE[ctx.choice(doc.get("currency_unit", "tkr"), SCALE, "currency_unit")]


def _money(ctx: LoadContext, value, scale: Decimal, what: str) -> Decimal | None:
    number = ctx.number(value, what)
    if number is None:
        return None
    # Through str: 8712.1 mnkr must become exactly 8 712 100 tkr.
    return Decimal(str(value)) * scale


def _int(ctx: LoadContext, value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ctx.error(f"{what} ska vara ett heltal", value)
    return value


# --- ledger ----------------------------------------------------------------------------------


def load_ledger(doc: dict, ctx: LoadContext) -> None:
    """Lines (a tree), then the unit's amounts per leaf line in the file's columns."""
    _check_keys(
        ctx,
        doc,
        {"seed", "section", "kind", "organisation", "unit", "currency_unit", "lines",
         "columns", "amounts", "note"},
    )  # fmt: skip
    organisation = ctx.organisation(ctx.require(doc, "organisation"))
    scale = _scale(ctx, doc)
    order = [0]
    leaves: dict[str, LedgerLine] = {}

    def walk(specs, parent):
        for spec in specs:
            _check_keys(ctx, spec, {"code", "name", "heading", "children", "account_range"})
            code = ctx.code(ctx.require(spec, "code"))
            with ctx.at(f"rad {code}"):
                order[0] += 1
                line = ctx.upsert(
                    LedgerLine,
                    {"organisation": organisation, "code": code},
                    {
                        "name": _text(ctx.require(spec, "name")),
                        "heading": _text(spec.get("heading")),
                        "parent": parent,
                        "order": order[0],
                        "account_range": _text(spec.get("account_range")),
                    },
                )
                if spec.get("children"):
                    walk(spec["children"], line)
                else:
                    leaves[code] = line

    walk(ctx.require(doc, "lines"), None)
    if not doc.get("amounts"):
        return
    unit = ctx.unit(ctx.require(doc, "unit"))
    if unit.organisation_id != organisation.pk:
        raise ctx.error("enheten hör till en annan organisation", unit.code)
    columns = []
    for spec in ctx.require(doc, "columns"):
        _check_keys(ctx, spec, {"year", "kind", "month", "note"})
        columns.append(
            (
                _int(ctx, ctx.require(spec, "year"), "year"),
                ctx.choice(ctx.require(spec, "kind"), AmountKind.values, "kind"),
                spec.get("month"),
                _text(spec.get("note")),
            )
        )
    source = f"Seed {doc['seed']}: {doc['section']}"
    for code, values in doc["amounts"].items():
        with ctx.at(f"belopp {code}"):
            if code not in leaves:
                raise ctx.error("okänd rad eller summarad (belopp bara på understa rader)", code)
            if not isinstance(values, list) or len(values) != len(columns):
                raise ctx.error(f"ange {len(columns)} belopp, ett per kolumn", values)
            for (year, kind, month, note), value in zip(columns, values, strict=True):
                if value is None:
                    continue
                ctx.upsert(
                    Amount,
                    {"line": leaves[code], "unit": unit, "year": year, "kind": kind,
                     "month": month},
                    {"value": _money(ctx, value, scale, code), "note": note, "source": source},
                )  # fmt: skip


# --- investments --------------------------------------------------------------------------


def load_investments(doc: dict, ctx: LoadContext) -> None:
    """Investment frames (decision level x category) and investment objects per unit."""
    _check_keys(
        ctx,
        doc,
        {"seed", "section", "kind", "unit", "year", "currency_unit", "frames", "objects",
         "note"},
    )  # fmt: skip
    unit = ctx.unit(ctx.require(doc, "unit"))
    year = _int(ctx, ctx.require(doc, "year"), "year")
    scale = _scale(ctx, doc)
    source = f"Seed {doc['seed']}: {doc['section']}"
    for i, spec in enumerate(doc.get("frames") or []):
        with ctx.at(f"ram {i + 1}"):
            _check_keys(ctx, spec, {"decision_level", "category", "amount", "note"})
            ctx.upsert(
                InvestmentFrame,
                {
                    "unit": unit,
                    "year": year,
                    "decision_level": _text(spec.get("decision_level")),
                    "category": _text(spec.get("category")),
                },
                {
                    "amount": _money(ctx, ctx.require(spec, "amount"), scale, "amount"),
                    "order": i,
                    "note": _text(spec.get("note")),
                    "source": source,
                },
            )
    for i, spec in enumerate(doc.get("objects") or []):
        with ctx.at(f"objekt {i + 1}"):
            _check_keys(ctx, spec, {"unit", "name", "category", "amount", "note"})
            owner = ctx.unit(spec["unit"]) if spec.get("unit") else unit
            if not owner.path.startswith(unit.path):
                raise ctx.error("enheten ligger inte under filens enhet", owner.code)
            amount = _money(ctx, ctx.require(spec, "amount"), scale, "amount")
            if amount < 0:
                raise ctx.error("beloppet kan inte vara negativt", spec["amount"])
            ctx.upsert(
                Investment,
                {"unit": owner, "year": year, "name": _text(ctx.require(spec, "name"))},
                {
                    "category": _text(spec.get("category")),
                    "amount": amount,
                    "order": i,
                    "note": _text(spec.get("note")),
                    "source": source,
                },
            )


# --- frames -----------------------------------------------------------------------------------


def load_frames(doc: dict, ctx: LoadContext) -> None:
    """Budget frames with their changes; a frame may be allocated from an earlier one."""
    _check_keys(ctx, doc, {"seed", "section", "kind", "unit", "currency_unit", "frames", "note"})
    unit = ctx.unit(ctx.require(doc, "unit"))
    scale = _scale(ctx, doc)
    source = f"Seed {doc['seed']}: {doc['section']}"
    for i, spec in enumerate(ctx.require(doc, "frames")):
        _check_keys(
            ctx,
            spec,
            {"code", "year", "name", "recipient", "base", "parent", "changes", "note", "unit"},
        )
        code = ctx.code(ctx.require(spec, "code"))
        with ctx.at(f"ram {code}"):
            parent = None
            if spec.get("parent"):
                parent = Frame.objects.filter(code=spec["parent"]).first()
                if parent is None:
                    raise ctx.error("okänd överordnad ram", spec["parent"])
            frame = ctx.upsert(
                Frame,
                {"code": code},
                {
                    "unit": ctx.unit(spec["unit"]) if spec.get("unit") else unit,
                    "year": _int(ctx, ctx.require(spec, "year"), "year"),
                    "name": _text(ctx.require(spec, "name")),
                    "recipient": _text(spec.get("recipient")),
                    "base_amount": _money(ctx, spec.get("base"), scale, "base"),
                    "parent": parent,
                    "order": i,
                    "note": _text(spec.get("note")),
                    "source": source,
                },
            )
            changes = spec.get("changes") or []
            for j, change in enumerate(changes):
                _check_keys(ctx, change, {"name", "category", "amount", "note"})
                category = ctx.choice(
                    change.get("category", "other"), FrameChangeCategory.values, "category"
                )
                ctx.upsert(
                    FrameChange,
                    {"frame": frame, "order": j},
                    {
                        "name": _text(ctx.require(change, "name")),
                        "category": category,
                        "amount": _money(ctx, ctx.require(change, "amount"), scale, "amount"),
                        "note": _text(change.get("note")),
                    },
                )
            FrameChange.objects.filter(frame=frame, order__gte=len(changes)).delete()


register_kind("ledger", load_ledger)
register_kind("investments", load_investments)
register_kind("frames", load_frames)
