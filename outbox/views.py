"""Staff pages of the outbox: every message (recipient, kind, state,
history; secrets only as their labels) and the suppression list.

Who may open them is the staff groups' model permissions
(accounts.permissions_sync), so the outbox, below every app, needs no
knowledge of roles."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from outbox import selectors, services
from outbox.forms import SuppressionForm
from outbox.models import OutboundEmail, Suppression


def permission_required(permission: str):
    """Signed-in people holding `permission`; others are sent to sign in (403
    once signed in)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Menus ask the view whether a person may open it (accounts.navigation).
        wrapped.allows = lambda user: user.has_perm(permission)  # type: ignore[attr-defined]
        return wrapped

    return decorator


@permission_required("outbox.view_outboundemail")
@require_safe
def staff_outbox(request):
    filters = {name: request.GET.get(name, "") for name in ("state", "stream", "q", "campaign")}
    emails = selectors.outbox_search(
        state=filters["state"], stream=filters["stream"], query=filters["q"], campaign=filters["campaign"]
    )
    page = Paginator(emails, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/staff/outbox.html",
        {
            "page": page,
            "states": OutboundEmail.State.choices,
            "streams": OutboundEmail.Stream.choices,
            "state": filters["state"],
            "stream": filters["stream"],
            "query": filters["q"].strip()[:200],
            "campaign": filters["campaign"],
        },
    )


@permission_required("outbox.view_outboundemail")
@require_safe
def staff_outbox_email(request, pk: int):
    email = selectors.outbox_email(pk)
    if email is None:
        raise Http404
    return render(request, "outbox/staff/outbox_email.html", {"email": email, "events": email.events.all()})


@permission_required("outbox.view_suppression")
@require_http_methods(["GET", "POST"])
def staff_suppressions(request):
    removing = request.POST.get("action") == "remove"
    form = SuppressionForm(request.POST if request.method == "POST" and not removing else None)
    if request.method == "POST":
        if not request.user.has_perm("outbox.change_suppression"):
            raise PermissionDenied
        if removing:
            pk = request.POST.get("pk", "")
            if pk.isdigit():
                services.suppression_remove(pk=int(pk))
            messages.success(request, _("Removed from the suppression list."))
            return redirect("outbox:staff_suppressions")
        if form.is_valid():
            services.suppression_add(
                email=form.cleaned_data["email"], reason=Suppression.Reason.MANUAL, detail=form.cleaned_data["detail"]
            )
            messages.success(request, _("Added: no more purpose mail to this address."))
            return redirect("outbox:staff_suppressions")
    page = Paginator(selectors.suppressions(), 50).get_page(request.GET.get("page"))
    return render(request, "outbox/staff/suppressions.html", {"page": page, "form": form})
