"""Every write in accounts: staff onboarding, employers and invitations,
registration screening."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

from accounts.app_access import app_access_changes
from accounts.emails import INVITATION, SCREENING_DECISION, SCREENING_LIFTED
from accounts.models import (
    ApiClient,
    AppConsentShown,
    Employer,
    EmployerInvitation,
    EmployerMember,
    ScreeningDecision,
    StaffGroup,
    User,
    hash_token,
)
from accounts.oauth import CANDIDATE_SCOPES, EMPLOYER_SCOPES, AppAccessEnd
from accounts.permissions import in_staff_group
from accounts.selectors import (
    api_apps_active_count,
    employer_of,
    is_employer_admin,
)
from accounts.signals import account_screened, candidates_shown_for_screening
from outbox import services as outbox


def _mark_email_verified(user: User) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


@transaction.atomic
def staff_user_create(
    *, email: str, full_name: str, groups: list[str], password: str | None = None, superuser: bool = False
) -> User:
    """Create a staff member. They must set up MFA at first sign-in."""
    unknown = set(groups) - set(StaffGroup.values)
    if unknown:
        raise ValidationError(_("Unknown staff group: %(groups)s") % {"groups": ", ".join(sorted(unknown))})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("An account with this email address already exists."))
    if password:
        validate_password(password)
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, role=User.Role.STAFF, is_staff=True, is_superuser=superuser
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    _mark_email_verified(user)
    return user


@transaction.atomic
def employer_create(
    *,
    actor: User,
    legal_name: str,
    corporate_number: str,
    industry: str,
    address: str,
    contact_name: str,
    contact_email: str,
    postal_code: str = "",
    contact_phone: str = "",
) -> Employer:
    if not actor.is_staff_member:
        raise PermissionDenied
    employer = Employer(
        legal_name=legal_name.strip(),
        corporate_number=corporate_number.strip(),
        industry=industry,
        postal_code=postal_code.strip(),
        address=address.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        created_by=actor,
    )
    employer.full_clean()
    employer.save()
    return employer


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: EmployerInvitation
    token: str

    @property
    def path(self) -> str:
        with translation.override(self.invitation.language):
            return reverse("accounts:invitation_accept", kwargs={"token": self.token})

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


def _may_invite(actor: User, employer: Employer, member_role: str) -> bool:
    if actor.is_staff_member:
        return True
    return employer_of(actor) == employer and is_employer_admin(actor) and member_role == EmployerMember.Role.RECRUITER


@transaction.atomic
def invitation_create(
    *, actor: User, employer: Employer, email: str, member_role: str, language: str = "en"
) -> IssuedInvitation:
    """Invite someone to an employer. Staff invite admins (and recruiters);
    an employer's admin invites recruiters. Re-inviting the same address
    revokes the earlier open invitation."""
    if not _may_invite(actor, employer, member_role):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "This address already has a Tsunagu account; one person has one role, "
                    "so it cannot join an employer."
                )
            }
        )
    now = timezone.now()
    EmployerInvitation.objects.filter(
        employer=employer, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = EmployerInvitation(
        employer=employer,
        email=email,
        member_role=member_role,
        language=language,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.TSUNAGU_INVITATION_DAYS),
    )
    invitation.full_clean(exclude=["token_hash"])
    invitation.save()
    issued = IssuedInvitation(invitation=invitation, token=token)
    _send_invitation_mail(issued)
    return issued


def _send_invitation_mail(issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    outbox.enqueue_templated(
        to=invitation.email,
        kind=INVITATION,
        language=invitation.language,
        context={"invitation": invitation, "url": issued.url},
        subject=lambda: _("You are invited to %(employer)s on Tsunagu") % {"employer": invitation.employer.legal_name},
    )


def invitation_for_token(token: str) -> EmployerInvitation | None:
    """The invitation a link points to, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    return EmployerInvitation.objects.select_related("employer").filter(token_hash=hash_token(token)).first()


class InvitationUnusable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Accept an invitation: creates the employer member with a password.

    Single use: the row is locked, so two submits of the same link make one
    account and the second is told the link was used."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise InvitationUnusable("unknown")
    invitation = EmployerInvitation.objects.select_for_update().select_related("employer").get(pk=invitation.pk)
    if invitation.state != "open":
        raise InvitationUnusable(invitation.state)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationUnusable("account_exists")
    validate_password(password, user=User(email=invitation.email, full_name=full_name))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name.strip(),
                role=User.Role.EMPLOYER,
                language=invitation.language,
            )
    except IntegrityError as exc:
        raise InvitationUnusable("account_exists") from exc
    EmployerMember.objects.create(user=user, employer=invitation.employer, role=invitation.member_role)
    # The link reached this address, so the address is verified.
    _mark_email_verified(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: EmployerInvitation) -> None:
    if not _may_invite(actor, invitation.employer, invitation.member_role):
        raise PermissionDenied
    if invitation.state == "open":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


# --- Registration screening -----------------------------------------------------------

SCREENING_STAFF = (StaffGroup.COORDINATOR, StaffGroup.SUPPORT)


def screening_look(*, actor: User, people: Iterable[User]) -> None:
    """Staff saw these accounts on the screening pages: each candidate's
    "who viewed my profile" says so (issue 10: every look at a candidate
    is recorded). Employer members' accounts are not candidates' data."""
    user_ids = [person.pk for person in people if person.is_candidate]
    if user_ids:
        candidates_shown_for_screening.send(sender=User, viewer=actor, user_ids=user_ids)


def _site_url(name: str, language: str, query: str = "") -> str:
    with translation.override(language):
        path = reverse(name)
    return settings.SITE_URL.rstrip("/") + path + query


@transaction.atomic
def account_screen(*, actor: User, user: User, decision: str, reason: str) -> ScreeningDecision:
    """Suspend an account or refuse a registration, with the reason the
    person is told. Takes effect on their next request: no employer sees
    them (consents.access reads `User.screening`), they reach only their
    notice, their data and the contact desk (accounts.middleware)."""
    if not in_staff_group(actor, *SCREENING_STAFF):
        raise PermissionDenied
    if user.is_staff_member or user.pk == actor.pk:
        raise ValidationError(_("Staff accounts are not screened here."))
    if decision not in ScreeningDecision.Decision.values:
        raise ValidationError(_("Choose suspend or refuse."))
    if not reason.strip():
        raise ValidationError(_("Give the reason: the person is told."))
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = ScreeningDecision.objects.in_force().filter(user=user).first()
    if current is not None:
        current.lifted_at = timezone.now()
        current.lifted_by = actor
        current.lift_reason = _("Replaced by a new decision.")
        current.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record = ScreeningDecision.objects.create(
        user=user, decision=decision, reason=reason.strip()[:2000], decided_by=actor
    )
    User.objects.filter(pk=user.pk).update(screening=decision)
    user.screening = decision
    # Apps they registered stop for everyone (ApiClient.is_usable): what
    # those apps held of anyone ends here, in each person's consent history.
    # After a reinstatement people let the app in again.
    with app_access_changes(AppAccessEnd.REGISTRANT_SCREENED):
        for client in ApiClient.objects.filter(user=user, kind=ApiClient.Kind.CANDIDATE_APP):
            _tokens_delete(client)
    account_screened.send(sender=ScreeningDecision, user=user, decision=decision)
    outbox.enqueue_templated(
        to=user,
        kind=SCREENING_DECISION,
        context={
            "decision": record,
            "appeal_url": _site_url("contact:contact", user.language, "?topic=appeal"),
            "privacy_url": _site_url("privacy:centre", user.language)
            if user.is_candidate
            else _site_url("accounts:screening_notice", user.language),
        },
        subject=lambda: _("A decision about your Tsunagu account"),
    )
    return record


@transaction.atomic
def account_reinstate(*, actor: User, user: User, reason: str = "") -> ScreeningDecision | None:
    """Lift the decision in force (after an appeal, for example)."""
    if not in_staff_group(actor, *SCREENING_STAFF):
        raise PermissionDenied
    current = ScreeningDecision.objects.select_for_update().in_force().filter(user=user).first()
    if current is None:
        return None
    current.lifted_at = timezone.now()
    current.lifted_by = actor
    current.lift_reason = reason.strip()[:2000]
    current.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    User.objects.filter(pk=user.pk).update(screening="")
    user.screening = ""
    outbox.enqueue_templated(
        to=user,
        kind=SCREENING_LIFTED,
        context={"decision": current},
        subject=lambda: _("Your Tsunagu account can be used again"),
    )
    return current


# --- API clients -------------------------------------------------------------------------

# How long an employer's API client may live, in days (the admin chooses).
API_CLIENT_DAYS = (30, 90, 180, 365)


@dataclass
class IssuedClient:
    """A client just registered, with its secret in clear: shown once, then
    only its hash is kept (django-oauth-toolkit's hash_client_secret)."""

    client: ApiClient
    secret: str


@transaction.atomic
def api_client_register(*, actor: User, name: str, scopes: list[str], days: int) -> IssuedClient:
    """An employer admin registers a client (client credentials) for their
    company: its calls act as this admin, with these scopes, until it
    expires or is revoked, or the admin leaves the company."""
    employer = employer_of(actor)
    if employer is None or not is_employer_admin(actor) or actor.screening:
        raise PermissionDenied
    chosen = sorted(set(scopes))
    if not chosen or not set(chosen) <= set(EMPLOYER_SCOPES):
        raise ValidationError(_("Choose at least one of the listed permissions."))
    if days not in API_CLIENT_DAYS:
        raise ValidationError(_("Choose one of the listed lifetimes."))
    secret = generate_client_secret()
    client = ApiClient(
        kind=ApiClient.Kind.EMPLOYER,
        employer=employer,
        user=actor,
        name=name.strip()[:255],
        client_type=ApiClient.CLIENT_CONFIDENTIAL,
        authorization_grant_type=ApiClient.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        scopes=" ".join(chosen),
        expires_at=timezone.now() + timedelta(days=days),
    )
    client.full_clean()
    client.save()
    return IssuedClient(client=client, secret=secret)


@transaction.atomic
def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """Revoke a client: its tokens stop working on their next request."""
    if client.kind != ApiClient.Kind.EMPLOYER or not is_employer_admin(actor):
        raise PermissionDenied
    employer = employer_of(actor)
    if employer is None or client.employer_id != employer.pk:
        raise PermissionDenied
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.revoked_by = actor
        client.save(update_fields=["revoked_at", "revoked_by", "updated"])
    get_refresh_token_model().objects.filter(application=client).delete()
    get_access_token_model().objects.filter(application=client).delete()
    return client


# --- Candidates' own apps ------------------------------------------------------------------

# How many apps a candidate may have registered and not revoked.
API_APPS_PER_CANDIDATE = 10
API_APP_REDIRECT_URIS = 5
# RFC 8252 §7.3 and §8.3: a native app comes back to its own machine over http.
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def _redirect_uris_checked(uris: list[str]) -> list[str]:
    """https:// addresses, or http:// to the loopback (RFC 8252): absolute,
    no fragment, no user or password. Matched exactly when the app comes
    back (only a loopback address's port may differ)."""
    checked: list[str] = []
    for uri in (u.strip() for u in uris):
        if not uri:
            continue
        parts = urlsplit(uri)
        try:
            hostname = parts.hostname
            parts.port  # noqa: B018 (a port that is not a number raises here)
        except ValueError:
            hostname = None
        well_formed = (
            hostname is not None
            and len(uri) <= 500
            and not any(c.isspace() for c in uri)
            and not parts.fragment
            and "#" not in uri
            and parts.username is None
            and parts.password is None
        )
        if not well_formed or not (parts.scheme == "https" or (parts.scheme == "http" and hostname in LOOPBACK_HOSTS)):
            raise ValidationError(
                _(
                    "%(uri)s cannot be used: give an https:// address, or http://127.0.0.1 or "
                    "http://localhost for an app on your own computer (no # part)."
                )
                % {"uri": uri[:100]}
            )
        if uri not in checked:
            checked.append(uri)
    if not checked:
        raise ValidationError(_("Give at least one address to come back to."))
    if len(checked) > API_APP_REDIRECT_URIS:
        raise ValidationError(_("Give at most %(count)d addresses to come back to.") % {"count": API_APP_REDIRECT_URIS})
    return checked


@transaction.atomic
def api_app_register(*, actor: User, name: str, redirect_uris: list[str]) -> ApiClient:
    """A candidate registers an app of their own: a public client (no
    secret), authorization code with PKCE only. Any candidate may then
    authorise it over their own data, with the candidates' scopes."""
    if not actor.is_candidate or not actor.is_active or actor.screening:
        raise PermissionDenied
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one registration at a time
    if api_apps_active_count(actor) >= API_APPS_PER_CANDIDATE:
        raise ValidationError(
            _("You have %(count)d apps already: revoke one you no longer use first.")
            % {"count": API_APPS_PER_CANDIDATE}
        )
    name = " ".join(name.split())[:100]
    if not name:
        raise ValidationError(_("Give the app a name."))
    client = ApiClient(
        kind=ApiClient.Kind.CANDIDATE_APP,
        user=actor,
        name=name,
        client_type=ApiClient.CLIENT_PUBLIC,
        authorization_grant_type=ApiClient.GRANT_AUTHORIZATION_CODE,
        client_secret="",
        hash_client_secret=False,
        redirect_uris=" ".join(_redirect_uris_checked(redirect_uris)),
        scopes=" ".join(CANDIDATE_SCOPES),
    )
    client.full_clean()
    client.save()
    return client


def _tokens_delete(client: ApiClient, user: User | None = None) -> None:
    """Every token and pending authorization code of the client (or of one
    person's authorisation of it): refused from the next request on."""
    who = {"user": user} if user is not None else {}
    get_refresh_token_model().objects.filter(application=client, **who).delete()
    get_access_token_model().objects.filter(application=client, **who).delete()
    get_grant_model().objects.filter(application=client, **who).delete()


@transaction.atomic
def api_app_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    """Its registrant revokes an app: nobody's token for it works any more
    (each person it held a live token of sees it withdrawn: accounts.app_access)."""
    if client.kind != ApiClient.Kind.CANDIDATE_APP or client.user_id != actor.pk:
        raise PermissionDenied
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.revoked_by = actor
        client.save(update_fields=["revoked_at", "revoked_by", "updated"])

    def ended_by(person: User) -> str:
        return AppAccessEnd.DISCONNECTED if person.pk == actor.pk else AppAccessEnd.REVOKED

    with app_access_changes(ended_by):
        _tokens_delete(client)
    return client


def api_app_consent_shown(*, user: User, client_id: str, language: str) -> None:
    """The person pressed "Allow" on an app's consent page shown in
    `language` (AppConsentShown: the ledger records that page's words when
    the app takes its token)."""
    client = ApiClient.objects.filter(client_id=client_id, kind=ApiClient.Kind.CANDIDATE_APP).first()
    if client is None or not user.is_authenticated:
        return
    AppConsentShown.objects.update_or_create(
        user=user, client=client, defaults={"language": language[:8], "shown_at": timezone.now()}
    )


def api_app_consent_pages_forget(*, user: User) -> None:
    """At erasure: which apps' consent pages the person read, and in which language."""
    AppConsentShown.objects.filter(user=user).delete()


@transaction.atomic
def api_app_disconnect(*, actor: User, client: ApiClient, ended_by: str = AppAccessEnd.DISCONNECTED) -> None:
    """A candidate takes back what they authorised an app to do: its tokens
    for them stop on the next request (the app stays for others)."""
    if client.kind != ApiClient.Kind.CANDIDATE_APP:
        raise PermissionDenied
    with app_access_changes(ended_by):
        _tokens_delete(client, actor)


# A client's "last used" is written at most this often (seconds).
API_CLIENT_TOUCH_SECONDS = 60


def api_client_touch(*, client: ApiClient) -> None:
    """Record that a client was used now (for its admin's page)."""
    now = timezone.now()
    if client.last_used_at and (now - client.last_used_at).total_seconds() < API_CLIENT_TOUCH_SECONDS:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now


@transaction.atomic
def user_language_set(*, actor: User, user: User, language: str) -> User:
    """The language a person reads Tsunagu's email and notices in (and the
    pages they are sent to): theirs to choose, for themselves only."""
    if actor.pk != user.pk:
        raise PermissionDenied
    offered = {code for code, _name in settings.LANGUAGES}
    if language not in offered:
        raise ValidationError(_("Choose one of the languages offered."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
