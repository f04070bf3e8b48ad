from django.db import migrations


def load(apps, schema_editor):
    from profiles.taxonomy import load_taxonomies

    load_taxonomies(apps)


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
