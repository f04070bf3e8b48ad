"""Reads about people and employers that other code relies on."""

from typing import cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model, refresh_token_expire_timedelta

from accounts.models import ApiClient, AppConsentShown, Employer, EmployerMember, ScreeningDecision, User


def membership_of(user: AbstractBaseUser) -> EmployerMember | None:
    """The person's membership of an employer, if they are an employer member."""
    if not user.is_authenticated or not getattr(user, "is_employer_member", False):
        return None
    return cast(User, user).membership_with_employer()


def employer_of(user: AbstractBaseUser) -> Employer | None:
    """The employer a person works for on Tsunagu (None for anyone else)."""
    membership = membership_of(user)
    return membership.employer if membership is not None else None


def is_employer_admin(user: AbstractBaseUser) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == EmployerMember.Role.ADMIN


def members_to_tell(employer_id: int, *, admins_only: bool = False) -> list[User]:
    """The company's members who may be told about its candidates and
    openings: active accounts without a screening decision in force (a
    suspended or refused member reads nothing more about anyone)."""
    members = EmployerMember.objects.filter(employer_id=employer_id, user__is_active=True, user__screening="")
    if admins_only:
        members = members.filter(role=EmployerMember.Role.ADMIN)
    return [member.user for member in members.select_related("user").order_by("pk")]


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
    return (
        ApiClient.objects.filter(employer=employer, kind=ApiClient.Kind.EMPLOYER)
        .select_related("user")
        .order_by("-created")
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


def _live_tokens() -> tuple[QuerySet, QuerySet]:
    """The tokens that still reach someone's data: access tokens not yet
    expired, and refresh tokens django-oauth-toolkit would still exchange
    (not spent or revoked, with their access token, within the refresh
    lifetime after it: its validate_refresh_token)."""
    now = timezone.now()
    refresh = get_refresh_token_model().objects.filter(revoked__isnull=True, access_token__isnull=False)
    lifetime = refresh_token_expire_timedelta()
    if lifetime:
        refresh = refresh.filter(access_token__expires__gt=now - lifetime)
    return get_access_token_model().objects.filter(expires__gt=now), refresh


def api_apps_authorised_by(user: User) -> QuerySet[ApiClient]:
    """The candidate apps that hold a live authorisation of this person (an
    unexpired access token, or a refresh token that still works), with who
    registered each."""
    access, refresh = _live_tokens()
    return (
        ApiClient.objects.filter(kind=ApiClient.Kind.CANDIDATE_APP, revoked_at__isnull=True)
        .filter(
            Exists(access.filter(user=user, application=OuterRef("pk")))
            | Exists(refresh.filter(user=user, application=OuterRef("pk")))
        )
        .select_related("user")
        .order_by("name", "pk")
    )


def api_app_consent_language(user: User, client: ApiClient) -> str:
    """The language the person last read this app's consent page in (their
    account's, had it not been recorded)."""
    shown = AppConsentShown.objects.filter(user=user, client=client).values_list("language", flat=True).first()
    return shown or user.language or settings.LANGUAGE_CODE


def api_app_scopes_held(user: User | int, client: ApiClient | int) -> frozenset[str] | None:
    """What a candidate app may do for this person now: the scopes of their
    live tokens for it together (a refresh token by its access token's), or
    None when it holds no live token of theirs. (Either by id.)"""
    access, refresh = _live_tokens()
    scopes = list(access.filter(user=user, application=client).values_list("scope", flat=True))
    scopes += refresh.filter(user=user, application=client).values_list("access_token__scope", flat=True)
    if not scopes:
        return None
    return frozenset(scope for line in scopes for scope in (line or "").split())


def api_app_holders(clients: list[ApiClient]) -> set[tuple[int, int]]:
    """(person, app) pairs, among these apps, where the app holds a live
    token of the person (two queries, however many pairs)."""
    access, refresh = _live_tokens()
    return {
        *access.filter(application__in=clients).values_list("user_id", "application_id"),
        *refresh.filter(application__in=clients).values_list("user_id", "application_id"),
    }


def api_app_people(client: ApiClient) -> QuerySet[User]:
    """Everyone a candidate app holds a live token of."""
    access, refresh = _live_tokens()
    return User.objects.filter(
        Exists(access.filter(user=OuterRef("pk"), application=client))
        | Exists(refresh.filter(user=OuterRef("pk"), application=client))
    ).order_by("pk")


def candidate_app(pk: int) -> ApiClient | None:
    """Any candidate's app (to take back one's own authorisation of it)."""
    return ApiClient.objects.filter(kind=ApiClient.Kind.CANDIDATE_APP, pk=pk).first()
