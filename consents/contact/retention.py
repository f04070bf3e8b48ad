"""Retention of inquiries (consents.privacy.registry finds RULES): an
inquiry is kept until TSUNAGU_RETENTION["contact_inquiries"] days after it
was answered or closed, then deleted with its history. Open ones stay."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from consents.contact.models import Inquiry


def inquiries(now: datetime, dry_run: bool) -> dict[str, int]:
    cutoff = now - timedelta(days=settings.TSUNAGU_RETENTION["contact_inquiries"])
    old = Inquiry.objects.exclude(state__in=Inquiry.OPEN_STATES).filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, answered_at__lt=cutoff)
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return {"contact_inquiries_deleted": count}


RULES = [inquiries]
