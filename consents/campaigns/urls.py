from django.urls import path

from consents.campaigns import views

app_name = "campaigns"

urlpatterns = [
    # One-click unsubscribe (signed link in every purpose mail; the path
    # stays as it was printed in mail already sent)
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Coordinators
    path("staff/campaigns/", views.staff_campaigns, name="staff_campaigns"),
    path("staff/campaigns/new/", views.staff_campaign_edit, name="staff_campaign_new"),
    path("staff/campaigns/<int:pk>/", views.staff_campaign, name="staff_campaign"),
    path("staff/campaigns/<int:pk>/edit/", views.staff_campaign_edit, name="staff_campaign_edit"),
    path("staff/campaigns/<int:pk>/confirm/", views.staff_campaign_confirm, name="staff_campaign_confirm"),
]
