"""The consent core's retention rule (run by consents.privacy.retention)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings

from consents.models import AccessRecord

APPI_RECORD_YEARS = 3


def access_records(now, dry_run: bool) -> dict[str, int]:
    """APPI Art. 30 / Rules: provision records are kept 3 years. The law's
    3 calendar years are a floor: 3 x 365 days would lose a day whenever
    they hold a 29 February."""
    cutoff = min(
        now - timedelta(days=settings.TSUNAGU_RETENTION["access_records"]), now - relativedelta(years=APPI_RECORD_YEARS)
    )
    old = AccessRecord.objects.filter(occurred_at__lt=cutoff)
    count = old.count()
    if not dry_run:
        old.delete()
    return {"access_records_deleted": count}


RULES = [access_records]
