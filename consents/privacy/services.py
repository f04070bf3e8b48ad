"""Privacy rights: requests under APPI, GDPR and CCPA with their deadlines,
restriction of use, data export, and erasure (withdrawal of membership).

Deadlines (../shared/domain/japan.md §5):
- GDPR Art. 12(3): one month from receipt; extendable by two further months
  for complex or numerous requests, if the person is told, with reasons,
  within the first month.
- CCPA/CPRA (§1798.130, Regs §7021): confirm receipt within 10 business days;
  answer within 45 days, extendable once by 45 days with notice.
- APPI Arts. 33-35: "without delay"; we hold ourselves to an internal target
  (TSUNAGU_APPI_TARGET_DAYS).
Business days (the CCPA's receipt confirmation) come from the maintained
holiday calendars of the `holidays` package: CCPA Regs §7001 counts Monday
to Friday without national holidays, which we read as US federal holidays
[M: unconfirmed which holidays a business in Japan must skip]. We work in
Japan, so the date we set is the earlier of the two counts (10 US business
days, 10 Japanese business days): never later than the law's.
"""

import hashlib
import io
import json
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import StaffGroup, User
from accounts.permissions import in_staff_group
from consents.models import ProcessingRestriction
from consents.privacy import emails, registry
from consents.privacy.models import (
    KINDS_BY_REGIME,
    AccountErasure,
    DataExport,
    Incident,
    IncidentEvent,
    PrivacyRequest,
    PrivacyRequestEvent,
    Regime,
    RepresentativeKind,
    RequestChannel,
    RequestKind,
)
from consents.signals import use_restricted
from outbox import services as outbox
from outbox.broker import send_task, send_task_on_commit
from outbox.kinds import MessageKind

EEA = {
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "IS",
    "LI",
    "NO",
}


def regime_for(country: str, us_state: str = "") -> Regime:
    """The regime follows where the person lives."""
    country = (country or "").upper()
    if country in EEA:
        return Regime.GDPR
    if country == "US" and (us_state or "").upper() == "CA":
        return Regime.CCPA
    return Regime.APPI


def add_business_days(start: date, days: int, *, country: str) -> date:
    """The day `days` business days after `start` in `country` (weekdays
    that are not public holidays there)."""
    calendar = holidays.country_holidays(country, years=range(start.year, start.year + 2))
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in calendar:
            days -= 1
    return current


def due_dates(regime: str, received: date) -> tuple[date, date | None]:
    """(answer due, receipt confirmation due)."""
    if regime == Regime.GDPR:
        return received + relativedelta(months=1), None
    if regime == Regime.CCPA:
        confirm_by = min(add_business_days(received, 10, country=c) for c in ("US", "JP"))
        return received + timedelta(days=45), confirm_by
    return received + timedelta(days=settings.TSUNAGU_APPI_TARGET_DAYS), None


# APPI Art. 38 allows a fee only for notification of the purpose of use and
# for disclosure (including disclosure of provision records, Art. 33(5)); the
# GDPR (Art. 12(5)) and the CCPA make requests free. Seeds 001 and 003 charge
# ¥1,000 for exactly these.
FEE_KINDS = {RequestKind.PURPOSE_NOTICE, RequestKind.DISCLOSURE, RequestKind.PROVISION_RECORDS}


def fee_for(regime: str, kind: str) -> int:
    """The fee (yen) a request of this kind costs under this regime."""
    if regime == Regime.APPI and kind in FEE_KINDS:
        return settings.TSUNAGU_PRIVACY_REQUEST_FEE_YEN
    return 0


def _event(
    request: PrivacyRequest, kind: PrivacyRequestEvent.Kind, actor: User | None = None, detail: str = ""
) -> None:
    PrivacyRequestEvent.objects.create(request=request, kind=kind, actor=actor, detail=detail[:5000])


def _is_privacy_officer(user: User) -> bool:
    return in_staff_group(user, StaffGroup.PRIVACY_OFFICER)


@transaction.atomic
def privacy_request_submit(
    *,
    requester: User | None,
    name: str,
    email: str,
    country: str,
    us_state: str,
    kind: str,
    details: str,
    language: str,
) -> PrivacyRequest:
    regime = regime_for(country, us_state)
    if kind not in KINDS_BY_REGIME[regime]:
        raise ValidationError({"kind": _("This request is not available under the law that applies to you.")})
    now = timezone.now()
    due_on, confirm_by = due_dates(regime, timezone.localdate(now))
    request = PrivacyRequest(
        requester=requester if requester and requester.is_authenticated else None,
        name=name.strip(),
        email=email.strip().lower(),
        country=country.upper(),
        us_state=us_state.upper(),
        regime=regime,
        kind=kind,
        details=details.strip(),
        language=language,
        received_at=now,
        due_on=due_on,
        receipt_confirm_by=confirm_by,
        fee_yen=fee_for(regime, kind),
    )
    if request.requester:
        # A signed-in account is the identity check (the email is the account's).
        request.identity_verified_at = now
        request.identity_method = "signed-in account"
        request.email = request.requester.email
        request.state = PrivacyRequest.State.IN_PROGRESS
    else:
        request.state = PrivacyRequest.State.VERIFYING
    request.full_clean()
    request.save()
    _event(
        request,
        PrivacyRequestEvent.Kind.RECEIVED,
        request.requester,
        f"{request.get_kind_display()} under {request.get_regime_display()}",
    )
    _tell_requester(request, emails.REQUEST_RECEIVED, lambda: _("We received your privacy request"))
    return request


def _tell_requester(request: PrivacyRequest, kind: MessageKind, subject) -> None:
    """By email where we have an address; a request made by post or
    telephone without one is answered by post (the officer records it)."""
    if request.requester is None and not request.email:
        return
    outbox.enqueue_templated(
        to=request.requester or request.email,
        language=request.language,
        kind=kind,
        context={"request": request},
        subject=subject,
    )


@dataclass(frozen=True)
class Representative:
    """Who made a request for the person (seed 004 Art. 11(4)(2)), and how
    their identity and authority were checked. The documents are looked at,
    never kept: only this record of the check is."""

    kind: str
    name: str
    authority: str
    checked_how: str


@transaction.atomic
def privacy_request_record(
    *,
    actor: User,
    channel: str,
    received_on: date,
    name: str,
    email: str,
    postal_address: str,
    country: str,
    us_state: str,
    kind: str,
    details: str,
    language: str,
    identity_checked_how: str = "",
    representative: Representative | None = None,
) -> PrivacyRequest:
    """A request that reached us by email, post or telephone, recorded by a
    privacy officer (seed 004 Art. 11(1)). The due date runs from the day it
    was received, not from the day it was typed in."""
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    if channel not in (RequestChannel.EMAIL, RequestChannel.POST, RequestChannel.PHONE):
        raise ValidationError({"channel": _("Record requests received by email, post or telephone.")})
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("The day it was received cannot be in the future.")})
    regime = regime_for(country, us_state)
    if kind not in KINDS_BY_REGIME[Regime(regime)]:
        raise ValidationError({"kind": _("This request is not available under the law that applies to the person.")})
    if not email.strip() and not postal_address.strip():
        raise ValidationError(_("Give an email or a postal address for the answer."))
    due_on, confirm_by = due_dates(regime, received_on)
    now = timezone.now()
    request = PrivacyRequest(
        name=name.strip()[:150],
        email=email.strip().lower(),
        postal_address=postal_address.strip()[:500],
        country=country.upper(),
        us_state=us_state.upper(),
        regime=regime,
        kind=kind,
        details=details.strip(),
        language=language,
        channel=channel,
        recorded_by=actor,
        received_at=timezone.make_aware(datetime.combine(received_on, time(9, 0))) if received_on != today else now,
        due_on=due_on,
        receipt_confirm_by=confirm_by,
        fee_yen=fee_for(regime, kind),
        state=PrivacyRequest.State.VERIFYING,
    )
    if representative is not None and representative.kind:
        if representative.kind not in RepresentativeKind.values:
            raise ValidationError({"representative_kind": _("Unknown kind of representative.")})
        if not (
            representative.name.strip() and representative.authority.strip() and representative.checked_how.strip()
        ):
            raise ValidationError(
                _("Name the representative, their authority, and how their identity and authority were checked.")
            )
        request.representative_kind = representative.kind
        request.representative_name = representative.name.strip()[:150]
        request.representative_authority = representative.authority.strip()[:300]
        request.representative_check = representative.checked_how.strip()[:300]
        request.representative_checked_at = now
        request.representative_checked_by = actor
    if identity_checked_how.strip():
        request.identity_verified_at = now
        request.identity_verified_by = actor
        request.identity_method = identity_checked_how.strip()[:200]
    request.full_clean()
    request.save()
    _event(
        request,
        PrivacyRequestEvent.Kind.RECEIVED,
        actor,
        f"{request.get_kind_display()} under {request.get_regime_display()}, by {request.get_channel_display()}"
        f" on {received_on.isoformat()}",
    )
    if request.representative_kind:
        _event(request, PrivacyRequestEvent.Kind.REPRESENTATIVE_CHECKED, actor, request.representative_check)
    if request.identity_verified_at:
        _event(request, PrivacyRequestEvent.Kind.IDENTITY_VERIFIED, actor, request.identity_method)
    identity_done = request.identity_verified_at and (
        not request.representative_kind or request.representative_checked_at
    )
    if identity_done:
        request.state = PrivacyRequest.State.IN_PROGRESS
        request.save(update_fields=["state"])
    _tell_requester(request, emails.REQUEST_RECEIVED, lambda: _("We received your privacy request"))
    return request


@transaction.atomic
def privacy_request_verify(*, actor: User, request: PrivacyRequest, method: str) -> PrivacyRequest:
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    if not method.strip():
        raise ValidationError(_("Say how the identity was checked."))
    request.identity_verified_at = timezone.now()
    request.identity_verified_by = actor
    request.identity_method = method.strip()[:200]
    if request.state == PrivacyRequest.State.VERIFYING:
        request.state = PrivacyRequest.State.IN_PROGRESS
    request.save()
    _event(request, PrivacyRequestEvent.Kind.IDENTITY_VERIFIED, actor, request.identity_method)
    return request


@transaction.atomic
def privacy_request_confirm_receipt(*, actor: User, request: PrivacyRequest) -> PrivacyRequest:
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    if request.receipt_confirmed_at is None:
        request.receipt_confirmed_at = timezone.now()
        request.save(update_fields=["receipt_confirmed_at"])
        _event(request, PrivacyRequestEvent.Kind.RECEIPT_CONFIRMED, actor)
        _tell_requester(request, emails.REQUEST_RECEIPT, lambda: _("Your privacy request: receipt confirmed"))
    return request


@transaction.atomic
def privacy_request_extend(*, actor: User, request: PrivacyRequest, reason: str) -> PrivacyRequest:
    """GDPR: +2 months, told within the first month. CCPA: +45 days, once.
    APPI has no extension: answer without delay."""
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("An extension needs a reason the requester is told."))
    if request.extended_due_on:
        raise ValidationError(_("This request was already extended once."))
    today = timezone.localdate()
    if request.regime == Regime.GDPR:
        if today > request.due_on:
            raise ValidationError(_("Under the GDPR the extension must be told within the first month."))
        request.extended_due_on = request.due_on + relativedelta(months=2)
    elif request.regime == Regime.CCPA:
        if today > request.due_on:
            raise ValidationError(_("Under the CCPA the extension must be told within the first 45 days."))
        request.extended_due_on = request.due_on + timedelta(days=45)
    else:
        raise ValidationError(_("APPI requests are answered without delay: there is no extension."))
    request.extension_reason = reason.strip()
    request.state = PrivacyRequest.State.EXTENDED
    request.save()
    _event(request, PrivacyRequestEvent.Kind.EXTENDED, actor, request.extension_reason)
    _tell_requester(request, emails.REQUEST_EXTENDED, lambda: _("Your privacy request: more time needed"))
    return request


@transaction.atomic
def privacy_request_answer(
    *, actor: User, request: PrivacyRequest, answer: str, refused: bool = False
) -> PrivacyRequest:
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    if not request.identity_verified_at and not refused:
        raise ValidationError(_("Check the requester's identity before answering."))
    if not answer.strip():
        raise ValidationError(_("Write the answer: it is sent to the requester."))
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = actor
    request.state = PrivacyRequest.State.REFUSED if refused else PrivacyRequest.State.ANSWERED
    request.save()
    _event(
        request,
        PrivacyRequestEvent.Kind.REFUSED if refused else PrivacyRequestEvent.Kind.ANSWERED,
        actor,
        request.answer[:500],
    )
    _tell_requester(request, emails.REQUEST_ANSWER, lambda: _("The answer to your privacy request"))
    return request


# --- Restriction (suspension of use) ---------------------------------------------------


@transaction.atomic
def restriction_start(*, user: User, reason: str = "") -> ProcessingRestriction:
    existing = ProcessingRestriction.objects.active().select_for_update().filter(user=user).first()
    if existing:
        return existing
    restriction = ProcessingRestriction.objects.create(user=user, reason=reason[:500])
    use_restricted.send(sender=ProcessingRestriction, user=user)
    return restriction


@transaction.atomic
def restriction_lift(*, user: User) -> None:
    ProcessingRestriction.objects.active().filter(user=user).update(lifted_at=timezone.now())


# --- Export ("download my data") ---------------------------------------------------------


# 2: privacy requests moved from "consents" to their own "privacy" section.
EXPORT_SCHEMA_VERSION = "2"


def data_export_request(*, user: User) -> DataExport:
    """Start building an archive (one at a time per person)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        running = DataExport.objects.filter(
            user=user, state__in=[DataExport.State.PENDING, DataExport.State.BUILDING]
        ).first()
        if running:
            return running
        export = DataExport.objects.create(user=user)
        send_task_on_commit("consents.privacy.tasks.build_data_export", export.pk)
    return export


def data_exports_requeue_stale(*, now: datetime | None = None) -> int:
    """Hand over again exports that waited (broker down when asked) or
    whose worker died while building (every few minutes, Celery beat)."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(
        Q(state=DataExport.State.PENDING, created_at__lt=now - timedelta(minutes=2))
        | Q(state=DataExport.State.BUILDING, created_at__lt=now - timedelta(minutes=30))
    ).values_list("pk", flat=True)
    count = 0
    for export_id in stale[:500]:
        send_task("consents.privacy.tasks.build_data_export", export_id)
        count += 1
    return count


def export_sections(user: User) -> list[tuple[str, object]]:
    return [section(user) for section in registry.export_sections]


def data_export_build(export_id: int) -> None:
    export = DataExport.objects.select_related("user").get(pk=export_id)
    if export.state not in (DataExport.State.PENDING, DataExport.State.BUILDING):
        return
    export.state = DataExport.State.BUILDING
    export.save(update_fields=["state"])
    user = export.user
    try:
        data: dict = {
            "schema_version": EXPORT_SCHEMA_VERSION,
            "generated_at": timezone.now().isoformat(),
            "documentation": settings.SITE_URL.rstrip("/") + "/en/privacy/export-schema/",
        }
        sections = registry.export_sections
        files: dict[str, bytes] = {}
        for index, section in enumerate(sections, start=1):
            name, content = section(user)
            if isinstance(content, dict) and "__files__" in content:
                files.update(content.pop("__files__"))
            data[name] = content
            DataExport.objects.filter(pk=export.pk).update(progress=int(90 * index / len(sections)))
        payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        with translation.override(user.language):
            html = render_to_string("privacy/export/readable.html", {"data": data, "user": user})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("tsunagu-data.json", payload)
            archive.writestr("tsunagu-data.html", html)
            for filename, content in files.items():
                archive.writestr(filename, content)
        name = f"tsunagu-export-{secrets.token_hex(16)}.zip"
        export.file.save(name, ContentFile(buffer.getvalue()), save=False)
        now = timezone.now()
        export.size = buffer.tell()
        export.state = DataExport.State.READY
        export.progress = 100
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.TSUNAGU_EXPORT_DAYS)
        export.save()
        outbox.enqueue_templated(
            to=user,
            kind=emails.EXPORT_READY,
            context={"export": export},
            subject=lambda: _("Your Tsunagu data is ready to download"),
        )
    except Exception as exc:
        DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.FAILED, error=str(exc)[:500])
        raise


def data_exports_delete_expired(*, now: datetime | None = None, dry_run: bool = False) -> int:
    now = now or timezone.now()
    due = DataExport.objects.filter(state=DataExport.State.READY, expires_at__lte=now)
    count = due.count()
    if not dry_run:
        for export in due:
            if export.file:
                export.file.delete(save=False)
            export.state = DataExport.State.EXPIRED
            export.file = ""
            export.save(update_fields=["state", "file"])
    return count


# --- Erasure (withdrawal of membership) ------------------------------------------------


def erasure_code_issue(*, user: User) -> str:
    """A one-time code emailed to the account's address: candidates have no
    password, so this is how they re-authenticate before erasure. Returns the
    hash to keep in the session."""
    code = f"{secrets.randbelow(10**6):06d}"
    outbox.enqueue_templated(
        to=user,
        kind=emails.ERASURE_CODE,
        context={"code": code},
        subject=lambda: _("Your code to delete your Tsunagu account"),
    )
    return hashlib.sha256(f"{user.pk}:{code}".encode()).hexdigest()


def erasure_code_matches(*, user: User, code: str, code_hash: str) -> bool:
    return secrets.compare_digest(hashlib.sha256(f"{user.pk}:{code.strip()}".encode()).hexdigest(), code_hash or "")


@transaction.atomic
def account_erase(*, user: User, trigger: str = AccountErasure.Trigger.SELF) -> None:
    """Withdraw membership: every app's erasure hook runs (grants withdrawn and
    employers told, pending mail cancelled, applications anonymised, files
    deleted), then the account is deleted. The consent ledger and access
    records stay, naming nobody (their ConsentSubject row goes with the
    account); access records are deleted after 3 years by retention."""
    if not user.is_candidate:
        raise PermissionDenied
    for erase in registry.erasure_hooks:
        erase(user)
    user.delete()
    AccountErasure.objects.create(trigger=trigger)


# --- The breach register ------------------------------------------------------------------

INCIDENT_FIELDS = (
    "discovered_at",
    "description",
    "data_categories",
    "people_affected",
    "sensitive_data",
    "financial_loss_risk",
    "wrongful_purpose",
    "preliminary_reported_at",
    "final_reported_at",
    "people_notified_at",
)


@transaction.atomic
def incident_record(*, actor: User, incident: Incident) -> Incident:
    """Record a new incident or the changes to one (APPI Art. 26; PPC Rules
    7-10), with the history of who changed what."""
    if not _is_privacy_officer(actor):
        raise PermissionDenied
    before = Incident.objects.filter(pk=incident.pk).values(*INCIDENT_FIELDS).first() if incident.pk else None
    if before is None:
        incident.created_by = actor
    incident.full_clean(exclude=["affected_users", "created_by"])
    incident.save()
    if before is None:
        IncidentEvent.objects.create(incident=incident, actor=actor, kind=IncidentEvent.Kind.RECORDED)
        return incident
    changes = {
        name: [str(before[name]), str(getattr(incident, name))]
        for name in INCIDENT_FIELDS
        if before[name] != getattr(incident, name)
    }
    if changes:
        IncidentEvent.objects.create(incident=incident, actor=actor, kind=IncidentEvent.Kind.CHANGED, changes=changes)
    return incident


def data_export_mark_downloaded(*, export: DataExport) -> None:
    DataExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now())
