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
    # The other languages are optional: a person whose language has no text
    # gets the English one (then the Japanese one), with the frame around it
    # (why they receive it, unsubscribe) in their own language.
    subject_vi = models.CharField(_("subject (Vietnamese)"), max_length=200, blank=True)
    body_vi = models.TextField(_("text (Vietnamese)"), max_length=20000, blank=True)
    subject_zh_hans = models.CharField(_("subject (Simplified Chinese)"), max_length=200, blank=True)
    body_zh_hans = models.TextField(_("text (Simplified Chinese)"), max_length=20000, blank=True)
    subject_id = models.CharField(_("subject (Indonesian)"), max_length=200, blank=True)
    body_id = models.TextField(_("text (Indonesian)"), max_length=20000, blank=True)
    subject_ne = models.CharField(_("subject (Nepali)"), max_length=200, blank=True)
    body_ne = models.TextField(_("text (Nepali)"), max_length=20000, blank=True)
    subject_my = models.CharField(_("subject (Burmese)"), max_length=200, blank=True)
    body_my = models.TextField(_("text (Burmese)"), max_length=20000, blank=True)
    subject_tl = models.CharField(_("subject (Tagalog)"), max_length=200, blank=True)
    body_tl = models.TextField(_("text (Tagalog)"), max_length=20000, blank=True)
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

    @staticmethod
    def field_suffix(language: str) -> str:
        return language.lower().replace("-", "_")

    def has_text_in(self, language: str) -> bool:
        suffix = self.field_suffix(language)
        return bool(getattr(self, f"subject_{suffix}", "") and getattr(self, f"body_{suffix}", ""))

    def text_language(self, language: str) -> str:
        """The language whose text a person reading `language` gets: their
        own if written, else English, else Japanese."""
        for candidate in (language, "en", "ja"):
            if self.has_text_in(candidate):
                return candidate
        return "en"

    def text_for(self, language: str) -> tuple[str, str]:
        suffix = self.field_suffix(self.text_language(language))
        return getattr(self, f"subject_{suffix}"), getattr(self, f"body_{suffix}")
