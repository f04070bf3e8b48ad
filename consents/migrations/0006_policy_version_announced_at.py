from django.db import migrations, models
from django.db.models import F


def mark_published_as_announced(apps, schema_editor):
    """Versions published before this field existed were announced then (or,
    for the first versions, need no announcement)."""
    PolicyVersion = apps.get_model("consents", "PolicyVersion")
    PolicyVersion.objects.filter(published_at__isnull=False).update(announced_at=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0005_privacy_rights"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="announced_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_published_as_announced, migrations.RunPython.noop),
    ]
