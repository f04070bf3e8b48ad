"""Retention: nothing is kept longer than TSUNAGU_RETENTION says.

Run daily by Celery beat (consents.privacy.tasks.apply_retention) and by
`manage.py apply_retention [--dry-run]`. Every app's `retention.RULES` run
(consents.privacy.registry), this module's among them; each rule returns how
many rows it acted on (or would, in a dry run)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consents.privacy import emails, registry
from consents.privacy.models import AccountErasure, PrivacyRequest
from consents.privacy.services import account_erase, data_exports_delete_expired
from outbox import services as outbox

APPI_RECORD_YEARS = 3


def days(name: str) -> timedelta:
    return timedelta(days=settings.TSUNAGU_RETENTION[name])


def inactive_accounts(now, dry_run: bool) -> dict[str, int]:
    """Candidates who have not signed in for the warning period are warned
    by email; those still inactive after the grace period are deleted (the
    same erasure as withdrawing membership)."""
    threshold = now - days("inactive_account_warning")
    never_signed_in_or_old = User.objects.filter(role=User.Role.CANDIDATE, is_active=True).filter(
        last_login__lt=threshold
    ) | User.objects.filter(
        role=User.Role.CANDIDATE, is_active=True, last_login__isnull=True, date_joined__lt=threshold
    )
    # Not warned yet, or warned before and back since (then inactive again):
    # coming back once must not keep an account forever.
    to_warn = never_signed_in_or_old.filter(
        Q(inactivity_warned_at__isnull=True) | Q(last_login__gt=F("inactivity_warned_at"))
    )
    grace = now - days("inactive_account_delete_after_warning")
    # Signing in after the warning keeps the account.
    to_delete = User.objects.filter(role=User.Role.CANDIDATE, inactivity_warned_at__lt=grace).exclude(
        last_login__gt=F("inactivity_warned_at")
    )
    counts = {"inactive_accounts_warned": to_warn.count(), "inactive_accounts_deleted": to_delete.count()}
    if dry_run:
        return counts
    for user in to_warn:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
            outbox.enqueue_templated(
                to=user,
                kind=emails.INACTIVITY_WARNING,
                context={"days": settings.TSUNAGU_RETENTION["inactive_account_delete_after_warning"]},
                subject=lambda: _("Your Tsunagu account will be deleted unless you sign in"),
            )
    for user in to_delete:
        account_erase(user=user, trigger=AccountErasure.Trigger.INACTIVITY)
    return counts


def privacy_requests(now, dry_run: bool) -> dict[str, int]:
    old = PrivacyRequest.objects.exclude(state__in=PrivacyRequest.OPEN_STATES).filter(
        answered_at__lt=now - days("privacy_requests")
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return {"privacy_requests_deleted": count}


def exports(now, dry_run: bool) -> dict[str, int]:
    return {"data_exports_deleted": data_exports_delete_expired(now=now, dry_run=dry_run)}


def apply_retention(*, now=None, dry_run: bool = False) -> dict[str, int]:
    now = now or timezone.now()
    results: dict[str, int] = {}
    for rule in registry.retention_rules:
        results.update(rule(now, dry_run))
    return results


RULES = [inactive_accounts, privacy_requests, exports]
