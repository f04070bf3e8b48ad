"""The photo's URLs, included by profiles.urls (namespace "profiles").

There is no URL for the storage location itself: photos are only reachable
through these views."""

from django.urls import path

from profiles import photo_views

urlpatterns = [
    path("profile/photo/", photo_views.photo_upload, name="photo_upload"),
    path("profile/photo/delete/", photo_views.photo_delete, name="photo_delete"),
    path("photos/me/<str:size>/", photo_views.photo_own, name="photo_own"),
]
