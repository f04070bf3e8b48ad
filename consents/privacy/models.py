"""Privacy rights (PRODUCT §7): data exports, requests under APPI, GDPR and
CCPA with their deadlines, and the breach register. The tables were made by
the consents app and keep their names."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class DataExport(models.Model):
    """A "download my data" archive: built by a task, downloadable by its
    owner through a signed link for TSUNAGU_EXPORT_DAYS, then deleted."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted after its time")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="private/exports/", blank=True, max_length=200)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "consents_dataexport"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"

    @property
    def is_downloadable(self) -> bool:
        """Ready, with its file, and not past its time (retention deletes it
        soon after; until then the website's link and the API refuse it)."""
        return (
            self.state == self.State.READY
            and bool(self.file)
            and not (self.expires_at is not None and self.expires_at <= timezone.now())
        )


class Regime(models.TextChoices):
    APPI = "appi", _("Japan (APPI)")
    GDPR = "gdpr", _("EEA (GDPR)")
    CCPA = "ccpa", _("California (CCPA)")


class RequestKind(models.TextChoices):
    # APPI (Arts. 32-35)
    PURPOSE_NOTICE = "appi_purpose", _("Notification of the purpose of use")
    DISCLOSURE = "appi_disclosure", _("Disclosure (electronic)")
    PROVISION_RECORDS = "appi_provision_records", _("Disclosure of records of provision to third parties")
    CORRECTION = "appi_correction", _("Correction")
    ADDITION = "appi_addition", _("Addition")
    DELETION = "appi_deletion", _("Deletion")
    SUSPENSION = "appi_suspension", _("Suspension of use")
    ERASURE = "appi_erasure", _("Erasure")
    CESSATION = "appi_cessation", _("Cessation of provision to third parties")
    # GDPR (Arts. 15-21)
    ACCESS = "gdpr_access", _("Access")
    RECTIFICATION = "gdpr_rectification", _("Rectification")
    GDPR_ERASURE = "gdpr_erasure", _("Erasure")
    RESTRICTION = "gdpr_restriction", _("Restriction of processing")
    PORTABILITY = "gdpr_portability", _("Data portability")
    OBJECTION = "gdpr_objection", _("Objection")
    # CCPA (§1798.100-.106)
    KNOW = "ccpa_know", _("Right to know")
    CCPA_DELETE = "ccpa_delete", _("Right to delete")
    CCPA_CORRECT = "ccpa_correct", _("Right to correct")


KINDS_BY_REGIME = {
    Regime.APPI: [k for k in RequestKind.values if k.startswith("appi_")],
    Regime.GDPR: [k for k in RequestKind.values if k.startswith("gdpr_")],
    Regime.CCPA: [k for k in RequestKind.values if k.startswith("ccpa_")],
}


class RequestChannel(models.TextChoices):
    """How a request reached us (seed 004 Art. 11(1): post, telephone or
    email, besides the web form)."""

    WEB = "web", _("Web form")
    EMAIL = "email", _("Email")
    POST = "post", _("Post")
    PHONE = "phone", _("Telephone")


class RepresentativeKind(models.TextChoices):
    """Seed 004 Art. 11(4)(2): a legal representative (e.g. a parent) or an
    authorised representative (power of attorney)."""

    NONE = "", _("No representative: the person themselves")
    LEGAL = "legal", _("Legal representative")
    AUTHORISED = "authorised", _("Authorised representative (power of attorney)")


class PrivacyRequest(models.Model):
    """A request under APPI, GDPR or CCPA, with its legal due date.

    Requests reach us by the web form or, recorded by a privacy officer, by
    email, post or telephone, from the person or their representative; the
    due date runs from the day it was received. Identity documents are
    checked and the check recorded (how, by whom, when): the documents
    themselves are never stored."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFYING = "verifying", _("Checking identity")
        IN_PROGRESS = "in_progress", _("In progress")
        EXTENDED = "extended", _("Extended")
        ANSWERED = "answered", _("Answered")
        REFUSED = "refused", _("Refused, with reasons")
        WITHDRAWN = "withdrawn", _("Withdrawn by the requester")

    OPEN_STATES = ("received", "verifying", "in_progress", "extended")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="privacy_requests"
    )
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("email address for the answer"), blank=True)
    postal_address = models.TextField(
        _("postal address for the answer"), max_length=500, blank=True, help_text=_("For requests answered by post.")
    )
    channel = models.CharField(
        _("received by"), max_length=8, choices=RequestChannel.choices, default=RequestChannel.WEB
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    representative_kind = models.CharField(
        _("made by"), max_length=12, choices=RepresentativeKind.choices, blank=True, default=RepresentativeKind.NONE
    )
    representative_name = models.CharField(_("representative's name"), max_length=150, blank=True)
    representative_authority = models.CharField(
        _("representative's authority"),
        max_length=300,
        blank=True,
        help_text=_("e.g. parent with parental authority; power of attorney dated 2026-01-10"),
    )
    representative_check = models.CharField(
        _("how the representative's identity and authority were checked"), max_length=300, blank=True
    )
    representative_checked_at = models.DateTimeField(null=True, blank=True)
    representative_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country you live in"), max_length=2)
    us_state = models.CharField(_("US state (if you live in the United States)"), max_length=2, blank=True)
    regime = models.CharField(max_length=8, choices=Regime.choices)
    kind = models.CharField(_("what you ask for"), max_length=32, choices=RequestKind.choices)
    details = models.TextField(_("details"), max_length=5000, blank=True)
    language = models.CharField(max_length=8, default="en")
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(max_length=2000, blank=True)
    receipt_confirm_by = models.DateField(
        null=True, blank=True, help_text=_("CCPA: confirm receipt within 10 business days")
    )
    receipt_confirmed_at = models.DateTimeField(null=True, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_method = models.CharField(max_length=200, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fee_yen = models.PositiveIntegerField(default=0)
    fee_paid_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(max_length=20000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "consents_privacyrequest"
        ordering = ["due_on", "received_at"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            # An answer needs somewhere to go: an email address or a postal one.
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(postal_address=""), name="privacy_request_answerable"
            ),
            # A representative's request names them and their authority.
            models.CheckConstraint(
                condition=models.Q(representative_kind="")
                | (~models.Q(representative_name="") & ~models.Q(representative_authority="")),
                name="privacy_request_representative_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_regime_display()}) due {self.due_on}"

    @property
    def country_name(self) -> str:
        """The country in the reader's language (never its ISO code)."""
        return countries.name(self.country) or str(_("Unknown country"))

    @property
    def days_left(self) -> int:
        return (self.effective_due_on - timezone.localdate()).days

    @property
    def effective_due_on(self):
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.effective_due_on < timezone.localdate()


class PrivacyRequestEvent(models.Model):
    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        IDENTITY_VERIFIED = "identity_verified", _("Identity checked")
        REPRESENTATIVE_CHECKED = "representative_checked", _("Representative's identity and authority checked")
        RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
        EXTENDED = "extended", _("Extended")
        ANSWERED = "answered", _("Answered")
        REFUSED = "refused", _("Refused, with reasons")

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    detail = models.TextField(max_length=5000, blank=True)

    class Meta:
        db_table = "consents_privacyrequestevent"
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d}"


class AccountErasure(models.Model):
    """That an account was erased, when, and why: no one is named (the
    figures of the privacy officers' dashboard; the proof that erasures
    happen)."""

    class Trigger(models.TextChoices):
        SELF = "self", _("Withdrawal of membership by the person")
        INACTIVITY = "inactivity", _("Retention: inactive account")
        REQUEST = "request", _("A privacy request")

    erased_at = models.DateTimeField(default=timezone.now, db_index=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"erasure at {self.erased_at:%Y-%m-%d} ({self.trigger})"


class Incident(models.Model):
    """The breach register (APPI Art. 26; PPC Rules 7-10)."""

    discovered_at = models.DateTimeField(_("discovered at"))
    description = models.TextField(_("what happened"), max_length=10000)
    data_categories = models.CharField(_("data concerned"), max_length=500)
    people_affected = models.PositiveIntegerField(_("number of people affected"), default=0)
    sensitive_data = models.BooleanField(_("sensitive (要配慮) data involved"), default=False)
    financial_loss_risk = models.BooleanField(_("risk of financial loss"), default=False)
    wrongful_purpose = models.BooleanField(_("suspected wrongful purpose (e.g. unauthorised access)"), default=False)
    affected_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    preliminary_reported_at = models.DateTimeField(null=True, blank=True)
    final_reported_at = models.DateTimeField(null=True, blank=True)
    people_notified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "consents_incident"
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return f"incident {self.pk} ({self.discovered_at:%Y-%m-%d})"

    @property
    def reportable(self) -> bool:
        """PPC report needed: ① sensitive data, ② financial loss, ③ wrongful
        purpose — from a single person — or ④ more than 1,000 people."""
        return self.sensitive_data or self.financial_loss_risk or self.wrongful_purpose or self.people_affected > 1000


# Labels for the register's dates without a verbose name of their own (the
# form and the history show these, never the field's code).
INCIDENT_LABELS = {
    "preliminary_reported_at": _("Preliminary report sent to the PPC"),
    "final_reported_at": _("Final report sent to the PPC"),
    "people_notified_at": _("People affected notified"),
}


def incident_field_label(name: str) -> str:
    if name in INCIDENT_LABELS:
        return str(INCIDENT_LABELS[name])
    try:
        field = Incident._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: say so rather than show its code
        return str(_("Another detail"))
    return str(getattr(field, "verbose_name", _("Another detail")))


class IncidentEvent(models.Model):
    """The breach register's history: who recorded or changed what, when
    (a register the PPC may ask for must show how it came to say what it says)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CHANGED = "changed", _("Changed")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # {field: [before, after]} as text, for the fields that changed.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} incident {self.incident_id} at {self.occurred_at:%Y-%m-%d}"

    @property
    def change_rows(self) -> list[tuple[str, object, object]]:
        """(label in the reader's language, before, after) per changed field."""
        return [(incident_field_label(name), *change) for name, change in self.changes.items()]
