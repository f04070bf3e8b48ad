"""Reads about people and employers that other code relies on."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from accounts.models import ApiClient, Employer, EmployerMember, ScreeningDecision, User


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


def screening_decision_in_force(user: AbstractBaseUser | AnonymousUser) -> ScreeningDecision | None:
    if not user.is_authenticated:
        return None
    return ScreeningDecision.objects.in_force().filter(user=user).first()


def screening_history(user: User) -> QuerySet[ScreeningDecision]:
    return ScreeningDecision.objects.filter(user=user).select_related("decided_by", "lifted_by")


def screening_search(query: str) -> QuerySet[User]:
    """An account to screen, by exact email or account number: identifiers
    only (no profile is shown here)."""
    query = query.strip()[:254]
    if not query:
        return User.objects.none()
    people = User.objects.exclude(role=User.Role.STAFF)
    return people.filter(pk=int(query)) if query.isdigit() else people.filter(email__iexact=query)


def screened_accounts() -> QuerySet[ScreeningDecision]:
    """Decisions in force, newest first."""
    return ScreeningDecision.objects.in_force().select_related("user", "decided_by").order_by("-decided_at")


def account_for_screening(pk: int) -> User | None:
    return User.objects.exclude(role=User.Role.STAFF).filter(pk=pk).first()


def api_clients_of(employer: Employer) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(employer=employer, kind=ApiClient.Kind.EMPLOYER).select_related("user").order_by(
        "-created"
    )


def api_client_of(employer: Employer, pk: int) -> ApiClient | None:
    return api_clients_of(employer).filter(pk=pk).first()


def api_apps_of(user: User) -> QuerySet[ApiClient]:
    """The apps a candidate registered, newest first."""
    return ApiClient.objects.filter(user=user, kind=ApiClient.Kind.CANDIDATE_APP).order_by("-created")


def api_app_of(user: User, pk: int) -> ApiClient | None:
    return api_apps_of(user).filter(pk=pk).first()


def api_apps_active_count(user: User) -> int:
    return api_apps_of(user).filter(revoked_at__isnull=True).count()


def api_apps_authorised_by(user: User) -> QuerySet[ApiClient]:
    """The candidate apps that hold a live authorisation of this person (an
    unexpired access token, or a refresh token not yet spent), with who
    registered each."""
    now = timezone.now()
    access = get_access_token_model().objects.filter(user=user, application=OuterRef("pk"), expires__gt=now)
    refresh = get_refresh_token_model().objects.filter(user=user, application=OuterRef("pk"), revoked__isnull=True)
    return (
        ApiClient.objects.filter(kind=ApiClient.Kind.CANDIDATE_APP, revoked_at__isnull=True)
        .filter(Exists(access) | Exists(refresh))
        .select_related("user")
        .order_by("name", "pk")
    )


def candidate_app(pk: int) -> ApiClient | None:
    """Any candidate's app (to take back one's own authorisation of it)."""
    return ApiClient.objects.filter(kind=ApiClient.Kind.CANDIDATE_APP, pk=pk).first()
