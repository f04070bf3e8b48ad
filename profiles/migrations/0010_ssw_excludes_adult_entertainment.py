"""Specified Skilled Worker (i) and (ii) never at an adult entertainment
business (風俗営業等): food service and accommodation by their field rules,
the other fields by our conservative reading (the rule's note says [M]).
Rows as shipped are corrected, rows staff changed stay
(profiles.taxonomy.correct_work_rules, idempotent)."""

from django.apps.registry import Apps
from django.db import migrations

from profiles.taxonomy import correct_work_rules


def correct(apps: Apps, schema_editor) -> None:
    correct_work_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0009_ssw_japanese_tests"),
    ]

    operations = [
        migrations.RunPython(correct, migrations.RunPython.noop),
    ]
