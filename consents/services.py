"""Every change to a consent. Each writes its current state and its ledger
event in one transaction; notifications go out after the commit."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import ApiClient, Employer, User
from accounts.oauth import AppAccessEnd
from accounts.selectors import api_app_holders, employer_of, is_employer_admin, members_to_tell
from consents import emails, notices, policy_check
from consents.models import (
    OPTIONAL_FIELD_GROUPS,
    Actor,
    Channel,
    ConsentEvent,
    ConsentEventType,
    ConsentKind,
    ConsentSubject,
    CookieConsent,
    EmailPurpose,
    EmailPurposeConsent,
    EmployerAgreement,
    FieldGroup,
    PolicyAcceptance,
    PolicyBannerDismissal,
    PolicyKind,
    PolicyVersion,
    ShareGrant,
    grant_expiry_default,
)
from consents.signals import share_grant_ended
from outbox import services as outbox
from outbox.broker import send_task_on_commit
from outbox.models import OutboundEmail

# --- Keys and the ledger ---------------------------------------------------------


def subject_key_for(user: User) -> uuid.UUID:
    subject, _created = ConsentSubject.objects.get_or_create(user=user)
    return subject.key


def subject_keys_for(user_ids: list[int]) -> dict[int, uuid.UUID]:
    """The pseudonymous key of each account, made where missing: at most
    three queries for any number of people."""
    keys = dict(ConsentSubject.objects.filter(user_id__in=user_ids).values_list("user_id", "key"))
    missing = [user_id for user_id in user_ids if user_id not in keys]
    if missing:
        ConsentSubject.objects.bulk_create([ConsentSubject(user_id=u) for u in missing], ignore_conflicts=True)
        keys.update(ConsentSubject.objects.filter(user_id__in=missing).values_list("user_id", "key"))
    return keys


@dataclass(frozen=True)
class Notice:
    """What the person was shown: the policy version in force and the text."""

    text: str
    language: str
    version_id: int | None = None

    @property
    def sha256(self) -> str:
        return notices.sha256(self.text)


def _actor(user: User | None, subject: User | None) -> dict:
    if user is None:
        return {"actor": Actor.SYSTEM, "actor_staff_id": None}
    if subject is not None and user.pk == subject.pk:
        return {"actor": Actor.SUBJECT, "actor_staff_id": None}
    if user.is_staff_member:
        return {"actor": Actor.STAFF, "actor_staff_id": user.pk}
    raise PermissionDenied


def _append(*, subject_key, kind, event, channel, actor: dict, notice: Notice | None = None, **fields) -> ConsentEvent:
    row = ConsentEvent(
        subject_key=subject_key,
        kind=kind,
        event=event,
        channel=channel,
        notice_version_id=notice.version_id if notice else None,
        notice_sha256=notice.sha256 if notice else "",
        language=notice.language if notice else "",
        **actor,
        **fields,
    )
    row.save(force_insert=True)
    return row


def ledger_share(
    *, grant: ShareGrant, event: str, channel: str, actor: dict, notice: Notice | None = None
) -> ConsentEvent:
    return _append(
        subject_key=subject_key_for(grant.candidate),
        kind=ConsentKind.SHARE,
        event=event,
        channel=channel,
        actor=actor,
        notice=notice,
        employer_id=grant.employer_id,
        employer_name=grant.employer.legal_name,
        grant_id=grant.pk,
        scope={
            "field_groups": sorted(grant.field_groups),
            "purpose": notices.SHARE_PURPOSE,
            "expires_at": grant.expires_at.isoformat(),
            "origin": grant.origin,
        },
    )


def ledger_purpose(
    *, user: User, purpose: str, granted: bool, event: str, channel: str, actor: dict, notice: Notice
) -> ConsentEvent:
    return _append(
        subject_key=subject_key_for(user),
        kind=ConsentKind.PURPOSE,
        event=event,
        channel=channel,
        actor=actor,
        notice=notice,
        purpose=purpose,
        scope={"granted": granted},
    )


def ledger_cookie(
    *, subject_key: uuid.UUID, category: str, granted: bool, event: str, notice: Notice, actor: dict
) -> ConsentEvent:
    return _append(
        subject_key=subject_key,
        kind=ConsentKind.COOKIE,
        event=event,
        channel=Channel.WEB,
        actor=actor,
        notice=notice,
        cookie_category=category,
        scope={"granted": granted},
    )


def ledger_policy(*, user: User, version: PolicyVersion, channel: str, language: str) -> ConsentEvent:
    text = version.text_for(language)
    # The language of the text the person was shown: a version without a
    # text in their language shows the Japanese one (PolicyVersion.text_for).
    language = text.language if text else language
    return _append(
        subject_key=subject_key_for(user),
        kind=ConsentKind.POLICY,
        event=ConsentEventType.GRANT,
        channel=channel,
        actor=_actor(user, user),
        notice=Notice(text=text.body if text else "", language=language, version_id=version.pk),
        policy_version_id=version.pk,
        scope={"document": version.kind, "version": version.version},
    )


# --- Policies ----------------------------------------------------------------


def current_policy(kind: str) -> PolicyVersion | None:
    return PolicyVersion.objects.current(kind)


@transaction.atomic
def policy_version_publish(*, actor: User, version: PolicyVersion) -> PolicyVersion:
    """Publish a version now. Needs an English and a Japanese text."""
    if not actor.is_staff_member:
        raise PermissionDenied
    languages = set(version.texts.values_list("language", flat=True))
    if not {"en", "ja"} <= languages:
        raise ValidationError(_("A version needs its Japanese and English texts before it is published."))
    if version.published_at:
        raise ValidationError(_("This version is already published."))
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    policy_check.policy_published()
    # Broker down: announce_published_versions (Celery beat) sends it later.
    send_task_on_commit("consents.tasks.announce_policy_version", version.pk)
    return version


POLICY_VERSION_HEADER = "X-Tsunagu-Policy-Version"


def policy_version_announce(version_id: int) -> int:
    """Seed 004 Art. 34: every revision is announced by email too, with its
    date and what changed, to every active account, in their language.
    Streams the accounts and writes outbox rows (transactional stream: this
    is a notice about the service, not purpose mail). Safe to run twice: each
    row carries the version in a header, and people who have one are skipped."""

    version = PolicyVersion.objects.prefetch_related("texts").get(pk=version_id)
    header = {POLICY_VERSION_HEADER: str(version.pk)}
    already = OutboundEmail.objects.filter(
        recipient=OuterRef("pk"), **{f"headers__{POLICY_VERSION_HEADER}": str(version.pk)}
    )
    count = 0
    people = User.objects.filter(is_active=True).filter(~Exists(already)).order_by("pk")
    for user in people.iterator(chunk_size=1000):
        outbox.enqueue_templated(
            to=user,
            kind=emails.POLICY_REVISION,
            context={
                "version": version,
                "summary": version.summary_in(user.language),
            },
            subject=lambda: (
                _("%(document)s revised (%(version)s)")
                % {"document": version.get_kind_display(), "version": version.version}
            ),
            headers=header,
        )
        count += 1
    PolicyVersion.objects.filter(pk=version.pk).update(announced_at=timezone.now())
    return count


def policy_versions_announce_pending() -> int:
    """Announce published versions whose announcement never ran (the broker
    was down when they were published). Celery beat, every few minutes."""
    pending = PolicyVersion.objects.published().filter(announced_at__isnull=True)
    return sum(policy_version_announce(version_id) for version_id in pending.values_list("pk", flat=True))


@transaction.atomic
def policy_accept(*, user: User, versions: list[PolicyVersion], language: str, channel: str = Channel.WEB) -> None:
    for version in versions:
        text = version.text_for(language)
        _acceptance, created = PolicyAcceptance.objects.get_or_create(
            user=user, version=version, defaults={"language": text.language if text else language}
        )
        if created:
            ledger_policy(user=user, version=version, channel=channel, language=language)
    policy_check.policies_accepted(user)


def policy_banner_dismiss(*, user: User, version: PolicyVersion, how: str) -> None:
    """The person closed the revision banner, or read the revision: it no
    longer shows for them (idempotent)."""
    PolicyBannerDismissal.objects.get_or_create(user=user, version=version, defaults={"how": how})


@transaction.atomic
def employer_agreement_accept(*, actor: User, version: PolicyVersion, language: str) -> EmployerAgreement:
    employer = employer_of(actor)
    if employer is None or not is_employer_admin(actor) or version.kind != PolicyKind.DATA_USE:
        raise PermissionDenied
    text = version.text_for(language)
    agreement, _created = EmployerAgreement.objects.get_or_create(
        employer=employer,
        version=version,
        defaults={"accepted_by": actor, "language": text.language if text else language},
    )
    return agreement


# --- Share grants ----------------------------------------------------------------


DOUBLE_SUBMIT_SECONDS = 60


def share_consent_notice(*, employer: Employer, groups: set[str], language: str) -> Notice:
    """What the candidate agrees to when sharing with `employer` now: the
    exact text of the consent screen in their language (its hash goes into
    the ledger) and the Privacy Policy version in force. Every flow that
    gives a grant (sharing, applying, accepting a proposal, the API) builds
    its notice here."""
    with translation.override(language):
        text = notices.share_notice(employer=employer, groups=groups, expires_at=grant_expiry_default())
    return Notice(text=text, language=language, version_id=_privacy_version_id())


def _flags(groups: set[str]) -> dict:
    unknown = set(groups) - {FieldGroup.CORE, *OPTIONAL_FIELD_GROUPS}
    if unknown:
        raise ValidationError(f"Unknown field groups: {sorted(unknown)}")
    return {flag: group in groups for group, flag in ShareGrant.GROUP_FLAGS.items()}


def _end(grant: ShareGrant, reason: str, at: datetime) -> None:
    grant.ended_at = at
    grant.end_reason = reason
    grant.save(update_fields=["ended_at", "end_reason"])


@transaction.atomic
def share_grant_give(
    *,
    candidate: User,
    employer: Employer,
    groups: set[str],
    notice: Notice,
    channel: str = Channel.WEB,
    origin: str = ShareGrant.Origin.DIRECT,
    actor: User | None = None,
) -> ShareGrant:
    """Give (or renew, or change) the one grant of `candidate` to `employer`.

    Serialised per candidate (row lock), so a double submit makes one grant:
    the second finds the first and renews it with the same scope."""
    if not candidate.is_candidate:
        raise PermissionDenied
    actor_fields = _actor(actor or candidate, candidate)
    User.objects.select_for_update().filter(pk=candidate.pk).first()
    now = timezone.now()
    flags = _flags(groups)
    expires_at = grant_expiry_default(now)
    current = ShareGrant.objects.open().filter(candidate=candidate, employer=employer).first()
    if current is not None and current.expires_at <= now:
        _end(current, ShareGrant.EndReason.EXPIRED, current.expires_at)
        ledger_share(grant=current, event=ConsentEventType.EXPIRE, channel=Channel.SYSTEM, actor=_actor(None, None))
        current = None
    if current is not None:
        same = all(getattr(current, k) == v for k, v in flags.items())
        if same and now - current.confirmed_at < timedelta(seconds=DOUBLE_SUBMIT_SECONDS):
            return current  # the same consent submitted twice: one grant, one record
        for k, v in flags.items():
            setattr(current, k, v)
        if same and current.origin != origin and origin != ShareGrant.Origin.DIRECT:
            current.origin = origin
        current.expires_at = expires_at
        current.confirmed_at = now
        current.save()
        event = ConsentEventType.RENEW if same else ConsentEventType.CHANGE
        ledger_share(grant=current, event=event, channel=channel, actor=actor_fields, notice=notice)
        grant = current
    else:
        try:
            with transaction.atomic():
                grant = ShareGrant.objects.create(
                    candidate=candidate,
                    employer=employer,
                    origin=origin,
                    granted_at=now,
                    expires_at=expires_at,
                    **flags,
                )
        except IntegrityError:
            # Another request created it between our check and insert.
            return ShareGrant.objects.open().get(candidate=candidate, employer=employer)
        ledger_share(grant=grant, event=ConsentEventType.GRANT, channel=channel, actor=actor_fields, notice=notice)
    _send_grant_receipt(grant.pk)
    return grant


@transaction.atomic
def share_grant_withdraw(*, actor: User, grant: ShareGrant, channel: str = Channel.WEB) -> ShareGrant:
    """Withdraw at once: from this instant no page, export or API shows the
    profile to the employer. The employer's members are told, with a reminder
    of their duty under the Data Use Agreement."""
    actor_fields = _actor(actor, grant.candidate)
    grant = ShareGrant.objects.select_for_update().select_related("employer", "candidate").get(pk=grant.pk)
    if grant.ended_at is not None:
        return grant
    _end(grant, ShareGrant.EndReason.WITHDRAWN, timezone.now())
    ledger_share(grant=grant, event=ConsentEventType.WITHDRAW, channel=channel, actor=actor_fields)
    _send_withdrawal_notice(grant.pk)
    share_grant_ended.send(sender=ShareGrant, grant=grant, reason=ShareGrant.EndReason.WITHDRAWN)
    return grant


def share_grants_expire_due(*, now: datetime | None = None) -> int:
    """Record the expiry of grants past their date (access already stopped at
    that instant: the access module compares expires_at with the clock)."""
    now = now or timezone.now()
    count = 0
    for grant_id in ShareGrant.objects.open().filter(expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            grant = ShareGrant.objects.select_for_update().select_related("employer", "candidate").get(pk=grant_id)
            if grant.ended_at is None:
                _end(grant, ShareGrant.EndReason.EXPIRED, grant.expires_at)
                ledger_share(
                    grant=grant, event=ConsentEventType.EXPIRE, channel=Channel.SYSTEM, actor=_actor(None, None)
                )
                share_grant_ended.send(sender=ShareGrant, grant=grant, reason=ShareGrant.EndReason.EXPIRED)
                count += 1
    return count


def share_grant_reminders_send(*, now: datetime | None = None) -> int:
    """Remind candidates before a grant expires (once per grant)."""
    now = now or timezone.now()
    due = (
        ShareGrant.objects.active(at=now)
        .filter(
            reminder_sent_at__isnull=True, expires_at__lte=now + timedelta(days=settings.TSUNAGU_GRANT_REMINDER_DAYS)
        )
        .values_list("pk", flat=True)
    )
    count = 0
    for grant_id in due:
        with transaction.atomic():
            updated = ShareGrant.objects.filter(pk=grant_id, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if updated:
                _send_expiry_reminder(grant_id)
                count += 1
    return count


# --- Email purposes -------------------------------------------------------------


@transaction.atomic
def purpose_consents_set(
    *, actor: User, user: User, choices: dict[str, bool], language: str, channel: str = Channel.WEB
) -> list[str]:
    """Set the given purposes; unchanged ones write nothing. Returns the
    purposes that changed."""
    actor_fields = _actor(actor, user)
    unknown = set(choices) - set(EmailPurpose.values)
    if unknown:
        raise ValidationError(f"Unknown purposes: {sorted(unknown)}")
    existing = {c.purpose: c for c in EmailPurposeConsent.objects.select_for_update().filter(user=user)}
    labels = [str(EmailPurpose(p).label) for p, wanted in choices.items() if wanted]
    notice = Notice(text=notices.purposes_notice(labels), language=language, version_id=_privacy_version_id())
    changed = []
    now = timezone.now()
    for purpose, wanted in choices.items():
        state = existing.get(purpose)
        before = state.granted if state else False
        if state is not None and before == wanted:
            continue
        if state is None and not wanted:
            continue  # off by default: nothing to record
        if state is None:
            EmailPurposeConsent.objects.create(user=user, purpose=purpose, granted=wanted, changed_at=now)
        else:
            state.granted = wanted
            state.changed_at = now
            state.save(update_fields=["granted", "changed_at"])
        ledger_purpose(
            user=user,
            purpose=purpose,
            granted=wanted,
            channel=channel,
            actor=actor_fields,
            notice=notice,
            event=ConsentEventType.GRANT if wanted else ConsentEventType.WITHDRAW,
        )
        changed.append(purpose)
    return changed


def _privacy_version_id() -> int | None:
    version = current_policy(PolicyKind.PRIVACY)
    return version.pk if version else None


# --- Cookies ----------------------------------------------------------------------


COOKIE_CHOICES = ("preferences", "analytics", "advertising")


@transaction.atomic
def cookie_consent_record(
    *, consent_id: uuid.UUID | None, user: User | None, choices: dict[str, bool], gpc: bool, language: str
) -> CookieConsent:
    """Store a browser's cookie choices (GPC forces advertising off) and
    ledger each category that changed."""
    choices = {name: bool(choices.get(name)) for name in COOKIE_CHOICES}
    if gpc:
        choices["advertising"] = False
    record = None
    if consent_id:
        record = CookieConsent.objects.select_for_update().filter(consent_id=consent_id).first()
    created = record is None
    if record is None:
        record = CookieConsent(user=user if user and user.is_authenticated else None)
    before = {name: getattr(record, name) for name in COOKIE_CHOICES}
    for name, value in choices.items():
        setattr(record, name, value)
    record.gpc = gpc
    record.updated_at = timezone.now()
    if user is not None and user.is_authenticated and record.user_id is None:
        record.user = user
    record.save()
    subject_key = subject_key_for(record.user) if record.user is not None else record.consent_id
    actor = _actor(record.user, record.user) if record.user_id else {"actor": "subject", "actor_staff_id": None}
    notice = Notice(text=notices.cookie_notice(choices), language=language, version_id=_privacy_version_id())
    for name, value in choices.items():
        if created or before[name] != value:
            if created and not value:
                event = ConsentEventType.WITHDRAW  # refused: recorded, so the refusal is provable too
            else:
                event = ConsentEventType.GRANT if value else ConsentEventType.WITHDRAW
            ledger_cookie(
                subject_key=subject_key, category=name, granted=value, event=event, notice=notice, actor=actor
            )
    return record


@transaction.atomic
def cookie_consent_attach(*, consent_id: uuid.UUID, user: User) -> None:
    """A visitor signs in: their browser's choices become the account's."""
    record = CookieConsent.objects.select_for_update().filter(consent_id=consent_id, user__isnull=True).first()
    if record is None:
        return
    record.user = user
    record.save(update_fields=["user"])
    choices = {name: getattr(record, name) for name in COOKIE_CHOICES}
    notice = Notice(text=notices.cookie_notice(choices), language=user.language, version_id=_privacy_version_id())
    for name, value in choices.items():
        ledger_cookie(
            subject_key=subject_key_for(user),
            category=name,
            granted=value,
            event=ConsentEventType.CHANGE,
            notice=notice,
            actor=_actor(user, user),
        )


# --- Apps of the person's own (OAuth 2.0, accounts) ---------------------------------

OPEN_EVENTS = (ConsentEventType.GRANT, ConsentEventType.RENEW, ConsentEventType.CHANGE)

# The channel of the row that ends an app's access, by why it ended; its
# actor is "automatic" on the system channel, else the person.
APP_ACCESS_END_CHANNELS = {
    AppAccessEnd.DISCONNECTED: Channel.WEB,
    AppAccessEnd.ACCOUNT_DELETED: Channel.WEB,
    AppAccessEnd.APP: Channel.API,
    AppAccessEnd.REVOKED: Channel.SYSTEM,
    AppAccessEnd.DELETED: Channel.SYSTEM,
    AppAccessEnd.REGISTRANT_SCREENED: Channel.SYSTEM,
    AppAccessEnd.STAFF: Channel.SYSTEM,
    AppAccessEnd.REUSED: Channel.SYSTEM,
}


def ledger_app(
    *,
    user: User,
    client: ApiClient,
    event: str,
    scopes: list[str],
    channel: str,
    actor: dict,
    ended_by: str = "",
    notice: Notice | None = None,
) -> ConsentEvent:
    scope: dict = {"scopes": sorted(scopes)}
    if ended_by:
        scope["ended_by"] = ended_by
    return _append(
        subject_key=subject_key_for(user),
        kind=ConsentKind.APP,
        event=event,
        channel=channel,
        actor=actor,
        app_client_id=client.client_id,
        app_name=client.name,
        scope=scope,
        notice=notice,
    )


def _last_app_event(user: User, client: ApiClient) -> ConsentEvent | None:
    return (
        ConsentEvent.objects.filter(
            subject_key=subject_key_for(user), kind=ConsentKind.APP, app_client_id=client.client_id
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )


@transaction.atomic
def app_authorisation_record(
    *,
    user: User,
    client: ApiClient,
    scopes: list[str],
    held_before: frozenset[str] | None,
    notice_text: str = "",
    language: str = "",
) -> ConsentEvent | None:
    """A candidate let an app in on our consent page: recorded when the app
    exchanges the code for its token, the moment it gets the access (in that
    transaction: accounts.oauth_validator). What the app may now do is all
    it holds of theirs: GRANT if it held nothing live before, CHANGE if it
    held other scopes, and nothing if it already held these (the same
    consent given again while a token lives)."""
    held = sorted(set(scopes) | set(held_before or ()))
    last = _last_app_event(user, client)
    event = ConsentEventType.GRANT
    if held_before is not None and last is not None and last.event in OPEN_EVENTS:
        if last.scope.get("scopes") == held:
            return None
        event = ConsentEventType.CHANGE
    # What the consent page said, in the language it was read in, under the
    # Privacy Policy in force (as for every other consent).
    notice = Notice(text=notice_text, language=language, version_id=_privacy_version_id()) if notice_text else None
    return ledger_app(
        user=user, client=client, event=event, scopes=held, channel=Channel.WEB, actor=_actor(user, user), notice=notice
    )


@transaction.atomic
def app_authorisations_expire_due() -> int:
    """Apps whose every token of a person has lapsed (the refresh token ran
    out unused, or django-oauth-toolkit revoked a reused chain) no longer
    reach their data: an EXPIRE row, as when a share grant runs out
    (hourly, consents.tasks). Ends by the person, the app, its registrant or
    a deletion are recorded when they happen (app_access_change_record)."""
    later = ConsentEvent.objects.filter(
        kind=ConsentKind.APP, subject_key=OuterRef("subject_key"), app_client_id=OuterRef("app_client_id")
    ).filter(Q(occurred_at__gt=OuterRef("occurred_at")) | Q(occurred_at=OuterRef("occurred_at"), pk__gt=OuterRef("pk")))
    # Each (person, app)'s last row, where it left the app's access open.
    still_open = list(ConsentEvent.objects.filter(kind=ConsentKind.APP, event__in=OPEN_EVENTS).exclude(Exists(later)))
    if not still_open:
        return 0
    people = {
        subject.key: subject.user
        for subject in ConsentSubject.objects.filter(key__in={row.subject_key for row in still_open}).select_related(
            "user"
        )
    }
    apps = {app.client_id: app for app in ApiClient.objects.filter(client_id__in={r.app_client_id for r in still_open})}
    holding = api_app_holders(list(apps.values()))
    expired = 0
    for row in still_open:
        user, app = people.get(row.subject_key), apps.get(row.app_client_id)
        if user is None or app is None or (user.pk, app.pk) in holding:
            continue  # erased or deleted (recorded then), or the app still holds a live token
        ledger_app(
            user=user,
            client=app,
            event=ConsentEventType.EXPIRE,
            scopes=row.scope.get("scopes", []),
            channel=Channel.SYSTEM,
            actor=_actor(None, None),
        )
        expired += 1
    return expired


@transaction.atomic
def app_access_change_record(
    *, user: User, client: ApiClient, held: frozenset[str] | None, ended_by: str
) -> ConsentEvent | None:
    """What an app may do with the person's data changed other than by their
    letting it in (accounts.signals.app_access_changed, in the transaction
    that deleted, revoked or narrowed its token: accounts.app_access).

    Nothing held any more: a WITHDRAW with why. They disconnected it or
    closed their account (website), the app gave it up (API, acting for
    them), or its registrant revoked it or was suspended, it was deleted,
    staff removed it, or a reused refresh token ended it (automatic, for
    them). Fewer scopes held: a CHANGE with the scopes left, on the same
    channel. Compared with their history's last row of the app, so the same
    change told twice is recorded once, and nothing is recorded for an
    access the history does not show open."""
    last = _last_app_event(user, client)
    if last is None or last.event not in OPEN_EVENTS:
        return None
    channel = APP_ACCESS_END_CHANNELS[AppAccessEnd(ended_by)]
    actor = _actor(None, None) if channel == Channel.SYSTEM else _actor(user, user)
    if held is None:
        return ledger_app(
            user=user,
            client=client,
            event=ConsentEventType.WITHDRAW,
            scopes=last.scope.get("scopes", []),
            channel=channel,
            actor=actor,
            ended_by=ended_by,
        )
    if sorted(held) == last.scope.get("scopes"):
        return None
    return ledger_app(
        user=user, client=client, event=ConsentEventType.CHANGE, scopes=sorted(held), channel=channel, actor=actor
    )


# --- Mail (through the outbox, in the recipient's language) -------------------


def _send_grant_receipt(grant_id: int) -> None:
    grant = ShareGrant.objects.select_related("candidate", "employer").get(pk=grant_id)
    outbox.enqueue_templated(
        to=grant.candidate,
        kind=emails.GRANT_RECEIPT,
        context={"grant": grant},
        subject=lambda: _("You shared your profile with %(employer)s") % {"employer": grant.employer.legal_name},
    )


def _send_withdrawal_notice(grant_id: int) -> None:
    """Members are told whose data to stop using (the name they already had)."""
    grant = ShareGrant.objects.select_related("employer", "candidate__candidate_profile").get(pk=grant_id)
    profile = getattr(grant.candidate, "candidate_profile", None)
    candidate_name = (profile.name_passport if profile else "") or grant.candidate.full_name
    for member in members_to_tell(grant.employer_id):
        outbox.enqueue_templated(
            to=member,
            kind=emails.WITHDRAWAL_NOTICE,
            context={"grant": grant, "candidate_name": candidate_name},
            subject=lambda: _("A candidate withdrew access to their profile"),
        )


def _send_expiry_reminder(grant_id: int) -> None:
    grant = ShareGrant.objects.select_related("candidate", "employer").get(pk=grant_id)
    outbox.enqueue_templated(
        to=grant.candidate,
        kind=emails.EXPIRY_REMINDER,
        context={"grant": grant},
        subject=lambda: _("Your profile sharing with %(employer)s ends soon") % {"employer": grant.employer.legal_name},
    )
