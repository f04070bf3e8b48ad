from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# What someone who must set up MFA may still reach: the MFA pages themselves,
# re-authentication (allauth asks for it before adding a factor), sign-out,
# and the health checks.
ALLOWED_WITHOUT_MFA = {
    "account_logout",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "healthz",
    "readyz",
}


class RequireMFAMiddleware:
    """Roles in TSUNAGU_MFA_REQUIRED_ROLES reach nothing but MFA setup until
    they have a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.requires_mfa and not self._allowed(request):
            if not get_mfa_adapter().is_mfa_enabled(user):
                messages.warning(request, _("Set up two-factor authentication to continue."))
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request) -> bool:
        if request.path_info.startswith("/static/"):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.url_name in ALLOWED_WITHOUT_MFA or (match.url_name or "").startswith("mfa_")
