"""Write services for the organisation tree: create, change, move and delete units.

Each runs in one transaction (`styrkort.writes.service`), takes the acting user as the
keyword argument `user` (None: a trusted system write), needs the role "admin" on the
unit concerned (and on the new parent for a move) and records history with that user.
Messages are in the active language (Swedish source text).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from styrkort.writes import DOMAIN_APPS, DOMAIN_MODELS, acting, save, service

from .models import OrgUnit, Site, UnitType
from .permissions import Action, require

UNIT_FIELDS = ("code", "name", "short_name", "type", "valid_from", "valid_to", "site", "note")
_TREE_FIELDS = ["path", "depth", "numchild"]


def top_unit(organisation_id: int) -> OrgUnit:
    """The organisation's top unit, where organisation-wide rights are held."""
    root = OrgUnit.objects.get_root_nodes().filter(organisation_id=organisation_id).first()
    if root is None:
        raise ValidationError(_("Organisationen saknar enheter."))
    return root


def require_organisation_wide(user, action: Action, organisation_id: int) -> None:
    """Organisation-wide objects (indicators, income-statement lines) need `action` on
    the organisation's top unit."""
    require(user, action, top_unit(organisation_id))


def _require(user, action: Action, unit: OrgUnit) -> None:
    if user is not None:  # None: a trusted system write (styrkort.writes)
        require(user, action, unit)


def _check_unit(unit: OrgUnit) -> None:
    """Field rules with messages naming the field and value, then the model's own."""
    unit.code = (unit.code or "").strip()
    unit.name = (unit.name or "").strip()
    if not unit.code:
        raise ValidationError({"code": _("Ange en kod för enheten.")})
    if not unit.name:
        raise ValidationError({"name": _("Ange ett namn.")})
    if unit.type not in UnitType.values:
        raise ValidationError({"type": _("Okänd typ: ”%(type)s”.") % {"type": unit.type}})
    other = OrgUnit.objects.filter(code=unit.code).exclude(pk=unit.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "code": _("Koden %(code)s används redan av %(unit)s.")
                % {"code": unit.code, "unit": other.name}
            }
        )
    start, end = unit.valid_from, unit.valid_to
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise ValidationError(
            {
                "valid_to": _("Giltig till (%(end)s) får inte vara före giltig från (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()}
            }
        )
    if unit.site_id is not None and unit.site.organisation_id != unit.organisation_id:
        raise ValidationError(
            {"site": _("Platsen %(site)s hör till en annan organisation.") % {"site": unit.site}}
        )
    unit.full_clean(exclude=_TREE_FIELDS)


@service
def create_unit(
    *,
    user,
    parent: OrgUnit | None,
    code: str,
    name: str,
    type: str,
    organisation=None,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    site: Site | None = None,
    note: str = "",
) -> OrgUnit:
    """A new unit under `parent` (in the parent's organisation). Needs "admin" on the
    parent; a new top unit (`parent` None, `organisation` given) needs a superuser."""
    if parent is None:
        if organisation is None:
            raise ValidationError({"parent": _("Ange den överordnade enheten.")})
        if user is not None and not getattr(user, "is_superuser", False):
            raise PermissionDenied(_("Bara en superanvändare kan skapa en ny toppenhet."))
        organisation_id = organisation.pk
    else:
        _require(user, Action.ADMIN, parent)
        organisation_id = parent.organisation_id
        if organisation is not None and organisation.pk != organisation_id:
            raise ValidationError(
                {"parent": _("%(parent)s hör till en annan organisation.") % {"parent": parent}}
            )
    unit = OrgUnit(
        organisation_id=organisation_id,
        code=code,
        name=name,
        short_name=(short_name or "").strip(),
        type=type,
        valid_from=valid_from,
        valid_to=valid_to,
        site=site,
        note=note or "",
    )
    _check_unit(unit)
    unit._history_user = acting(user)
    if parent is None:
        return OrgUnit.objects.add_root(instance=unit)
    parent.refresh_from_db(fields=_TREE_FIELDS)  # treebeard builds the path from them
    return OrgUnit.objects.add_child(parent, instance=unit)


@service
def update_unit(*, user, unit: OrgUnit, **fields) -> OrgUnit:
    """Change a unit's code, name, short name, type, validity dates, site or note (a
    rename or a closing date). Needs "admin" on the unit; moves go through move_unit."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown unit fields: {sorted(unknown)}")
    _require(user, Action.ADMIN, unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    _check_unit(unit)
    save(unit, user)
    return unit


@service
def move_unit(*, user, unit: OrgUnit, parent: OrgUnit) -> OrgUnit:
    """Move `unit` with its subtree under `parent` in the same organisation. Needs
    "admin" on the unit and on the new parent; a move into the unit's own subtree or to
    another organisation is refused."""
    _require(user, Action.ADMIN, unit)
    _require(user, Action.ADMIN, parent)
    unit.refresh_from_db(fields=_TREE_FIELDS)
    parent.refresh_from_db(fields=_TREE_FIELDS)
    if parent.organisation_id != unit.organisation_id:
        raise ValidationError(
            {
                "parent": _("%(parent)s hör till en annan organisation än %(unit)s.")
                % {"parent": parent.name, "unit": unit.name}
            }
        )
    if parent.path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": _("%(unit)s kan inte flyttas in under sig själv (%(parent)s).")
                % {"unit": unit.name, "parent": parent.name}
            }
        )
    if unit.path[: -OrgUnit.steplen] == parent.path:
        return unit  # already there
    OrgUnit.objects.move(unit, parent, pos="sorted-child")
    unit.refresh_from_db()
    save(unit, user)  # a history row with the new place and the acting user
    return unit


def in_use_by(obj) -> list[str]:
    """The kinds of domain data (plural names in the active language) that refer to
    `obj`; history tables, many-to-many link tables and transient rows such as report
    jobs aside."""
    found = set()
    for relation in type(obj)._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        meta = model._meta
        domain = meta.app_label in DOMAIN_APPS or meta.label in DOMAIN_MODELS
        if not domain or meta.auto_created or hasattr(model, "instance_type"):
            continue  # instance_type: a simple-history table
        if model._base_manager.filter(**{relation.field.name: obj}).exists():
            found.add(str(meta.verbose_name_plural))
    return sorted(found)


@service
def delete_unit(*, user, unit: OrgUnit) -> None:
    """Delete a unit nothing refers to (no sub-units, plans, outcomes, roles …). Needs
    "admin" on the unit; a unit in use is refused with what uses it, and can be closed
    with a `valid_to` date instead."""
    _require(user, Action.ADMIN, unit)
    unit.refresh_from_db(fields=_TREE_FIELDS)
    if unit.numchild:
        raise ValidationError(
            _("%(unit)s har underenheter och kan inte tas bort.") % {"unit": unit.name}
        )
    used_by = in_use_by(unit)
    if used_by:
        raise ValidationError(
            _(
                "%(unit)s kan inte tas bort: den används av %(what)s. "
                "Ange ett datum i ”giltig till” i stället."
            )
            % {"unit": unit.name, "what": ", ".join(used_by)}
        )
    parent_path = unit.path[: -OrgUnit.steplen]
    unit._history_user = acting(user)
    # A leaf: Model.delete keeps the acting user on the history row (treebeard's queryset
    # delete would fetch the row anew); the parent's child count is kept by hand.
    models.Model.delete(unit)
    if parent_path:
        OrgUnit.objects.filter(path=parent_path).update(numchild=F("numchild") - 1)


#: The organisation's evaluation settings (DESIGN.md's rules) an administrator changes.
EVALUATION_FIELDS = (
    "tolerance_pct",
    "trend_epsilon_pct",
    "goal_met_threshold",
    "goal_partly_threshold",
)


def _number(value, field: str, low: float, high: float, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ValidationError({field: _("%(label)s måste vara ett tal.") % {"label": label}})
    if not low <= value <= high:
        raise ValidationError(
            {
                field: _("%(label)s ska vara mellan %(low)s och %(high)s.")
                % {"label": label, "low": f"{low:g}", "high": f"{high:g}"}
            }
        )
    return float(value)


@service
def update_evaluation_settings(*, user, organisation, **fields):
    """Change the organisation's evaluation settings: the tolerance for "partly met"
    (percent 0-100 of the target), the limit below which a change is "unchanged"
    (percent 0-100), and the mean goal scores (1-3) from which a goal is met or partly
    met (partly ≤ met). Needs "admin" on the organisation's top unit."""
    unknown = set(fields) - set(EVALUATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown evaluation settings: {sorted(unknown)}")
    _require(user, Action.ADMIN, top_unit(organisation.pk))
    values = {name: getattr(organisation, name) for name in EVALUATION_FIELDS}
    values.update(fields)
    values["tolerance_pct"] = _number(
        values["tolerance_pct"], "tolerance_pct", 0, 100, _("Toleransen")
    )
    values["trend_epsilon_pct"] = _number(
        values["trend_epsilon_pct"], "trend_epsilon_pct", 0, 100, _("Gränsen för oförändrad")
    )
    values["goal_met_threshold"] = _number(
        values["goal_met_threshold"], "goal_met_threshold", 1, 3, _("Gränsen för uppfyllt mål")
    )
    values["goal_partly_threshold"] = _number(
        values["goal_partly_threshold"],
        "goal_partly_threshold",
        1,
        3,
        _("Gränsen för delvis uppfyllt mål"),
    )
    if values["goal_partly_threshold"] > values["goal_met_threshold"]:
        raise ValidationError(
            {
                "goal_partly_threshold": _(
                    "Gränsen för delvis uppfyllt mål får inte vara högre än gränsen för "
                    "uppfyllt mål."
                )
            }
        )
    for name, value in values.items():
        setattr(organisation, name, value)
    save(organisation, user)
    return organisation


ECONOMY_UNITS = ("tkr", "mnkr")


@service
def set_economy_unit(*, user, organisation, unit: str):
    """The unit the organisation's economy tables (income statement, investments, frames)
    are shown and printed in: ``tkr`` as integers (seed 003) or ``mnkr`` with decimals
    (seed 004). Needs "admin" on the organisation's top unit."""
    _require(user, Action.ADMIN, top_unit(organisation.pk))
    if unit not in ECONOMY_UNITS:
        raise ValidationError(
            {"economy_unit": _("Välj tkr eller mnkr som enhet för ekonomitabellerna.")}
        )
    if organisation.economy_unit != unit:
        organisation.economy_unit = unit
        save(organisation, user)
    return organisation


@service
def set_second_factor_required(*, user, organisation, required: bool):
    """Whether the organisation's administrators and planners who sign in with a password
    must also give a code from an authenticator app (``accounts.second_factor``). Needs
    "admin" on the organisation's top unit."""
    _require(user, Action.ADMIN, top_unit(organisation.pk))
    if organisation.require_second_factor != bool(required):
        organisation.require_second_factor = bool(required)
        save(organisation, user)
    return organisation
