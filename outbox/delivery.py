"""Delivering outbox rows (run by outbox.tasks).

- `deliver()` is idempotent: a row is claimed (state "sending") in its own
  committed transaction before the provider is called, and marked sent after.
  A row claimed moments ago is left to the worker sending it. A row found
  claimed but unconfirmed — the worker died between the two — or one whose
  earlier attempt looked failed (a timeout after Postmark took the message)
  is looked up at Postmark by its outbox key (message metadata) before
  anything is sent again, so a message is never delivered twice.
- Transient provider errors (5xx, timeouts, connection errors) are retried
  with backoff by the task; permanent ones (4xx, e.g. Postmark 422) and the
  last allowed attempt mark the row failed with the reason.
- Purpose mail is checked again at delivery time (consent, restriction,
  suppression) through the purpose gate (outbox.gates).
- Secrets are put in place of their labels only in the message handed to
  the provider (outbox.kinds), and forgotten once the row is final.
"""

import logging
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from typing import Any, Protocol, cast

import requests
from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from outbox import gates
from outbox.broker import send_task
from outbox.kinds import UnreadableSecrets, reveal, reveal_json, unseal
from outbox.models import OutboundEmail, OutboundEmailEvent, Suppression
from outbox.services import event

log = logging.getLogger(__name__)

FINAL_STATES = {
    OutboundEmail.State.SENT,
    OutboundEmail.State.DELIVERED,
    OutboundEmail.State.BOUNCED,
    OutboundEmail.State.COMPLAINED,
    OutboundEmail.State.FAILED,
    OutboundEmail.State.CANCELLED,
    OutboundEmail.State.SUPPRESSED,
}
POSTMARK_BACKEND = "anymail.backends.postmark.EmailBackend"


class TransientDeliveryError(Exception):
    """Try again later (the task retries with backoff)."""


class _AnymailAttributes(Protocol):
    """What anymail reads from any EmailMessage it sends, and the status it
    sets on it (anymail is untyped; its AnymailMessage is not used here)."""

    metadata: dict[str, str]
    esp_extra: dict[str, Any]
    tags: list[str]
    template_id: str
    merge_data: dict[str, Any]
    merge_metadata: dict[str, dict[str, str]]
    merge_headers: dict[str, Any]
    anymail_status: Any


def _anymail(message: EmailMultiAlternatives) -> _AnymailAttributes:
    """The same message, seen through anymail's attributes."""
    return cast(_AnymailAttributes, message)


def dispatch(email_id: int) -> None:
    """Hand a row to Celery now; if the broker is unreachable the row stays
    queued and requeue_stale() picks it up."""
    send_task("outbox.tasks.deliver_email", email_id)


def _gate_allows(email: OutboundEmail) -> bool:
    if email.stream != OutboundEmail.Stream.BROADCAST:
        return True
    if Suppression.objects.filter(email__iexact=email.to_email).exists():
        return False
    return bool(email.recipient is not None and gates.may_send_purpose(email.recipient, email.purpose))


def _claim(email_id: int) -> OutboundEmail | None:
    """Claim the row for one attempt; None if there is nothing to send."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state in FINAL_STATES:
            return None
        stale_before = timezone.now() - timedelta(seconds=settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT)
        if email.state == OutboundEmail.State.SENDING and email.claimed_at and email.claimed_at > stale_before:
            # Claimed moments ago: another worker is sending it now (a second
            # task for the row must not send a copy). If that worker died,
            # requeue_stale() hands the row over once the claim is stale.
            return None
        # Any earlier attempt may have reached the provider even if it looked
        # failed (a timeout after Postmark took the message): look first.
        if (email.state == OutboundEmail.State.SENDING or email.attempts) and _already_at_provider(email):
            _mark_sent(
                email, provider_message_id=email.provider_message_id, detail="found at the provider after a retry"
            )
            return None
        if not _gate_allows(email):
            email.state = OutboundEmail.State.SUPPRESSED
            email.sealed_secrets = ""
            email.save(update_fields=["state", "sealed_secrets", "updated_at"])
            event(
                email,
                OutboundEmailEvent.Kind.SUPPRESSED,
                "no current consent, restricted, or address suppressed at delivery time",
            )
            return None
        email.state = OutboundEmail.State.SENDING
        email.claimed_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["state", "claimed_at", "attempts", "updated_at"])
        event(email, OutboundEmailEvent.Kind.ATTEMPT, f"attempt {email.attempts}")
        return email


def _mark_sent(email: OutboundEmail, *, provider_message_id: str, detail: str = "") -> None:
    email.state = OutboundEmail.State.SENT
    email.sent_at = timezone.now()
    email.provider_message_id = provider_message_id or email.provider_message_id
    email.last_error = ""
    # Delivered: the secrets it carried are needed nowhere any more.
    email.sealed_secrets = ""
    email.save(update_fields=["state", "sent_at", "provider_message_id", "last_error", "sealed_secrets", "updated_at"])
    event(email, OutboundEmailEvent.Kind.SENT, detail)


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The message as the recipient gets it: secrets in place of their labels."""
    secrets = unseal(email.sealed_secrets)
    message = EmailMultiAlternatives(
        subject=reveal(email.subject, secrets),
        body=reveal(email.body_text, secrets),
        to=[email.to_email],
        headers=reveal_json(dict(email.headers), secrets),
    )
    if email.body_html:
        message.attach_alternative(reveal(email.body_html, secrets, html=True), "text/html")
    for attachment in email.attachments or []:
        message.attach(_text_attachment(attachment))
    # anymail: metadata reaches Postmark (and its webhooks); the stream
    # separates transactional from purpose mail.
    anymail = _anymail(message)
    anymail.metadata = {"outbox_key": str(email.key)}
    anymail.esp_extra = {"MessageStream": settings.POSTMARK_STREAMS[email.stream]}
    if email.purpose:
        anymail.tags = [f"purpose:{email.purpose}"]
    return message


def _text_attachment(attachment: dict) -> MIMEText:
    """A stored text attachment as a MIME part, keeping the parameters of its
    type (an invitation's `text/calendar; method=REQUEST`)."""
    mimetype, *params = [part.strip() for part in attachment["mimetype"].split(";")]
    maintype, _slash, subtype = mimetype.partition("/")
    if maintype != "text" or not subtype:
        raise ValueError(f"Only text attachments are stored: {mimetype!r}")
    part = MIMEText(attachment["content"], subtype, "utf-8")
    for param in params:
        name, _eq, value = param.partition("=")
        if name and value:
            part.set_param(name.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
    return part


def deliver(email_id: int, *, final_attempt: bool = False) -> str:
    """Deliver one row. Raises TransientDeliveryError for a retry."""
    email = _claim(email_id)
    if email is None:
        return "skipped"
    try:
        message = build_message(email)
    except UnreadableSecrets:
        return _failed_attempt(
            email, "its secrets cannot be read (secret key changed)", transient=False, final_attempt=True
        )
    try:
        message.send()
    except AnymailRequestsAPIError as exc:
        status = getattr(exc, "status_code", None)
        transient = status is None or status >= 500 or status == 429
        return _failed_attempt(email, str(exc), transient=transient, final_attempt=final_attempt)
    except (AnymailAPIError, requests.RequestException, OSError) as exc:
        return _failed_attempt(email, str(exc), transient=True, final_attempt=final_attempt)
    status = getattr(message, "anymail_status", None)
    message_id = ""
    if status is not None and status.message_id:
        message_id = str(status.message_id)
    _mark_sent(email, provider_message_id=message_id)
    return "sent"


def _failed_attempt(email: OutboundEmail, error: str, *, transient: bool, final_attempt: bool) -> str:
    email.last_error = error[:2000]
    if transient and not final_attempt:
        email.state = OutboundEmail.State.QUEUED
        email.save(update_fields=["state", "last_error", "updated_at"])
        event(email, OutboundEmailEvent.Kind.RETRY, error)
        raise TransientDeliveryError(error)
    email.state = OutboundEmail.State.FAILED
    email.sealed_secrets = ""
    email.save(update_fields=["state", "last_error", "sealed_secrets", "updated_at"])
    event(email, OutboundEmailEvent.Kind.FAILED, error)
    return "failed"


def _already_at_provider(email: OutboundEmail) -> bool:
    """Did a previous attempt reach the provider? Postmark's outbound message
    search filters by metadata; other backends cannot tell (dev only)."""
    if settings.EMAIL_BACKEND != POSTMARK_BACKEND:
        return False
    base = settings.ANYMAIL.get("POSTMARK_API_URL", "https://api.postmarkapp.com/").rstrip("/")
    try:
        query: dict[str, int | str] = {"count": 1, "offset": 0, "metadata_outbox_key": str(email.key)}
        response = requests.get(
            f"{base}/messages/outbound",
            params=query,
            headers={
                "Accept": "application/json",
                "X-Postmark-Server-Token": settings.ANYMAIL["POSTMARK_SERVER_TOKEN"],
            },
            timeout=10,
        )
        response.raise_for_status()
        found = response.json().get("Messages") or []
    except (requests.RequestException, ValueError) as exc:
        # Unknown: never risk a second delivery; try again later.
        raise TransientDeliveryError(f"cannot confirm an earlier attempt: {exc}") from exc
    if found:
        email.provider_message_id = str(found[0].get("MessageID", ""))
        return True
    return False


def requeue_stale(*, now: datetime | None = None) -> int:
    """Hand over rows written while the broker was down, and rows whose
    worker died mid-send (they are reconciled before any resend)."""
    now = now or timezone.now()
    stale = OutboundEmail.objects.filter(
        state=OutboundEmail.State.QUEUED, updated_at__lt=now - timedelta(seconds=settings.TSUNAGU_OUTBOX_REQUEUE_AFTER)
    ) | OutboundEmail.objects.filter(
        state=OutboundEmail.State.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT),
    )
    count = 0
    for email_id in stale.values_list("pk", flat=True)[:5000]:
        dispatch(email_id)
        count += 1
    return count


# --- Batches (purpose campaigns) -----------------------------------------------------

POSTMARK_BATCH_LIMIT = 500


def postmark_template_upsert(*, alias: str, subject: str, text_body: str, html_body: str) -> None:
    """Create or update a stored Postmark template (Mustachio {{var}})."""
    base = settings.ANYMAIL.get("POSTMARK_API_URL", "https://api.postmarkapp.com/").rstrip("/")
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-Postmark-Server-Token": settings.ANYMAIL["POSTMARK_SERVER_TOKEN"],
    }
    body = {
        "Name": alias,
        "Alias": alias,
        "Subject": subject,
        "TextBody": text_body,
        "HtmlBody": html_body,
        "TemplateType": "Standard",
    }
    response = requests.put(f"{base}/templates/{alias}", json=body, headers=headers, timeout=15)
    if response.status_code == 404:
        response = requests.post(f"{base}/templates", json=body, headers=headers, timeout=15)
    response.raise_for_status()


def uses_postmark() -> bool:
    return settings.EMAIL_BACKEND == POSTMARK_BACKEND


def deliver_batch(email_ids: list[int]) -> dict[str, int]:
    """Deliver up to 500 rows. On Postmark, rows with a template go out in
    one batchWithTemplates call (anymail); anything else one by one.
    Returns counts by outcome."""
    outcome = {"sent": 0, "failed": 0, "skipped": 0}
    claimed = []
    for email_id in email_ids[:POSTMARK_BATCH_LIMIT]:
        if not uses_postmark():
            try:
                result = deliver(email_id, final_attempt=True)
            except TransientDeliveryError:
                result = "failed"
            outcome[result if result in outcome else "skipped"] += 1
            continue
        email = _claim(email_id)
        if email is None:
            outcome["skipped"] += 1
        elif not email.template_alias:
            outcome[_send_claimed_alone(email)] += 1
        else:
            claimed.append(email)
    by_alias: dict[str, list[OutboundEmail]] = {}
    for email in claimed:
        by_alias.setdefault(email.template_alias, []).append(email)
    for alias, group in by_alias.items():
        _send_template_batch(alias, group, outcome)
    return outcome


def _send_claimed_alone(email: OutboundEmail) -> str:
    try:
        message = build_message(email)
        message.send()
    except UnreadableSecrets:
        _failed_attempt(email, "its secrets cannot be read (secret key changed)", transient=False, final_attempt=True)
        return "failed"
    except (AnymailAPIError, requests.RequestException, OSError) as exc:
        _release(email, str(exc))
        return "failed"
    status = getattr(message, "anymail_status", None)
    _mark_sent(email, provider_message_id=str(status.message_id) if status and status.message_id else "")
    return "sent"


def _release(email: OutboundEmail, error: str) -> None:
    """Give a claimed row back to the queue (requeue_stale retries it; the
    provider is checked first, so nothing is sent twice)."""
    email.state = OutboundEmail.State.QUEUED
    email.last_error = error[:2000]
    email.save(update_fields=["state", "last_error", "updated_at"])
    event(email, OutboundEmailEvent.Kind.RETRY, error)


def _send_template_batch(alias: str, group: list[OutboundEmail], outcome: dict) -> None:
    first = group[0]
    readable = []
    for email in group:
        try:
            readable.append((email, unseal(email.sealed_secrets)))
        except UnreadableSecrets:
            _failed_attempt(
                email, "its secrets cannot be read (secret key changed)", transient=False, final_attempt=True
            )
            outcome["failed"] += 1
    if not readable:
        return
    group = [email for email, _secrets in readable]
    message = EmailMultiAlternatives(to=[e.to_email for e in group])
    anymail = _anymail(message)
    anymail.template_id = alias
    anymail.merge_data = {e.to_email: reveal_json(e.template_model, s) for e, s in readable}
    anymail.merge_metadata = {e.to_email: {"outbox_key": str(e.key)} for e in group}
    anymail.merge_headers = {e.to_email: reveal_json(dict(e.headers), s) for e, s in readable}
    anymail.esp_extra = {"MessageStream": settings.POSTMARK_STREAMS[first.stream]}
    if first.purpose:
        anymail.tags = [f"purpose:{first.purpose}"]
    try:
        message.send()
    except AnymailRequestsAPIError as exc:
        for email in group:
            _release(email, str(exc))
        outcome["failed"] += len(group)
        return
    except (AnymailAPIError, requests.RequestException, OSError) as exc:
        for email in group:
            _release(email, str(exc))
        outcome["failed"] += len(group)
        return
    recipients = anymail.anymail_status.recipients
    for email in group:
        status = recipients.get(email.to_email)
        if status is not None and status.status in ("sent", "queued"):
            _mark_sent(email, provider_message_id=str(status.message_id or ""))
            outcome["sent"] += 1
        else:
            email.state = OutboundEmail.State.FAILED
            email.last_error = f"rejected by the provider: {getattr(status, 'status', 'unknown')}"
            email.sealed_secrets = ""
            email.save(update_fields=["state", "last_error", "sealed_secrets", "updated_at"])
            event(email, OutboundEmailEvent.Kind.FAILED, email.last_error)
            outcome["failed"] += 1
