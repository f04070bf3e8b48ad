"""Indexes for the job board and the matching engine (bench/README.md).

- The board reads open openings newest first: a partial index in that order
  lets a page come straight from the index instead of sorting them all.
- Which openings accept a status of residence, read from the index alone
  (index-only scan) for every recommendation.
"""

from django.db import migrations, models

# Django's automatic many-to-many table has no Meta to declare an index in.
STATUS_INDEX = "matching_accepted_status_opening"


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="opening",
            index=models.Index(
                condition=models.Q(("state", "open")), fields=["-published_at", "-id"], name="opening_board_order"
            ),
        ),
        migrations.RunSQL(
            f"CREATE INDEX {STATUS_INDEX} ON matching_opening_accepted_statuses (statusofresidence_id, opening_id)",
            f"DROP INDEX {STATUS_INDEX}",
        ),
    ]
