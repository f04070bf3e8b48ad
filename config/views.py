"""Project-level pages: home and the health endpoints."""

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.cache import ResilientRedisCache


def admin_login(request, extra_context=None):
    """Send the admin's sign-in to allauth's, which enforces MFA."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        # Signed in but not staff: the admin is not for them.
        return redirect("accounts:dashboard")
    return redirect_to_login(target, reverse("account_login"))


@require_safe
def home(request):
    return render(request, "pages/home.html")


@require_safe
def favicon(request):
    """Pages that do not link an icon (the admin's) make browsers ask for
    /favicon.ico: send them to ours instead of a 404."""
    return redirect(static("icons/favicon.ico"), permanent=True)


@never_cache
@require_safe
def healthz(request):
    """The process is up. No dependency is touched, so a load balancer can
    tell a dead process from a sick database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: the database answers, and the cache works. A Redis
    cache that is down is reported as degraded but keeps the process ready:
    each process then uses a local stand-in (config.cache), and taking every
    web process out of service would turn a Redis outage into a full one."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        backend = caches["default"]
        if isinstance(backend, ResilientRedisCache) and not backend.ping():
            checks["cache"] = "degraded: Redis unreachable, local fallback in use"
        else:
            cache.set("readyz", "1", 5)
            checks["cache"] = "ok" if cache.get("readyz") == "1" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    ready = not any(v.startswith("error") for v in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@require_safe
def bench_bare(request):
    """A tiny page through the whole middleware stack: the yardstick the
    HTTP benchmark measures every page against (bench/http.py). Routed only
    when TSUNAGU_BENCH_BARE_VIEW is set, which nothing but the benchmark does."""
    return HttpResponse("<!DOCTYPE html><html lang=\"en\"><title>bare</title><p>bare</p></html>")
