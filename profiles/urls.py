from django.urls import include, path

from profiles import postal_views, views

app_name = "profiles"

urlpatterns = [
    # Photo routes first: "profile/photo/" is not a section.
    path("", include("profiles.photo_urls")),
    path("profile/", views.overview, name="overview"),
    path("profile/<slug:section>/", views.section_edit, name="section"),
    path("profile/<slug:section>/add/", views.entry_edit, name="entry_add"),
    path("profile/<slug:section>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("profile/<slug:section>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("postal-codes/<str:code>/", postal_views.postal_code, name="postal_code"),
    path("staff/moderation/", views.moderation_queue, name="moderation_queue"),
    path("staff/candidates/<int:profile_id>/report/", views.moderation_report, name="moderation_report"),
    path("staff/work-rules/", views.work_rules, name="work_rules"),
]
