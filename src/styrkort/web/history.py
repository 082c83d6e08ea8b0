"""History where people look: the rows of a "Historik" page (who, when, what changed from
what to what, and why) built from the simple-history records the models already keep.

One function for every history page: ``history_rows(records, labels)`` takes the
historical records of one model (a queryset or a list, any number of objects) and the
fields to show with their Swedish labels, pairs each record with the previous record of
the same object (simple-history's ``diff_against``) and returns ``HistoryRow``s, newest
first. ``merged`` puts the rows of several models into one list (a plan with its goals,
placements, targets and activities). A page (``web.views.history``) renders the rows with
``web/history.html``; a new kind of history (a reporting round's submissions) is one more
call with its own records and labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from styrkort.io.numbers import format_number

__all__ = ["FieldChange", "HistoryRow", "history_rows", "merged", "person", "readable"]

#: A value's text for one field: (value, record) -> str. Overrides the default.
Formatter = Callable[[object, object], str]


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its label and its value before and after ("–": none)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    """One recorded change of one object."""

    at: dt.datetime
    who: str
    action: str  # Skapad, Ändrad, Borttagen
    subject: str  # what was changed, for a list of several objects ("" for one)
    changes: tuple[FieldChange, ...]
    reason: str
    history_id: int


def person(user) -> str:
    """A user as people know them: the full name, else the user name; the system (an
    import or the demo loader without a user) otherwise."""
    if user is None:
        return _("systemet")
    return (user.get_full_name() or "").strip() or user.get_username()


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:  # a name the model does not have: shown as it is
        return None


def readable(model, name: str, value, cache: dict | None = None) -> str:
    """`value` of field `name` of `model` as a person reads it: "–" for nothing, the label
    of a choice, Ja/Nej, a related object's name (a user's full name), dates in the
    active language's format (Swedish: 22 november 2023), numbers the Swedish way."""
    if value is None or value == "":
        return "–"
    field = _field(model, name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(field, models.ForeignKey):
        return _related(field.related_model, value, cache if cache is not None else {})
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def _related(model, pk, cache: dict) -> str:
    key = (model, pk)
    if key not in cache:
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            cache[key] = _("(borttagen, id %(id)s)") % {"id": pk}
        elif hasattr(obj, "get_username"):
            cache[key] = person(obj)
        else:
            cache[key] = str(obj)
    return cache[key]


def history_rows(
    records: Iterable,
    labels: Mapping[str, str],
    *,
    subject: str | Callable[[object], str] = "",
    formats_by_field: Mapping[str, Formatter] | None = None,
) -> list[HistoryRow]:
    """The changes recorded in `records` (historical records of one model) in the fields
    of `labels` ({field name: label}, in the order to show), newest first.

    A creation lists the fields it set, a deletion the values it removed, a change the
    fields whose values differ from the object's previous record (``diff_against``); a
    change of none of the labelled fields is left out. `subject` names the object of a
    record (a text or a function of the record). `formats_by_field` overrides how a
    field's value is shown ({name: (value, record) -> str}); else ``readable``."""
    if isinstance(records, models.QuerySet):
        records = records.select_related("history_user").order_by("history_date", "history_id")
    else:
        records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    names = list(labels)
    custom = dict(formats_by_field or {})
    cache: dict = {}
    previous: dict = {}
    rows: list[HistoryRow] = []
    for record in records:
        model = record.instance_type
        key = getattr(record, model._meta.pk.attname)
        before = previous.get(key)
        previous[key] = record

        def show(name, value, record=record, model=model):
            if name in custom:
                return custom[name](value, record)
            return readable(model, name, value, cache)

        def value_of(rec, name, model=model):
            field = _field(model, name)
            return getattr(rec, field.attname if field is not None else name)

        if record.history_type == "-":
            action = _("Borttagen")
            changes = [
                FieldChange(labels[n], show(n, value_of(record, n)), "–")
                for n in names
                if value_of(record, n) not in (None, "")
            ]
        elif record.history_type == "+" or before is None:
            action = _("Skapad") if record.history_type == "+" else _("Ändrad")
            changes = [
                FieldChange(labels[n], "–", show(n, value_of(record, n)))
                for n in names
                if value_of(record, n) not in (None, "")
            ]
        else:
            action = _("Ändrad")
            delta = record.diff_against(before, included_fields=names)
            by_name = {c.field: c for c in delta.changes}
            changes = [
                FieldChange(labels[n], show(n, by_name[n].old), show(n, by_name[n].new))
                for n in names
                if n in by_name
            ]
            if not changes:
                continue
        rows.append(
            HistoryRow(
                at=record.history_date,
                who=person(record.history_user),
                action=action,
                subject=subject(record) if callable(subject) else str(subject),
                changes=tuple(changes),
                reason=record.history_change_reason or "",
                history_id=record.history_id,
            )
        )
    rows.reverse()
    return rows


def merged(*lists: list[HistoryRow]) -> list[HistoryRow]:
    """Rows of several histories in one list, newest first."""
    return sorted(
        (row for rows in lists for row in rows),
        key=lambda r: (r.at, r.history_id),
        reverse=True,
    )
