from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def terms(request):
    return render(request, "consents/policy_placeholder.html", {"title_key": "terms"})


@require_safe
def privacy(request):
    return render(request, "consents/policy_placeholder.html", {"title_key": "privacy"})


@require_safe
def cookie_settings(request):
    return render(request, "consents/cookie_settings.html")
