"""Openings, applications, their pipeline, and staff proposals.

Candidate data reaches an employer only through consents.access: an
application carries the share grant it was made with, and pages show the
candidate through the access module, never from these rows directly."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.models import ProhibitedContent, SalaryPeriod


class Opening(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="openings")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000, validators=[MaxLengthValidator(5000)])
    category = models.ForeignKey(
        "profiles.JobCategory", on_delete=models.PROTECT, related_name="openings", verbose_name=_("kind of work")
    )
    employment_type = models.ForeignKey(
        "profiles.EmploymentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("employment type")
    )
    prefecture = models.ForeignKey(
        "profiles.Prefecture", on_delete=models.PROTECT, related_name="+", verbose_name=_("prefecture")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    salary_min = models.PositiveIntegerField(_("salary from (JPY)"), validators=[MaxValueValidator(100_000_000)])
    salary_max = models.PositiveIntegerField(_("salary up to (JPY)"), validators=[MaxValueValidator(100_000_000)])
    salary_period = models.CharField(_("salary period"), max_length=8, choices=SalaryPeriod.choices)
    weekly_hours = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    required_level = models.ForeignKey(
        "profiles.JapaneseLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Japanese required"),
        help_text=_("Any test: candidates with an equivalent level on another test qualify."),
    )
    # Denormalised from required_level.scale so the engine compares in SQL.
    required_scale = models.PositiveSmallIntegerField(default=0, editable=False)
    accepted_statuses = models.ManyToManyField(
        "profiles.StatusOfResidence", blank=True, related_name="+", verbose_name=_("statuses of residence accepted")
    )
    required_qualifications = models.ManyToManyField(
        "profiles.QualificationKind", blank=True, related_name="+", verbose_name=_("qualifications required")
    )
    sponsorship_offered = models.BooleanField(_("we sponsor a work visa"), default=False)
    # The place of work, not the kind of work: a cleaner at a pachinko parlour
    # works at an adult entertainment business (風俗営業等) all the same.
    adult_entertainment_premises = models.BooleanField(
        _("the workplace is an adult entertainment business (風俗営業等)"),
        default=False,
        db_default=False,  # rows written outside the ORM (bench COPY) are not at such premises
        help_text=_(
            "Tick if the workplace is licensed or notified under the Act on Control and Improvement of Amusement "
            "Business (風営法), for example a hostess or snack bar, cabaret, host club, mahjong parlour, pachinko "
            "parlour, licensed game centre or love hotel, whatever the role (even cleaning or dishwashing). "
            "Students, dependents, working-holiday makers and some other statuses may not work there."
        ),
    )
    start_date = models.DateField(_("start date"))
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    languages = models.CharField(_("languages used at work"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    unpublished_reason = models.CharField(_("reason for unpublishing"), max_length=500, blank=True)
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Denormalised for the job search (matching.search), written by
    # services.opening_save and `manage.py rebuild_search_text`: the
    # normalised text of the opening, its company, place and kind of work
    # (with their readings), and its one- and two-character tokens.
    search_text = models.TextField(default="", db_default="", blank=True, editable=False)
    search_grams = models.TextField(default="", db_default="", blank=True, editable=False)
    # The salary range per month (an hour is 1/160 of a month [M], a year
    # twelve), to filter and sort openings paid by different periods.
    monthly_salary_min = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    monthly_salary_max = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(salary_max__gte=models.F("salary_min")), name="opening_salary_range"),
            models.CheckConstraint(condition=Q(required_scale__lte=5), name="opening_required_scale_range"),
        ]
        indexes = [
            models.Index(fields=["state", "closes_on", "-published_at"]),
            models.Index(fields=["state", "prefecture", "category"]),
            # The job board's order (newest first) over open openings only:
            # a page is read from the index instead of sorting every opening.
            models.Index(fields=["-published_at", "-id"], condition=Q(state="open"), name="opening_board_order"),
            # Sorted by salary, read from the index page after page (keyset).
            models.Index(fields=["-monthly_salary_max", "-id"], condition=Q(state="open"), name="opening_salary_order"),
            # The trigram indexes on search_text and search_grams exist on
            # PostgreSQL only (migration 0004), outside Meta so SQLite can migrate.
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepting(self) -> bool:
        return self.state == self.State.OPEN and (self.closes_on is None or self.closes_on >= timezone.localdate())

    @property
    def display_state(self) -> str:
        if self.state == self.State.OPEN and not self.is_accepting:
            return "expired"
        return self.state


def _logo_path(instance: "CompanyPage", filename: str) -> str:
    # A random name: the employer's id is not in it, nor the uploaded name.
    return f"logos/{uuid.uuid4().hex}.jpg"


class CompanyPage(models.Model):
    """What an employer shows the public on its company page
    (/companies/<id>/), written by its admin. Nothing personal: the contact
    person and address stay with the staff's records (accounts.Employer)."""

    employer = models.OneToOneField(
        "accounts.Employer", on_delete=models.CASCADE, primary_key=True, related_name="page"
    )
    description = models.TextField(
        _("about the company"), max_length=3000, blank=True, validators=[MaxLengthValidator(3000)]
    )
    prefecture = models.ForeignKey(
        "profiles.Prefecture",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prefecture of the head office"),
    )
    # Through the photo pipeline (profiles.photos): re-encoded JPEG, no metadata.
    logo = models.FileField(upload_to=_logo_path, blank=True, max_length=200, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    def __str__(self) -> str:
        return f"page of employer {self.employer_id}"


class ApplicationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the candidate")


# Moves an employer may make. "withdrawn" is the candidate's alone.
# By state (the value an application's `state` holds).
EMPLOYER_TRANSITIONS: dict[str, set[str]] = {
    ApplicationState.APPLIED: {ApplicationState.SCREENING, ApplicationState.INTERVIEW, ApplicationState.NOT_SELECTED},
    ApplicationState.SCREENING: {ApplicationState.INTERVIEW, ApplicationState.NOT_SELECTED},
    ApplicationState.INTERVIEW: {ApplicationState.OFFER, ApplicationState.NOT_SELECTED},
    ApplicationState.OFFER: {ApplicationState.HIRED, ApplicationState.NOT_SELECTED},
    ApplicationState.HIRED: set(),
    ApplicationState.NOT_SELECTED: set(),
    ApplicationState.WITHDRAWN: set(),
}
CLOSED_STATES = {ApplicationState.HIRED, ApplicationState.NOT_SELECTED, ApplicationState.WITHDRAWN}


class Application(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="applications"
    )
    grant = models.ForeignKey(
        "consents.ShareGrant", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    state = models.CharField(max_length=16, choices=ApplicationState.choices, default=ApplicationState.APPLIED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the candidate's account is erased: the row stays for the
    # employer's statistics but names nobody.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Why the employer did not select the candidate (RefusalReason): private
    # to the employer unless `refusal_reason_told`.
    refusal_reason = models.CharField(max_length=16, blank=True)
    refusal_reason_told = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "candidate"], condition=Q(candidate__isnull=False), name="apply_once_per_opening"
            )
        ]
        indexes = [
            models.Index(fields=["opening", "state"]),
            models.Index(fields=["candidate", "-created_at"]),
            # The API's polling order (updated_since, oldest change first).
            models.Index(fields=["updated_at", "id"], name="application_updated"),
        ]

    def __str__(self) -> str:
        return f"application {self.pk} to {self.opening_id} ({self.state})"


class ApplicationEvent(models.Model):
    """The pipeline history; the candidate is told of each move."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ApplicationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class ApplicationNote(models.Model):
    """An employer's note about an application: personal data about the
    candidate, so it is part of their data export."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"), max_length=2000, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on application {self.application_id}"


class Proposal(models.Model):
    """Staff suggest an opening to a candidate. The employer sees nothing
    until the candidate accepts through the consent screen."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the candidate")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled by staff")

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="proposals")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(
        _("message to the candidate"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    # GDPR Art. 22: the engine advises, a person decides. A candidate the
    # rules mark ineligible is proposed only with the coordinator's reason;
    # it is kept with the proposal, with what the rules said at the time,
    # and shown to the candidate.
    override_reason = models.TextField(
        _("why propose despite the rules"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    engine_advice = models.TextField(_("what the rules said"), max_length=4000, blank=True, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "candidate"], name="propose_once_per_opening"),
            # Against the rules' advice only with a reason.
            models.CheckConstraint(
                condition=Q(engine_advice="") | ~Q(override_reason=""), name="proposal_override_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}: opening {self.opening_id} → {self.candidate_id}"

    @property
    def overrides_rules(self) -> bool:
        return bool(self.override_reason)


class Message(models.Model):
    """A notification to a person (application changes, proposals), shown on
    their page and emailed. (The email issue's outbox will deliver these.)"""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class WebhookEvent(models.TextChoices):
    APPLICATION_CREATED = "application.created", _("An application was made")
    APPLICATION_STATE_CHANGED = "application.state_changed", _("An application changed state")
    GRANT_WITHDRAWN = "grant.withdrawn", _("A candidate withdrew their consent (delete what you hold)")
    GRANT_EXPIRED = "grant.expired", _("A candidate's consent expired (delete what you hold)")


class WebhookEndpoint(models.Model):
    """Where an employer's system receives events (docs/api.md), signed per
    Standard Webhooks with this endpoint's secret. The secret is kept (we
    sign every delivery with it) and shown to the admin once. After a
    rotation the previous secret is kept the same way, and signs too, until
    `previous_secret_until`; then it is dropped."""

    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    events = models.JSONField(_("events"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def signing_secrets(self, now: datetime) -> list[str]:
        """What a delivery sent at `now` is signed with: the current secret,
        and the previous one while the overlap after a rotation lasts (the
        receiver accepts any one signature it can check)."""
        if self.previous_secret and self.previous_secret_until is not None and now < self.previous_secret_until:
            return [self.secret, self.previous_secret]
        return [self.secret]

    @property
    def previous_secret_signs_until(self) -> datetime | None:
        """Until when the previous secret still signs; None when it no longer does."""
        return self.previous_secret_until if len(self.signing_secrets(timezone.now())) > 1 else None


class WebhookEndpointChange(models.Model):
    """The history of a receiver's signing secret: who replaced it, when,
    and whether the previous one signed on for the overlap or stopped at
    once (a leaked secret). Kept when the receiver is removed (its address
    is copied here), with the company."""

    class Action(models.TextChoices):
        SECRET_ROTATED = "secret_rotated", _("New signing secret; the previous one signs too for 24 hours")
        SECRET_REPLACED = "secret_replaced", _("New signing secret; the previous one stopped at once")

    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    url = models.URLField(max_length=500)
    action = models.CharField(max_length=24, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["employer", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.url}"


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction that caused
    it, sent after the commit (Celery), retried with backoff. `event_id` is
    the webhook-id header and the payload's `id`: the receiver keeps it to
    act at most once per event."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} → {self.endpoint_id} ({self.state})"


# --- The conversation on an application ---------------------------------------------


class ApplicationMessage(models.Model):
    """One message between the candidate and the employer's members on an
    application. Personal data of the candidate (data export, erasure); an
    employer sees the conversation only while the access decision lets them
    see the candidate (consents.access), like the rest of the application."""

    class Side(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        EMPLOYER = "employer", _("Employer")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conversation")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    side = models.CharField(max_length=16, choices=Side.choices)
    body = models.TextField(_("message"), max_length=4000, validators=[MaxLengthValidator(4000)])
    created_at = models.DateTimeField(default=timezone.now)
    # Staff hid it after a report (the prohibited-content list of the Terms).
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"message {self.pk} on application {self.application_id}"


class ConversationRead(models.Model):
    """Up to when a person has read the conversation of an application
    (unread counts)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "user"], name="conversation_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.application_id} at {self.read_at}"


class PendingNotification(models.Model):
    """New messages a person has not been emailed about yet: one row per
    recipient and conversation. A periodic task sends one digest per row
    after a few quiet minutes (or at most every few minutes), never one mail
    per message."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "application"], name="one_pending_per_thread")]
        indexes = [models.Index(fields=["last_at"]), models.Index(fields=["first_at"])]

    def __str__(self) -> str:
        return f"{self.count} new for {self.recipient_id} on {self.application_id}"


class MessageReport(models.Model):
    """A participant reports a message against the prohibited-content list
    of the Terms of Use; staff hide it or dismiss the report."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Hidden")
        DISMISSED = "dismissed", _("Dismissed")

    message = models.ForeignKey(ApplicationMessage, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(_("reason"), max_length=32, choices=ProhibitedContent.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)])
    reported_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["state", "reported_at"]
        indexes = [models.Index(fields=["state", "reported_at"])]

    def __str__(self) -> str:
        return f"report {self.pk} of message {self.message_id} ({self.state})"


# --- Interviews --------------------------------------------------------------------------------


class Interview(models.Model):
    """An interview an employer member proposes on an application: one or
    more slots (stored in UTC, entered and shown in Asia/Tokyo), a place or
    a video link, the interviewers' names. The candidate picks a slot or
    asks for other times; both sides get an iCalendar invitation whose UID
    never changes and whose SEQUENCE grows with every update or
    cancellation (RFC 5545 §3.8.7.4)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Times proposed: waiting for the candidate")
        OTHER_TIMES = "other_times", _("The candidate asked for other times")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The iCalendar SEQUENCE of the last invitation sent (-1: none sent yet).
    sequence = models.IntegerField(default=-1)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    interviewers = models.CharField(_("interviewers"), max_length=300, blank=True)
    note = models.TextField(
        _("message to the candidate"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    # The slot the candidate chose (UTC), while scheduled.
    starts_at = models.DateTimeField(null=True, blank=True)
    candidate_note = models.TextField(max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(max_length=500, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="", video_url=""), name="interview_has_place_or_link"),
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(starts_at__isnull=False), name="scheduled_interview_has_time"
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self) -> str:
        return f"interview {self.pk} on application {self.application_id} ({self.state})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None

    @property
    def is_active(self) -> bool:
        return self.state != self.State.CANCELLED


class InterviewSlot(models.Model):
    """One time the employer offers (UTC)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


# --- Refusal reasons and message templates ------------------------------------------------------


class RefusalReason(models.TextChoices):
    """Why an employer did not select a candidate: kept with the application,
    private to the employer unless they choose to tell the candidate (then
    the candidate reads the label in their own language)."""

    EXPERIENCE = "experience", _("Experience does not match the role")
    SKILLS = "skills", _("Skills or qualifications do not match the role")
    JAPANESE = "japanese", _("Japanese level does not match the role")
    STATUS = "status", _("Status of residence does not allow the work")
    SCHEDULE = "schedule", _("Start date or working hours do not match")
    LOCATION = "location", _("Place of work does not suit")
    CONDITIONS = "conditions", _("Salary or conditions could not be agreed")
    FILLED = "filled", _("The position has been filled")
    OTHER = "other", _("Other reason")


class MessageTemplate(models.Model):
    """A reusable message of an employer, per language (a refusal, an
    interview invitation...). `{opening}` and `{employer}` are replaced when
    it is used."""

    class Kind(models.TextChoices):
        REFUSAL = "refusal", _("Refusal")
        INTERVIEW = "interview", _("Interview invitation")
        OFFER = "offer", _("Offer")
        OTHER = "other", _("Other")

    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="message_templates")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    # One of settings.LANGUAGES (the form offers them; no choices here, so
    # adding a language needs no migration).
    language = models.CharField(_("language"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), max_length=4000, validators=[MaxLengthValidator(4000)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "kind", "name", "language"], name="one_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def render(self, opening: "Opening") -> str:
        return self.body.replace("{opening}", opening.title).replace("{employer}", opening.employer.legal_name)
