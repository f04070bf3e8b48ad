"""Purpose campaigns for staff, and the one-click unsubscribe every purpose
mail carries (RFC 8058)."""

from datetime import datetime
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import StaffGroup, User
from accounts.permissions import staff_required
from consents import selectors as consent_selectors
from consents import services as consent_services
from consents.campaigns import selectors, services
from consents.campaigns.forms import CampaignForm, ScheduleForm
from consents.campaigns.models import Campaign
from consents.forms import PurposeForm
from consents.models import Channel, EmailPurpose


def _language() -> str:
    return (get_language() or "en")[:8]



@csrf_exempt  # mail clients POST "List-Unsubscribe=One-Click" without a CSRF token; the signed link authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = services.read_unsubscribe_token(token)
    if found is None:
        return render(request, "campaigns/unsubscribe_invalid.html", status=400)
    user, purpose = found
    done = False
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "manage":
            form = PurposeForm(request.POST, current=consent_selectors.purpose_states(user))
            if form.is_valid():
                consent_services.purpose_consents_set(
                    actor=user, user=user, choices=form.choices(), language=_language(), channel=Channel.EMAIL_LINK
                )
                flash_saved = True
                return render(
                    request,
                    "campaigns/unsubscribe.html",
                    {
                        "purpose": EmailPurpose(purpose),
                        "done": True,
                        "form": form,
                        "saved": flash_saved,
                        "token": token,
                    },
                )
        else:
            consent_services.purpose_consents_set(
                actor=user, user=user, choices={purpose: False}, language=_language(), channel=Channel.EMAIL_LINK
            )
            done = True
    form = form or PurposeForm(current=consent_selectors.purpose_states(user))
    return render(
        request,
        "campaigns/unsubscribe.html",
        {"purpose": EmailPurpose(purpose), "done": done, "form": form, "token": token},
    )


CAMPAIGN_STAFF = (StaffGroup.COORDINATOR,)


@staff_required(*CAMPAIGN_STAFF)
def staff_campaigns(request):
    page = Paginator(selectors.campaigns(), 30).get_page(request.GET.get("page"))
    return render(request, "campaigns/staff_campaigns.html", {"page": page})


@staff_required(*CAMPAIGN_STAFF)
@require_http_methods(["GET", "POST"])
def staff_campaign_edit(request, pk: int | None = None):
    campaign = selectors.campaign(pk) if pk else Campaign()
    if campaign is None:
        raise Http404
    if pk and campaign.state != Campaign.State.DRAFT:
        return redirect("campaigns:staff_campaign", pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_save(actor=request.user, campaign=form.instance)
        messages.success(request, _("Saved as a draft. Preview it, send yourself a test, then schedule it."))
        return redirect("campaigns:staff_campaign", pk=campaign.pk)
    return render(
        request,
        "campaigns/staff_campaign_form.html",
        {"form": form, "campaign": campaign if pk else None},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required(*CAMPAIGN_STAFF)
@require_http_methods(["GET", "POST"])
def staff_campaign(request, pk: int):
    campaign = selectors.campaign(pk)
    if campaign is None:
        raise Http404
    schedule_form = ScheduleForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("test_en", "test_ja"):
                services.campaign_send_test(actor=request.user, campaign=campaign, language=action[-2:])
                messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": request.user.email})
            elif action == "send_now":
                # Nothing goes out before the confirmation step.
                return redirect(_confirm_url(campaign, "now"))
            elif action == "schedule":
                if not schedule_form.is_valid():
                    raise ValidationError(list(schedule_form.errors.get("send_at", [_("Choose a date and time.")])))
                return redirect(_confirm_url(campaign, schedule_form.cleaned_data["send_at"].isoformat()))
            elif action == "cancel":
                services.campaign_cancel(actor=request.user, campaign=campaign)
                messages.success(request, _("Cancelled."))
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("campaigns:staff_campaign", pk=pk)
    previews = []
    for language in ("en", "ja"):
        subject, text, _html = services.render(
            campaign, language, unsubscribe="(unsubscribe link)", manage="(preferences link)", name=_("(their name)")
        )
        previews.append((language, subject, text))
    return render(
        request,
        "campaigns/staff_campaign.html",
        {
            "campaign": campaign,
            "previews": previews,
            "progress": services.campaign_progress(campaign),
            "audience_now": services.audience(campaign.purpose).count(),
            "schedule_form": ScheduleForm(),
        },
    )


def _confirm_url(campaign: Campaign, when: str) -> str:
    return reverse("campaigns:staff_campaign_confirm", args=[campaign.pk]) + "?" + urlencode({"when": when})


def _when(value: str) -> tuple[bool, datetime | None]:
    """(valid, when): "now" → (True, None); a future ISO time → (True, it);
    anything else → (False, None)."""
    if value == "now":
        return True, None
    try:
        when = datetime.fromisoformat(value[:40])
    except ValueError:
        return False, None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return (True, when) if when > timezone.now() else (False, None)


@staff_required(*CAMPAIGN_STAFF)
@require_http_methods(["GET", "POST"])
def staff_campaign_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The step before anything goes out: who it would reach now, in which
    language, and when; sending needs this page's button."""
    campaign = selectors.campaign(pk)
    if campaign is None:
        raise Http404
    if campaign.state not in (Campaign.State.DRAFT, Campaign.State.SCHEDULED):
        return redirect("campaigns:staff_campaign", pk=pk)
    raw = (request.POST.get("when") if request.method == "POST" else request.GET.get("when")) or ""
    valid, when = _when(raw)
    if not valid:
        messages.error(request, _("Choose a time in the future, or send now."))
        return redirect("campaigns:staff_campaign", pk=pk)
    if request.method == "POST":
        try:
            services.campaign_schedule(actor=cast(User, request.user), campaign=campaign, when=when)
        except ValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.messages))
        else:
            if when is None:
                messages.success(request, _("Sending now, to the people who agree to this purpose at this moment."))
            else:
                messages.success(request, _("Scheduled. The audience is decided when it goes out."))
        return redirect("campaigns:staff_campaign", pk=pk)
    by_language = services.audience_by_language(campaign.purpose)
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "campaigns/staff_campaign_confirm.html",
        {
            "campaign": campaign,
            "when": when,
            "when_raw": raw,
            "total": sum(by_language.values()),
            # Per language: how many, the subject they get, and in which
            # language's text when theirs has none (the fallback, shown).
            "by_language": [
                (
                    name,
                    by_language[code],
                    campaign.text_for(code)[0],
                    "" if campaign.text_language(code) == code else names[campaign.text_language(code)],
                )
                for code, name in settings.LANGUAGES
            ],
        },
    )
