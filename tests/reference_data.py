"""Reference data that migrations load (taxonomies, staff groups and their
permissions, the first policy versions). A transactional test flushes the
database at its end, which removes them for the next test on the same
worker; tests/conftest.py restores them before every database test."""

from django.apps import apps


def ensure_reference_data() -> None:
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
