"""The API's tokens moved from DRF's `authtoken` (the key stored in clear, no expiry) to
django-rest-knox (a hash, with expiry). The old tokens are not carried over: a stored
clear key is exactly what the change removes, and knox cannot take over a key it did not
hash (its lookup key and digest come from its own format). Their table, content type,
permissions and migration records are dropped; clients get a new token from
POST /api/token/ (docs/api.md)."""

from django.db import migrations


def forget_authtoken(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="authtoken").delete()  # and their permissions
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        migrations.RunPython(forget_authtoken, migrations.RunPython.noop),
    ]
