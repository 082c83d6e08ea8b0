"""Risk texts stored as plain text as typed (styrkort.text), no longer escaped by nh3
(``Vård &amp; omsorg``); history rows too."""

from django.db import migrations

from styrkort.text_migration import to_old_html, to_plain_text

FIELDS = {
    "InternalControlPlan": (("introduction",), ("name", "decision_ref", "source")),
    "Risk": (
        ("event", "consequence_text", "cause", "actions"),
        ("number", "title", "area", "handling", "source"),
    ),
    "Control": (("method",), ("owner",)),
    "ControlResult": (("comment",), ()),
}


def forwards(apps, schema_editor):
    to_plain_text(apps, "risk", FIELDS)


def backwards(apps, schema_editor):
    to_old_html(apps, "risk", FIELDS)


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
