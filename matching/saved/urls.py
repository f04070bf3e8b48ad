from django.urls import path

from matching.saved import views

app_name = "saved"

urlpatterns = [
    path("jobs/<int:pk>/save/", views.save_job, name="save"),
    path("me/saved-jobs/", views.saved_jobs, name="saved_jobs"),
    path("me/alerts/", views.alerts, name="alerts"),
    path("me/alerts/new/", views.alert_new, name="alert_new"),
    path("me/alerts/<int:pk>/", views.alert, name="alert"),
    # One-click unsubscribe from an alert's mail (signed link; RFC 8058)
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("staff/alerts/", views.staff_alerts, name="staff_alerts"),
]
