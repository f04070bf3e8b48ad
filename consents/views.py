import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.dashboard import Bar, Chart
from accounts.models import Employer, StaffGroup
from accounts.permissions import (
    candidate_required,
    employer_member_required,
    login_required,
    member_employer,
    staff_required,
)
from accounts.selectors import is_employer_admin
from consents import access, banners, selectors, services, statistics
from consents.forms import CookieForm, PolicyAcceptForm, PurposeForm, ShareConsentForm, StaffReasonForm
from consents.markdown import render_markdown
from consents.models import (
    OPTIONAL_FIELD_GROUPS,
    Channel,
    ConsentEvent,
    CookieConsent,
    EmailPurpose,
    FieldGroup,
    PolicyBannerDismissal,
    PolicyKind,
    ShareGrant,
)
from consents.receipts import receipt
from profiles import selectors as profile_selectors
from profiles import services as profile_services
from profiles.forms import DecisionForm, VerificationForm
from profiles.models import ModerationCase
from profiles.photos import PHOTO_SIZES, photo_response
from profiles.selectors import profile_for_display
from profiles.services import profile_get_or_create

STAFF_ALL = (StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER, StaffGroup.SUPPORT)


def _language() -> str:
    return (get_language() or "en")[:8]


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- Policies (public) ---------------------------------------------------------


@require_safe
def policy_list(request):
    return render(
        request, "consents/policy_list.html", {"versions": selectors.published_versions(), "kinds": PolicyKind}
    )


@require_safe
def policy_current(request, kind: str):
    if kind not in PolicyKind.values:
        raise Http404
    version = services.current_policy(kind)
    return _render_policy(request, kind, version)


@require_safe
def policy_version(request, kind: str, version: str):
    if kind not in PolicyKind.values:
        raise Http404
    found = selectors.published_version(kind, version)
    if found is None:
        raise Http404
    response = _render_policy(request, kind, found)
    if selectors.announced_version(found):
        # Read: its revision banner goes away (per account, or per browser).
        if request.user.is_authenticated:
            services.policy_banner_dismiss(user=request.user, version=found, how=PolicyBannerDismissal.How.READ)
        else:
            banners.remember_in_cookie(request, response, found.pk)
    return response


@require_POST
def policy_banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Close a revision banner: remembered with the account, or for a
    visitor in the browser (consents.banners)."""
    version_id = request.POST.get("version", "")
    version = selectors.published_version_by_id(int(version_id)) if version_id.isdigit() else None
    response = redirect(_safe_next(request, reverse("home")))
    if version is not None:
        if request.user.is_authenticated:
            services.policy_banner_dismiss(user=request.user, version=version, how=PolicyBannerDismissal.How.DISMISSED)
        else:
            banners.remember_in_cookie(request, response, version.pk)
    return response


def _render_policy(request, kind, version):
    text = version.text_for(_language()) if version else None
    return render(
        request,
        "consents/policy.html",
        {
            "kind": PolicyKind(kind),
            "version": version,
            "text": text,
            "body_html": render_markdown(text.body) if text else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_accept(request):
    """Asked at the next visit after a version that needs consent."""
    pending = selectors.policies_to_accept(request.user)
    next_url = _safe_next(request, reverse("accounts:dashboard"))
    if not pending:
        return redirect(next_url)
    form = PolicyAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.policy_accept(user=request.user, versions=pending, language=_language())
        messages.success(request, _("Thank you. You accepted the current versions."))
        return redirect(next_url)
    docs = [(v, v.text_for(_language())) for v in pending]
    return render(
        request,
        "consents/policy_accept.html",
        {
            "first_time": not request.user.policy_acceptances.exists(),
            "form": form,
            "docs": [(v, t, render_markdown(t.body) if t else "") for v, t in docs],
            "next": next_url,
        },
    )


# --- Cookies -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cookie_settings(request):
    state = request.cookie_consent
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "accept_all":
            choices = {"preferences": True, "analytics": True, "advertising": True}
        elif action == "reject_all":
            choices = {"preferences": False, "analytics": False, "advertising": False}
        else:
            form = CookieForm(request.POST)
            if not form.is_valid():  # booleans: cannot fail, but never trust input
                return render(request, "consents/cookie_settings.html", {"form": form}, status=400)
            choices = form.cleaned_data
        record = services.cookie_consent_record(
            consent_id=state.consent_id, user=request.user, choices=choices, gpc=state.gpc, language=_language()
        )
        response = redirect(_safe_next(request, reverse("consents:cookie_settings")))
        set_consent_cookie(response, record)
        messages.success(request, _("Your cookie choices are saved. You can change them here at any time."))
        return response
    form = CookieForm(
        initial={"preferences": state.preferences, "analytics": state.analytics, "advertising": state.advertising}
    )
    return render(request, "consents/cookie_settings.html", {"form": form})


def set_consent_cookie(response, record: CookieConsent) -> None:
    """The choice itself is a strictly necessary cookie: without it the
    banner would ask again on every page."""
    value = f"{record.consent_id}:{int(record.preferences)}{int(record.analytics)}{int(record.advertising)}"
    response.set_cookie(
        settings.TSUNAGU_COOKIE_NAME,
        value,
        max_age=180 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- Candidate: my consents --------------------------------------------------------


@candidate_required
def profile_preview(request):
    """The profile as an employer sees it with the core profile only; each
    optional group appears only if the candidate includes it in a grant."""
    profile = profile_get_or_create(user=request.user)
    return render(
        request,
        "consents/profile_preview.html",
        {
            "view": access.profile_view(profile_for_display(profile.pk), set()),
            "optional_groups": [FieldGroup(g).label for g in OPTIONAL_FIELD_GROUPS],
        },
    )


@candidate_required
def my_consents(request):
    events = selectors.ledger_of(request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "consents/my_consents.html",
        {
            "page": page,
            "grants": selectors.grants_of(request.user),
            "purposes": [
                (EmailPurpose(p).label, granted) for p, granted in selectors.purpose_states(request.user).items()
            ],
            "acceptances": request.user.policy_acceptances.select_related("version").order_by("-accepted_at"),
            "cookies": request.user.cookie_consents.order_by("-updated_at").first(),
        },
    )


@candidate_required
def consent_receipt(request, event_id: int):
    key = selectors.subject_key_of(request.user)
    event = get_object_or_404(ConsentEvent, pk=event_id, subject_key=key) if key else None
    if event is None:
        raise Http404
    data = receipt(event)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="tsunagu-consent-{event.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@candidate_required
def sharing(request):
    """Who has my profile: every grant, its fields, start, expiry, withdraw."""
    return render(
        request, "consents/sharing.html", {"grants": selectors.grants_of(request.user), "now": timezone.now()}
    )


@candidate_required
@require_POST
def grant_withdraw(request, grant_id: int):
    grant = selectors.grant_of(request.user, grant_id)
    if grant is None:
        raise Http404
    services.share_grant_withdraw(actor=request.user, grant=grant)
    messages.success(
        request,
        _("%(employer)s can no longer see your profile. We told them, and reminded them to delete any copies.")
        % {"employer": grant.employer.legal_name},
    )
    return redirect("consents:sharing")


@candidate_required
@require_http_methods(["GET", "POST"])
def share_with_employer(request, employer_id: int):
    """The consent screen: names the employer, the purpose, the fields and
    how long. The grant is recorded with the hash of the exact notice rebuilt
    from what was submitted."""
    employer = get_object_or_404(Employer, pk=employer_id)
    form = ShareConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        groups = form.groups()
        services.share_grant_give(
            candidate=request.user,
            employer=employer,
            groups=groups,
            notice=services.share_consent_notice(employer=employer, groups=groups, language=_language()),
            origin=ShareGrant.Origin.DIRECT,
        )
        messages.success(
            request, _("Your profile is now shared with %(employer)s.") % {"employer": employer.legal_name}
        )
        return redirect("consents:sharing")
    screen = selectors.share_consent_screen(candidate=request.user, employer=employer, groups=form.groups_shown())
    return render(
        request, "consents/share_consent.html", {"form": form, **screen}, status=400 if form.is_bound else 200
    )


@candidate_required
def access_log(request):
    """Who viewed my profile (the APPI provision records, as the person sees them)."""
    page = Paginator(selectors.access_records_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "consents/access_log.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request):
    current = selectors.purpose_states(request.user)
    form = PurposeForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        changed = services.purpose_consents_set(
            actor=request.user, user=request.user, choices=form.choices(), language=_language()
        )
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("consents:email_preferences")
    return render(request, "consents/email_preferences.html", {"form": form})


# --- Employer ------------------------------------------------------------------------


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_agreement(request):
    version = services.current_policy(PolicyKind.DATA_USE)
    accepted = selectors.employer_agreement(member_employer(request.user), version)
    may_accept = is_employer_admin(request.user) and version is not None and accepted is None
    form = PolicyAcceptForm(request.POST or None) if may_accept else None
    if request.method == "POST":
        if form is None or version is None:  # no form without a version to accept
            raise Http404
        if form.is_valid():
            services.employer_agreement_accept(actor=request.user, version=version, language=_language())
            messages.success(
                request, _("Thank you. Your company can now see the candidates who share their profile with it.")
            )
            return redirect("consents:employer_candidates")
    text = version.text_for(_language()) if version else None
    return render(
        request,
        "consents/employer_agreement.html",
        {
            "version": version,
            "text": text,
            "body_html": render_markdown(text.body) if text else "",
            "accepted": accepted,
            "form": form,
        },
    )


@employer_member_required
def employer_candidates(request):
    employer = member_employer(request.user)
    if not access.employer_has_current_agreement(employer):
        return render(request, "consents/employer_needs_agreement.html", status=403)
    profiles = access.candidates_visible_to(request.user).select_related("user", "status").order_by("pk")
    page = Paginator(profiles, 25).get_page(request.GET.get("page"))
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[p.user_id for p in page],
        grant_ids={p.user_id: p.grant_id for p in page},
        channel=Channel.WEB,
        employer=employer,
    )
    return render(request, "consents/employer_candidates.html", {"page": page})


@employer_member_required
def employer_candidate(request, profile_id: int):
    view = access.candidate_view_for(request.user, profile_id, channel=Channel.WEB)
    if view is None:
        raise Http404
    photo_url = reverse("consents:employer_candidate_photo", args=[profile_id, "thumb"]) if view.show_photo else None
    return render(request, "consents/employer_candidate.html", {"view": view, "photo_url": photo_url})


@employer_member_required
def employer_candidate_photo(request, profile_id: int, size: str):
    profile = access.employer_photo_of(request.user, profile_id)
    if profile is None:
        raise Http404
    return photo_response(profile, size)


# --- Staff ---------------------------------------------------------------------------


@staff_required(*STAFF_ALL)
def staff_candidates(request):
    """Find a candidate by account id or email: only identifiers are listed;
    opening a profile asks for a reason."""
    query = (request.GET.get("q") or "").strip()[:200]
    profiles = access.staff_candidate_search(request.user, query)[:20]
    return render(request, "consents/staff_candidates.html", {"profiles": profiles, "query": query})


@staff_required(*STAFF_ALL)
@require_http_methods(["GET", "POST"])
def staff_candidate(request, profile_id: int):
    if not access.candidate_exists(profile_id):
        raise Http404
    form = StaffReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        view = access.staff_candidate_view(request.user, profile_id, reason=form.cleaned_data["reason"])
        if view is None:  # the profile went away since it was checked
            raise Http404
        return render(
            request,
            "consents/staff_candidate.html",
            {"view": view, "photo_url": view.photo_url, "reason": form.cleaned_data["reason"]},
        )
    return render(request, "consents/staff_reason.html", {"form": form, "profile_id": profile_id})


@staff_required(*STAFF_ALL)
@require_safe
def staff_candidate_photo(request, profile_id: int, size: str):
    """The photo, only through the link of a staff page that recorded its
    look (access.staff_photo_url): the photo's look is recorded too."""
    if size not in PHOTO_SIZES:
        raise Http404
    profile = access.staff_photo_look(request.user, profile_id, request.GET.get("look", ""))
    if profile is None:
        raise Http404
    return photo_response(profile, size)


MODERATORS = (StaffGroup.COORDINATOR, StaffGroup.SUPPORT)


@staff_required(*MODERATORS)
@require_http_methods(["GET", "POST"])
def staff_moderation_case(request, pk: int):
    """A reported self-introduction or photo: the case is the reason for
    the look, which is recorded (the candidate sees it)."""
    case = profile_selectors.moderation_case(pk)
    if case is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and case.state == ModerationCase.State.OPEN and form.is_valid():
        profile_services.moderation_decide(
            actor=request.user,
            case=case,
            hide=form.cleaned_data["decision"] == "hide",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Decision recorded."))
        return redirect("profiles:moderation_queue")
    shows_photo = case.target == ModerationCase.Target.PHOTO
    view = access.staff_candidate_view(
        request.user,
        case.profile_id,
        reason=_("Moderation case #%(case)s") % {"case": case.pk},
        groups={FieldGroup.PHOTO} if shows_photo else set(),
        photo_size="full",
    )
    if view is None:  # the profile went away meanwhile
        raise Http404
    return render(
        request,
        "consents/staff_moderation_case.html",
        {"case": case, "profile": view.profile, "photo_url": view.photo_url, "form": form},
    )


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
@require_http_methods(["GET", "POST"])
def staff_status_verify(request, profile_id: int):
    """Check the facts of the residence card against the profile: the
    verification is the reason for the look, which is recorded."""
    form = VerificationForm(request.POST or None)
    view = access.staff_candidate_view(
        request.user, profile_id, reason=_("Verifying the status of residence"), groups=set()
    )
    if view is None:
        raise Http404
    if request.method == "POST" and form.is_valid():
        profile_services.status_verification_record(
            actor=request.user, profile=view.profile, method=form.cleaned_data["method"]
        )
        messages.success(request, _("Verification recorded."))
        return redirect("consents:staff_status_verify", profile_id=profile_id)
    return render(request, "consents/staff_status_verify.html", {"profile": view.profile, "form": form})


# --- Staff: anonymised statistics (seed 004 Art. 1(6)) -----------------------------


@staff_required(*STAFF_ALL)
@require_safe
def staff_statistics(request: HttpRequest) -> HttpResponse:
    """Only people who opted in to statistics; counts below 5 hidden."""
    breakdowns = statistics.statistics()
    charts = [
        (
            breakdown,
            Chart(
                title=breakdown.title,
                summary=_("%(total)s people who agreed to statistics; counts below 5 are shown as <5.")
                % {"total": breakdown.total.shown},
                bars=[Bar(cell.label, cell.count or 0, shown="" if cell.count is not None else cell.shown)
                      for cell in breakdown.cells],
                value_heading=_("People"),
            ),
        )
        for breakdown in breakdowns
    ]
    return render(request, "consents/staff_statistics.html", {"charts": charts, "minimum": statistics.MIN_COUNT})


@staff_required(*STAFF_ALL)
@require_safe
def staff_statistics_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tsunagu-statistics-{timezone.localdate():%Y-%m-%d}.csv"'
    # A byte-order mark, so that spreadsheet programs read Japanese labels right.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in statistics.csv_rows(statistics.statistics()):
        # Never a formula: a cell starting with = + - @ is read as text.
        writer.writerow([f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return response
