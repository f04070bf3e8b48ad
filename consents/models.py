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
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.oauth import CANDIDATE_SCOPE_SHORT, AppAccessEnd

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


class PolicyVersionQuerySet(models.QuerySet):
    def published(self, at=None):
        """Versions in force or past (published, not scheduled for later)."""
        return self.filter(published_at__lte=at or timezone.now())

    def current_pk(self, kind: str) -> "PolicyVersionQuerySet":
        """The id of the version of `kind` in force now, as a subquery (one
        query for a check that needs only which version it is)."""
        return self.published().filter(kind=kind).order_by("-published_at", "-pk").values("pk")[:1]

    def current(self, kind: str) -> "PolicyVersion | None":
        """The version of `kind` in force now, with its texts."""
        return self.published().filter(kind=kind).prefetch_related("texts").order_by("-published_at", "-pk").first()

    def required(self, kind: str) -> "PolicyVersion | None":
        """The newest published version of `kind` that asked everyone to
        accept it: whoever accepted it or a later one is up to date."""
        return self.published().filter(kind=kind, requires_consent=True).order_by("-published_at", "-pk").first()


class PolicyVersion(models.Model):
    """One published version of a policy, with its texts per language.

    The Japanese text prevails. A version marked `requires_consent` makes
    everyone it applies to accept it at their next visit."""

    kind = models.CharField(_("document"), max_length=16, choices=PolicyKind.choices)
    version = models.CharField(_("version"), max_length=32, help_text=_("e.g. 2026-11-23"))
    requires_consent = models.BooleanField(_("asks everyone to accept it again"), default=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the announcement by email (seed 004 Art. 34) was written for everyone.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyVersionQuerySet.as_manager()

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

    def summary_in(self, language: str) -> str:
        """What changed, in `language`; else in English, then Japanese
        (each text carries the summary in its language)."""
        summaries = {t.language: t.summary for t in self.texts.all() if t.summary}
        return summaries.get(language) or summaries.get("en") or summaries.get("ja") or ""


class PolicyText(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Markdown: headings, paragraphs, lists, bold."))
    summary = models.TextField(
        _("what changed"), max_length=2000, blank=True, help_text=_("A sentence or two, in this text's language.")
    )
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="policy_text_per_language")]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.body.encode()).hexdigest()
        super().save(*args, **kwargs)

    def wording_at(self, moment) -> str:
        """The body as shown at `moment`: the wording a correction replaced
        if it came later, else the current one."""
        later = [c for c in self.corrections.all() if c.corrected_at > moment]
        return later[0].previous_body if later else self.body


class PolicyTextCorrection(models.Model):
    """A translation corrected within its version (the Japanese text, which
    prevails, unchanged): the wording it replaced, kept so that what a
    person accepted before the correction can still be shown (the ledger
    records the version and the language; `PolicyText.wording_at` gives the
    wording of that language at the moment of acceptance)."""

    text = models.ForeignKey(PolicyText, on_delete=models.CASCADE, related_name="corrections")
    previous_body = models.TextField()
    previous_sha256 = models.CharField(max_length=64)
    note = models.CharField(max_length=500, help_text=_("What was corrected, e.g. the articles."))
    corrected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.text} corrected {self.corrected_at:%Y-%m-%d}"


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


class PolicyBannerDismissal(models.Model):
    """A person closed the banner announcing a revision, or opened the
    revision it links to: the banner no longer shows for them."""

    class How(models.TextChoices):
        DISMISSED = "dismissed", _("Closed the banner")
        READ = "read", _("Opened the revised text")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=16, choices=How.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="policy_banner_dismissed_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.how} {self.version_id}"


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
    APP = "app", _("An app of your own")


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
    # Expiry, and an app's access ended by its registrant or its deletion.
    SYSTEM = "system", _("Automatic")


class Actor(models.TextChoices):
    """Who made a ledger entry."""

    SUBJECT = "subject", _("The person themselves")
    STAFF = "staff", _("Tsunagu staff, on the person's written request")
    SYSTEM = "system", _("Automatic")


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
    app_client_id = models.CharField(max_length=100, blank=True)
    app_name = models.CharField(max_length=255, blank=True)
    # What exactly was agreed: field groups, the decision, the expiry; an
    # app's scopes (and, when its access ended, why: AppAccessEnd).
    scope = models.JSONField(default=dict, blank=True)
    # The notice shown: the policy version in force and the hash of the exact
    # text on the screen, in the language shown.
    notice_version_id = models.BigIntegerField(null=True, blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, blank=True)
    channel = models.CharField(max_length=24, choices=Channel.choices)
    actor = models.CharField(max_length=16, choices=Actor.choices)
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

    @property
    def app_scope_labels(self) -> list[str]:
        """An app row's scopes in a few words, in the current language."""
        return [str(CANDIDATE_SCOPE_SHORT.get(code, code)) for code in self.scope.get("scopes", [])]

    @property
    def app_access_end_label(self) -> str:
        """Why an app's access ended, in the current language ("" if it did not)."""
        ended_by = self.scope.get("ended_by")
        return str(AppAccessEnd(ended_by).label) if ended_by in AppAccessEnd.values else ""


# --- Current state ---------------------------------------------------------------


class FieldGroup(models.TextChoices):
    """What a share grant can include (the consent screen names these).
    CORE is always shared; the others are opt-in per grant."""

    CORE = (
        "core",
        _(
            "Core profile: name, nationality, age, status of residence, Japanese, qualifications, "
            "education, work history, what you look for, self-introduction"
        ),
    )
    CONTACT = "contact", _("Contact details: email and telephone")
    ADDRESS = "address", _("Postal address")
    DATE_OF_BIRTH = "date_of_birth", _("Exact date of birth (otherwise your age only)")
    PHOTO = "photo", _("Photo")


# Short names for the groups, where a list of them is shown (the access log).
FIELD_GROUP_SHORT_LABELS = {
    FieldGroup.CORE: _("Core profile"),
    FieldGroup.CONTACT: _("Contact details"),
    FieldGroup.ADDRESS: _("Postal address"),
    FieldGroup.DATE_OF_BIRTH: _("Date of birth"),
    FieldGroup.PHOTO: _("Photo"),
}


def field_group_short_label(code: str) -> str:
    """A group's short name in the current language; never the stored code
    (a group no longer offered reads as "other data")."""
    return str(FIELD_GROUP_SHORT_LABELS.get(code, _("Other data")))  # type: ignore[call-overload]


# The groups a candidate ticks one by one (the core profile is always shared).
OPTIONAL_FIELD_GROUPS = (FieldGroup.CONTACT, FieldGroup.ADDRESS, FieldGroup.DATE_OF_BIRTH, FieldGroup.PHOTO)


def grant_expiry_default(now=None):
    """A grant given now ends after TSUNAGU_GRANT_DAYS (default 12 months)."""
    return (now or timezone.now()) + timedelta(days=settings.TSUNAGU_GRANT_DAYS)


class ShareGrantQuerySet(models.QuerySet):
    def open(self):
        """Not ended (withdrawn, expired, replaced): at most one per candidate
        and employer. An open grant may be past its expiry instant."""
        return self.filter(ended_at__isnull=True)

    def active(self, at=None):
        """In force now: open and not past its expiry (the clock decides,
        not the task that records expiries)."""
        return self.open().filter(expires_at__gt=at or timezone.now())


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

    objects = ShareGrantQuerySet.as_manager()

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
        FieldGroup.CONTACT: "include_contact",
        FieldGroup.ADDRESS: "include_address",
        FieldGroup.DATE_OF_BIRTH: "include_date_of_birth",
        FieldGroup.PHOTO: "include_photo",
    }

    @property
    def field_groups(self) -> set[str]:
        return {FieldGroup.CORE} | {group for group, flag in self.GROUP_FLAGS.items() if getattr(self, flag)}

    @classmethod
    def groups_from_flags(cls, is_set) -> set[str]:
        """The groups whose flag `is_set(flag_name)` says is on, plus core."""
        return {FieldGroup.CORE} | {group for group, flag in cls.GROUP_FLAGS.items() if is_set(flag)}


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


# Reasons Tsunagu itself records for a staff look (staff type the others):
# stored in English, shown in the reader's language (AccessRecord.reason_label).
SCREENING_REASON = gettext_noop("Registration screening: an account checked before suspending or refusing it")
SYSTEM_REASONS = frozenset({SCREENING_REASON})


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

    @property
    def reason_label(self) -> str:
        return gettext(self.reason) if self.reason in SYSTEM_REASONS else self.reason

    @property
    def field_group_labels(self) -> list[str]:
        """What was seen, in the reader's language (never the codes)."""
        return [field_group_short_label(code) for code in self.field_groups]


class ProcessingRestrictionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class ProcessingRestriction(models.Model):
    """Suspension of use (APPI Art. 35, GDPR Art. 18): while active the
    candidate is hidden from every employer and from matching and receives no
    purpose mail; their data is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restrictions")
    started_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    objects = ProcessingRestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(lifted_at__isnull=True), name="one_active_restriction")
        ]

    def __str__(self) -> str:
        return f"restriction of {self.user_id} since {self.started_at:%Y-%m-%d}"
