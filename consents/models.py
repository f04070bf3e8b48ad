"""Consent, the heart of Tsunagu.

- ConsentEvent is the append-only ledger: every grant, renewal, change,
  withdrawal and expiry of every consent, with the exact notice shown. Rows are
  never updated or deleted (model, queryset and, on PostgreSQL, a trigger).
- It names people by a pseudonymous key (ConsentSubject), never by a foreign
  key: deleting an account deletes the key's owner row, which pseudonymises the
  ledger and the access records without touching them.
- ShareGrant, EmailPurposeConsent, CookieConsent and PolicyAcceptance are the
  current state, written in the same transaction as the ledger event.
- AccessRecord is the APPI record of provision to third parties (Arts. 29-30):
  kept 3 years, pseudonymised like the ledger.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Who: pseudonymous keys ----------------------------------------------------


class ConsentSubject(models.Model):
    """The pseudonymous key of a person in the ledger and access records.
    Deleted with the account: the records then name nobody."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_subject")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self) -> str:
        return str(self.key)


# --- Policies -----------------------------------------------------------------


class PolicyKind(models.TextChoices):
    TERMS = "terms", _("Terms of Use")
    PRIVACY = "privacy", _("Privacy Policy")
    DATA_USE = "data_use", _("Data Use Agreement")


class PolicyVersion(models.Model):
    """One published version of a policy, with its texts per language.

    The Japanese text prevails. A version marked `requires_consent` makes
    everyone it applies to accept it at their next visit."""

    kind = models.CharField(_("document"), max_length=16, choices=PolicyKind.choices)
    version = models.CharField(_("version"), max_length=32, help_text=_("e.g. 2026-11-23"))
    summary_en = models.TextField(_("what changed (English)"), max_length=2000, blank=True)
    summary_ja = models.TextField(_("what changed (Japanese)"), max_length=2000, blank=True)
    requires_consent = models.BooleanField(_("asks everyone to accept it again"), default=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the announcement by email (seed 004 Art. 34) was written for everyone.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="policy_version_unique")]
        indexes = [models.Index(fields=["kind", "published_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    def text_for(self, language: str) -> "PolicyText | None":
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language) or texts.get("ja") or texts.get("en")


class PolicyText(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown: headings, paragraphs, lists, bold."))
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="policy_text_per_language")]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.body.encode()).hexdigest()
        super().save(*args, **kwargs)


class PolicyAcceptance(models.Model):
    """Current state: who accepted which version (history is in the ledger)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acceptances")
    language = models.CharField(max_length=8)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="policy_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version}"


class EmployerAgreement(models.Model):
    """An employer's acceptance of a Data Use Agreement version, by its admin."""

    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="agreements")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="employer_agreements")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=8)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employer", "version"], name="employer_agreement_once")]

    def __str__(self) -> str:
        return f"{self.employer} accepted {self.version}"


# --- The ledger -------------------------------------------------------------------


class ConsentKind(models.TextChoices):
    SHARE = "share", _("Sharing with an employer")
    PURPOSE = "purpose", _("Email purpose")
    COOKIE = "cookie", _("Cookies")
    POLICY = "policy", _("Policy")


class ConsentEventType(models.TextChoices):
    GRANT = "grant", _("Given")
    RENEW = "renew", _("Renewed")
    CHANGE = "change", _("Changed")
    WITHDRAW = "withdraw", _("Withdrawn")
    EXPIRE = "expire", _("Expired")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    EMAIL_LINK = "email_link", _("One-click link in an email")
    STAFF_WRITTEN_REQUEST = "staff_written_request", _("Staff, on the person's written request")
    SYSTEM = "system", _("Automatic (expiry)")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The consent ledger is append-only.")

    def delete(self):
        raise PermissionError("The consent ledger is append-only.")


class ConsentEvent(models.Model):
    """One row of the append-only consent ledger (see the module docstring)."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject_key = models.UUIDField(db_index=True, help_text=_("ConsentSubject.key, or a visitor's cookie consent id"))
    kind = models.CharField(max_length=16, choices=ConsentKind.choices)
    event = models.CharField(max_length=16, choices=ConsentEventType.choices)
    # The counterpart: one of these, by kind. Plain values, not foreign keys,
    # so that nothing elsewhere can ever cascade into the ledger.
    employer_id = models.BigIntegerField(null=True, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    grant_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=32, blank=True)
    cookie_category = models.CharField(max_length=16, blank=True)
    policy_version_id = models.BigIntegerField(null=True, blank=True)
    # What exactly was agreed: field groups, the decision, the expiry.
    scope = models.JSONField(default=dict, blank=True)
    # The notice shown: the policy version in force and the hash of the exact
    # text on the screen, in the language shown.
    notice_version_id = models.BigIntegerField(null=True, blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, blank=True)
    channel = models.CharField(max_length=24, choices=Channel.choices)
    actor = models.CharField(max_length=16, help_text=_("subject, staff or system"))
    actor_staff_id = models.BigIntegerField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["subject_key", "kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.kind} {self.event}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("The consent ledger is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The consent ledger is append-only.")


# --- Current state ---------------------------------------------------------------


class ShareGrant(models.Model):
    """A candidate's permission for one employer to see their profile.

    Active while not withdrawn and not past `expires_at`: expiry takes effect
    at that instant everywhere, whether or not the daily task has recorded it
    yet. One open grant per candidate and employer (database constraint)."""

    class Origin(models.TextChoices):
        APPLICATION = "application", _("Applied to an opening")
        PROPOSAL = "proposal", _("Accepted a staff proposal")
        DIRECT = "direct", _("Shared directly")

    class EndReason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        REPLACED = "replaced", _("Replaced by a new grant")
        ACCOUNT_DELETED = "account_deleted", _("Account deleted")

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_grants")
    employer = models.ForeignKey("accounts.Employer", on_delete=models.CASCADE, related_name="share_grants")
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.DIRECT)
    include_contact = models.BooleanField(_("contact details (email, telephone)"), default=False)
    include_address = models.BooleanField(_("postal address"), default=False)
    include_date_of_birth = models.BooleanField(_("exact date of birth"), default=False)
    include_photo = models.BooleanField(_("photo"), default=False)
    granted_at = models.DateTimeField(default=timezone.now)
    # Last time the candidate confirmed it (grant, renewal or change).
    confirmed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "employer"], condition=Q(ended_at__isnull=True), name="one_open_grant_per_employer"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")), name="grant_expires_after_start"
            ),
        ]
        indexes = [models.Index(fields=["employer", "ended_at", "expires_at"])]

    def __str__(self) -> str:
        return f"grant {self.pk}: candidate {self.candidate_id} → employer {self.employer_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    # Each optional field group and the flag that stores it (the consent
    # screen's checkboxes carry the same names).
    GROUP_FLAGS = {
        "contact": "include_contact",
        "address": "include_address",
        "date_of_birth": "include_date_of_birth",
        "photo": "include_photo",
    }

    @property
    def field_groups(self) -> set[str]:
        return {"core"} | {group for group, flag in self.GROUP_FLAGS.items() if getattr(self, flag)}

    @classmethod
    def groups_from_flags(cls, is_set) -> set[str]:
        """The groups whose flag `is_set(flag_name)` says is on, plus core."""
        return {"core"} | {group for group, flag in cls.GROUP_FLAGS.items() if is_set(flag)}


class EmailPurpose(models.TextChoices):
    """Seed 004 Art. 1(3) (1)-(7), plus Art. 1(5) and 1(6)."""

    JOB_OPENINGS = "job_openings", _("Job openings you can apply for")
    NEW_SERVICES = "new_services", _("New Tsunagu services and campaigns that benefit you")
    LIVING_IN_JAPAN = "living_in_japan", _("Information for living in Japan (housing, insurance, transport)")
    SERVICE_CHANGES = "service_changes", _("Changes to Tsunagu's services")
    ARTICLE_INVITATIONS = "article_invitations", _("Invitations to write articles for Tsunagu")
    WORK_SURVEYS = "work_surveys", _("Questionnaires about services and working conditions in Japan")
    SITE_SURVEYS = "site_surveys", _("Questionnaires about this website")
    GIFTS_BY_POST = "gifts_by_post", _("Gifts and special offers by post (uses your address)")
    STATISTICS = "statistics", _("Use of your data in anonymised statistics")


class EmailPurposeConsent(models.Model):
    """Current state of one purpose for one person (history in the ledger).
    No row means never given: every purpose is off by default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="purpose_consents")
    purpose = models.CharField(max_length=32, choices=EmailPurpose.choices)
    granted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "purpose"], name="one_state_per_purpose")]
        indexes = [models.Index(fields=["purpose", "granted"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose}={self.granted}"


class CookieCategory(models.TextChoices):
    NECESSARY = "necessary", _("Strictly necessary")
    PREFERENCES = "preferences", _("Preferences")
    ANALYTICS = "analytics", _("Analytics")
    ADVERTISING = "advertising", _("Advertising")


class CookieConsent(models.Model):
    """A browser's cookie choices, keyed by the random id in its consent
    cookie; attached to the account when its owner signs in."""

    consent_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="cookie_consents"
    )
    preferences = models.BooleanField(default=False)
    analytics = models.BooleanField(default=False)
    advertising = models.BooleanField(default=False)
    gpc = models.BooleanField(_("Global Privacy Control signal seen"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.consent_id)


# --- Access records ----------------------------------------------------------------


class AccessRecord(models.Model):
    """Who looked at which candidate's data, which fields, how, and why.

    APPI Arts. 29-30: the record of provision to a third party, kept 3 years
    from the provision (consents.retention deletes older rows), surviving the
    account in pseudonymised form (subject_key; no foreign keys)."""

    class ViewerKind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        STAFF = "staff", _("Tsunagu staff")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    subject_key = models.UUIDField(db_index=True)
    viewer_kind = models.CharField(max_length=16, choices=ViewerKind.choices)
    viewer_id = models.BigIntegerField()
    viewer_name = models.CharField(max_length=200)
    employer_id = models.BigIntegerField(null=True, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    grant_id = models.BigIntegerField(null=True, blank=True)
    field_groups = models.JSONField(default=list)
    channel = models.CharField(max_length=24, choices=Channel.choices)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["subject_key", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.viewer_name} viewed {self.subject_key}"


class ProcessingRestriction(models.Model):
    """Suspension of use (APPI Art. 35, GDPR Art. 18): while active the
    candidate is hidden from every employer and from matching and receives no
    purpose mail; their data is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restrictions")
    started_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(lifted_at__isnull=True), name="one_active_restriction")
        ]

    def __str__(self) -> str:
        return f"restriction of {self.user_id} since {self.started_at:%Y-%m-%d}"


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
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.subject_en}"

    def text_for(self, language: str) -> tuple[str, str]:
        if language == "ja" and self.subject_ja:
            return self.subject_ja, self.body_ja
        return self.subject_en, self.body_en


# --- Privacy rights -----------------------------------------------------------------


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
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"


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


class PrivacyRequest(models.Model):
    """A request under APPI, GDPR or CCPA, with its legal due date."""

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
    email = models.EmailField(_("email address for the answer"))
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
        ordering = ["due_on", "received_at"]
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_regime_display()}) due {self.due_on}"

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
    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32)
    detail = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.occurred_at:%Y-%m-%d}"


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
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return f"incident {self.pk} ({self.discovered_at:%Y-%m-%d})"

    @property
    def reportable(self) -> bool:
        """PPC report needed: ① sensitive data, ② financial loss, ③ wrongful
        purpose — from a single person — or ④ more than 1,000 people."""
        return self.sensitive_data or self.financial_loss_risk or self.wrongful_purpose or self.people_affected > 1000
