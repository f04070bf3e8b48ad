"""Reference data that migrations load (taxonomies, staff groups and their
permissions, the first policy versions). A transactional test flushes the
database at its end, which removes them for the next test on the same
worker; tests/conftest.py restores them before every database test.

On PostgreSQL that flush is a DELETE of every table in one transaction with
the signals after it (tests/conftest.py, `_fast_flush`), not Django's
TRUNCATE, which makes new files for each of ~160 tables and indexes and
took half a minute per transactional test on a loaded machine."""

from django.apps import apps
from django.db import transaction


@transaction.atomic
def ensure_reference_data() -> None:
    """One transaction: some 1,600 rows, which on PostgreSQL would otherwise
    each be a commit (and a disk flush) of their own."""
    from accounts.permissions_sync import sync_group_permissions
    from consents.models import PolicyVersion
    from consents.policy_seed import load_first_policies
    from profiles.models import StatusOfResidence, StatusRule
    from profiles.taxonomy import load_taxonomies, load_taxonomy_labels, load_work_rules

    if not StatusOfResidence.objects.exists():
        load_taxonomies(apps)
        load_taxonomy_labels(apps)
        sync_group_permissions()
    if not StatusRule.objects.exists():
        load_work_rules(apps)
    if not PolicyVersion.objects.exists():
        load_first_policies(apps)
