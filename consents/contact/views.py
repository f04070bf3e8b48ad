"""The contact desk: a form for anyone, and the staff queue."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from accounts.permissions import staff_required
from consents.contact import selectors, services
from consents.contact.forms import InquiryForm, StaffInquiryForm
from consents.contact.models import Topic

# A public form: at most this many inquiries an hour from one address.
RATE_LIMIT = 10


def _language() -> str:
    return (get_language() or "en")[:8]


def _too_many(request: HttpRequest) -> bool:
    key = f"contact:rate:{request.META.get('REMOTE_ADDR', '')}"
    count = cache.get_or_set(key, 0, 3600)
    return (count or 0) >= RATE_LIMIT


def _count(request: HttpRequest) -> None:
    key = f"contact:rate:{request.META.get('REMOTE_ADDR', '')}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """Anyone may write (seed 004 Art. 1(4)); the page says what the data
    given is used for and how long it is kept."""
    user = request.user if request.user.is_authenticated else None
    topic = request.GET.get("topic", "")
    initial = {"topic": topic if topic in Topic.values else Topic.SERVICE}
    if user is not None:
        initial["name"] = user.full_name
    form = InquiryForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("contact:contact_thanks")  # a robot: nothing kept
        if _too_many(request):
            form.add_error(None, _("Too many messages from this connection. Try again in an hour."))
        else:
            try:
                services.inquiry_submit(
                    user=user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data.get("email", ""),
                    phone=form.cleaned_data["phone"],
                    topic=form.cleaned_data["topic"],
                    message=form.cleaned_data["message"],
                    language=_language(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _count(request)
                return redirect("contact:contact_thanks")
    return render(
        request,
        "contact/contact.html",
        {"form": form, "retention_days": settings.TSUNAGU_RETENTION["contact_inquiries"]},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_safe
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/thanks.html")


@staff_required(*services.DESK_STAFF)
@require_safe
def staff_inquiries(request: HttpRequest) -> HttpResponse:
    staff = cast(User, request.user)
    show = request.GET.get("show", "open")
    show = show if show in ("open", "mine", "all") else "open"
    page = Paginator(selectors.queue(show=show, user=staff), 50).get_page(request.GET.get("page"))
    return render(request, "contact/staff_inquiries.html", {"page": page, "show": show})


@staff_required(*services.DESK_STAFF)
@require_http_methods(["GET", "POST"])
def staff_inquiry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = cast(User, request.user)
    item = selectors.inquiry(pk)
    if item is None:
        raise Http404
    staff = selectors.staff_members()
    form = StaffInquiryForm(request.POST or None, staff=staff, initial={"assignee": actor.pk})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "assign":
                services.inquiry_assign(actor=actor, inquiry=item, assignee=form.cleaned_data["assignee"] or actor)
                messages.success(request, _("Assigned."))
            elif action == "answer":
                services.inquiry_answer(actor=actor, inquiry=item, text=form.cleaned_data["text"])
                messages.success(request, _("Answer sent by email."))
            elif action == "close":
                services.inquiry_close(actor=actor, inquiry=item)
                messages.success(request, _("Closed."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("contact:staff_inquiry", pk=pk)
    return render(
        request,
        "contact/staff_inquiry.html",
        {"item": item, "form": form, "events": item.events.select_related("actor")},
    )
