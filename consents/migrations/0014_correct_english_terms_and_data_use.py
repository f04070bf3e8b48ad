"""The English Terms of Use (Articles 2, 4, 21(2), 22) and Data Use Agreement
(Articles 2, 7(4)) said less or other than the Japanese text, which prevails.
They are corrected within version 2026-11-23 (consents.policy_seed.
correct_policy_translations): the Japanese text did not change, so no one is
asked to accept again; the replaced wording is kept as a PolicyTextCorrection
with the date, so what a person accepted in English before is still known."""

from django.db import migrations


def correct(apps, schema_editor):
    from consents.policy_seed import correct_policy_translations

    correct_policy_translations(apps)


class Migration(migrations.Migration):
    dependencies = [("consents", "0013_policy_text_correction")]
    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
