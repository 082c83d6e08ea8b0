"""Analyses and assessment reasons stored as plain text as typed (styrkort.text), no
longer as sanitised HTML; history rows too."""

from django.db import migrations

from styrkort.text_migration import to_old_html, to_plain_text

FIELDS = {
    "Analysis": (("text",), ()),
    "Assessment": (("reason",), ()),
}


def forwards(apps, schema_editor):
    to_plain_text(apps, "followup", FIELDS)


def backwards(apps, schema_editor):
    to_old_html(apps, "followup", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("followup", "0005_references_without_constraint_in_state")]

    operations = [migrations.RunPython(forwards, backwards)]
