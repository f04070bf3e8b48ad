"""The Terms of Use, the Privacy Policy and the Data Use Agreement in
Vietnamese, Chinese, Indonesian, Nepali, Burmese and Tagalog, added to the
versions they translate (consents.policy_seed.add_policy_translations): the
same version, so no one is asked to accept again. Rows only: PolicyText's
language choices are not a database constraint."""

from django.db import migrations


def load(apps, schema_editor):
    from consents.policy_seed import add_policy_translations

    add_policy_translations(apps)


class Migration(migrations.Migration):
    dependencies = [("consents", "0009_policy_banner_dismissal")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
