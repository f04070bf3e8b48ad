"""The summary of what changed moves from the version (English and Japanese
only) to each language's text: PolicyText.summary. The English and Japanese
summaries are copied to the English and Japanese texts (to the other one of
the two where a draft lacks that text), the first versions get theirs in
every language (consents.policy_seed.add_policy_summaries), then the
version's two fields go."""

from django.db import migrations, models


def copy_summaries(apps, schema_editor):
    from consents.policy_seed import add_policy_summaries

    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    for version in PolicyVersion.objects.exclude(summary_en="", summary_ja="").iterator():
        texts = {t.language: t for t in PolicyText.objects.filter(version=version, language__in=("en", "ja"))}
        for language, other, summary in (
            ("en", "ja", version.summary_en),
            ("ja", "en", version.summary_ja),
        ):
            text = texts.get(language) or texts.get(other)
            if summary and text is not None and not text.summary:
                text.summary = summary
                text.save(update_fields=["summary"])
    add_policy_summaries(apps)


def copy_back(apps, schema_editor):
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    for text in PolicyText.objects.filter(language__in=("en", "ja")).exclude(summary=""):
        PolicyVersion.objects.filter(pk=text.version_id).update(**{f"summary_{text.language}": text.summary})


class Migration(migrations.Migration):
    dependencies = [("consents", "0015_app_ledger")]

    operations = [
        migrations.AddField(
            model_name="policytext",
            name="summary",
            field=models.TextField(
                blank=True,
                help_text="A sentence or two, in this text's language.",
                max_length=2000,
                verbose_name="what changed",
            ),
        ),
        migrations.RunPython(copy_summaries, copy_back),
        migrations.RemoveField(model_name="policyversion", name="summary_en"),
        migrations.RemoveField(model_name="policyversion", name="summary_ja"),
    ]
