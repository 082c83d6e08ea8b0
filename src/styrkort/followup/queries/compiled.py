"""The evaluation's queries compiled once per shape and reused.

Building a queryset and compiling it to SQL costs Django more CPU than the database
spends answering the evaluation's small queries. ``rows(key, build, **params)`` builds
the queryset once per ``key`` (and database) with placeholder values, keeps its SQL,
the positions of the placeholders among the parameters and the columns' converters, and
afterwards only puts in the values and runs the SQL. A list placeholder (``Many``)
becomes ``= ANY(%s)`` on PostgreSQL (one parameter, whatever the length) and an IN list
of the right length elsewhere. ``key`` must name everything that changes the query's
shape (branches in ``build``); the values of ``params`` must not.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

_LOCK = threading.Lock()
_COMPILED: dict[tuple, _Compiled] = {}


@dataclass(frozen=True)
class Many:
    """A list parameter: ``values`` and the type of its items (int, str or date)."""

    values: Any
    kind: type = int


@dataclass
class _Slot:
    name: str
    many: bool
    kind: type
    like: str | None  # the text of a LIKE pattern around the value ("{}%"), or None


@dataclass
class _Compiled:
    parts: list[str]  # the SQL split at its placeholders
    params: list[Any]  # the compiled parameters (constants kept, placeholders replaced)
    slots: dict[int, _Slot]
    converters: list[tuple[int, list, Any]]
    width: int | None  # the wanted columns when the SELECT has more (for ORDER BY)


def _sentinel(kind: type, k: int):
    if kind is int:  # inside a small integer field's range (else Django drops the lookup)
        return 32_100 + k
    if kind is str:
        return f"zqstyrkortq{k}qz"
    if kind is dt.date:
        return dt.date(1111, 1, 1) + dt.timedelta(days=k)
    raise TypeError(kind)


def _compile(connection, build: Callable[..., QuerySet], params: dict) -> _Compiled:
    sentinels: dict[str, Any] = {}
    kinds: dict[str, tuple[bool, type]] = {}
    args = {}
    for k, (name, value) in enumerate(params.items()):
        many = isinstance(value, Many)
        kind = value.kind if many else type(value)
        if kind is dt.datetime:
            raise TypeError("datetime parameters are not supported")
        sentinel = _sentinel(kind, k)
        sentinels[name] = sentinel
        kinds[name] = (many, kind)
        args[name] = [sentinel] if many else sentinel
    qs = build(**args)
    compiler = qs.query.get_compiler(connection=connection)
    sql, compiled_params = compiler.as_sql()
    parts = sql.split("%s")
    if len(parts) != len(compiled_params) + 1:
        raise ValueError("the compiled SQL's placeholders do not match its parameters")
    ops = connection.ops
    slots: dict[int, _Slot] = {}
    for i, value in enumerate(compiled_params):
        for name, sentinel in sentinels.items():
            many, kind = kinds[name]
            like = None
            if kind is dt.date:
                hit = value == sentinel or value == ops.adapt_datefield_value(sentinel)
            elif kind is str:
                hit = isinstance(value, str) and sentinel in value
                if hit and value != sentinel:
                    like = value.replace(sentinel, "{}")
            else:
                hit = isinstance(value, int) and not isinstance(value, bool) and value == sentinel
            if hit:
                if many and not (parts[i].rstrip().endswith("IN (") and parts[i + 1][:1] == ")"):
                    raise ValueError(f"{name}: a list placeholder outside an IN list")
                slots[i] = _Slot(name, many, kind, like)
                break
    missing = set(sentinels) - {s.name for s in slots.values()}
    if missing:
        raise ValueError(f"placeholders not found in the compiled SQL: {sorted(missing)}")
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = [(i, conv, expr) for i, (conv, expr) in compiler.get_converters(fields).items()]
    # Columns only for ORDER BY (extra select) come after the wanted ones: cut off.
    width = compiler.col_count if compiler.has_extra_select else None
    return _Compiled(parts, list(compiled_params), slots, converters, width)


def _value(connection, slot: _Slot, value):
    if slot.kind is dt.date:
        return connection.ops.adapt_datefield_value(value)
    if slot.like is not None:
        return slot.like.format(connection.ops.prep_for_like_query(value))
    return value


def rows(
    key: tuple,
    build: Callable[..., QuerySet],
    *,
    using: str = "default",
    raw: bool = False,
    **params,
):
    """The rows (tuples) of the values_list queryset ``build(**params)`` would give;
    ``raw``: the database's values, without Django's converters (sums as they come)."""
    connection = connections[using]
    cache_key = (key, using, connection.vendor)
    compiled = _COMPILED.get(cache_key)
    if compiled is None:
        compiled = _compile(connection, build, params)
        with _LOCK:
            _COMPILED[cache_key] = compiled
    postgres = connection.vendor == "postgresql"
    sql: list[str] = []
    values: list[Any] = []
    skip = False  # the part after an IN list starts with the list's ")", already written
    for i, constant in enumerate(compiled.params):
        part = compiled.parts[i][1:] if skip else compiled.parts[i]
        skip = False
        slot = compiled.slots.get(i)
        if slot is None:
            sql.append(part + "%s")
            values.append(constant)
        elif not slot.many:
            sql.append(part + "%s")
            values.append(_value(connection, slot, params[slot.name]))
        else:
            items = [_value(connection, slot, v) for v in params[slot.name].values]
            head = part.rstrip()[: -len("IN (")]
            if postgres:
                sql.append(head + "= ANY(%s)")
                values.append(items)
            else:
                sql.append(head + "IN (" + ", ".join(["%s"] * len(items)) + ")")
                values.extend(items)
            skip = True
    sql.append(compiled.parts[-1][1:] if skip else compiled.parts[-1])
    text = "".join(sql)
    with connection.cursor() as cursor:
        cursor.execute(text, values)
        result = cursor.fetchall()
    if compiled.width is not None:
        result = [row[: compiled.width] for row in result]
    if compiled.converters and not raw:
        converted = []
        for row in result:
            row = list(row)
            for i, convs, expression in compiled.converters:
                value = row[i]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[i] = value
            converted.append(tuple(row))
        result = converted
    return result
