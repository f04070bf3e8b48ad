"""Apply-ready in one go: after signing up, one page asks only what an
application still needs, then the consent screen (docs/apply-ready.md)."""

from typing import cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import candidate_required
from matching import selectors, services
from matching.ready_forms import ReadyToApplyForm
from profiles import selectors as profile_selectors
from profiles import services as profile_services
from profiles.validators import TooYoung


def _opening_id(request: HttpRequest) -> int:
    value = request.GET.get("opening", "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


@candidate_required
@require_http_methods(["GET", "POST"])
def ready_to_apply(request: HttpRequest) -> HttpResponse:
    opening = selectors.opening(_opening_id(request))
    if opening is None:
        raise Http404
    candidate = cast(User, request.user)  # candidate_required
    profile = profile_services.profile_get_or_create(user=candidate)
    if not profile_selectors.missing_to_apply(profile):
        return redirect("matching:apply", pk=opening.pk)
    form = ReadyToApplyForm(
        request.POST or None,
        instance=profile,
        opening=opening,
        postal_lookup_url=reverse("profiles:postal_code", args=["0000000"]).removesuffix("0000000/"),
    )
    if request.method == "POST":
        if not form.is_valid():
            if any(isinstance(e, TooYoung) for e in form.errors.as_data().get("date_of_birth", [])):
                # Nothing of this submission is kept, not even in the form.
                message = form.errors["date_of_birth"][0]
                return render(request, "profiles/too_young.html", {"message": message}, status=400)
        else:
            services.ready_to_apply_save(
                candidate=candidate,
                opening=opening,
                data=form.profile_data(),
                note_preferences=form.cleaned_data.get("note_preferences", False),
            )
            return redirect("matching:apply", pk=opening.pk)
    return render(
        request,
        "matching/ready_to_apply.html",
        {"form": form, "opening": opening},
        status=400 if form.is_bound else 200,
    )
