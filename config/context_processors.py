from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "social_providers_configured": bool(settings.SOCIALACCOUNT_PROVIDERS),
    }
