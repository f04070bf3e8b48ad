from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "social_providers_configured": bool(settings.SOCIALACCOUNT_PROVIDERS),
        # The operator's published address and phone (policies, contact page).
        "OPERATOR": settings.TSUNAGU_OPERATOR,
    }
