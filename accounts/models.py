import hashlib
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

from accounts.managers import UserManager
from accounts.validators import validate_corporate_number


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # ApiClient.user
    """A person who signs in. Email is the identifier; a person has one role."""

    class Role(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        EMPLOYER = "employer", _("Employer member")
        STAFF = "staff", _("Staff")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CANDIDATE)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Retention: when we warned an inactive account before deleting it.
    inactivity_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Registration screening in force (the decision and its history are
    # ScreeningDecision rows, written in the same transaction): read with
    # the user on every request, so the access decision and the page guard
    # cost no extra query.
    screening = models.CharField(
        _("screening"),
        max_length=16,
        blank=True,
        editable=False,
        choices=[("suspended", _("Suspended")), ("refused", _("Registration refused"))],
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # Only staff may reach the Django admin.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="staff"), name="user_admin_only_staff"
            ),
        ]
        # "Is this person's account active?", asked by every access decision
        # (consents.access) for each grant it looks at: answered from this
        # index rather than by reading every account (bench/README.md).
        indexes = [models.Index(fields=["id"], condition=models.Q(is_active=True), name="user_active")]

    def __str__(self) -> str:
        return self.email

    @property
    def is_candidate(self) -> bool:
        return self.role == self.Role.CANDIDATE

    @property
    def is_employer_member(self) -> bool:
        return self.role == self.Role.EMPLOYER

    @property
    def is_staff_member(self) -> bool:
        return self.role == self.Role.STAFF

    @property
    def mfa_role(self) -> str:
        """The role name TSUNAGU_MFA_REQUIRED_ROLES is written in."""
        if self.role == self.Role.EMPLOYER:
            membership = self.membership_with_employer()
            if membership is not None and membership.role == EmployerMember.Role.ADMIN:
                return "employer_admin"
            return "employer_recruiter"
        return self.role

    @property
    def requires_mfa(self) -> bool:
        return self.mfa_role in settings.TSUNAGU_MFA_REQUIRED_ROLES

    def membership_with_employer(self) -> "EmployerMember | None":
        """`employer_membership` (None for anyone without one), read with its
        employer in one query the first time this user object asks: every
        employer page asks for both (the MFA check, then the employer)."""
        if self.pk is None:
            return None
        related = User.employer_membership.related
        if not related.is_cached(self):
            member = EmployerMember.objects.select_related("employer").filter(user=self).first()
            related.set_cached_value(self, member)
        return getattr(self, "employer_membership", None)


class ScreeningDecisionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(lifted_at__isnull=True)


class ScreeningDecision(models.Model):
    """Registration screening (seed 004, Terms of Use: registration is judged
    by the Company, which may refuse it or suspend a user's use of the
    service). Unlike the seed, the person is always told, with the reason,
    and may appeal through the contact desk. While a decision is in force
    no employer sees them (consents.access) and they reach only their
    notice, their privacy centre and the contact desk."""

    class Decision(models.TextChoices):
        SUSPENDED = "suspended", _("Suspended")
        REFUSED = "refused", _("Registration refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="screening_decisions")
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason (the person is told)"), max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(_("why it was lifted"), max_length=2000, blank=True)

    objects = ScreeningDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(lifted_at__isnull=True), name="one_screening_decision_in_force"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="screening_decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.user_id} at {self.decided_at:%Y-%m-%d}"


class StaffGroup(models.TextChoices):
    """Staff groups, kept as django.contrib.auth Groups of these names."""

    COORDINATOR = "coordinator", _("Coordinator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    SUPPORT = "support", _("Support")


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture, forestry and fishery")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    IT = "it", _("Information and communications")
    TRANSPORT = "transport", _("Transport and logistics")
    RETAIL = "retail", _("Wholesale and retail")
    HOSPITALITY = "hospitality", _("Accommodation and food service")
    CARE = "care", _("Medical, health care and welfare")
    EDUCATION = "education", _("Education and learning support")
    SERVICES = "services", _("Other services")
    OTHER = "other", _("Other")


class Employer(models.Model):  # type: ignore[django-manager-missing]  # ApiClient.employer
    """A hiring company, onboarded by staff."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        unique=True,
        validators=[validate_corporate_number],
        help_text=_("The 13-digit 法人番号 from the National Tax Agency."),
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    postal_code = models.CharField(_("postal code"), max_length=8, blank=True)
    address = models.CharField(_("address"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact telephone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class EmployerMember(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        RECRUITER = "recruiter", _("Recruiter")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_membership")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employer", "role", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.employer})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EmployerInvitation(models.Model):
    """A single-use, expiring invitation tied to one email address.

    Only the SHA-256 of the token is stored: a database leak does not leak
    working invitation links."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    member_role = models.CharField(_("role"), max_length=16, choices=EmployerMember.Role.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and employer: re-inviting revokes the old one.
            models.UniqueConstraint(
                Lower("email"),
                "employer",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.employer}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ApiClient(AbstractApplication):
    """An OAuth 2.0 client of the API (django-oauth-toolkit's Application,
    swapped in by OAUTH2_PROVIDER_APPLICATION_MODEL).

    An employer client is registered by an employer admin for their company
    (client credentials; `user` is the admin who registered it and whom its
    calls act as); a candidate app is registered by a candidate on their own
    page (a public client, no secret: authorization code + PKCE; `user` is
    who registered it, and each token acts as the candidate who authorised
    it). A secret is stored hashed (hash_client_secret) and shown once."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer system (client credentials)")
        CANDIDATE_APP = "candidate_app", _("Candidates' app (authorization code + PKCE)")

    # (Annotated by hand: mypy sees django-oauth-toolkit's base as Any, so
    # the Django plugin does not type this model's fields.)
    kind: "models.CharField[str, str]" = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.EMPLOYER
    )
    employer: "models.ForeignKey[Employer | None, Employer | None]" = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.CASCADE, related_name="api_clients"
    )
    scopes: "models.CharField[str, str]" = models.CharField(
        _("scopes"), max_length=400, help_text=_("Space-separated.")
    )
    expires_at: "models.DateTimeField[datetime | None, datetime | None]" = models.DateTimeField(
        _("expires"), null=True, blank=True
    )
    revoked_at: "models.DateTimeField[datetime | None, datetime | None]" = models.DateTimeField(
        _("revoked"), null=True, blank=True
    )
    revoked_by: "models.ForeignKey[User | None, User | None]" = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at: "models.DateTimeField[datetime | None, datetime | None]" = models.DateTimeField(
        _("last used"), null=True, blank=True
    )

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="candidate_app") | models.Q(employer__isnull=False),
                name="api_client_employer_has_employer",
            ),
        ]

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def get_allowed_schemes(self) -> list[str]:
        """A candidate app may also come back to an http:// loopback address
        (a native app, RFC 8252 §7.3): api_app_register admits http:// for
        127.0.0.1, [::1] and localhost only."""
        if self.kind == self.Kind.CANDIDATE_APP:
            return ["https", "http"]
        return super().get_allowed_schemes()

    def is_usable(self, request) -> bool:
        """Asked by django-oauth-toolkit when a token is issued and on every
        request that presents one: a revoked or expired client, or an
        employer client whose member left the company (or was deactivated or
        screened), or a candidate app whose registrant's account was closed or
        screened, stops working at once. (The company's Data Use Agreement is
        checked by consents.api_auth: it belongs to the consents app.)"""
        if self.state != "active":
            return False
        if self.kind == self.Kind.EMPLOYER:
            member = self.user
            if member is None or not member.is_active or member.screening or not member.is_employer_member:
                return False
            return EmployerMember.objects.filter(user=member, employer_id=self.employer_id).exists()
        # A candidate app stops with the account of who registered it (closed or screened).
        owner = self.user
        return owner is not None and owner.is_active and not owner.screening and owner.is_candidate


class AppConsentShown(models.Model):
    """The language a candidate read an app's consent page in when they last
    pressed "Allow" (the page may speak the language the app asked for):
    when the app then takes its token, the consent ledger records the page's
    words in that language (accounts.oauth.consent_page_text). Goes with the
    account or the app."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "client"], name="one_consent_page_per_app")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.client_id} ({self.language})"
