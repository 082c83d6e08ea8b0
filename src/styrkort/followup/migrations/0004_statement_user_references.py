"""On PostgreSQL the two references to the user that every outcome row carries (the
outcome's ``updated_by`` and its history row's ``history_user``) enforced once per
statement instead of once per row, as migration 0003 did for indicator and unit.

A foreign key fires a trigger for every inserted row even when the reference is empty
(a system import writes none): two per imported outcome, about 6 % of PostgreSQL's work
in a bulk import. The triggers installed here guarantee the same for a whole statement:

* after any INSERT or UPDATE on ``followup_outcome`` or ``followup_historicaloutcome``
  the users the new rows refer to are locked ``FOR KEY SHARE`` (as a foreign key check
  locks them) and the statement fails with SQLSTATE 23503 if one does not exist;
* after any DELETE or id change on ``accounts_user`` the statement fails with 23503 if
  a removed id is still referred to. Django sets both references to NULL before it
  deletes a user (``on_delete=SET_NULL``), so deleting a user through the application
  works as before. Outside READ COMMITTED such deletes are refused outright (see 0003).

One pair of functions serves both references; the trigger's arguments name the column
and the tables. Migration 0003's check of indicator and unit is rewritten to read the
new rows once instead of four times. The SQL is in `styrkort.followup.postgres`; migration
0005 declares the references ``db_constraint=False``. SQLite keeps its foreign keys.
"""

from django.db import migrations

from styrkort.followup import postgres


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_lean_indexes_statement_foreign_keys"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(postgres.install_user_checks, postgres.remove_user_checks)]
