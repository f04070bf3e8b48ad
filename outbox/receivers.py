"""Postmark webhooks (through anymail's tracking view, which checks the
webhook secret): delivery state, bounces and complaints."""

from anymail.signals import EventType
from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox.models import OutboundEmail, OutboundEmailEvent, Suppression
from outbox.services import event as outbox_event

STATE_FOR = {
    EventType.DELIVERED: OutboundEmail.State.DELIVERED,
    EventType.BOUNCED: OutboundEmail.State.BOUNCED,
    EventType.COMPLAINED: OutboundEmail.State.COMPLAINED,
    EventType.REJECTED: OutboundEmail.State.FAILED,
    EventType.FAILED: OutboundEmail.State.FAILED,
}
PROVIDER_KINDS = {
    EventType.DELIVERED: OutboundEmailEvent.Kind.PROVIDER_DELIVERED,
    EventType.BOUNCED: OutboundEmailEvent.Kind.PROVIDER_BOUNCED,
    EventType.COMPLAINED: OutboundEmailEvent.Kind.PROVIDER_COMPLAINED,
    EventType.REJECTED: OutboundEmailEvent.Kind.PROVIDER_REJECTED,
    EventType.FAILED: OutboundEmailEvent.Kind.PROVIDER_FAILED,
}
HARD_BOUNCE_TYPES = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated", "SpamNotification", "Blocked"}


def _event_id(event) -> str:
    if event.event_id:
        return f"postmark:{event.event_id}"
    raw = event.esp_event or {}
    return ":".join(
        str(x) for x in ("postmark", raw.get("RecordType"), event.message_id, event.recipient, event.timestamp)
    )


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    key = (event.metadata or {}).get("outbox_key")
    emails = OutboundEmail.objects.all()
    email = emails.filter(key=key).first() if key else None
    if email is None and event.message_id:
        email = emails.filter(provider_message_id=event.message_id).first()
    raw = event.esp_event or {}
    bounce_type = raw.get("Type", "")
    with transaction.atomic():
        if email is not None:
            try:
                with transaction.atomic():
                    kind = PROVIDER_KINDS.get(event.event_type, OutboundEmailEvent.Kind.PROVIDER_OTHER)
                    detail = event.description or (
                        "" if kind != OutboundEmailEvent.Kind.PROVIDER_OTHER else event.event_type
                    )
                    outbox_event(email, kind, detail, _event_id(event))
            except IntegrityError:
                return  # duplicate delivery of the same webhook event: ignored
            new_state = STATE_FOR.get(event.event_type)
            if event.event_type == EventType.BOUNCED and bounce_type not in HARD_BOUNCE_TYPES:
                new_state = None  # soft bounce: Postmark keeps trying
            if new_state:
                email.state = new_state
                email.save(update_fields=["state", "updated_at"])
        if event.recipient and (
            event.event_type == EventType.COMPLAINED
            or (event.event_type in (EventType.BOUNCED, EventType.REJECTED) and bounce_type in HARD_BOUNCE_TYPES)
        ):
            Suppression.objects.get_or_create(
                email=event.recipient.lower(),
                defaults={
                    "reason": Suppression.Reason.COMPLAINT
                    if event.event_type == EventType.COMPLAINED
                    else Suppression.Reason.HARD_BOUNCE,
                    "detail": (event.description or bounce_type)[:500],
                    "created_at": event.timestamp or timezone.now(),
                },
            )
