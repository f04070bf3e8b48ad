"""The outbox: every email the portal sends is a row here first (see
outbox/services.py), then delivered by a task (outbox/delivery.py).

The tables were made by the accounts app and keep its names."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.gates import purpose_label


class OutboundEmail(models.Model):
    """One email, written in the same transaction as what causes it and then
    delivered by a Celery task (outbox.tasks.deliver_email).

    Delivery is idempotent: the row is claimed before the provider is called,
    and a row found claimed but unconfirmed (a worker died mid-send) is
    reconciled with the provider's record of the message before anything is
    sent again (outbox.delivery)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Spam complaint")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        SUPPRESSED = "suppressed", _("Not sent: address suppressed or consent missing")

    class Stream(models.TextChoices):
        TRANSACTIONAL = "outbound", _("Transactional")
        BROADCAST = "broadcast", _("Purpose mail (broadcast)")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The kind of message (outbox.kinds.MessageKind): it declares which
    # values are secrets.
    kind = models.CharField(max_length=64, blank=True, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_emails"
    )
    to_email = models.EmailField()
    language = models.CharField(max_length=8, default="en")
    stream = models.CharField(max_length=16, choices=Stream.choices, default=Stream.TRANSACTIONAL)
    purpose = models.CharField(max_length=32, blank=True, help_text=_("For purpose mail: the email purpose"))
    campaign_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Purpose campaigns on Postmark go out in batches through a stored
    # template; the row keeps the rendered text too (history, data export).
    template_alias = models.CharField(max_length=100, blank=True)
    template_model = models.JSONField(default=dict, blank=True)
    # Files sent with the message, as [{"filename", "mimetype", "content"}]:
    # text (e.g. an iCalendar invitation, "text/calendar; method=REQUEST").
    attachments = models.JSONField(default=list, blank=True)
    # The secrets (codes, tokenised links) the texts show only as labels:
    # encrypted, and dropped once the row reaches a final state. Never shown.
    sealed_secrets = models.TextField(blank=True, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "accounts_outboundemail"  # made in accounts, moved here without touching the table
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"]), models.Index(fields=["campaign_id", "state"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email} ({self.state})"

    @property
    def purpose_label(self) -> str:
        return purpose_label(self.purpose) if self.purpose else ""


class OutboundEmailEvent(models.Model):
    """A message's history: queued, attempts, provider events (webhooks)."""

    class Kind(models.TextChoices):
        QUEUED = "queued", _("Queued")
        ATTEMPT = "attempt", _("Sending attempt")
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Will be tried again")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: consent or address")
        CANCELLED = "cancelled", _("Cancelled")
        # Postmark's webhooks (anymail's event types).
        PROVIDER_DELIVERED = "provider:delivered", _("Delivered (Postmark)")
        PROVIDER_BOUNCED = "provider:bounced", _("Bounced (Postmark)")
        PROVIDER_COMPLAINED = "provider:complained", _("Spam complaint (Postmark)")
        PROVIDER_REJECTED = "provider:rejected", _("Rejected (Postmark)")
        PROVIDER_FAILED = "provider:failed", _("Failed (Postmark)")
        PROVIDER_OTHER = "provider:other", _("Other event (Postmark)")

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    detail = models.TextField(blank=True)
    provider_event_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "accounts_outboundemailevent"
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """Addresses that hard-bounced or complained: no more purpose mail."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        MANUAL = "manual", _("Added by staff")

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "accounts_suppression"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
