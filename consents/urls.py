from django.urls import path

from consents import views

app_name = "consents"

urlpatterns = [
    path("policies/terms/", views.terms, name="terms"),
    path("policies/privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookie_settings, name="cookie_settings"),
]
