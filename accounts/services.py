"""Every write in accounts: staff onboarding, employers and invitations."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import INVITATION
from accounts.models import Employer, EmployerInvitation, EmployerMember, StaffGroup, User, hash_token
from accounts.selectors import employer_of, is_employer_admin
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
    return (
        employer_of(actor) == employer
        and is_employer_admin(actor)
        and member_role == EmployerMember.Role.RECRUITER
    )


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
