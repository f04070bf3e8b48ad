"""Reads about consent that other code relies on."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from accounts.models import Employer, User
from config import generations
from consents.models import (
    AccessRecord,
    ConsentEvent,
    ConsentSubject,
    EmailPurpose,
    EmailPurposeConsent,
    EmployerAgreement,
    PolicyAcceptance,
    PolicyBannerDismissal,
    PolicyKind,
    PolicyText,
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


def subject_key_of(user: User) -> uuid.UUID | None:
    subject = ConsentSubject.objects.filter(user=user).first()
    return subject.key if subject else None


def ledger_of(user: User) -> QuerySet[ConsentEvent]:
    key = subject_key_of(user)
    if key is None:
        return ConsentEvent.objects.none()
    return ConsentEvent.objects.filter(subject_key=key).order_by("-occurred_at", "-pk")


def access_records_of(user: User) -> QuerySet[AccessRecord]:
    key = subject_key_of(user)
    if key is None:
        return AccessRecord.objects.none()
    return AccessRecord.objects.filter(subject_key=key).order_by("-occurred_at")


def _summaries() -> Prefetch:
    """Each version's texts without their bodies: enough for
    `PolicyVersion.summary_in` (the summary of what changed, per language)."""
    return Prefetch("texts", queryset=PolicyText.objects.only("pk", "version_id", "language", "summary"))


def published_versions() -> QuerySet[PolicyVersion]:
    """Every version in force or past, for the public list of revisions,
    with the summaries of what changed."""
    return PolicyVersion.objects.published().prefetch_related(_summaries()).order_by("kind", "-published_at")


def published_version_by_id(pk: int) -> PolicyVersion | None:
    return PolicyVersion.objects.published().filter(pk=pk).first()


def published_version(kind: str, version: str) -> PolicyVersion | None:
    return PolicyVersion.objects.published().prefetch_related("texts").filter(kind=kind, version=version).first()


def grant_of(candidate: User, grant_id: int) -> ShareGrant | None:
    """One of the candidate's own grants (None for anyone else's)."""
    return ShareGrant.objects.select_related("employer", "candidate").filter(pk=grant_id, candidate=candidate).first()


def open_grant(candidate: User, employer: Employer) -> ShareGrant | None:
    return ShareGrant.objects.open().filter(candidate=candidate, employer=employer).first()


def employer_agreement(employer: Employer, version: PolicyVersion | None) -> EmployerAgreement | None:
    """The employer's acceptance of `version`, with who accepted it."""
    if version is None:
        return None
    return EmployerAgreement.objects.filter(employer=employer, version=version).select_related("accepted_by").first()


def grants_of(user: User) -> QuerySet[ShareGrant]:
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
            current = PolicyVersion.objects.current(kind)
            if current is not None:  # always: `required` is a published version of this kind
                pending.append(current)
    return pending


def recent_revisions() -> list[PolicyVersion]:
    """Revisions to announce on the site for a while (seed 004 Art. 34): a
    revision, not a document's first version (nothing was revised), with a
    summary of what changed; the newest of each document. Asked on every
    page: chosen here, at this instant, among `_revision_candidates` (no
    query while they are cached)."""
    now = timezone.now()
    since = now - timedelta(days=settings.TSUNAGU_POLICY_BANNER_DAYS)
    newest: dict[str, PolicyVersion] = {}
    for version in _revision_candidates(since):
        # (every candidate has a date: the query asks for one since `since`)
        if version.published_at is not None and since <= version.published_at <= now:
            newest.setdefault(version.kind, version)
    return list(newest.values())


REVISION_CANDIDATES_KEY = "policy-revision-candidates"
# Only to let an unused entry go; the policy generation is what makes it stale.
REVISION_CANDIDATES_SECONDS = 3600
_VERSION_FIELDS = tuple(field.attname for field in PolicyVersion._meta.concrete_fields)


def _revision_candidates(since: datetime) -> list[PolicyVersion]:
    """The versions published since `since` or scheduled for later that
    revise a document with a summary, newest first: one query, or none
    while the cache holds them for the current policy generation
    (config.generations, POLICIES: bumped by every change to a version or
    a text, matching.receivers). Whether each is in force and still recent
    is decided by the caller at each request, so a version coming into
    force or leaving the window needs no write. The entry is used only when
    it was made from a window that started no later than `since` (it then
    holds every version of the shorter window). Not while the cache is
    Redis's local stand-in (config.cache): another process could not see a
    bump."""
    if getattr(cache, "degraded", False):
        return _revision_candidates_query(since)
    (generation,), found = generations.current_with([generations.POLICIES], [REVISION_CANDIDATES_KEY])
    entry = found.get(REVISION_CANDIDATES_KEY)
    if entry is not None:
        entry_generation, entry_since, fields, rows = entry
        if entry_generation == generation and entry_since <= since and fields == _VERSION_FIELDS:
            return [PolicyVersion.from_db(PolicyVersion.objects.db, fields, row) for row in rows]
    versions = _revision_candidates_query(since)
    rows = [tuple(getattr(version, name) for name in _VERSION_FIELDS) for version in versions]
    cache.set(REVISION_CANDIDATES_KEY, (generation, since, _VERSION_FIELDS, rows), REVISION_CANDIDATES_SECONDS)
    return versions


def _revision_candidates_query(since: datetime) -> list[PolicyVersion]:
    # An earlier version of the same document: for a version in force, every
    # version published before it is in force too, so this needs no clock.
    earlier = PolicyVersion.objects.filter(kind=OuterRef("kind"), published_at__lt=OuterRef("published_at"))
    return list(
        PolicyVersion.objects.filter(published_at__gte=since)
        .filter(Exists(PolicyText.objects.filter(version=OuterRef("pk")).exclude(summary="")))
        .filter(Exists(earlier))
        .order_by("-published_at", "-pk")[:100]
    )


# Whom each document concerns: the Data Use Agreement binds employers only.
BANNER_AUDIENCE: dict[str, set[str]] = {
    PolicyKind.TERMS: {"visitor", User.Role.CANDIDATE, User.Role.EMPLOYER},
    PolicyKind.PRIVACY: {"visitor", User.Role.CANDIDATE, User.Role.EMPLOYER},
    PolicyKind.DATA_USE: {User.Role.EMPLOYER},
}


def policy_banners(user: Any, dismissed_ids: set[int] | frozenset[int] = frozenset()) -> list[PolicyVersion]:
    """The revision banners this person sees: only revisions of documents
    that concern them, not one they closed or read (per account; per
    browser for visitors, `dismissed_ids` from their banner cookie), not one
    they (or, for the Data Use Agreement, their company) accepted, or a
    later version of it, and none published before they signed up: what
    they accepted then was already the revised text. With their summaries
    (one query more, only when there is a banner to show)."""
    banners = _policy_banners(user, dismissed_ids)
    prefetch_related_objects(banners, _summaries())
    return banners


def _policy_banners(user: Any, dismissed_ids: set[int] | frozenset[int]) -> list[PolicyVersion]:
    versions = recent_revisions()
    if not versions:
        return []
    signed_in = user is not None and user.is_authenticated
    role = user.role if signed_in else "visitor"
    versions = [v for v in versions if role in BANNER_AUDIENCE.get(v.kind, set())]
    if not signed_in:
        return [v for v in versions if v.pk not in dismissed_ids]
    versions = [v for v in versions if v.published_at > user.date_joined]
    if not versions:
        return []
    closed = set(
        PolicyBannerDismissal.objects.filter(user=user, version__in=versions).values_list("version_id", flat=True)
    )
    accepted_since = dict(
        PolicyAcceptance.objects.filter(user=user, version__kind__in=USER_POLICIES)
        .values_list("version__kind")
        .annotate(latest=Max("version__published_at"))
    )
    employer = getattr(getattr(user, "employer_membership", None), "employer", None)
    if employer is not None:
        agreed = EmployerAgreement.objects.filter(employer=employer).aggregate(latest=Max("version__published_at"))
        if agreed["latest"]:
            accepted_since[PolicyKind.DATA_USE] = agreed["latest"]
    return [
        v
        for v in versions
        if v.pk not in closed and not (accepted_since.get(v.kind) and accepted_since[v.kind] >= v.published_at)
    ]


def announced_version(version: PolicyVersion) -> bool:
    """Is this version one the banners announce now?"""
    return any(v.pk == version.pk for v in recent_revisions())


def share_consent_screen(*, candidate: User, employer: Employer, groups: set[str]) -> dict:
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
