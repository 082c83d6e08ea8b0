"""Authentication against the user table, with the signed-in user read by one plain
statement on every request."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router


class UserBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions, inactive users refused), except that
    the user of a session is loaded by a statement written out once instead of compiled by
    the ORM at each request: every signed-in page pays for it."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _user_statement(alias: str):
    """The statement, the attribute names and, per column, the converters the ORM would
    apply (SQLite returns booleans as integers and dates as text)."""
    model = get_user_model()
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)}"
        f" FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"
    )
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    return sql, tuple(field.attname for field in fields), tuple(converters)


def load_user(user_id):
    """The user with primary key `user_id`, or None: a model instance like the ORM's."""
    model = get_user_model()
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, converters = _user_statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, column, functions in converters:
        for convert in functions:
            values[index] = convert(values[index], column, connection)
    return model.from_db(alias, names, values)
