"""Reads about consent that other code relies on."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from consents.models import (
    AccessRecord,
    ConsentEvent,
    ConsentSubject,
    EmailPurpose,
    EmailPurposeConsent,
    EmployerAgreement,
    PolicyAcceptance,
    PolicyKind,
    PolicyVersion,
    ProcessingRestriction,
    ShareGrant,
    grant_expiry_default,
)
from consents.notices import share_notice, share_purpose_text
from outbox.models import Suppression


def purpose_audience(purpose: str) -> QuerySet[User]:
    """Who may receive mail for `purpose` NOW: an active account under no
    screening decision, a current opt-in, no restriction of use, an address
    that did not bounce or
    complain. Asked when mail is written and again when it goes out (the
    outbox's purpose gate), never only when it is scheduled."""
    return (
        User.objects.filter(is_active=True, screening="")
        .filter(Exists(EmailPurposeConsent.objects.filter(user=OuterRef("pk"), purpose=purpose, granted=True)))
        .filter(~Exists(ProcessingRestriction.objects.active().filter(user=OuterRef("pk"))))
        # Case-insensitive, as at delivery: an address's letter case may differ
        # between the account and the bounce report.
        .filter(~Exists(Suppression.objects.filter(email__iexact=OuterRef("email"))))
    )


def may_send_purpose(user: User, purpose: str) -> bool:
    """May we send mail for `purpose` to this person NOW?"""
    return purpose in EmailPurpose.values and purpose_audience(purpose).filter(pk=user.pk).exists()


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


def published_versions() -> QuerySet[PolicyVersion]:
    """Every version in force or past, for the public list of revisions."""
    return PolicyVersion.objects.published().order_by("kind", "-published_at")


def published_version(kind: str, version: str) -> PolicyVersion | None:
    return PolicyVersion.objects.published().prefetch_related("texts").filter(kind=kind, version=version).first()


def grant_of(candidate: User, grant_id: int) -> ShareGrant | None:
    """One of the candidate's own grants (None for anyone else's)."""
    return ShareGrant.objects.select_related("employer", "candidate").filter(pk=grant_id, candidate=candidate).first()


def open_grant(candidate: User, employer) -> ShareGrant | None:
    return ShareGrant.objects.open().filter(candidate=candidate, employer=employer).first()


def employer_agreement(employer, version: PolicyVersion | None) -> EmployerAgreement | None:
    """The employer's acceptance of `version`, with who accepted it."""
    if version is None:
        return None
    return EmployerAgreement.objects.filter(employer=employer, version=version).select_related("accepted_by").first()


def grants_of(user: User):
    return ShareGrant.objects.filter(candidate=user).select_related("employer").order_by("ended_at", "-granted_at")


USER_POLICIES = (PolicyKind.TERMS, PolicyKind.PRIVACY)


def policies_to_accept(user: User) -> list[PolicyVersion]:
    """Versions this person still has to accept (newest of each kind)."""
    pending = []
    for kind in USER_POLICIES:
        required = PolicyVersion.objects.required(kind)
        if required is None:
            continue
        accepted = PolicyAcceptance.objects.filter(
            user=user, version__kind=kind, version__published_at__gte=required.published_at
        ).exists()
        if not accepted:
            pending.append(PolicyVersion.objects.current(kind))
    return pending


def recent_revisions():
    """Revisions to announce on every page for a while (seed 004 Art. 34)."""
    since = timezone.now() - timedelta(days=settings.TSUNAGU_POLICY_BANNER_DAYS)
    return list(
        PolicyVersion.objects.published().filter(published_at__gte=since)
        .filter(~Q(summary_en="") | ~Q(summary_ja=""))
        .order_by("-published_at")[:3]
    )


def share_consent_screen(*, candidate: User, employer, groups: set[str]) -> dict:
    """What the consent screen shows (PRODUCT §3.1): the employer, the
    purpose, the fields ticked so far, how long, the exact notice, and the
    grant the candidate already gave this employer, if any."""
    expires_at = grant_expiry_default()
    return {
        "employer": employer,
        "purpose": share_purpose_text(),
        "expires_at": expires_at,
        "notice": share_notice(employer=employer, groups=groups, expires_at=expires_at),
        "existing": open_grant(candidate, employer),
    }
