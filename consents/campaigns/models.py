"""Purpose campaigns (PRODUCT §3.2, §6). The table was made by the consents
app and keeps its name."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consents.models import EmailPurpose


class Campaign(models.Model):
    """Purpose mail written by staff: one purpose, a text per language. The
    audience is computed when it is sent, never when it is scheduled."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    purpose = models.CharField(_("purpose"), max_length=32, choices=EmailPurpose.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"), max_length=20000)
    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200)
    body_ja = models.TextField(_("text (Japanese)"), max_length=20000)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    audience_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "consents_campaign"  # made by consents, moved here without touching the table
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.subject_en}"

    def text_for(self, language: str) -> tuple[str, str]:
        if language == "ja" and self.subject_ja:
            return self.subject_ja, self.body_ja
        return self.subject_en, self.body_en
