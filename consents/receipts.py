"""Consent receipts following the fields of ISO/IEC TS 27560 consent records.

A receipt is built from the ledger: the record of one consent (one share
grant, one email purpose, one cookie category, one policy version or one
app of the person's own) with its whole history."""

from django.conf import settings
from django.urls import reverse

from consents.models import ConsentEvent, ConsentEventType, ConsentKind, EmailPurpose, PolicyVersion
from consents.notices import SHARE_PURPOSE

CONTROLLER = {
    "name": "Tsunagu Operations K.K. (つなぐ運営株式会社)",
    "contact": "privacy@tsunagu.example",
    "jurisdiction": "JP",
}

STATE = {
    ConsentEventType.GRANT: "given",
    ConsentEventType.RENEW: "given",
    ConsentEventType.CHANGE: "given",
    ConsentEventType.WITHDRAW: "withdrawn",
    ConsentEventType.EXPIRE: "expired",
}


def _same_consent(event: ConsentEvent):
    qs = ConsentEvent.objects.filter(subject_key=event.subject_key, kind=event.kind)
    if event.kind == ConsentKind.SHARE:
        return qs.filter(grant_id=event.grant_id)
    if event.kind == ConsentKind.PURPOSE:
        return qs.filter(purpose=event.purpose)
    if event.kind == ConsentKind.COOKIE:
        return qs.filter(cookie_category=event.cookie_category)
    if event.kind == ConsentKind.APP:
        return qs.filter(app_client_id=event.app_client_id)
    return qs.filter(policy_version_id=event.policy_version_id)


def _purpose(event: ConsentEvent) -> dict:
    if event.kind == ConsentKind.SHARE:
        return {
            "purpose_id": SHARE_PURPOSE,
            "description": "Deciding whether to hire the candidate and contacting them about employment or "
            "non-acceptance (seed 004 Art. 1(2)).",
            "legal_basis": "consent (APPI Art. 27(1); GDPR Art. 6(1)(a))",
        }
    if event.kind == ConsentKind.PURPOSE:
        return {
            "purpose_id": event.purpose,
            "description": str(EmailPurpose(event.purpose).label),
            "legal_basis": "consent",
        }
    if event.kind == ConsentKind.COOKIE:
        return {
            "purpose_id": f"cookies:{event.cookie_category}",
            "description": f"{event.cookie_category} cookies",
            "legal_basis": "consent",
        }
    if event.kind == ConsentKind.APP:
        return {
            "purpose_id": "app",
            "description": "An app of the person's own reads their data on Tsunagu and acts on their consents "
            "through the API, with the scopes they allowed: " + " ".join(event.scope.get("scopes", [])),
            "legal_basis": "consent",
        }
    return {
        "purpose_id": f"policy:{event.scope.get('document')}",
        "description": "Acceptance of a policy document",
        "legal_basis": "contract",
    }


def _recipients(event: ConsentEvent) -> list[dict]:
    if event.kind == ConsentKind.SHARE:
        return [{"name": event.employer_name, "id": event.employer_id, "type": "third party (employer)"}]
    if event.kind == ConsentKind.APP:
        return [{"name": event.app_name, "id": event.app_client_id, "type": "the person's own app (OAuth 2.0 client)"}]
    return []


def receipt(event: ConsentEvent) -> dict:
    history = list(_same_consent(event).order_by("occurred_at", "pk"))
    latest = history[-1]
    # The notice is the last text the person agreed to: a withdrawal or an
    # expiry shows nobody anything, so it must not blank the notice out.
    shown = next((e for e in reversed(history) if e.notice_sha256), latest)
    notice_url = None
    if shown.notice_version_id:
        version = PolicyVersion.objects.filter(pk=shown.notice_version_id).first()
        if version:
            notice_url = settings.SITE_URL.rstrip("/") + reverse(
                "consents:policy_version", kwargs={"kind": version.kind, "version": version.version}
            )
    counterpart = (
        event.grant_id or event.purpose or event.cookie_category or event.policy_version_id or event.app_client_id
    )
    record = {
        "schema": "ISO/IEC TS 27560:2023 consent record (fields)",
        "record_id": f"{event.kind}:{counterpart}",
        "controller": CONTROLLER,
        "data_subject": {"pseudonymous_id": str(event.subject_key)},
        "purposes": [_purpose(latest)],
        "personal_data_categories": latest.scope.get("field_groups", []),
        "recipients": _recipients(latest),
        "consent_type": "expressed",
        "state": STATE.get(latest.event, latest.event),
        "expiry": latest.scope.get("expires_at"),
        "jurisdiction": "JP",
        "notice": {
            "version_id": shown.notice_version_id,
            "sha256": shown.notice_sha256,
            "language": shown.language,
            "url": notice_url,
        },
        "events": [
            {
                "timestamp": e.occurred_at.isoformat(),
                "event": e.event,
                "state": STATE.get(e.event, e.event),
                "method": e.channel,
                "actor": e.actor,
                "scope": e.scope,
                "notice_sha256": e.notice_sha256,
                "language": e.language,
            }
            for e in history
        ],
    }
    return record
