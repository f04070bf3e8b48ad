"""Coarse role checks for views. Object-level rules (which candidate, which
field) live in consents' access module, not here."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import Employer, User
from accounts.selectors import employer_of, is_employer_admin


def _guard(test):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_employer(user: User) -> Employer:
    """The employer of the member a view behind employer_member_required
    serves (the guard has made sure there is one)."""
    employer = employer_of(user)
    if employer is None:
        raise PermissionDenied
    return employer


def in_staff_group(user: User, *groups: str) -> bool:
    if not user.is_staff_member:
        return False
    return user.is_superuser or user.groups.filter(name__in=groups).exists()


login_required = _guard(lambda user: True)
candidate_required = _guard(lambda user: user.is_candidate)
employer_member_required = _guard(lambda user: employer_of(user) is not None)
employer_admin_required = _guard(is_employer_admin)


def staff_required(*groups: str):
    """Staff in one of the groups (superusers pass)."""
    return _guard(lambda user: in_staff_group(user, *groups))
