"""Saved jobs and job alerts (issue 13). Both are the candidate's personal
data: in their data export (matching.saved.exports) and erased with the
account. The staff figures keep no person: an AlertDigest row loses its
alert when the account is erased (what is left is a period, a date and a
number of openings, so the figures of past days stay true), AlertUnsubscribe
rows name nobody."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedJob(models.Model):
    """An opening a candidate keeps for later. When it closes (closed by
    the employer or staff, or its closing date passed) the candidate is told
    once (`closed_noticed_at`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs")
    opening = models.ForeignKey("matching.Opening", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_noticed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "opening"], name="save_job_once")]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["opening"], condition=Q(closed_noticed_at__isnull=True), name="saved_job_not_noticed"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.opening_id}"


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class JobAlert(models.Model):
    """A saved board search mailed as a digest of new openings. `filters`
    is the board form's query (validated again by the form at every run,
    never SQL); `filters_key` groups alerts with identical filters so each
    distinct search runs once per run."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_alerts")
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(default=dict, blank=True)
    filters_key = models.CharField(max_length=64, editable=False)
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    paused = models.BooleanField(_("paused"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Openings published after this instant are new to the alert.
    checked_until = models.DateTimeField(default=timezone.now)
    # The period ("2026-12-04", "2026-W49") last processed: one digest per period.
    last_period = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["frequency", "last_period"], condition=Q(paused=False), name="alert_due"),
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.name


class AlertDigest(models.Model):
    """One digest mailed for an alert in a period (at most one: the unique
    constraint), for the staff figures. `alert` is emptied when the alert
    goes (its account erased, or the alert deleted): the row then names
    nobody and still counts for its day."""

    alert = models.ForeignKey(JobAlert, on_delete=models.SET_NULL, null=True, blank=True, related_name="digests")
    period = models.CharField(max_length=10)
    openings = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["alert", "period"], name="one_digest_per_period")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"digest {self.alert_id} {self.period}"


class AlertSentOpening(models.Model):
    """An opening mailed by an alert: never the same opening twice to the
    same alert."""

    alert = models.ForeignKey(JobAlert, on_delete=models.CASCADE, related_name="sent")
    opening = models.ForeignKey("matching.Opening", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "opening"], name="alert_opening_once")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.opening_id}"


class AlertUnsubscribe(models.Model):
    """A one-click stop from an alert's mail, counted for staff: names nobody."""

    class Scope(models.TextChoices):
        ALERT = "alert", _("This alert")
        PURPOSE = "purpose", _("All job opening emails")

    scope = models.CharField(max_length=8, choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d}"
