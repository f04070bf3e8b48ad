"""Indexes the matching engine reads from alone (index-only scans): who has
experience in a kind of work, and who wants to work in a prefecture. See
bench/README.md for the measurements."""

from django.db import migrations, models

# The desired prefectures table is Django's automatic many-to-many table,
# which has no Meta to declare an index in.
WISH_INDEX = "profiles_wish_prefecture_candidate"


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_taxonomies")]

    operations = [
        migrations.AddIndex(
            model_name="workentry",
            index=models.Index(fields=["category", "profile"], name="work_entry_category_profile"),
        ),
        migrations.RunSQL(
            f"CREATE INDEX {WISH_INDEX} ON profiles_candidateprofile_desired_prefectures "
            "(prefecture_id, candidateprofile_id)",
            f"DROP INDEX {WISH_INDEX}",
        ),
    ]
