from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Employer, EmployerInvitation, EmployerMember, StaffGroup, User, hash_token
from accounts.validators import corporate_number_check_digit

TEST_PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _accept_current_policies(user) -> None:
    """Personas have accepted the policies in force (tests of re-acceptance
    publish a new version after creating them)."""
    from consents.models import PolicyKind
    from consents.services import current_policy, policy_accept

    versions = [v for v in (current_policy(PolicyKind.TERMS), current_policy(PolicyKind.PRIVACY)) if v]
    if versions:
        policy_accept(user=user, versions=versions, language="en")


def _corporate_number(n: int) -> str:
    base = f"{n:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    role = User.Role.CANDIDATE

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if extracted is None and self.role == User.Role.CANDIDATE:
            self.set_unusable_password()
        else:
            self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save()
            _accept_current_policies(self)
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class CandidateFactory(UserFactory):
    role = User.Role.CANDIDATE


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    legal_name = factory.Sequence(lambda n: f"Test Employer {n} Co., Ltd.")
    corporate_number = factory.Sequence(lambda n: _corporate_number(100000 + n))
    industry = "manufacturing"
    address = "東京都千代田区1-1"
    contact_name = "Contact Person"
    contact_email = factory.Sequence(lambda n: f"contact{n}@employer.test")


class EmployerMemberFactory(factory.django.DjangoModelFactory):
    """An employer member; admins get TOTP (they must have MFA)."""

    class Meta:
        model = EmployerMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=User.Role.EMPLOYER, password=TEST_PASSWORD)
    employer = factory.SubFactory(EmployerFactory)
    role = EmployerMember.Role.RECRUITER

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        wanted = extracted if extracted is not None else self.role == EmployerMember.Role.ADMIN
        if create and wanted:
            TOTP.activate(self.user, TOTP_SECRET)


class EmployerAdminFactory(EmployerMemberFactory):
    role = EmployerMember.Role.ADMIN


class StaffFactory(UserFactory):
    """A staff member in the given groups, with TOTP unless mfa=False."""

    role = User.Role.STAFF
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(self, TOTP_SECRET)


class EmployerInvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation to be an employer's admin, sent by a coordinator.

    Only the token's hash is stored, so pass `token=` to know the link:
    reverse("accounts:invitation_accept", kwargs={"token": token})."""

    class Meta:
        model = EmployerInvitation

    class Params:
        token = factory.Sequence(lambda n: f"test-invitation-token-{n:06d}")

    employer = factory.SubFactory(EmployerFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@employer.test")
    member_role = EmployerMember.Role.ADMIN
    language = "en"
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    invited_by = factory.SubFactory(StaffFactory, groups=[StaffGroup.COORDINATOR])
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class ExpiredInvitationFactory(EmployerInvitationFactory):
    expires_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))


class RevokedInvitationFactory(EmployerInvitationFactory):
    revoked_at = factory.LazyFunction(timezone.now)


class AcceptedInvitationFactory(EmployerInvitationFactory):
    accepted_at = factory.LazyFunction(timezone.now)
