"""Free text of plans, goals, indicators, placements, targets, activities and activity
reports stored as plain text as typed (styrkort.text), no longer as sanitised HTML;
history rows too."""

from django.db import migrations

from styrkort.text_migration import to_old_html, to_plain_text

FIELDS = {
    "Plan": (("vision", "introduction"), ()),
    "Goal": (("description", "planning_comment"), ()),
    "Indicator": (("definition", "note"), ()),
    "PlanIndicator": (("note",), ()),
    "Target": (("note",), ()),
    "Activity": (("description", "background", "concretisation"), ()),
    "ActivityReport": (("comment",), ()),
}


def forwards(apps, schema_editor):
    to_plain_text(apps, "planning", FIELDS)


def backwards(apps, schema_editor):
    to_old_html(apps, "planning", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_target_unique_with_null_unit")]

    operations = [migrations.RunPython(forwards, backwards)]
