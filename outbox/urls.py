from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("staff/outbox/", views.staff_outbox, name="staff_outbox"),
    path("staff/outbox/<int:pk>/", views.staff_outbox_email, name="staff_outbox_email"),
    path("staff/suppressions/", views.staff_suppressions, name="staff_suppressions"),
]
