import time
from collections.abc import Callable

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# What someone who must set up MFA may still reach: allauth's MFA pages,
# re-authentication (allauth asks for it before adding a factor), sign-out,
# and the health checks.
ALLOWED_WITHOUT_MFA = {"account_logout", "account_reauthenticate", "healthz", "readyz", "favicon"}
PASSWORD_PAGES = {"account_set_password", "account_change_password"}


class AccountPolicyMiddleware:
    """Role rules that hold on every page:

    - roles in TSUNAGU_MFA_REQUIRED_ROLES reach nothing but MFA setup until
      they have a second factor;
    - candidates never get a password, so the password pages send them back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            url_name = self._url_name(request)
            if (
                user.requires_mfa
                and not self._allowed_without_mfa(request, url_name)
                and not get_mfa_adapter().is_mfa_enabled(user)
            ):
                messages.warning(request, _("Set up two-factor authentication to continue."))
                return redirect("mfa_activate_totp")
            if user.is_candidate and url_name in PASSWORD_PAGES:
                messages.info(
                    request, _("Your account has no password: you sign in with a one-time code or Google/Facebook.")
                )
                return redirect("accounts:dashboard")
        return self.get_response(request)

    @staticmethod
    def _url_name(request) -> str | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        # allauth's URLs have no namespace; the admin's (admin:mfa_...) do.
        return match.view_name

    @staticmethod
    def _allowed_without_mfa(request, url_name: str | None) -> bool:
        if request.path_info.startswith("/static/") or url_name is None:
            return True
        return url_name in ALLOWED_WITHOUT_MFA or url_name.startswith("mfa_")


class SessionLifetimeMiddleware:
    """Signs a person out after their role's idle time or absolute session
    lifetime (TSUNAGU_SESSION_LIMITS), checked on the server at each request.

    The session keeps when the person signed in and when they were last seen;
    "last seen" is written at most once a minute, so a busy page does not
    write its session on every request."""

    SIGNED_IN_AT = "tsunagu_signed_in_at"
    SEEN_AT = "tsunagu_seen_at"
    SEEN_PRECISION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle, absolute = settings.TSUNAGU_SESSION_LIMITS.get(
                user.role, min(settings.TSUNAGU_SESSION_LIMITS.values())
            )
            session = request.session
            now = time.time()
            signed_in_at = session.setdefault(self.SIGNED_IN_AT, now)
            seen_at = session.get(self.SEEN_AT, signed_in_at)
            if now - seen_at > idle or now - signed_in_at > absolute:
                logout(request)
                messages.info(request, _("You were signed out to keep your account safe. Please sign in again."))
            elif now - seen_at >= self.SEEN_PRECISION:
                session[self.SEEN_AT] = now
        return self.get_response(request)


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: a new session starts its clocks now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SessionLifetimeMiddleware.SIGNED_IN_AT] = now
        request.session[SessionLifetimeMiddleware.SEEN_AT] = now


# What a person under a screening decision may still reach: their notice,
# the contact desk (to appeal), their data (download, delete), who has seen
# it and their consents (history, receipts, withdrawing a share: rights that
# do not pause with the account), the policies, their email choices,
# sign-out and the security pages.
SCREENED_ALLOWED = {
    "accounts:screening_notice",
    "accounts:language",
    # Taking back what one's own apps, or apps one let in, may reach.
    "accounts:my_apps",
    "accounts:my_app_revoke",
    "accounts:my_app_disconnect",
    "contact:contact",
    "contact:contact_thanks",
    "privacy:centre",
    "privacy:export_start",
    "privacy:export",
    "privacy:export_download",
    "privacy:withdraw",
    "privacy:goodbye",
    "privacy:request_new",
    "privacy:request_thanks",
    "consents:access_log",
    "consents:my_consents",
    "consents:consent_receipt",
    "consents:sharing",
    "consents:grant_withdraw",
    "consents:policy_list",
    "consents:policy",
    "consents:policy_version",
    "consents:policy_accept",
    "consents:cookie_settings",
    "consents:email_preferences",
    "consents:policy_banner_dismiss",
    "healthz",
    "readyz",
    "favicon",
}


class ScreeningMiddleware:
    """A suspended account, or a refused registration, reaches nothing but
    the pages above: from the next request after the decision (the state is
    on the User row, read with the session: no extra query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "screening", ""):
            url_name = AccountPolicyMiddleware._url_name(request)
            allowed = (
                request.path_info.startswith("/static/")
                or url_name is None
                or url_name in SCREENED_ALLOWED
                or url_name.startswith(("account_", "mfa_"))
            )
            if not allowed:
                return redirect("accounts:screening_notice")
        return self.get_response(request)
