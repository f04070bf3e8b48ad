"""Matching's retention rules (run by consents.privacy.retention)."""

from datetime import timedelta

from django.conf import settings

from matching.models import Application


def closed_applications(now, dry_run: bool) -> dict[str, int]:
    """Closed applications (hired, not selected, withdrawn) are deleted, with
    their notes and history, after TSUNAGU_RETENTION["closed_applications"] days."""
    old = Application.objects.filter(
        closed_at__lt=now - timedelta(days=settings.TSUNAGU_RETENTION["closed_applications"])
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return {"closed_applications_deleted": count}


RULES = [closed_applications]
