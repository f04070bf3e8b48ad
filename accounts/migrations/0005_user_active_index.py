"""Active accounts by id: every access decision joins a grant to its
candidate's account to check that it is active. Without this index
PostgreSQL read every account to do so (bench/README.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_inactivity_warning")]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(condition=models.Q(("is_active", True)), fields=["id"], name="user_active"),
        ),
    ]
