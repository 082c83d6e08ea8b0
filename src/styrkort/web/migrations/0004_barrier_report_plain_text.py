"""Accessibility reports stored as plain text as typed (styrkort.text)."""

from django.db import migrations

from styrkort.text_migration import to_old_html, to_plain_text

FIELDS = {"BarrierReport": (("description",), ())}


def forwards(apps, schema_editor):
    to_plain_text(apps, "web", FIELDS)


def backwards(apps, schema_editor):
    to_old_html(apps, "web", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("web", "0003_job_updated_at")]

    operations = [migrations.RunPython(forwards, backwards)]
