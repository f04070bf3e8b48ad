"""Saved jobs, job alerts and their one-click unsubscribe, and the staff's
alert figures."""

from typing import cast

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup, User
from accounts.permissions import candidate_required, staff_required
from consents.models import EmailPurpose
from consents.unsubscribe import read_unsubscribe_link
from matching.saved import filters as saved_filters
from matching.saved import selectors, services
from matching.saved.forms import AlertForm, NewAlertForm

PAGE_SIZE = 20


def _language() -> str:
    return (get_language() or "en")[:8]


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- Saved jobs -------------------------------------------------------------------------


@candidate_required
@require_POST
def save_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Save or remove an opening: a plain form (redirect back) or, from the
    page's script, the same POST answered in JSON."""
    user = cast(User, request.user)
    remove = request.POST.get("action") == "remove"
    if remove:
        services.saved_job_remove(user=user, opening_id=pk)
        saved, message, status = False, _("Removed from your saved jobs."), 200
    else:
        opening = selectors.saveable_opening(pk)
        if opening is None:
            raise Http404
        try:
            services.saved_job_add(user=user, opening=opening)
        except ValidationError as exc:
            saved, message, status = False, " ".join(exc.messages), 409
        else:
            saved, message, status = True, _("Saved. Find it on My page under “Saved jobs”."), 200
    if _wants_json(request):
        return JsonResponse({"saved": saved, "message": message}, status=status)
    (flash.success if status == 200 else flash.error)(request, message)
    return redirect(_back(request, reverse("matching:opening", args=[pk])))


@candidate_required
@require_safe
def saved_jobs(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.saved_jobs_of(cast(User, request.user)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "saved/saved_jobs.html", {"page": page})


# --- Job alerts ---------------------------------------------------------------------------


@candidate_required
@require_safe
def alerts(request: HttpRequest) -> HttpResponse:
    found = list(selectors.alerts_of(cast(User, request.user)))
    rows = list(zip(found, saved_filters.describe_all([alert.filters for alert in found]), strict=True))
    return render(request, "saved/alerts.html", {"rows": rows})


@candidate_required
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    """Save the board's current search as an alert: the board's query comes
    along (GET from the board's "Save this search" form, then a hidden field)."""
    query: QueryDict
    if request.method == "POST":
        form = NewAlertForm(request.POST)
        query = QueryDict(request.POST.get("query", "")[:2000])
    else:
        query = request.GET.copy()
        form = NewAlertForm(initial={"query": query.urlencode()})
    filters = saved_filters.filters_from_query(query)
    if filters is None:
        flash.error(request, _("This search cannot be saved: check its filters on the job board."))
        return redirect("matching:board")
    if request.method == "POST" and form.is_valid():
        try:
            services.job_alert_create(
                user=cast(User, request.user),
                name=form.cleaned_data["name"],
                filters=filters,
                frequency=form.cleaned_data["frequency"],
            )
        except services.AlertExists:
            flash.info(request, _("You already have an alert for this search."))
            return redirect("saved:alerts")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            flash.success(
                request, _("Alert saved. You will get new openings by email while you agree to job opening emails.")
            )
            return redirect("saved:alerts")
    return render(
        request,
        "saved/alert_form.html",
        {
            "form": form,
            "search": saved_filters.describe(filters),
            "purpose": EmailPurpose.JOB_OPENINGS,
            "board_query": saved_filters.as_query(filters).urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@candidate_required
@require_http_methods(["GET", "POST"])
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    found = selectors.own_alert(user, pk)
    if found is None:
        raise Http404
    action = request.POST.get("action", "save")
    form = AlertForm(
        request.POST if request.method == "POST" and action == "save" else None,
        initial={
            "name": found.name,
            "frequency": found.frequency,
        },
    )
    if request.method == "POST":
        if action == "delete":
            services.job_alert_delete(user=user, alert=found)
            flash.success(request, _("Alert deleted."))
            return redirect("saved:alerts")
        if action in ("pause", "resume"):
            services.job_alert_pause(user=user, alert=found, paused=action == "pause")
            flash.success(request, _("Alert paused.") if action == "pause" else _("Alert resumed."))
            return redirect("saved:alerts")
        if form.is_valid():
            services.job_alert_update(
                user=user, alert=found, name=form.cleaned_data["name"], frequency=form.cleaned_data["frequency"]
            )
            flash.success(request, _("Alert saved."))
            return redirect("saved:alerts")
    return render(
        request,
        "saved/alert_edit.html",
        {
            "form": form,
            "alert": found,
            "search": saved_filters.describe(found.filters),
            "board_query": saved_filters.as_query(found.filters).urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" without a CSRF token; the signed link authenticates
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page that asks (links are opened by mail scanners too). POST:
    stops the alert (RFC 8058 one-click), or with action=purpose every job
    opening email."""
    link = read_unsubscribe_link(token)
    if link is None or link.alert_id is None:
        return render(request, "campaigns/unsubscribe_invalid.html", status=400)
    found = selectors.alert_by_id(link.alert_id)
    if found is not None and found.user_id != link.user.pk:
        found = None
    context = {"alert": found, "purpose": EmailPurpose(link.purpose), "token": token}
    if request.method == "POST":
        if request.POST.get("action") == "purpose":
            services.alert_purpose_unsubscribe(link=link, language=_language())
            context["done"] = "purpose"
        else:
            services.alert_unsubscribe(link=link)
            context["done"] = "alert"
    return render(request, "saved/alert_unsubscribe.html", context)


# --- Staff ----------------------------------------------------------------------------------

ALERT_STAFF = (StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER)


@staff_required(*ALERT_STAFF)
@require_safe
def staff_alerts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "saved/staff_alerts.html",
        {
            "counts": selectors.alert_counts(),
            "days": selectors.digests_per_day(),
            "unsubscribes": selectors.unsubscribes(),
        },
    )
