"""Purpose campaigns: staff write them; the audience is computed at send
time, streamed (never held in memory), written to the outbox in batches of
500 and delivered through Postmark's batch endpoint; every message carries a
one-click unsubscribe for its purpose (RFC 8058)."""

import logging
import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from accounts.models import StaffGroup, User
from accounts.permissions import in_staff_group
from consents.campaigns import emails
from consents.campaigns.models import Campaign
from consents.models import EmailPurpose
from consents.selectors import purpose_audience
from consents.unsubscribe import (  # noqa: F401 (UNSUBSCRIBE_SALT, unsubscribe_token: names it always offered)
    UNSUBSCRIBE_SALT,
    UnsubscribeLinks,
    read_unsubscribe_link,
    unsubscribe_token,
    unsubscribe_url,
)
from outbox import delivery
from outbox import services as outbox
from outbox.broker import send_task, send_task_on_commit
from outbox.languages import mail_language
from outbox.models import OutboundEmail

log = logging.getLogger(__name__)
BATCH = delivery.POSTMARK_BATCH_LIMIT
CAMPAIGN_STAFF = (StaffGroup.COORDINATOR,)


def _check_staff(actor: User) -> None:
    if not in_staff_group(actor, *CAMPAIGN_STAFF):
        raise PermissionDenied


# --- Unsubscribe links ---------------------------------------------------------------
# The signing is shared with job alerts (consents.unsubscribe).


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The person and purpose of a link, or None (tampered, too old, gone).
    Links stay valid for TSUNAGU_UNSUBSCRIBE_MAX_AGE (at least 60 days)."""
    link = read_unsubscribe_link(token)
    return (link.user, link.purpose) if link else None


# --- Writing campaigns ------------------------------------------------------------------


@transaction.atomic
def campaign_save(*, actor: User, campaign: Campaign) -> Campaign:
    _check_staff(actor)
    if campaign.pk and campaign.state != Campaign.State.DRAFT:
        raise ValidationError(_("Only a draft can be edited."))
    if not campaign.pk:
        campaign.created_by = actor
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_schedule(*, actor: User, campaign: Campaign, when: datetime | None) -> Campaign:
    """Schedule (or, with when=None, send now). Who receives it is decided
    only when it goes out."""
    _check_staff(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state not in (Campaign.State.DRAFT, Campaign.State.SCHEDULED):
        raise ValidationError(_("This campaign was already sent."))
    campaign.state = Campaign.State.SCHEDULED
    campaign.scheduled_for = when or timezone.now()
    campaign.save(update_fields=["state", "scheduled_for"])
    if when is None or when <= timezone.now():
        # Broker down: dispatch_due_campaigns (every minute) starts it.
        send_task_on_commit("consents.campaigns.tasks.send_campaign", campaign.pk)
    return campaign


@transaction.atomic
def campaign_cancel(*, actor: User, campaign: Campaign) -> Campaign:
    """Cancel a draft, a scheduled campaign, or one going out: its messages
    still queued are cancelled, and the run stops writing more (it reads the
    state before each batch). Messages already handed over stay sent."""
    _check_staff(actor)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state in (Campaign.State.DRAFT, Campaign.State.SCHEDULED, Campaign.State.SENDING):
        campaign.state = Campaign.State.CANCELLED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["state", "finished_at"])
        outbox.cancel_queued(campaign_id=campaign.pk)
    return campaign


def audience_by_language(purpose: str) -> dict[str, int]:
    """How many people would receive a campaign now, by the language of
    their account (every language of settings.LANGUAGES, zeros included);
    Campaign.text_language says which text each group gets."""
    counts = dict.fromkeys((code for code, _name in settings.LANGUAGES), 0)
    for language, n in audience(purpose).order_by().values_list("language").annotate(n=Count("pk")):
        counts[mail_language(None, used=language)] += n
    return counts


def campaign_send_test(*, actor: User, campaign: Campaign, language: str) -> OutboundEmail:
    """A test copy to the staff member, as it will look (transactional
    stream: a test is not purpose mail to them), with their own name in
    the name merge field."""
    _check_staff(actor)
    subject, text, html = render(
        campaign, language, unsubscribe="#unsubscribe-link", manage="#manage-link", name=actor.full_name or actor.email
    )
    return outbox.enqueue(
        kind=emails.CAMPAIGN_TEST,
        to_email=actor.email,
        recipient=actor,
        subject=f"[TEST] {subject}",
        body_text=text,
        body_html=html,
        language=language,
    )


# --- Rendering -----------------------------------------------------------------------------


# The merge field for the recipient's name, written in a campaign's text.
NAME_FIELD = re.compile(r"\{\{\s*name\s*\}\}")
POSTMARK_NAME = "{{name}}"


def name_of(name: str, language: str) -> str:
    """What the name merge field becomes for a person without a name."""
    if name.strip():
        return name.strip()
    with translation.override(language):
        return str(_("Tsunagu member"))


def render(
    campaign: Campaign, language: str, *, unsubscribe: str, manage: str, name: str | None = None
) -> tuple[str, str, str]:
    """Subject, text and HTML in `language`. `name` fills the name merge
    field ({{ name }}); None leaves Postmark's own {{name}} in its place."""
    subject, body = campaign.text_for(language)
    filled = POSTMARK_NAME if name is None else name_of(name, language)
    subject = NAME_FIELD.sub(lambda _m: filled, subject)
    body = NAME_FIELD.sub(lambda _m: filled, body)
    with translation.override(language):
        why = _("You receive this because you agreed to: %(purpose)s.") % {
            "purpose": EmailPurpose(campaign.purpose).label
        }
        stop = _("Stop these emails with one click:")
        all_choices = _("Manage everything we may send you:")
    text = f"{body}\n\n--\n{why}\n{stop} {unsubscribe}\n{all_choices} {manage}\n"
    html = (
        f"{linebreaks(escape(body))}<hr><p>{escape(why)}<br>{escape(stop)} "
        f'<a href="{escape(unsubscribe)}">{escape(unsubscribe)}</a><br>{escape(all_choices)} '
        f'<a href="{escape(manage)}">{escape(manage)}</a></p>'
    )
    return subject, text, html


def _template_alias(campaign: Campaign, language: str) -> str:
    return f"tsunagu-campaign-{campaign.pk}-{language}"


# --- Sending ------------------------------------------------------------------------------


def audience(purpose: str) -> QuerySet[User]:
    """Who receives a campaign for `purpose` if it goes out now, in a fixed
    order (streamed by the caller)."""
    return purpose_audience(purpose).order_by("pk")


def campaign_run(campaign_id: int) -> int:
    """Send a due campaign: stream its audience in batches of 500, write the
    outbox rows and hand each batch to the delivery task. Safe to run twice:
    people who already have a row for this campaign are skipped."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.state not in (Campaign.State.SCHEDULED, Campaign.State.SENDING):
            return 0
        if campaign.state == Campaign.State.SCHEDULED and (
            campaign.scheduled_for is None or campaign.scheduled_for > timezone.now()
        ):
            return 0
        campaign.state = Campaign.State.SENDING
        campaign.started_at = campaign.started_at or timezone.now()
        campaign.save(update_fields=["state", "started_at"])
    if delivery.uses_postmark():
        for language in ("en", "ja"):
            subject, text, html = render(campaign, language, unsubscribe="{{unsubscribe_url}}", manage="{{manage_url}}")
            delivery.postmark_template_upsert(
                alias=_template_alias(campaign, language), subject=subject, text_body=text, html_body=html
            )
    already = OutboundEmail.objects.filter(campaign_id=campaign.pk, recipient=OuterRef("pk"))
    people = audience(campaign.purpose).filter(~Exists(already)).values_list("pk", "email", "language", "full_name")
    total = 0
    batch: list[tuple] = []
    for person in people.iterator(chunk_size=2000):
        batch.append(person)
        if len(batch) == BATCH:
            if _cancelled(campaign):
                return total
            total += _write_batch(campaign, batch)
            batch = []
    if batch and not _cancelled(campaign):
        total += _write_batch(campaign, batch)
    if _cancelled(campaign):
        return total
    Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SENDING).update(
        state=Campaign.State.SENT,
        finished_at=timezone.now(),
        audience_size=OutboundEmail.objects.filter(campaign_id=campaign.pk).count(),
    )
    return total


def _cancelled(campaign: Campaign) -> bool:
    return Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.CANCELLED).exists()


def _write_batch(campaign: Campaign, people: list[tuple]) -> int:
    """Outbox rows for up to 500 people: the texts are rendered once per
    language with the unsubscribe link as its label; each row seals its
    own link (outbox.kinds: secrets are never stored readable)."""
    parts: dict[str, tuple] = {}
    links = UnsubscribeLinks(campaign.purpose)
    rows = []
    for pk, email, language, full_name in people:
        # The frame (why, unsubscribe) in the person's language; the text in
        # it, or English, then Japanese, where staff wrote none (render).
        language = mail_language(None, used=language)
        if language not in parts:
            with translation.override(language):
                label = str(emails.CAMPAIGN.secrets["unsubscribe_url"])
                manage = settings.SITE_URL.rstrip("/") + reverse("consents:email_preferences")
            parts[language] = (label, manage, *render(campaign, language, unsubscribe=label, manage=manage))
        label, manage, subject, text, html = parts[language]
        # The name merge field: the same text for everyone, each name put in
        # its place (escaped in the HTML part).
        name = name_of(full_name, language)
        subject = subject.replace(POSTMARK_NAME, name)
        text = text.replace(POSTMARK_NAME, name)
        html = html.replace(escape(POSTMARK_NAME), escape(name)).replace(POSTMARK_NAME, escape(name))
        rows.append(
            outbox.outbound_row(
                kind=emails.CAMPAIGN,
                recipient_id=pk,
                to_email=email,
                language=language,
                stream=OutboundEmail.Stream.BROADCAST,
                purpose=campaign.purpose,
                campaign_id=campaign.pk,
                subject=subject,
                body_text=text,
                body_html=html,
                headers={"List-Unsubscribe": f"<{label}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                template_alias=_template_alias(campaign, language) if delivery.uses_postmark() else "",
                template_model={"unsubscribe_url": label, "manage_url": manage, "name": name},
                secrets={label: links.url(pk, language)},
            )
        )
    outbox.enqueue_rows(rows)
    return len(rows)


def campaign_progress(campaign: Campaign) -> dict[str, int]:
    counts = dict(OutboundEmail.objects.filter(campaign_id=campaign.pk).values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in OutboundEmail.State.values}


def dispatch_due() -> int:
    due = Campaign.objects.filter(state=Campaign.State.SCHEDULED, scheduled_for__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    count = 0
    for campaign_id in due:
        send_task("consents.campaigns.tasks.send_campaign", campaign_id)
        count += 1
    return count
