from django.urls import path

from consents.contact import views

app_name = "contact"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
    path("staff/contact/", views.staff_inquiries, name="staff_inquiries"),
    path("staff/contact/<int:pk>/", views.staff_inquiry, name="staff_inquiry"),
]
