"""The Terms of Use, the Privacy Policy and the Data Use Agreement in Burmese
and Tagalog, for databases that ran 0010 before those translations existed:
the same idempotent loader (consents.policy_seed.add_policy_translations)
adds whatever translation in policy_texts/ a version still lacks."""

from django.db import migrations


def load(apps, schema_editor):
    from consents.policy_seed import add_policy_translations

    add_policy_translations(apps)


class Migration(migrations.Migration):
    dependencies = [("consents", "0011_policy_text_eight_languages")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
