from typing import cast

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup
from accounts.permissions import (
    candidate_required,
    employer_admin_required,
    employer_member_required,
    login_required,
    member_employer,
    staff_required,
)
from accounts.selectors import employer_of
from consents import access
from consents import selectors as consent_selectors
from consents import services as consent_services
from consents.forms import ShareConsentForm
from consents.models import Channel
from matching import engine, search, selectors, services
from matching.forms import (
    BoardSearchForm,
    MoveForm,
    NoteForm,
    OpeningForm,
    ProposeForm,
    UnpublishForm,
    WebhookEndpointForm,
)
from matching.models import CLOSED_STATES, EMPLOYER_TRANSITIONS, ApplicationState, Opening, Proposal
from profiles import selectors as profile_selectors

PAGE_SIZE = 20


def _language() -> str:
    return (get_language() or "en")[:8]


# --- Public job board -----------------------------------------------------------


@require_safe
def board(request):
    # A candidate sees every opening; one their status may not fit says why
    # (the engine advises, it never hides an opening unless they ask for
    # "jobs I may legally take").
    profile = selectors.candidate_profile(request.user)
    form = BoardSearchForm(request.GET or None, candidate=profile is not None)
    valid = form.is_valid()
    page = selectors.board_page(
        form.cleaned_data if valid else None, profile=profile, cursor=request.GET.get("cursor", "")
    )
    for opening in page.openings:
        # vars(): what the cards show is no field of Opening.
        vars(opening)["matched"] = search.reasons(opening, page.words)
        if profile is not None:
            # For a candidate board_search annotated the fit (engine.with_fit).
            vars(opening)["fit_gaps"] = engine.board_fit(profile, cast("engine.FitOpening", opening))
    if page.bad_cursor:
        flash.warning(request, _("That page link was altered or is out of date: here is the first page."))
    form.show_counts(page.facets)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "matching/board.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filters_open": valid
            and any(form.cleaned_data.get(name) not in (None, "", False) for name in BoardSearchForm.FILTERS),
        },
        status=200 if valid or not form.is_bound else 400,
    )


@require_safe
def opening_detail(request, pk: int):
    opening = selectors.public_opening(pk)
    if opening is None:
        raise Http404
    context = {
        "opening": opening,
        "statuses": opening.accepted_statuses.all(),
        "qualifications": opening.required_qualifications.all(),
    }
    profile = selectors.candidate_profile(request.user)
    if profile is not None:
        context["match"] = engine.explain(profile, opening)
        context["application"] = selectors.application_to(request.user, opening)
    return render(request, "matching/opening_detail.html", context)


# --- Candidates: apply, applications, proposals -------------------------------------


@candidate_required
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    opening = selectors.opening(pk)
    if opening is None:
        raise Http404
    return _apply_through_consent(
        request,
        opening,
        extra_context={"opening": opening},
        submit=lambda groups, notice: services.application_submit(
            candidate=request.user, opening=opening, groups=groups, notice=notice
        ),
        success=_("Your application was sent to %(employer)s.") % {"employer": opening.employer.legal_name},
    )


def _apply_through_consent(request, opening: Opening, *, extra_context: dict, submit, success: str):
    """Applying and accepting a proposal: what stops it is shown first, then
    the consent screen; the services give the grant and the application in
    one transaction (a double submit lands on the one application)."""
    blocked = services.application_check(candidate=request.user, opening=opening)
    form = ShareConsentForm(request.POST or None)
    if blocked is None and request.method == "POST" and form.is_valid():
        groups = form.groups()
        notice = consent_services.share_consent_notice(employer=opening.employer, groups=groups, language=_language())
        try:
            application = submit(groups, notice)
        except services.ApplicationBlocked as exc:
            blocked = exc
        else:
            flash.success(request, success)
            return redirect("matching:my_application", pk=application.pk)
    if blocked is not None:
        return _blocked(request, opening, blocked)
    screen = consent_selectors.share_consent_screen(
        candidate=request.user, employer=opening.employer, groups=form.groups_shown()
    )
    return render(
        request,
        "matching/apply_consent.html",
        {"form": form, **screen, **extra_context},
        status=400 if form.is_bound else 200,
    )


def _blocked(request, opening: Opening, blocked: services.ApplicationBlocked):
    """Tell the candidate what stops them, in words (or show the one
    application a double submit made)."""
    if isinstance(blocked, services.AlreadyApplied):
        flash.info(request, _("You have already applied to this opening. Here is your application."))
        return redirect("matching:my_application", pk=blocked.application.pk)
    if isinstance(blocked, services.OpeningNotAccepting):
        raise Http404
    return render(request, "matching/apply_blocked.html", {"opening": opening, "blocked": blocked}, status=409)


@candidate_required
def my_applications(request):
    return render(request, "matching/my_applications.html", {"applications": selectors.applications_of(request.user)})


@candidate_required
def my_application(request, pk: int):
    application = selectors.own_application(request.user, pk)
    if application is None:
        raise Http404
    return render(
        request,
        "matching/my_application.html",
        {"application": application, "closed": application.state in CLOSED_STATES},
    )


@candidate_required
@require_POST
def my_application_withdraw(request, pk: int):
    application = selectors.own_application(request.user, pk)
    if application is None:
        raise Http404
    services.application_withdraw(candidate=request.user, application=application)
    flash.success(request, _("You withdrew your application. The employer was told."))
    return redirect("matching:my_application", pk=pk)


@candidate_required
def my_proposals(request):
    return render(request, "matching/my_proposals.html", {"proposals": selectors.proposals_of(request.user)})


@candidate_required
@require_http_methods(["GET", "POST"])
def my_proposal(request, pk: int):
    proposal = selectors.own_proposal(request.user, pk)
    if proposal is None:
        raise Http404
    if proposal.state != Proposal.State.PENDING:
        return render(request, "matching/proposal_done.html", {"proposal": proposal})
    if request.method == "POST" and request.POST.get("decision") == "decline":
        services.proposal_decline(candidate=request.user, proposal=proposal)
        flash.success(request, _("You declined. The employer never saw your profile."))
        return redirect("matching:my_proposals")
    opening = proposal.opening
    profile = selectors.candidate_profile(request.user)
    # What the rules say about it, always; why staff proposed it anyway, when they did.
    match = engine.explain(profile, opening) if profile is not None else None
    return _apply_through_consent(
        request,
        opening,
        extra_context={"opening": opening, "proposal": proposal, "match": match},
        submit=lambda groups, notice: services.proposal_accept(
            candidate=request.user, proposal=proposal, groups=groups, notice=notice
        ),
        success=_("You accepted. %(employer)s can now see your profile.") % {"employer": opening.employer.legal_name},
    )


@candidate_required
def recommendations(request):
    profile = selectors.candidate_profile(request.user)
    rows = []
    if profile is not None:
        for row in engine.rank_openings(profile)[:20]:
            rows.append((row, engine.explain(profile, row, row=row)))
    return render(request, "matching/recommendations.html", {"rows": rows, "profile": profile})


@login_required
def my_messages(request):
    page = Paginator(selectors.messages_of(request.user), 30).get_page(request.GET.get("page"))
    services.messages_mark_read(recipient=request.user, messages=page.object_list)
    return render(request, "matching/messages.html", {"page": page})


# --- Employers: openings and applications ----------------------------------------------


def _own_opening(request, pk: int) -> Opening:
    opening = selectors.employer_opening(employer_of(request.user), pk)
    if opening is None:
        raise Http404
    return opening


@employer_member_required
def employer_openings(request):
    openings = selectors.employer_openings(member_employer(request.user))
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
                opening=form.instance,
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
    state = request.GET.get("state")
    page = Paginator(selectors.pipeline(opening, state=state), 50).get_page(request.GET.get("page"))
    access.record_list_access(
        viewer=request.user,
        # (a visible application has a candidate: visibility follows their grant)
        candidate_ids=[a.candidate_id for a in page if a.visible and a.candidate_id is not None],
        channel=Channel.WEB,
        employer=opening.employer,
    )
    counts = selectors.state_counts(opening)
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
    application = selectors.employer_application(employer_of(request.user), pk)
    if application is None:
        raise Http404
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
                        visible=access.may_see_candidate(request.user, application.candidate_id),
                    )
                except PermissionDenied:
                    flash.error(request, _("The candidate no longer shares their profile with you: no new notes."))
                return redirect("matching:employer_application", pk=pk)
    # The candidate's data only through the access decision, recorded only
    # when the page shows it (a POST that redirects shows nothing).
    view = access.candidate_view_of_user(request.user, application.candidate_id)
    photo_url = (
        reverse("consents:employer_candidate_photo", args=[view.profile.pk, "thumb"])
        if view and view.show_photo
        else None
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


# --- Employers: webhooks --------------------------------------------------------------------


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_webhooks(request):
    """The company's webhook receivers: add one (its signing secret is shown
    on this answer only), stop one, send a test event; the delivery log."""
    employer = member_employer(request.user)
    form = WebhookEndpointForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.webhook_endpoint_add(
                actor=request.user, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = WebhookEndpointForm()
    return render(
        request,
        "matching/employer_webhooks.html",
        {
            "form": form,
            "issued": issued,
            "endpoints": selectors.webhook_endpoints_of(employer),
            "deliveries": selectors.webhook_deliveries_of(employer),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _own_endpoint(request, pk: int):
    endpoint = selectors.webhook_endpoint_of(member_employer(request.user), pk)
    if endpoint is None:
        raise Http404
    return endpoint


@employer_admin_required
@require_POST
def employer_webhook_stop(request, pk: int):
    services.webhook_endpoint_disable(
        endpoint=_own_endpoint(request, pk), reason=_("Stopped by your admin"), actor=request.user
    )
    flash.success(request, _("Stopped: nothing more is sent to this address."))
    return redirect("matching:employer_webhooks")


@employer_admin_required
@require_POST
def employer_webhook_test(request, pk: int):
    try:
        services.webhook_test_send(actor=request.user, endpoint=_own_endpoint(request, pk))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Test event sent: see the delivery log below."))
    return redirect("matching:employer_webhooks")


# --- Staff: openings, ranking, proposals -------------------------------------------------


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
def staff_openings(request):
    query = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.staff_openings(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/staff_openings.html", {"page": page, "query": query})


@staff_required(StaffGroup.COORDINATOR)
@require_http_methods(["GET", "POST"])
def staff_opening(request, pk: int):
    opening = selectors.opening(pk)
    if opening is None:
        raise Http404
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate = profile_selectors.owner_of_profile(form.cleaned_data["candidate"])
        if candidate is None:
            raise Http404
        try:
            services.proposal_create(
                actor=request.user,
                opening=opening,
                candidate=candidate,
                message=form.cleaned_data["message"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        else:
            flash.success(request, _("Proposed. The candidate decides; the employer sees nothing until then."))
        return redirect("matching:staff_opening", pk=pk)
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
            "proposed": selectors.involved_candidates(opening),
            "unpublish_form": UnpublishForm(),
        },
    )


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
@require_POST
def staff_opening_unpublish(request, pk: int):
    opening = selectors.opening(pk)
    if opening is None:
        raise Http404
    form = UnpublishForm(request.POST)
    if form.is_valid():
        services.opening_unpublish(actor=request.user, opening=opening, reason=form.cleaned_data["reason"])
        flash.success(request, _("Unpublished. The employer was told why."))
    else:
        flash.error(request, _("Give the reason: the employer will see it."))
    return redirect("matching:staff_openings")
