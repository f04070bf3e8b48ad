"""Pages for privacy rights: the candidate's privacy centre (download,
restrict, withdraw membership, requests), the public request form, the
California notice, and the privacy officers' desk and breach register."""

from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import StaffGroup, User
from accounts.permissions import candidate_required, staff_required
from consents.access import is_restricted
from consents.privacy import selectors
from consents.privacy import services as privacy
from consents.privacy.forms import (
    ErasureCodeForm,
    IncidentForm,
    PrivacyRequestForm,
    StaffRequestActionForm,
    StaffRequestRecordForm,
)
from consents.privacy.models import DataExport
from consents.selectors import access_records_of

EXPORT_SALT = "tsunagu.export"
ERASURE_SESSION_KEY = "tsunagu_erasure_code"
ERASURE_CODE_MINUTES = 10


def _language() -> str:
    return (get_language() or "en")[:8]


# --- The candidate's privacy centre ------------------------------------------------------


@candidate_required
def centre(request):
    user = request.user
    return render(
        request,
        "privacy/centre.html",
        {
            "exports": selectors.exports_of(user)[:5],
            "restricted": is_restricted(user),
            "requests": selectors.requests_of(user)[:20],
            "access_count": access_records_of(user).count(),
        },
    )


@candidate_required
@require_POST
def export_start(request):
    export = privacy.data_export_request(user=request.user)
    return redirect("privacy:export", pk=export.pk)


@candidate_required
def export_status(request, pk: int):
    export = selectors.export_of(request.user, pk)
    if export is None:
        raise Http404
    token = signing.dumps(export.pk, salt=EXPORT_SALT) if export.state == DataExport.State.READY else None
    return render(request, "privacy/export.html", {"export": export, "token": token})


@candidate_required
@require_safe
def export_download(request, pk: int, token: str):
    """Signed link, owner only, while not expired (7 days)."""
    try:
        signed_pk = signing.loads(token, salt=EXPORT_SALT, max_age=timedelta(days=7))
    except signing.BadSignature:
        raise Http404 from None
    export = selectors.export_of(request.user, pk, ready=True)
    if export is None or signed_pk != export.pk or not export.is_downloadable:
        raise Http404
    privacy.data_export_mark_downloaded(export=export)
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename="tsunagu-my-data.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@candidate_required
@require_POST
def restriction(request):
    if request.POST.get("action") == "lift":
        privacy.restriction_lift(user=request.user)
        messages.success(
            request, _("Restriction lifted: employers you share with and our matching can use your profile again.")
        )
    else:
        privacy.restriction_start(user=request.user, reason="requested by the candidate")
        messages.success(
            request,
            _("Use of your data is restricted: no employer sees you, no matching, no purpose mail. Your data is kept."),
        )
    return redirect("privacy:centre")


@candidate_required
@require_http_methods(["GET", "POST"])
def withdraw(request):
    """Withdraw membership: a clear page of what is deleted and kept, then
    re-authentication by an emailed code, then erasure."""
    form = ErasureCodeForm(request.POST or None) if request.POST.get("action") == "confirm" else ErasureCodeForm()
    stage = "explain"
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            request.session[ERASURE_SESSION_KEY] = {
                "hash": privacy.erasure_code_issue(user=request.user),
                "until": (timezone.now() + timedelta(minutes=ERASURE_CODE_MINUTES)).isoformat(),
                "tries": 0,
            }
            stage = "code"
        elif request.POST.get("action") == "confirm":
            stage = "code"
            pending = request.session.get(ERASURE_SESSION_KEY) or {}
            expired = not pending or datetime.fromisoformat(pending["until"]) < timezone.now()
            if expired or pending.get("tries", 0) >= 5:
                request.session.pop(ERASURE_SESSION_KEY, None)
                messages.error(request, _("The code has expired. Ask for a new one."))
                return redirect("privacy:withdraw")
            if form.is_valid() and privacy.erasure_code_matches(
                user=request.user, code=form.cleaned_data["code"], code_hash=pending["hash"]
            ):
                user = request.user
                logout(request)
                privacy.account_erase(user=user)
                return redirect("privacy:goodbye")
            pending["tries"] = pending.get("tries", 0) + 1
            request.session[ERASURE_SESSION_KEY] = pending
            form.add_error("code", _("This code is not right. Check the latest email from us."))
    return render(
        request,
        "privacy/withdraw.html",
        {"stage": stage, "form": form, "retention": settings.TSUNAGU_RETENTION},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_safe
def goodbye(request):
    return render(request, "privacy/goodbye.html")


@require_http_methods(["GET", "POST"])
def request_new(request):
    """The request desk: signed in (identity = the account) or public."""
    user = request.user if request.user.is_authenticated else None
    if user is not None and not user.is_candidate:
        raise Http404
    form = PrivacyRequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            privacy.privacy_request_submit(
                requester=user,
                # A signed-in account without a name is named by its address,
                # which may be longer than the name field.
                name=(data.get("name") or (user.full_name or user.email if user else ""))[:150],
                email=data.get("email") or (user.email if user else ""),
                country=data["country"],
                us_state=data.get("us_state", ""),
                kind=data["kind"],
                details=data.get("details", ""),
                language=_language(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("privacy:request_thanks")
    return render(
        request,
        "privacy/request_form.html",
        {"form": form, "fee_yen": settings.TSUNAGU_PRIVACY_REQUEST_FEE_YEN},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_safe
def request_thanks(request):
    return render(request, "privacy/request_thanks.html")


@require_safe
def california(request):
    return render(request, "privacy/california.html")


@require_safe
def export_schema(request):
    return render(request, "privacy/export_schema.html")


# --- Privacy officers: the request desk -------------------------------------------------


@staff_required(StaffGroup.PRIVACY_OFFICER)
def staff_requests(request):
    show = request.GET.get("show", "open")
    page = Paginator(selectors.request_desk(open_only=show == "open"), 50).get_page(request.GET.get("page"))
    return render(
        request, "privacy/staff_requests.html", {"page": page, "show": show, "today": timezone.localdate()}
    )


@staff_required(StaffGroup.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def staff_request_new(request: HttpRequest) -> HttpResponse:
    """Record a request received by email, post or telephone, made by the
    person or by their representative."""
    form = StaffRequestRecordForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        representative = (
            privacy.Representative(
                kind=data["representative_kind"],
                name=data["representative_name"],
                authority=data["representative_authority"],
                checked_how=data["representative_checked_how"],
            )
            if data["representative_kind"]
            else None
        )
        try:
            item = privacy.privacy_request_record(
                actor=cast(User, request.user),
                channel=data["channel"],
                received_on=data["received_on"],
                name=data["name"],
                email=data["email"],
                postal_address=data["postal_address"],
                country=data["country"],
                us_state=data["us_state"],
                kind=data["kind"],
                details=data["details"],
                language=_language(),
                identity_checked_how=data["identity_checked_how"],
                representative=representative,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Recorded. The answer is due on %(date)s.") % {"date": item.effective_due_on.isoformat()},
            )
            return redirect("privacy:staff_request", pk=item.pk)
    return render(
        request, "privacy/staff_request_new.html", {"form": form}, status=400 if form.is_bound and form.errors else 200
    )


@staff_required(StaffGroup.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def staff_request(request, pk: int):
    item = selectors.privacy_request(pk)
    if item is None:
        raise Http404
    form = StaffRequestActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        action = request.POST.get("action")
        try:
            if action == "verify":
                privacy.privacy_request_verify(actor=request.user, request=item, method=text)
            elif action == "confirm_receipt":
                privacy.privacy_request_confirm_receipt(actor=request.user, request=item)
            elif action == "extend":
                privacy.privacy_request_extend(actor=request.user, request=item, reason=text)
            elif action == "answer":
                privacy.privacy_request_answer(actor=request.user, request=item, answer=text)
            elif action == "refuse":
                privacy.privacy_request_answer(actor=request.user, request=item, answer=text, refused=True)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        else:
            messages.success(request, _("Done. The requester is told where the law asks for it."))
        return redirect("privacy:staff_request", pk=pk)
    return render(
        request,
        "privacy/staff_request.html",
        {"item": item, "form": form, "events": item.events.select_related("actor")},
    )


@staff_required(StaffGroup.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def staff_incidents(request, pk: int | None = None):
    incident = selectors.incident(pk) if pk else None
    if pk and incident is None:
        raise Http404
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        try:
            saved = privacy.incident_record(actor=request.user, incident=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("privacy:staff_incident", pk=saved.pk)
    return render(
        request,
        "privacy/staff_incidents.html",
        {
            "form": form,
            "incident": incident,
            "incidents": [(i, selectors.incident_deadlines(i)) for i in selectors.incidents()[:100]],
            "deadlines": selectors.incident_deadlines(incident) if incident else None,
        },
        status=400 if form.errors else 200,
    )
