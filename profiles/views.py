from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup
from accounts.permissions import candidate_required, staff_required
from profiles import selectors, services
from profiles.forms import ReportForm
from profiles.models import (
    CandidateProfile,
)
from profiles.sections import ENTRY_KINDS, SECTION_OF_ENTRY, SECTIONS, SECTIONS_BY_SLUG
from profiles.validators import TooYoung

MODERATORS = (StaffGroup.COORDINATOR, StaffGroup.SUPPORT)


def _own_profile(request) -> CandidateProfile:
    return services.profile_get_or_create(user=request.user)


@candidate_required
def overview(request):
    profile = selectors.profile_for_display(_own_profile(request).pk)
    states = selectors.profile_completeness(profile)
    hidden_cases = selectors.hidden_content_cases(profile)
    return render(
        request,
        "profiles/overview.html",
        {
            "profile": profile,
            "states": states,
            "percent": selectors.completeness_percent(states),
            "hidden_cases": hidden_cases,
            "status_warning": selectors.status_warning(profile),
        },
    )


@candidate_required
@require_http_methods(["GET", "POST"])
def section_edit(request, section: str):
    spec = SECTIONS_BY_SLUG.get(section)
    if spec is None:
        raise Http404
    profile = _own_profile(request)
    form = None
    if spec.form_class:
        form = spec.form_class(request.POST or None, instance=profile)
        if request.method == "POST":
            if _refused_as_too_young(form):
                # Nothing of this submission is kept, not even in the form.
                return render(
                    request, "profiles/too_young.html", {"message": form.errors["date_of_birth"][0]}, status=400
                )
            if form.is_valid():
                services.profile_update(actor=request.user, profile=profile, data=form.cleaned_data)
                if getattr(form, "expiry_in_past", False):
                    messages.warning(
                        request,
                        _(
                            "The period of stay you entered has already ended. If you applied for an extension, "
                            "keep the receipt: you may stay while it is decided. "
                            "Update the date when you get your new card."
                        ),
                    )
                messages.success(request, _("Saved: %(section)s.") % {"section": spec.title})
                return redirect(_next_section_url(spec.slug))
    elif request.method == "POST":
        raise Http404
    profile = selectors.profile_for_display(profile.pk)
    entries = [(ENTRY_KINDS[kind], getattr(profile, ENTRY_KINDS[kind].related_name).all()) for kind in spec.entry_kinds]
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "profiles/section.html",
        {"section": spec, "form": form, "entries": entries, "profile": profile, "sections": SECTIONS},
        status=status,
    )


def _refused_as_too_young(form) -> bool:
    if "date_of_birth" not in form.fields:
        return False
    form.is_valid()
    errors = form.errors.as_data().get("date_of_birth", [])
    return any(isinstance(e, TooYoung) for e in errors)


def _next_section_url(slug: str):

    slugs = [s.slug for s in SECTIONS]
    i = slugs.index(slug)
    return reverse("profiles:section", args=[slugs[i + 1]]) if i + 1 < len(slugs) else reverse("profiles:overview")


def _entry_kind(section: str):
    kind = ENTRY_KINDS.get(section)
    if kind is None:
        raise Http404
    return kind


@candidate_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, section: str, pk: int | None = None):
    kind = _entry_kind(section)
    profile = _own_profile(request)
    # Only the candidate's own entries: another person's id is a 404.
    instance = selectors.own_entry(kind.model, profile, pk) if pk else None
    if pk and instance is None:
        raise Http404
    form = kind.form_class(request.POST or None, instance=instance, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_entry_save(actor=request.user, profile=profile, entry=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": kind.title})
            return redirect("profiles:section", section=SECTION_OF_ENTRY[kind.slug])
    return render(
        request,
        "profiles/entry.html",
        {"kind": kind, "form": form, "instance": instance, "section_slug": SECTION_OF_ENTRY[kind.slug]},
        status=400 if form.is_bound and form.errors else 200,
    )


@candidate_required
@require_POST
def entry_delete(request, section: str, pk: int):
    kind = _entry_kind(section)
    profile = _own_profile(request)
    entry = selectors.own_entry(kind.model, profile, pk)
    if entry is None:
        raise Http404
    services.profile_entry_delete(actor=request.user, profile=profile, entry=entry)
    messages.success(request, _("Removed."))
    return redirect("profiles:section", section=SECTION_OF_ENTRY[kind.slug])


# --- Staff: moderation and verification ------------------------------------------


@staff_required(*MODERATORS)
def moderation_queue(request):
    cases, decided = selectors.moderation_queue()
    return render(request, "profiles/staff/moderation_queue.html", {"cases": cases, "decided": decided})


@staff_required(*MODERATORS)
@require_http_methods(["GET", "POST"])
def moderation_report(request, profile_id: int):
    if not selectors.profile_exists(profile_id):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.moderation_report_create(actor=request.user, profile_id=profile_id, **form.cleaned_data)
        messages.success(request, _("Reported. It is now in the moderation queue."))
        return redirect("consents:staff_moderation_case", pk=case.pk)
    return render(request, "profiles/staff/report.html", {"profile_id": profile_id, "form": form})


@staff_required(StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER)
@require_safe
def work_rules(request):
    """The work rules the matching engine applies, as a table staff read:
    per status of residence what it allows, the SSW field requirements and
    the sponsorship routes, each with its source and the date it was last
    checked. Coordinators edit them in the admin."""
    return render(
        request,
        "profiles/staff/work_rules.html",
        {
            **selectors.work_rules(),
            "may_edit": request.user.has_perm("profiles.change_statusrule"),
        },
    )
