"""Django's migration state brought in line with the database: the outcome's references to
indicator, unit and user, and its history row's reference to the user, are declared
``db_constraint=False``.

On PostgreSQL migrations 0003 and 0004 replaced their foreign key constraints with
statement-level triggers (`styrkort.followup.postgres`), which Django's state did not
know. Only the state changes here, on every database:

* PostgreSQL has had no such constraint since 0003 and 0004, so there is nothing to drop;
* SQLite keeps the foreign keys its tables were created with (``REFERENCES ...
  DEFERRABLE INITIALLY DEFERRED``): altering the fields there would rebuild the tables
  without them. A later migration that rebuilds either table on SQLite must put them
  back; `styrkort.followup.checks` (``manage.py check --database default``) reports a
  database where a reference is enforced by neither.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0004_statement_user_references"),
        ("organisation", "0002_history"),
        ("planning", "0002_target_unique_with_null_unit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="historicaloutcome",
                    name="history_user",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="outcome",
                    name="indicator",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outcomes",
                        to="planning.indicator",
                        verbose_name="indikator",
                    ),
                ),
                migrations.AlterField(
                    model_name="outcome",
                    name="unit",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="outcomes",
                        to="organisation.orgunit",
                        verbose_name="enhet",
                    ),
                ),
                migrations.AlterField(
                    model_name="outcome",
                    name="updated_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ändrad av",
                    ),
                ),
            ],
        )
    ]
