"""On PostgreSQL, a trigram index so that matching inside words (LIKE '%…%') reads the
index instead of every row (pg_trgm is a trusted extension: the database's owner may
create it; without it the search still works, by scanning). Then the first build of
the index from the data already there."""

from django.db import migrations, transaction


def trigram_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_entry_folded_trgm "
                "ON search_searchentry USING gin (folded gin_trgm_ops)"
            )
    except Exception:  # no right to create the extension: the search scans instead
        pass


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_folded_trgm")


def first_build(apps, schema_editor):
    # The index is derived data: built with today's code (search.index.rebuild).
    from styrkort.search.index import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_search_index"),
        ("organisation", "__latest__"),
        ("planning", "__latest__"),
        ("followup", "__latest__"),
    ]

    operations = [
        migrations.RunPython(trigram_index, drop_trigram_index, elidable=True),
        migrations.RunPython(first_build, migrations.RunPython.noop, elidable=True),
    ]
