"""Reads about people and employers that other code relies on."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, QuerySet

from accounts.models import Employer, EmployerMember


def membership_of(user: AbstractBaseUser) -> EmployerMember | None:
    """The person's membership of an employer, if they are an employer member."""
    if not user.is_authenticated or not getattr(user, "is_employer_member", False):
        return None
    return getattr(user, "employer_membership", None)


def employer_of(user: AbstractBaseUser) -> Employer | None:
    """The employer a person works for on Tsunagu (None for anyone else)."""
    membership = membership_of(user)
    return membership.employer if membership is not None else None


def is_employer_admin(user: AbstractBaseUser) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == EmployerMember.Role.ADMIN


def employers_with_member_counts() -> QuerySet[Employer]:
    return Employer.objects.annotate(member_count=Count("members")).order_by("legal_name")
