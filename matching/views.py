from typing import cast

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
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
from config.paths import IdPath
from consents import access
from consents import selectors as consent_selectors
from consents import services as consent_services
from consents.forms import ShareConsentForm
from consents.models import Channel
from matching import engine, recommended, search, selectors, services
from matching.forms import (
    BoardSearchForm,
    CompanyPageForm,
    InterviewForm,
    MessageForm,
    MessageReportForm,
    MessageTemplateForm,
    MoveForm,
    NoteForm,
    OpeningForm,
    OtherTimesForm,
    ProposeForm,
    RejectForm,
    UnpublishForm,
    WebhookEndpointForm,
    WebhookEventsForm,
)
from matching.models import (
    CLOSED_STATES,
    EMPLOYER_TRANSITIONS,
    ApplicationState,
    MessageTemplate,
    Opening,
    Proposal,
)
from matching.page_cache import public_page
from profiles import selectors as profile_selectors
from profiles.photos import PhotoRejected

PAGE_SIZE = 20


def _language() -> str:
    return (get_language() or "en")[:8]


# --- Public job board -----------------------------------------------------------


def _old_page_number(value: str) -> int | None:
    """N of an old `?page=N` link, when it asks for a page after the first."""
    if not value.isdigit() or len(value) > 6:
        return None
    number = int(value)
    return number if number >= 2 else None


@require_safe
@public_page
def board(request):
    # A candidate sees every opening; one their status may not fit says why
    # (the engine advises, it never hides an opening unless they ask for
    # "jobs I may legally take").
    profile = selectors.candidate_profile(request.user)
    form = BoardSearchForm(request.GET or None, candidate=profile is not None)
    valid = form.is_valid()
    cursor = request.GET.get("cursor", "")
    old_page = _old_page_number(request.GET.get("page", ""))
    if old_page and not cursor and valid:
        # A link from before the cursor (?page=N): the same page of the search as it is now.
        cursor = selectors.board_page_cursor(form.cleaned_data, profile=profile, page=old_page, size=PAGE_SIZE)
        if not cursor:
            flash.info(
                request,
                _("That page link (page %(number)s) is out of date: here is the first page.") % {"number": old_page},
            )
    page = selectors.board_page(form.cleaned_data if valid else None, profile=profile, cursor=cursor, size=PAGE_SIZE)
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
    query.pop("page", None)
    return render(
        request,
        "matching/board.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "one_word_searches": _one_word_searches(form.cleaned_data.get("q", "") if valid else "", page, query),
            "filters_open": valid
            and any(form.cleaned_data.get(name) not in (None, "", False) for name in BoardSearchForm.FILTERS),
        },
        status=200 if valid or not form.is_bound else 400,
    )


def _one_word_searches(keywords: str, page, query) -> list[tuple[str, str]]:
    """Nothing has every word typed ("osaka restaurant"): a search for each
    word alone, as the person wrote it, with the same filters."""
    words = list(dict.fromkeys(keywords.split()))[: search.MAX_WORDS]
    if page.openings or len(words) < 2:
        return []
    searches = []
    for word in words:
        alone = query.copy()
        alone["q"] = word
        searches.append((word, alone.urlencode()))
    return searches


@require_safe
@public_page
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


# --- Company pages ---------------------------------------------------------------------


@require_safe
@public_page
def company(request, pk: int):
    found = selectors.company_public(pk)
    if found is None:
        raise Http404
    return render(request, "matching/company.html", {"company": found})


@require_safe
def company_logo(request, pk: int):
    """A company's logo: public, re-encoded by the photo pipeline."""
    page = selectors.company_logo(pk)
    if page is None:
        raise Http404
    try:
        file = page.logo.storage.open(page.logo.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type="image/jpeg", filename="logo.jpg")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_company_page(request):
    page = selectors.own_company_page(member_employer(request.user))
    form = CompanyPageForm(request.POST or None, request.FILES or None, instance=page)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.company_page_save(
                actor=request.user, description=data["description"], prefecture=data["prefecture"]
            )
            if data["logo"] is not None:
                services.company_logo_store(actor=request.user, data=data["logo"])
            elif data["remove_logo"]:
                services.company_logo_delete(actor=request.user)
        except PhotoRejected as rejected:
            form.add_error("logo", rejected.message)
        else:
            flash.success(request, _("Your company page was saved."))
            return redirect("matching:employer_company_page")
    return render(
        request,
        "matching/employer_company_page.html",
        {"form": form, "page": page},
        status=400 if form.is_bound else 200,
    )


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
    return render(
        request,
        "matching/my_applications.html",
        {"applications": selectors.applications_of(request.user), "state_labels": selectors.state_labels()},
    )


@candidate_required
def my_application(request, pk: int):
    application = selectors.own_application(request.user, pk)
    if application is None:
        raise Http404
    messages = list(selectors.conversation(application))
    services.conversation_mark_read(user=request.user, application=application)
    return render(
        request,
        "matching/my_application.html",
        {
            "application": application,
            "closed": application.state in CLOSED_STATES,
            "conversation": messages,
            "conversation_open": access.shares_with(request.user.pk, application.opening.employer),
            "message_form": MessageForm(),
            "interview": selectors.current_interview(application),
            "other_times_form": OtherTimesForm(),
        },
    )


def _send_message(request, application, page: str):
    """Both sides write the same way: the form, the service, back to the page."""
    form = MessageForm(request.POST)
    if not form.is_valid():
        flash.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(page)
    try:
        services.application_message_send(author=request.user, application=application, body=form.cleaned_data["body"])
    except services.ConversationClosed:
        flash.error(request, _("This conversation is closed: the candidate no longer shares their profile."))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Message sent."))
    return redirect(page + "#conversation")


def _message_form(request, application) -> MessageForm:
    """The message box, filled with a template when one was picked
    (?template=<id>: works without JavaScript)."""
    raw = (request.GET.get("template") or "")[:12]
    template = selectors.message_template(employer_of(request.user), int(raw)) if raw.isdigit() else None
    if template is None:
        return MessageForm()
    language = application.candidate.language if application.candidate is not None else template.language
    return MessageForm(initial={"body": services.template_for(template, language).render(application.opening)})


def _employer_interview_post(request, application, form: InterviewForm) -> bool:
    """Propose (or re-propose) interview times, or cancel the interview.
    True when done (the page redirects); False to show the form's errors."""
    try:
        if request.POST.get("action") == "interview_cancel":
            interview = selectors.current_interview(application)
            if interview is not None:
                services.interview_cancel(
                    actor=request.user, interview=interview, reason=(request.POST.get("reason") or "")[:500]
                )
                flash.success(request, _("The interview is cancelled. The candidate is told."))
            return True
        if not form.is_valid():
            return False
        data = form.cleaned_data
        services.interview_propose(
            actor=request.user,
            application=application,
            slots=data["slots"],
            duration_minutes=data["duration_minutes"],
            place=data["place"],
            video_url=data["video_url"],
            interviewers=data["interviewers"],
            note=data["note"],
        )
    except services.ConversationClosed:
        flash.error(request, _("This conversation is closed: the candidate no longer shares their profile."))
        return True
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    flash.success(request, _("The times are sent. The candidate chooses one on Tsunagu."))
    return True


@candidate_required
@require_POST
def my_application_interview(request, pk: int):
    """The candidate picks a time, asks for other times, or cancels."""
    application = selectors.own_application(request.user, pk)
    interview = selectors.current_interview(application) if application is not None else None
    if interview is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "choose":
            raw = (request.POST.get("slot") or "")[:12]
            if not raw.isdigit():
                raise ValidationError(_("Choose one of the times offered."))
            services.interview_choose(candidate=request.user, interview=interview, slot_id=int(raw))
            flash.success(request, _("The interview is set. The invitation for your calendar is on its way by email."))
        elif action == "other_times":
            form = OtherTimesForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.interview_ask_other_times(candidate=request.user, interview=interview, note=note)
            flash.success(request, _("The employer is asked for other times."))
        elif action == "cancel":
            services.interview_cancel(
                actor=request.user, interview=interview, reason=(request.POST.get("reason") or "")[:500]
            )
            flash.success(request, _("The interview is cancelled. The employer is told."))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    return redirect(reverse("matching:my_application", args=[pk]) + "#interview")


@candidate_required
@require_safe
def my_application_interview_ics(request, pk: int):
    """The scheduled interview as a calendar file (the same event as the
    invitation mailed)."""
    application = selectors.own_application(request.user, pk)
    interview = selectors.current_interview(application) if application is not None else None
    if interview is None:
        raise Http404
    try:
        text = services.interview_calendar(candidate=request.user, interview=interview)
    except ValidationError as exc:  # no time chosen yet
        raise Http404 from exc
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    return response


@candidate_required
@require_POST
def my_application_message(request, pk: int):
    application = selectors.own_application(request.user, pk)
    if application is None:
        raise Http404
    return _send_message(request, application, reverse("matching:my_application", args=[pk]))


@employer_member_required
@require_POST
def employer_application_message(request, pk: int):
    application = selectors.employer_application(employer_of(request.user), pk)
    if application is None:
        raise Http404
    return _send_message(request, application, reverse("matching:employer_application", args=[pk]))


@login_required
@require_http_methods(["GET", "POST"])
def message_report(request, pk: int):
    """Either side reports a message of the conversation to staff."""
    message = selectors.own_message(request.user, pk)
    if message is None:
        raise Http404
    form = MessageReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_report_create(
                actor=request.user,
                message=message,
                category=form.cleaned_data["category"],
                details=form.cleaned_data["details"],
            )
        except services.ConversationClosed as exc:
            raise Http404 from exc
        flash.success(request, _("Thank you. Tsunagu staff will look at this message."))
        name = "matching:my_application" if request.user.is_candidate else "matching:employer_application"
        return redirect(reverse(name, args=[message.application_id]) + "#conversation")
    return render(
        request,
        "matching/message_report.html",
        {"message": message, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_required(StaffGroup.COORDINATOR, StaffGroup.SUPPORT)
@require_http_methods(["GET", "POST"])
def staff_message_reports(request):
    """Reported messages: staff hide one (for both sides) or dismiss the report."""
    if request.method == "POST":
        raw = (request.POST.get("report") or "")[:12]
        report = selectors.message_report(int(raw)) if raw.isdigit() else None
        if report is None:
            raise Http404
        hide = request.POST.get("decision") == "hide"
        services.message_report_decide(actor=request.user, report=report, hide=hide)
        flash.success(request, _("Hidden for both sides.") if hide else _("Report dismissed."))
        return redirect("matching:staff_message_reports")
    page = Paginator(selectors.open_message_reports(), PAGE_SIZE).get_page(request.GET.get("page"))
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[r.message.application.candidate_id for r in page if r.message.application.candidate_id],
        channel=Channel.WEB,
        reason=_("Moderating reported messages"),
    )
    return render(request, "matching/staff_message_reports.html", {"page": page})


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
    rows = recommended.recommended_for(request.user, profile, limit=20) if profile is not None else []
    return render(
        request,
        "matching/recommendations.html",
        {"rows": rows, "profile": profile, "may_be_matched": rows or recommended.may_be_matched(request.user)},
    )


@login_required
def my_messages(request):
    page = Paginator(selectors.messages_of(request.user), 30).get_page(request.GET.get("page"))
    services.messages_mark_read(recipient=request.user, messages=page.object_list)
    conversations = selectors.conversations_of(request.user)[:50]
    return render(request, "matching/messages.html", {"page": page, "conversations": conversations})


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
            "state_labels": selectors.state_labels(),
            "current_state": state,
            "application_path": IdPath("matching:employer_application"),
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
    interview_form = InterviewForm()
    if request.method == "POST" and request.POST.get("action") in ("interview", "interview_cancel"):
        interview_form = InterviewForm(request.POST if request.POST.get("action") == "interview" else None)
        done = _employer_interview_post(request, application, interview_form)
        if done:
            return redirect(reverse("matching:employer_application", args=[pk]) + "#interview")
    elif request.method == "POST":
        to_state = request.POST.get("to_state", "")
        if request.POST.get("action") == "move" and to_state in ApplicationState.values:
            # The service decides which moves are allowed: a page left open
            # while a colleague moved the application gets its reason.
            reject = RejectForm(request.POST)
            reason = reject.cleaned_data if reject.is_valid() else {}
            try:
                services.application_move(
                    actor=request.user,
                    application=application,
                    to_state=to_state,
                    refusal_reason=reason.get("refusal_reason", "") if to_state == "not_selected" else "",
                    tell_reason=reason.get("tell_reason", False),
                )
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
    if view:
        services.conversation_mark_read(user=request.user, application=application)
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
            "conversation": list(selectors.conversation(application)) if view else [],
            "message_form": _message_form(request, application),
            "templates": selectors.message_templates(application.opening.employer) if view else [],
            "reject_form": RejectForm(),
            "can_reject": ApplicationState.NOT_SELECTED in allowed,
            # Its times, place and the candidate's answer are part of the
            # application: shown only while the candidate is.
            "interview": selectors.current_interview(application) if view else None,
            "interview_form": interview_form,
        },
        status=400 if (move_form.is_bound and not move_form.is_valid()) or interview_form.errors else 200,
    )


# --- Employers: webhooks --------------------------------------------------------------------


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_webhooks(request):
    """The company's webhook receivers: add one (its signing secret is shown
    on this answer only), stop, start again, rotate the secret, change the
    events, remove; send a test event; the delivery log."""
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
    return _webhooks_page(request, form, issued)


def _webhooks_page(
    request, form: WebhookEndpointForm, issued: services.IssuedEndpoint | None, *, replaced: bool = False
):
    employer = member_employer(request.user)
    return render(
        request,
        "matching/employer_webhooks.html",
        {
            "form": form,
            "issued": issued,
            "replaced": replaced,
            "endpoints": selectors.webhook_endpoints_of(employer),
            "deliveries": selectors.webhook_deliveries_of(employer),
            "changes": selectors.webhook_changes_of(employer),
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


@employer_admin_required
@require_POST
def employer_webhook_start(request, pk: int):
    """Start a stopped receiver again (its admin stopped it, or it failed
    too often): its failures are forgotten, its address checked again."""
    try:
        services.webhook_endpoint_update(actor=request.user, endpoint=_own_endpoint(request, pk), active=True)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Started again: new events are sent to this address."))
    return redirect("matching:employer_webhooks")


@employer_admin_required
@require_POST
def employer_webhook_rotate(request, pk: int):
    """A new signing secret, shown on this answer only (as when a receiver
    is added); the previous one signs too for a while (the service says)."""
    issued = services.webhook_endpoint_rotate_secret(actor=request.user, endpoint=_own_endpoint(request, pk))
    return _webhooks_page(request, WebhookEndpointForm(), issued)


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_webhook_replace_secret(request, pk: int):
    """A leaked secret: a new one, and the old one stops signing at once
    (no overlap). This page asks first; its POST answers with the new
    secret, shown this once."""
    endpoint = _own_endpoint(request, pk)
    if request.method == "POST":
        issued = services.webhook_endpoint_rotate_secret(actor=request.user, endpoint=endpoint, stop_previous=True)
        return _webhooks_page(request, WebhookEndpointForm(), issued, replaced=True)
    return render(request, "matching/employer_webhook_replace_secret.html", {"endpoint": endpoint})


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_webhook(request, pk: int):
    """A receiver's events."""
    endpoint = _own_endpoint(request, pk)
    # Not `request.POST or None`: with every box unticked the POST is empty, and must be refused.
    form = WebhookEventsForm(request.POST if request.method == "POST" else None, initial={"events": endpoint.events})
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_update(actor=request.user, endpoint=endpoint, events=form.cleaned_data["events"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            flash.success(request, _("Saved: this receiver gets the events you chose."))
            return redirect("matching:employer_webhooks")
    return render(
        request,
        "matching/employer_webhook.html",
        {"endpoint": endpoint, "form": form},
        status=400 if form.is_bound else 200,
    )


@employer_admin_required
@require_http_methods(["GET", "POST"])
def employer_webhook_delete(request, pk: int):
    """Remove a receiver with its delivery log: this page asks first, its
    POST removes."""
    endpoint = _own_endpoint(request, pk)
    if request.method == "POST":
        services.webhook_endpoint_delete(actor=request.user, endpoint=endpoint)
        flash.success(request, _("Removed, with its delivery log: nothing more is sent to this address."))
        return redirect("matching:employer_webhooks")
    return render(request, "matching/employer_webhook_delete.html", {"endpoint": endpoint})


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
    rows = [(row, engine.explain_candidate_row(row, opening)) for row in engine.top_candidates(opening)]
    # Candidates the rules mark ineligible, on request: staff may propose one
    # only with a reason (GDPR Art. 22: a person decides, the engine advises).
    ineligible = None
    if request.GET.get("show") == "ineligible":
        ranked = engine.top_candidates(opening, ineligible_only=True)
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


# --- Employers: the pipeline board and message templates ----------------------------------------


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_opening_board(request, pk: int):
    """The opening's applications in columns by state. Each card has a
    button per allowed move (a form: works without JavaScript, and by
    keyboard); with JavaScript cards can also be dragged to a column. The
    bulk form moves, rejects with a reason or writes with a template."""
    opening = _own_opening(request, pk)
    employer = member_employer(request.user)
    if request.method == "POST":
        ids = [int(raw) for raw in request.POST.getlist("application")[:500] if raw.isdigit()]
        action = request.POST.get("action", "")
        raw_template = (request.POST.get("template") or "")[:12]
        reject = RejectForm(request.POST)
        reason = reject.cleaned_data if reject.is_valid() else {}
        result = services.applications_bulk(
            actor=request.user,
            applications=selectors.board_applications(employer, opening, ids),
            action=action,
            to_state=request.POST.get("to_state", ""),
            refusal_reason=reason.get("refusal_reason", ""),
            tell_reason=reason.get("tell_reason", False),
            template=selectors.message_template(employer, int(raw_template)) if raw_template.isdigit() else None,
        )
        if result.done:
            flash.success(
                request,
                _("Done for %(n)s application(s). The candidates are told.") % {"n": len(result.done)},
            )
        for application, error in result.failed:
            flash.error(request, _("Application #%(pk)s: %(error)s") % {"pk": application.pk, "error": error})
        if not ids:
            flash.error(request, _("Choose at least one application."))
        return redirect("matching:employer_opening_board", pk=pk)
    columns = selectors.board(opening)
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[a.candidate_id for _s, _l, apps in columns for a in apps if a.visible and a.candidate_id],
        channel=Channel.WEB,
        employer=opening.employer,
    )
    return render(
        request,
        "matching/employer_board.html",
        {
            "opening": opening,
            "columns": columns,
            "transitions": {state: sorted(targets) for state, targets in EMPLOYER_TRANSITIONS.items()},
            "state_labels": dict(ApplicationState.choices),
            "templates": selectors.message_templates(employer),
            "reject_form": RejectForm(),
            "move_states": [(s, ApplicationState(s).label) for s in ApplicationState.values if s != "withdrawn"],
        },
    )


def _message_template_saved(request, form: MessageTemplateForm) -> bool:
    """Save a posted, valid template through the service; False (the form
    carrying the service's refusal) when there is nothing to redirect to."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        services.message_template_save(actor=request.user, template=form.instance)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    flash.success(request, _("Saved."))
    return True


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_message_templates(request):
    employer = member_employer(request.user)
    form = MessageTemplateForm(request.POST or None, instance=MessageTemplate(employer=employer))
    if _message_template_saved(request, form):
        return redirect("matching:employer_message_templates")
    return render(
        request,
        "matching/employer_message_templates.html",
        {"form": form, "templates": selectors.message_templates(employer)},
        status=400 if form.is_bound else 200,
    )


@employer_member_required
@require_http_methods(["GET", "POST"])
def employer_message_template(request, pk: int):
    template = selectors.message_template(employer_of(request.user), pk)
    if template is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.message_template_delete(actor=request.user, template=template)
        flash.success(request, _("Deleted."))
        return redirect("matching:employer_message_templates")
    form = MessageTemplateForm(request.POST or None, instance=template)
    if _message_template_saved(request, form):
        return redirect("matching:employer_message_templates")
    return render(
        request,
        "matching/employer_message_template.html",
        {"form": form, "template": template},
        status=400 if form.is_bound else 200,
    )
