from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.api_framework import NoSuchEndpoint
from config import views
from matching import ready_views
from matching.seo import SITEMAPS

admin.site.site_header = _("Tsunagu staff")
# Staff sign in through allauth (password + MFA), never the admin's own form.
# Replacing a method on the site instance is the point here (Django has no
# setting for it), and mypy refuses any assignment to a method.
admin.site.login = views.admin_login  # type: ignore[method-assign]
admin.site.site_title = _("Tsunagu staff")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Postmark webhooks; anymail checks ANYMAIL_WEBHOOK_SECRET (basic auth).
    path(
        "webhooks/postmark/tracking/",
        PostmarkTrackingWebhookView.as_view(),
        name="postmark_tracking_webhook",
    ),
    path("readyz", views.readyz, name="readyz"),
    # Open openings and company pages, every language (matching.seo).
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("api/v1/", include("config.api_urls")),
    # Any other path under /api/: a 404 problem document, not the website's page.
    path("api/<path:rest>", NoSuchEndpoint.as_view(), name="api_not_found"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("outbox.urls")),
    path("", include("accounts.urls")),
    # consents first: its "profile/preview/" is not a profile section.
    path("", include("consents.urls")),
    # Not a profile section either: the page between signing up and applying.
    path("profile/ready-to-apply/", ready_views.ready_to_apply, name="ready_to_apply"),
    path("", include("profiles.urls")),
    path("", include("consents.privacy.urls")),
    path("", include("consents.campaigns.urls")),
    path("", include("consents.contact.urls")),
    path("", include("matching.urls")),
    path("", include("matching.saved.urls")),
    path("staff/admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.TSUNAGU_BENCH_BARE_VIEW:
    urlpatterns += [path("bench/bare/", views.bench_bare, name="bench_bare")]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
