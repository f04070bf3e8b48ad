"""Consent rules that hold on every page."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from consents.policy_check import must_accept_policies


@dataclass(frozen=True)
class CookieState:
    consent_id: uuid.UUID | None
    known: bool
    preferences: bool
    analytics: bool
    advertising: bool
    gpc: bool


def parse_consent_cookie(value: str | None, gpc: bool) -> CookieState:
    """'<uuid>:<p><a><d>' → the choices; anything else → unknown (banner)."""
    try:
        raw_id, flags = (value or "").split(":", 1)
        consent_id = uuid.UUID(raw_id)
        if len(flags) != 3 or set(flags) - {"0", "1"}:
            raise ValueError
    except ValueError:
        return CookieState(None, False, False, False, False, gpc)
    p, a, d = (flag == "1" for flag in flags)
    return CookieState(consent_id, True, p, a, d and not gpc, gpc)


class CookieConsentMiddleware:
    """Reads the visitor's cookie choices (request.cookie_consent).

    - Global Privacy Control (Sec-GPC: 1) counts as refusal of advertising.
    - Without the preferences category, the session ends with the browser
      ("stay signed in" is a preference).
    - Analytics tags are allowed by the CSP only when configured and consented.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        gpc = request.META.get("HTTP_SEC_GPC", "").strip() == "1"
        state = parse_consent_cookie(request.COOKIES.get(settings.TSUNAGU_COOKIE_NAME), gpc)
        request.cookie_consent = state
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ends_with_browser = request.session.get_expire_at_browser_close()
            if not state.preferences and not ends_with_browser:
                request.session.set_expiry(0)
            elif state.preferences and ends_with_browser:
                request.session.set_expiry(None)
        if state.analytics and analytics_configured():
            response._csp_update = analytics_csp()
        return response


def analytics_configured() -> bool:
    return bool(settings.GOOGLE_ANALYTICS_ID or settings.MICROSOFT_CLARITY_ID)


def analytics_csp() -> dict:
    sources: dict[str, list[str]] = {"script-src": [], "connect-src": [], "img-src": []}
    if settings.GOOGLE_ANALYTICS_ID:
        sources["script-src"].append("https://www.googletagmanager.com")
        sources["connect-src"] += ["https://www.google-analytics.com", "https://*.google-analytics.com"]
        sources["img-src"].append("https://www.google-analytics.com")
    if settings.MICROSOFT_CLARITY_ID:
        sources["script-src"] += ["https://www.clarity.ms", "https://*.clarity.ms"]
        sources["connect-src"].append("https://*.clarity.ms")
        sources["img-src"].append("https://*.clarity.ms")
    return {k: v for k, v in sources.items() if v}


# Pages reachable before accepting a revised policy: the policies themselves,
# signing out, MFA, health, static files, and withdrawing a consent (sharing,
# email purposes): withdrawing is never conditional on accepting new terms.
POLICY_EXEMPT = {
    "consents:policy_accept",
    "consents:policy_banner_dismiss",
    "consents:policy_list",
    "consents:policy",
    "consents:policy_version",
    "consents:cookie_settings",
    "consents:sharing",
    "consents:grant_withdraw",
    "consents:email_preferences",
    "account_logout",
    "healthz",
    "readyz",
}


class PolicyConsentMiddleware:
    """A published version that needs consent is accepted at the next
    request, before anything else (asked of a per-person stamp, not of the
    database, on every request: consents.policy_check)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._exempt(request) and must_accept_policies(user):
            url = reverse("consents:policy_accept") + "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path_info.startswith("/static/"):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        name = match.view_name
        return name in POLICY_EXEMPT or name.startswith("mfa_") or name.startswith("account_")
