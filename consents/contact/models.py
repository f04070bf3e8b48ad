"""The contact desk: inquiries and their history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    SERVICE = "service", _("A question about Tsunagu")
    ACCOUNT = "account", _("My account or profile")
    APPEAL = "appeal", _("An appeal against a decision about my account")
    EMPLOYER = "employer", _("Hiring through Tsunagu (employers)")
    PRIVACY = "privacy", _("My personal data (for a formal request, use the privacy request form)")
    OTHER = "other", _("Something else")


class Inquiry(models.Model):
    """One inquiry. Seed 004 Art. 1(4): the name, email address and telephone
    number given are used only to answer it; kept until
    TSUNAGU_RETENTION["contact_inquiries"] days after it was closed."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = ("new", "assigned")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries"
    )
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("email address for the answer"))
    phone = models.CharField(_("telephone (optional)"), max_length=20, blank=True)
    topic = models.CharField(_("what it is about"), max_length=16, choices=Topic.choices, default=Topic.SERVICE)
    message = models.TextField(_("your message"), max_length=5000)
    language = models.CharField(max_length=8, default="en")
    # The privacy policy in force when the person wrote (its purpose of use).
    notice_version_id = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name_plural = "inquiries"
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self) -> str:
        return f"inquiry {self.pk} ({self.get_topic_display()}, {self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class InquiryEvent(models.Model):
    """What happened to an inquiry: received, assigned, answered (the text
    sent), closed."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered by email")
        CLOSED = "closed", _("Closed")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    detail = models.TextField(max_length=10000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d}"
