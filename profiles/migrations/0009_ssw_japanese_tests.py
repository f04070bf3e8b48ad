"""Specified Skilled Worker accepts only JLPT and JFT-Basic as its Japanese
test (JapaneseTest.counts_for_ssw), the railway field asks JLPT N3, and
Artist (芸術) no longer covers "entertainment" (that is Entertainer, 興行)
(issue 12 audit): rows as shipped are corrected, rows staff changed stay."""

from django.apps.registry import Apps
from django.db import migrations, models

from profiles.taxonomy import correct_work_rules


def correct(apps: Apps, schema_editor) -> None:
    correct_work_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0008_prefecture_and_level_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="japanesetest",
            name="counts_for_ssw",
            field=models.BooleanField(
                default=False,
                help_text="Specified Skilled Worker accepts only JLPT and JFT-Basic results as its Japanese test.",
                verbose_name="counts for Specified Skilled Worker",
            ),
        ),
        migrations.RunPython(correct, migrations.RunPython.noop),
    ]
