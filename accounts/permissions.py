"""Coarse role checks for views. Object-level rules (which candidate, which
field) live in consents' access module, not here.

Each guard leaves its test on the view it wraps (`view.allows(user)`), so
that menus and links ask the view itself whether a person may open it
(accounts.navigation): one source, and a menu can never offer a 403."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import Employer, User
from accounts.selectors import employer_of, is_employer_admin

UserTest = Callable[[Any], bool]


def _guard(test: UserTest) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # functools.wraps copies __dict__, so the test survives the
        # decorators stacked above this one (require_POST, never_cache …).
        wrapped.allows = test  # type: ignore[attr-defined]
        return wrapped

    return decorator


def member_employer(user: User) -> Employer:
    """The employer of the member a view behind employer_member_required
    serves (the guard has made sure there is one)."""
    employer = employer_of(user)
    if employer is None:
        raise PermissionDenied
    return employer


def staff_groups_of(user: User) -> frozenset[str]:
    """The person's staff groups, read once per user object (a page asks for
    every item of its menu)."""
    cached = getattr(user, "_tsunagu_staff_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._tsunagu_staff_groups = cached  # type: ignore[attr-defined]
    return cached


def in_staff_group(user: User, *groups: str) -> bool:
    if not user.is_staff_member:
        return False
    return user.is_superuser or bool(staff_groups_of(user) & set(groups))


login_required = _guard(lambda user: True)
candidate_required = _guard(lambda user: user.is_candidate)
employer_member_required = _guard(lambda user: employer_of(user) is not None)
employer_admin_required = _guard(is_employer_admin)


def staff_required(*groups: str) -> Callable[[Callable], Callable]:
    """Staff in one of the groups (superusers pass)."""
    return _guard(lambda user: in_staff_group(user, *groups))
