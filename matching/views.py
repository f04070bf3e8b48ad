from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup
from accounts.permissions import candidate_required, employer_member_required, login_required, staff_required
from consents import access
from consents.models import Channel
from consents.views import share_consent_screen
from matching import engine, services
from matching.forms import BoardSearchForm, MoveForm, NoteForm, OpeningForm, ProposeForm, UnpublishForm
from matching.models import EMPLOYER_TRANSITIONS, Application, ApplicationState, Message, Opening, Proposal
from profiles.models import CandidateProfile

PAGE_SIZE = 20


# --- Public job board -----------------------------------------------------------


@require_safe
def board(request):
    form = BoardSearchForm(request.GET or None)
    openings = engine.open_openings().select_related(
        "employer", "category", "prefecture", "employment_type", "required_level"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            for word in data["q"].split()[:5]:
                openings = openings.filter(
                    Q(title__icontains=word) | Q(description__icontains=word) | Q(employer__legal_name__icontains=word)
                )
        if data["prefecture"]:
            openings = openings.filter(prefecture=data["prefecture"])
        if data["category"]:
            openings = openings.filter(category=data["category"])
        if data["level"] is not None:
            openings = openings.filter(required_scale__lte=data["level"])
        if data["employment_type"]:
            openings = openings.filter(employment_type=data["employment_type"])
        if data["sponsorship"]:
            openings = openings.filter(sponsorship_offered=True)
    # A candidate sees every opening; one their status may not fit says why
    # (the engine advises, it never hides an opening).
    profile = _candidate_profile(request)
    if profile is not None:
        openings = engine.with_fit(openings, profile)
    page = Paginator(openings.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    if profile is not None:
        page.object_list = list(page.object_list)
        for opening in page.object_list:
            opening.fit_gaps = engine.board_fit(profile, opening)
    return render(
        request,
        "matching/board.html",
        {"form": form, "page": page},
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


def _candidate_profile(request) -> CandidateProfile | None:
    user = request.user
    if not (user.is_authenticated and user.is_candidate):
        return None
    return CandidateProfile.objects.filter(user=user).select_related("status").first()


@require_safe
def opening_detail(request, pk: int):
    opening = get_object_or_404(
        engine.open_openings().select_related(
            "employer", "category", "prefecture", "employment_type", "required_level"
        ),
        pk=pk,
    )
    context = {
        "opening": opening,
        "statuses": opening.accepted_statuses.all(),
        "qualifications": opening.required_qualifications.all(),
    }
    user = request.user
    if user.is_authenticated and user.is_candidate:
        profile = CandidateProfile.objects.filter(user=user).select_related("status").first()
        if profile is not None:
            context["match"] = engine.explain(profile, opening)
        context["application"] = Application.objects.filter(opening=opening, candidate=user).first()
    return render(request, "matching/opening_detail.html", context)


# --- Candidates: apply, applications, proposals -------------------------------------


@candidate_required
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    opening = get_object_or_404(Opening.objects.select_related("employer"), pk=pk)
    return _apply_through_consent(
        request,
        opening,
        origin="application",
        extra_context={"opening": opening},
        on_consent=lambda groups, notice: services.application_submit(
            candidate=request.user, opening=opening, groups=groups, notice=notice
        ),
        success=_("Your application was sent to %(employer)s.") % {"employer": opening.employer.legal_name},
    )


def _apply_through_consent(request, opening: Opening, *, origin: str, extra_context: dict, on_consent, success: str):
    """Applying and accepting a proposal: what stops it is shown first, then
    the same consent screen; a double submit lands on the one application."""
    blocker = services.application_blockers(candidate=request.user, opening=opening)
    if isinstance(blocker, services.AlreadyApplied):
        flash.info(request, _("You have already applied to this opening. Here is your application."))
        return redirect("matching:my_application", pk=blocker.application.pk)
    if isinstance(blocker, services.OpeningNotAccepting):
        raise Http404
    if isinstance(blocker, services.ProfileIncomplete):
        return render(
            request, "matching/apply_incomplete.html", {"opening": opening, "missing": blocker.missing}, status=409
        )
    try:
        result = share_consent_screen(
            request,
            employer=opening.employer,
            origin=origin,
            extra_context=extra_context,
            template="matching/apply_consent.html",
            on_consent=on_consent,
        )
    except services.AlreadyApplied as exc:
        # A double submit: the first one made the application.
        flash.info(request, _("You have already applied to this opening. Here is your application."))
        return redirect("matching:my_application", pk=exc.application.pk)
    if isinstance(result, Application):
        flash.success(request, success)
        return redirect("matching:my_application", pk=result.pk)
    return result


@candidate_required
def my_applications(request):
    applications = (
        Application.objects.filter(candidate=request.user).select_related("opening__employer").order_by("-created_at")
    )
    return render(request, "matching/my_applications.html", {"applications": applications})


@candidate_required
def my_application(request, pk: int):
    application = get_object_or_404(
        Application.objects.select_related("opening__employer", "grant").prefetch_related("events"),
        pk=pk,
        candidate=request.user,
    )
    return render(
        request,
        "matching/my_application.html",
        {
            "application": application,
            "closed": application.state
            in (ApplicationState.HIRED, ApplicationState.NOT_SELECTED, ApplicationState.WITHDRAWN),
        },
    )


@candidate_required
@require_POST
def my_application_withdraw(request, pk: int):
    application = get_object_or_404(Application, pk=pk, candidate=request.user)
    services.application_withdraw(candidate=request.user, application=application)
    flash.success(request, _("You withdrew your application. The employer was told."))
    return redirect("matching:my_application", pk=pk)


@candidate_required
def my_proposals(request):
    proposals = (
        Proposal.objects.filter(candidate=request.user).select_related("opening__employer").order_by("-created_at")
    )
    return render(request, "matching/my_proposals.html", {"proposals": proposals})


@candidate_required
@require_http_methods(["GET", "POST"])
def my_proposal(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("opening__employer"), pk=pk, candidate=request.user)
    if proposal.state != Proposal.State.PENDING:
        return render(request, "matching/proposal_done.html", {"proposal": proposal})
    if request.method == "POST" and request.POST.get("decision") == "decline":
        services.proposal_decline(candidate=request.user, proposal=proposal)
        flash.success(request, _("You declined. The employer never saw your profile."))
        return redirect("matching:my_proposals")
    opening = proposal.opening
    profile = _candidate_profile(request)
    # What the rules say about it, always; why staff proposed it anyway, when they did.
    match = engine.explain(profile, opening) if profile is not None else None
    return _apply_through_consent(
        request,
        opening,
        origin="proposal",
        extra_context={"opening": opening, "proposal": proposal, "match": match},
        on_consent=lambda groups, notice: services.proposal_accept(
            candidate=request.user, proposal=proposal, groups=groups, notice=notice
        ),
        success=_("You accepted. %(employer)s can now see your profile.") % {"employer": opening.employer.legal_name},
    )


@candidate_required
def recommendations(request):
    profile = CandidateProfile.objects.filter(user=request.user).select_related("status").first()
    rows = []
    if profile is not None:
        for row in engine.rank_openings(profile)[:20]:
            rows.append((row, engine.explain(profile, row, row=row)))
    return render(request, "matching/recommendations.html", {"rows": rows, "profile": profile})


@login_required
def my_messages(request):
    page = Paginator(Message.objects.filter(recipient=request.user).order_by("-created_at"), 30).get_page(
        request.GET.get("page")
    )
    Message.objects.filter(recipient=request.user, read_at__isnull=True, pk__in=[m.pk for m in page]).update(
        read_at=timezone.now()
    )
    return render(request, "matching/messages.html", {"page": page})


# --- Employers: openings and applications ----------------------------------------------


def _own_opening(request, pk: int) -> Opening:
    return get_object_or_404(Opening, pk=pk, employer=request.user.employer_membership.employer)


@employer_member_required
def employer_openings(request):
    employer = request.user.employer_membership.employer
    openings = (
        Opening.objects.filter(employer=employer)
        .annotate(
            application_count=Count("applications"),
            active_count=Count(
                "applications", filter=~Q(applications__state__in=["hired", "not_selected", "withdrawn"])
            ),
        )
        .select_related("category", "prefecture")
        .order_by("-updated_at")
    )
    page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/employer_openings.html", {"page": page})


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_opening_edit(request, pk: int | None = None):
    opening = _own_opening(request, pk) if pk else Opening()
    form = OpeningForm(request.POST or None, instance=opening)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.opening_save(
                actor=request.user,
                opening=form.save(commit=False),
                statuses=list(form.cleaned_data["accepted_statuses"]),
                qualifications=list(form.cleaned_data["required_qualifications"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            flash.success(request, _("Saved."))
            return redirect("matching:employer_opening", pk=opening.pk)
    return render(
        request,
        "matching/employer_opening_form.html",
        {"form": form, "opening": opening if pk else None},
        status=400 if form.is_bound and form.errors else 200,
    )


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_opening(request, pk: int):
    opening = _own_opening(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.opening_publish(actor=request.user, opening=opening)
                flash.success(request, _("Published on the job board."))
            elif action == "close":
                services.opening_close(actor=request.user, opening=opening)
                flash.success(request, _("Closed."))
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        return redirect("matching:employer_opening", pk=pk)
    employer = opening.employer
    visible = access.visible_candidate_user_ids(employer).filter(candidate_id=OuterRef("candidate_id"))
    applications = (
        opening.applications.annotate(visible=Exists(visible))
        .select_related("candidate__candidate_profile")
        .order_by("state", "-created_at")
    )
    state = request.GET.get("state")
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[a.candidate_id for a in page if a.visible],
        channel=Channel.WEB,
        employer=employer,
    )
    counts = dict(opening.applications.values_list("state").annotate(n=Count("pk")))
    return render(
        request,
        "matching/employer_opening.html",
        {
            "opening": opening,
            "page": page,
            "states": [(s, ApplicationState(s).label, counts.get(s, 0)) for s in ApplicationState.values],
            "current_state": state,
        },
    )


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_application(request, pk: int):
    employer = request.user.employer_membership.employer
    application = get_object_or_404(
        Application.objects.select_related("opening", "candidate"), pk=pk, opening__employer=employer
    )
    profile = (
        CandidateProfile.objects.filter(user_id=application.candidate_id).first() if application.candidate_id else None
    )
    allowed = sorted(EMPLOYER_TRANSITIONS.get(application.state, set()))
    move_form = MoveForm(allowed=allowed)
    note_form = NoteForm()
    if request.method == "POST":
        to_state = request.POST.get("to_state", "")
        if request.POST.get("action") == "move" and to_state in ApplicationState.values:
            # The service decides which moves are allowed: a page left open
            # while a colleague moved the application gets its reason.
            try:
                services.application_move(actor=request.user, application=application, to_state=to_state)
            except ValidationError as exc:
                flash.error(request, " ".join(exc.messages))
            else:
                flash.success(request, _("Moved. The candidate is told."))
            return redirect("matching:employer_application", pk=pk)
        if request.POST.get("action") == "move":
            move_form = MoveForm(request.POST, allowed=allowed)
        elif request.POST.get("action") == "note":
            note_form = NoteForm(request.POST)
            if note_form.is_valid():
                try:
                    services.application_note_add(
                        actor=request.user,
                        application=application,
                        body=note_form.cleaned_data["body"],
                        visible=profile is not None and access.grant_for(request.user, profile) is not None,
                    )
                except PermissionDenied:
                    flash.error(request, _("The candidate no longer shares their profile with you: no new notes."))
                return redirect("matching:employer_application", pk=pk)
    # The candidate's data only through the access decision, recorded only
    # when the page shows it (a POST that redirects shows nothing).
    view = access.candidate_view_for(request.user, profile.pk) if profile else None
    photo_url = (
        reverse("consents:employer_candidate_photo", args=[profile.pk, "thumb"]) if view and view.show_photo else None
    )
    return render(
        request,
        "matching/employer_application.html",
        {
            "application": application,
            "view": view,
            "photo_url": photo_url,
            "move_form": move_form,
            "note_form": note_form,
            "notes": application.notes.select_related("author") if view else [],
            "events": application.events.all(),
        },
        status=200 if move_form.is_valid() or not move_form.is_bound else 400,
    )


# --- Staff: openings, ranking, proposals -------------------------------------------------


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
def staff_openings(request):
    query = (request.GET.get("q") or "").strip()[:100]
    openings = Opening.objects.select_related("employer", "category", "prefecture").order_by("-updated_at")
    if query:
        openings = openings.filter(Q(title__icontains=query) | Q(employer__legal_name__icontains=query))
    page = Paginator(openings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/staff_openings.html", {"page": page, "query": query})


@staff_required(StaffGroup.COORDINATOR)
@require_http_methods(["GET", "POST"])
def staff_opening(request, pk: int):
    opening = get_object_or_404(
        Opening.objects.select_related("employer", "category", "prefecture", "employment_type", "required_level"), pk=pk
    )
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate_profile = get_object_or_404(
            CandidateProfile.objects.select_related("user"), pk=form.cleaned_data["candidate"]
        )
        try:
            services.proposal_create(
                actor=request.user,
                opening=opening,
                candidate=candidate_profile.user,
                message=form.cleaned_data["message"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        else:
            flash.success(request, _("Proposed. The candidate decides; the employer sees nothing until then."))
        return redirect("matching:staff_opening", pk=pk)
    proposed = set(Proposal.objects.filter(opening=opening).values_list("candidate_id", flat=True)) | set(
        Application.objects.filter(opening=opening).values_list("candidate_id", flat=True)
    )
    rows = [(row, engine.explain_candidate_row(row, opening)) for row in engine.rank_candidates(opening)[:50]]
    # Candidates the rules mark ineligible, on request: staff may propose one
    # only with a reason (GDPR Art. 22: a person decides, the engine advises).
    ineligible = None
    if request.GET.get("show") == "ineligible":
        ranked = engine.rank_candidates(opening, ineligible_only=True)[:50]
        ineligible = [(row, engine.explain_candidate_row(row, opening)) for row in ranked]
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[row.user_id for row, _match in [*rows, *(ineligible or [])]],
        channel=Channel.WEB,
        reason=_("Ranking candidates for opening #%(opening)s") % {"opening": opening.pk},
    )
    return render(
        request,
        "matching/staff_opening.html",
        {
            "opening": opening,
            "rows": rows,
            "ineligible": ineligible,
            "proposed": proposed,
            "unpublish_form": UnpublishForm(),
        },
    )


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
@require_POST
def staff_opening_unpublish(request, pk: int):
    opening = get_object_or_404(Opening, pk=pk)
    form = UnpublishForm(request.POST)
    if form.is_valid():
        services.opening_unpublish(actor=request.user, opening=opening, reason=form.cleaned_data["reason"])
        flash.success(request, _("Unpublished. The employer was told why."))
    else:
        flash.error(request, _("Give the reason: the employer will see it."))
    return redirect("matching:staff_openings")
