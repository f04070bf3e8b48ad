"""The summary of what changed moves from the version (English and Japanese
only) to each language's text: PolicyText.summary. The English and Japanese
summaries are copied to the English and Japanese texts (a draft with only
one of the two texts keeps that language's summary, or the other one where
its own is empty), the first versions get theirs in every language
(consents.policy_seed.add_policy_summaries), then the version's two fields
go."""

from django.db import migrations, models


def summaries_to_texts(languages: set[str], summary_en: str, summary_ja: str) -> dict[str, str]:
    """Which of the version's two summaries each of its English and Japanese
    texts (`languages`) gets: its own; where that is empty and the version has
    no text in the other language, the other one, so no summary is lost."""
    own = {"en": summary_en, "ja": summary_ja}
    chosen = {}
    for language, other in (("en", "ja"), ("ja", "en")):
        if language not in languages:
            continue
        summary = own[language] or ("" if other in languages else own[other])
        if summary:
            chosen[language] = summary
    return chosen


def copy_summaries(apps, schema_editor):
    from consents.policy_seed import add_policy_summaries

    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyText = apps.get_model("consents", "PolicyText")
    for version in PolicyVersion.objects.exclude(summary_en="", summary_ja="").iterator():
        texts = {t.language: t for t in PolicyText.objects.filter(version=version, language__in=("en", "ja"))}
        for language, summary in summaries_to_texts(set(texts), version.summary_en, version.summary_ja).items():
            text = texts[language]
            if not text.summary:
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
