from django.conf import settings

from consents.banners import dismissed_in_cookie
from consents.middleware import analytics_configured
from consents.selectors import policy_banners


def consent(request):
    state = getattr(request, "cookie_consent", None)

    return {
        "cookie_consent": state,
        "show_cookie_banner": state is not None and not state.known,
        "load_analytics": bool(state and state.analytics and analytics_configured()),
        "GOOGLE_ANALYTICS_ID": settings.GOOGLE_ANALYTICS_ID,
        "MICROSOFT_CLARITY_ID": settings.MICROSOFT_CLARITY_ID,
        "policy_revisions": policy_banners(getattr(request, "user", None), dismissed_in_cookie(request)),
    }
