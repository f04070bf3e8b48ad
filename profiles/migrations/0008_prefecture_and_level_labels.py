"""Prefectures and Japanese-test levels in every language (issue 15), from
profiles/taxonomy_i18n/*.json: fills only empty labels (a label staff wrote
stays), and corrects one shipped Tagalog label where it is still as shipped."""

from django.apps.registry import Apps
from django.db import migrations

from profiles.taxonomy import correct_taxonomy_labels, load_taxonomy_labels


def load_labels(apps: Apps, schema_editor) -> None:
    load_taxonomy_labels(apps)
    correct_taxonomy_labels(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0007_taxonomy_labels_in_eight_languages"),
    ]

    operations = [
        migrations.RunPython(load_labels, migrations.RunPython.noop),
    ]
