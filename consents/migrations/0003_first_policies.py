"""The first published versions of the Terms of Use, the Privacy Policy and
the Data Use Agreement (consents.policy_seed)."""

from django.db import migrations


def load(apps, schema_editor):
    from consents.policy_seed import load_first_policies

    load_first_policies(apps)


class Migration(migrations.Migration):
    dependencies = [("consents", "0002_ledger_append_only_trigger")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
