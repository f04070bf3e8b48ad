from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup
from accounts.permissions import candidate_required, staff_required
from profiles import selectors, services
from profiles.models import (
    CandidateProfile,
    ModerationCase,
    ProhibitedContent,
    SponsorshipRoute,
    SSWFieldRequirement,
    StatusOfResidence,
    StatusRule,
    VerificationMethod,
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
            "view": selectors.profile_view(profile, selectors.FieldGroup.OPTIONAL),
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
    from django.urls import reverse

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
    instance = get_object_or_404(kind.model, pk=pk, profile=profile) if pk else None
    form = kind.form_class(request.POST or None, instance=instance, profile=profile)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        try:
            services.profile_entry_save(actor=request.user, profile=profile, entry=entry)
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
    entry = get_object_or_404(kind.model, pk=pk, profile=profile)
    services.profile_entry_delete(actor=request.user, profile=profile, entry=entry)
    messages.success(request, _("Removed."))
    return redirect("profiles:section", section=SECTION_OF_ENTRY[kind.slug])


@candidate_required
def preview(request):
    """The profile as an employer sees it with the core profile only; each
    optional group appears only if the candidate includes it in a grant."""
    profile = selectors.profile_for_display(_own_profile(request).pk)
    return render(
        request,
        "profiles/preview.html",
        {"view": selectors.profile_view(profile, set()), "field_groups": selectors.FieldGroup.LABELS},
    )


# --- Staff: moderation and verification ------------------------------------------


class ReportForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("What"), choices=ModerationCase.Target.choices)
    category = forms.ChoiceField(label=gettext_lazy("Reason"), choices=ProhibitedContent.choices)
    details = forms.CharField(
        label=gettext_lazy("Details"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("hide", gettext_lazy("Hide it and tell the candidate why")),
            ("dismiss", gettext_lazy("Dismiss the report")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the candidate when hiding)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "hide" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Tell the candidate why: they will read this."))
        return data


class VerificationForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How did you check it?"), choices=VerificationMethod.choices, widget=forms.RadioSelect
    )


@staff_required(*MODERATORS)
def moderation_queue(request):
    cases = ModerationCase.objects.filter(state=ModerationCase.State.OPEN).select_related(
        "profile__user", "reported_by"
    )
    decided = (
        ModerationCase.objects.exclude(state=ModerationCase.State.OPEN)
        .select_related("profile__user", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(request, "profiles/staff/moderation_queue.html", {"cases": cases, "decided": decided})


@staff_required(*MODERATORS)
@require_http_methods(["GET", "POST"])
def moderation_case(request, pk: int):
    case = get_object_or_404(ModerationCase.objects.select_related("profile__user", "reported_by", "decided_by"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and case.state == ModerationCase.State.OPEN and form.is_valid():
        services.moderation_decide(
            actor=request.user,
            case=case,
            hide=form.cleaned_data["decision"] == "hide",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Decision recorded."))
        return redirect("profiles:moderation_queue")
    return render(request, "profiles/staff/moderation_case.html", {"case": case, "form": form})


@staff_required(*MODERATORS)
@require_http_methods(["GET", "POST"])
def moderation_report(request, profile_id: int):
    profile = get_object_or_404(CandidateProfile.objects.select_related("user"), pk=profile_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = services.moderation_report_create(actor=request.user, profile=profile, **form.cleaned_data)
        messages.success(request, _("Reported. It is now in the moderation queue."))
        return redirect("profiles:moderation_case", pk=case.pk)
    return render(request, "profiles/staff/report.html", {"profile": profile, "form": form})


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
@require_http_methods(["GET", "POST"])
def status_verify(request, profile_id: int):
    profile = get_object_or_404(
        CandidateProfile.objects.select_related("user", "status", "status_verified_by"), pk=profile_id
    )
    form = VerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.status_verification_record(actor=request.user, profile=profile, method=form.cleaned_data["method"])
        messages.success(request, _("Verification recorded."))
        return redirect("profiles:status_verify", profile_id=profile.pk)
    return render(request, "profiles/staff/status_verify.html", {"profile": profile, "form": form})


@staff_required(StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER)
@require_safe
def work_rules(request):
    """The work rules the matching engine applies, as a table staff read:
    per status of residence what it allows, the SSW field requirements and
    the sponsorship routes, each with its source and the date it was last
    checked. Coordinators edit them in the admin."""
    statuses = StatusOfResidence.objects.prefetch_related(
        "job_categories",
        Prefetch("rules", queryset=StatusRule.objects.prefetch_related("categories", "employment_types")),
    )
    fields = SSWFieldRequirement.objects.select_related(
        "field", "skills_test", "extra_qualification", "titp_completion", "ssw_ii_test"
    )
    routes = SponsorshipRoute.objects.select_related("status", "qualification").prefetch_related(
        "categories", "status__job_categories"
    )
    return render(
        request,
        "profiles/staff/work_rules.html",
        {
            "statuses": statuses,
            "fields": fields,
            "routes": routes,
            "may_edit": request.user.has_perm("profiles.change_statusrule"),
        },
    )
