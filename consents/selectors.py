"""Reads about consent that other code relies on."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from consents.models import (
    AccessRecord,
    ConsentEvent,
    ConsentSubject,
    EmailPurpose,
    EmailPurposeConsent,
    PolicyAcceptance,
    PolicyKind,
    PolicyVersion,
    ProcessingRestriction,
    ShareGrant,
)


def may_send_purpose(user: User, purpose: str) -> bool:
    """May we send mail for `purpose` to this person NOW? Checked at send
    time, not when a campaign is scheduled: an active account, a current
    opt-in, and no restriction of use."""
    if purpose not in EmailPurpose.values or not user.is_active:
        return False
    if not EmailPurposeConsent.objects.filter(user=user, purpose=purpose, granted=True).exists():
        return False
    return not ProcessingRestriction.objects.filter(user=user, lifted_at__isnull=True).exists()


def purpose_states(user: User) -> dict[str, bool]:
    states = dict.fromkeys(EmailPurpose.values, False)
    states.update(dict(EmailPurposeConsent.objects.filter(user=user).values_list("purpose", "granted")))
    return states


def subject_key_of(user: User):
    subject = ConsentSubject.objects.filter(user=user).first()
    return subject.key if subject else None


def ledger_of(user: User):
    key = subject_key_of(user)
    if key is None:
        return ConsentEvent.objects.none()
    return ConsentEvent.objects.filter(subject_key=key).order_by("-occurred_at", "-pk")


def access_records_of(user: User):
    key = subject_key_of(user)
    if key is None:
        return AccessRecord.objects.none()
    return AccessRecord.objects.filter(subject_key=key).order_by("-occurred_at")


def grants_of(user: User):
    return ShareGrant.objects.filter(candidate=user).select_related("employer").order_by("ended_at", "-granted_at")


def required_versions(kind: str) -> PolicyVersion | None:
    """The oldest version of `kind` everyone must have accepted: the latest
    published one that asked for consent."""
    return (
        PolicyVersion.objects.filter(kind=kind, published_at__lte=timezone.now(), requires_consent=True)
        .order_by("-published_at", "-pk")
        .first()
    )


USER_POLICIES = (PolicyKind.TERMS, PolicyKind.PRIVACY)


def policies_to_accept(user: User) -> list[PolicyVersion]:
    """Versions this person still has to accept (newest of each kind)."""
    pending = []
    for kind in USER_POLICIES:
        required = required_versions(kind)
        if required is None:
            continue
        accepted = PolicyAcceptance.objects.filter(
            user=user, version__kind=kind, version__published_at__gte=required.published_at
        ).exists()
        if not accepted:
            newest = (
                PolicyVersion.objects.filter(kind=kind, published_at__lte=timezone.now())
                .prefetch_related("texts")
                .order_by("-published_at", "-pk")
                .first()
            )
            pending.append(newest)
    return pending


def recent_revisions():
    """Revisions to announce on every page for a while (seed 004 Art. 34)."""
    since = timezone.now() - timedelta(days=settings.TSUNAGU_POLICY_BANNER_DAYS)
    return list(
        PolicyVersion.objects.filter(published_at__gte=since, published_at__lte=timezone.now())
        .filter(~Q(summary_en="") | ~Q(summary_ja=""))
        .order_by("-published_at")[:3]
    )
