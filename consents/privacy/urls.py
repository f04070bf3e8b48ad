from django.urls import path

from consents.privacy import views

app_name = "privacy"

urlpatterns = [
    # The candidate's privacy centre
    path("me/privacy/", views.centre, name="centre"),
    path("me/privacy/exports/", views.export_start, name="export_start"),
    path("me/privacy/exports/<int:pk>/", views.export_status, name="export"),
    path("me/privacy/exports/<int:pk>/download/<str:token>/", views.export_download, name="export_download"),
    path("me/privacy/restriction/", views.restriction, name="restriction"),
    path("me/privacy/withdraw/", views.withdraw, name="withdraw"),
    # Anyone
    path("privacy/goodbye/", views.goodbye, name="goodbye"),
    path("privacy/requests/new/", views.request_new, name="request_new"),
    path("privacy/requests/thanks/", views.request_thanks, name="request_thanks"),
    path("privacy/california/", views.california, name="california"),
    path("privacy/export-schema/", views.export_schema, name="export_schema"),
    # Privacy officers
    path("staff/privacy/requests/", views.staff_requests, name="staff_requests"),
    path("staff/privacy/requests/new/", views.staff_request_new, name="staff_request_new"),
    path("staff/privacy/requests/<int:pk>/", views.staff_request, name="staff_request"),
    path("staff/incidents/", views.staff_incidents, name="staff_incidents"),
    path("staff/incidents/<int:pk>/", views.staff_incidents, name="staff_incident"),
]
