"""The candidate's photo: upload, delete, and the only ways to see it.

Photo files are never served from their storage location. Every request goes
through a view here that checks who asks, and answers with headers that keep
the photo out of shared caches and content sniffing."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import candidate_required
from profiles.photos import (
    ACCEPT_ATTRIBUTE,
    PhotoRejected,
    max_bytes,
    photo_response,
    profile_photo_delete,
    profile_photo_store,
    too_large_message,
)
from profiles.selectors import profile_of
from profiles.services import profile_get_or_create


class PhotoUploadForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        # The pipeline says why an empty file is refused, in its own words.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=gettext_lazy("A JPEG, PNG or WebP image. Location and camera details are removed when it is saved."),
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        # Refused by its declared size before a byte of it is read.
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large_message())
        return upload


@candidate_required
@require_http_methods(["GET", "HEAD", "POST"])
def photo_upload(request):
    profile = profile_get_or_create(user=request.user)
    status = 200
    if request.method == "POST":
        form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                profile_photo_store(profile=profile, data=form.cleaned_data["photo"], source="upload")
            except PhotoRejected as rejected:
                form.add_error("photo", rejected.message)
            else:
                messages.success(request, _("Your photo was saved."))
                return redirect("profiles:photo_upload")
        status = 400
    else:
        form = PhotoUploadForm()
    return render(request, "profiles/photo.html", {"form": form, "profile": profile}, status=status)


@candidate_required
@require_POST
def photo_delete(request):
    profile = profile_of(request.user)
    if profile is not None and profile.photo:
        profile_photo_delete(profile=profile)
        messages.success(request, _("Your photo was deleted."))
    return redirect("profiles:photo_upload")


@candidate_required
@require_safe
def photo_own(request, size: str):
    """The candidate's own photo, shown to them even while moderation hides it."""
    profile = profile_of(request.user)
    if profile is None:
        raise Http404
    return photo_response(profile, size, for_owner=True)
