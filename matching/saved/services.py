"""Writes of saved jobs and job alerts, and the alert run.

Job alerts are purpose mail ("job openings you can apply for", PRODUCT
§3.2): who receives a digest is decided when the run writes it
(consents.selectors.purpose_audience: a current opt-in, no restriction of
use, an active account under no screening decision, an address that did not
bounce), and again by the outbox's purpose gate when it goes out. A digest
lists only openings published since the alert's last run and never an
opening the alert already mailed (AlertSentOpening's unique constraint);
one digest per alert per period (AlertDigest's)."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from consents import services as consent_services
from consents.models import Channel, EmailPurpose
from consents.selectors import may_send_purpose, purpose_audience
from consents.unsubscribe import UnsubscribeLink, unsubscribe_token, unsubscribe_url
from matching import engine
from matching import rules as work_rules
from matching.models import Message, Opening
from matching.saved import emails
from matching.saved import filters as saved_filters
from matching.saved.models import (
    AlertDigest,
    AlertSentOpening,
    AlertUnsubscribe,
    Frequency,
    JobAlert,
    SavedJob,
)
from matching.selectors import board_search
from outbox import services as outbox
from outbox.languages import mail_language
from outbox.models import OutboundEmail
from profiles.models import CandidateProfile, Prefecture

log = logging.getLogger(__name__)

PURPOSE = EmailPurpose.JOB_OPENINGS
MAX_ALERTS = 20  # per person
MAX_SAVED_JOBS = 500  # per person
DIGEST_SIZE = 20  # openings per digest; the rest wait for the next one
CHUNK = 500  # alerts written per transaction


def _check_candidate(user: User) -> None:
    if not (user.is_authenticated and user.is_candidate and user.is_active):
        raise PermissionDenied


# --- Saved jobs ---------------------------------------------------------------------


@transaction.atomic
def saved_job_add(*, user: User, opening: Opening) -> SavedJob:
    """Keep an open opening for later (twice is once)."""
    _check_candidate(user)
    if not opening.is_accepting:
        raise ValidationError(_("This opening is closed: it can no longer be saved."))
    existing = SavedJob.objects.filter(user=user, opening=opening).first()
    if existing is not None:
        return existing
    if SavedJob.objects.filter(user=user).count() >= MAX_SAVED_JOBS:
        raise ValidationError(_("You have saved %(n)s jobs: remove some first.") % {"n": MAX_SAVED_JOBS})
    saved, _created = SavedJob.objects.get_or_create(user=user, opening=opening)
    return saved


@transaction.atomic
def saved_job_remove(*, user: User, opening_id: int) -> bool:
    _check_candidate(user)
    deleted, _rows = SavedJob.objects.filter(user=user, opening_id=opening_id).delete()
    return bool(deleted)


def _message(user: User, *, subject: str, body: str, url: str) -> Message:
    return Message.objects.create(recipient=user, subject=subject[:200], body=body, url=url)


def _manage_url(language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse("consents:email_preferences")


def _purpose_footer(language: str, *, unsubscribe_label: str) -> tuple[list[str], list[str]]:
    """Why the mail came and how to stop it: (text lines, HTML lines)."""
    manage = _manage_url(language)
    with translation.override(language):
        why = _("You receive this because you agreed to: %(purpose)s.") % {"purpose": PURPOSE.label}
        stop = _("Stop all job opening emails with one click:")
        all_choices = _("Manage everything we may send you:")
    text = [why, f"{stop} {unsubscribe_label}", f"{all_choices} {manage}"]
    html = [
        escape(why),
        f'{escape(stop)} <a href="{escape(unsubscribe_label)}">{escape(unsubscribe_label)}</a>',
        f'{escape(all_choices)} <a href="{escape(manage)}">{escape(manage)}</a>',
    ]
    return text, html


def saved_jobs_notify_closed(*, now: datetime | None = None) -> int:
    """Tell each person, once, that a job they saved closed: a notice on
    their Messages page, and an email only while they agree to "job
    openings you can apply for" (checked now, and again at delivery).
    Safe to run twice. Returns how many notices were written."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = Q(opening__state__in=[Opening.State.CLOSED]) | Q(
        opening__state=Opening.State.OPEN, opening__closes_on__lt=today
    )
    pending = (
        SavedJob.objects.filter(closed_noticed_at__isnull=True)
        .filter(closed)
        .select_related("opening__employer", "user")
        .order_by("pk")
    )
    count = 0
    while True:
        with transaction.atomic():
            batch = list(pending.select_for_update(of=("self",), skip_locked=True)[:CHUNK])
            if not batch:
                return count
            for saved in batch:
                _closed_notice(saved)
            SavedJob.objects.filter(pk__in=[s.pk for s in batch]).update(closed_noticed_at=now)
            count += len(batch)


def _closed_notice(saved: SavedJob) -> None:
    user, opening = saved.user, saved.opening
    language = mail_language(user)
    with translation.override(language):
        subject = _("A job you saved has closed: %(title)s") % {"title": opening.title}
        body = _(
            "%(employer)s no longer accepts applications for “%(title)s”. "
            "It stays in your saved jobs until you remove it."
        ) % {
            "employer": opening.employer.legal_name,
            "title": opening.title,
        }
        url = reverse("saved:saved_jobs")
    _message(user, subject=subject, body=body, url=url)
    if not (user.is_active and may_send_purpose(user, PURPOSE)):
        return
    with translation.override(language):
        label = str(emails.SAVED_JOB_CLOSED.secrets["unsubscribe_url"])
    footer_text, footer_html = _purpose_footer(language, unsubscribe_label=label)
    link = settings.SITE_URL.rstrip("/") + url
    outbox.enqueue(
        kind=emails.SAVED_JOB_CLOSED,
        to_email=user.email,
        recipient=user,
        language=language,
        stream=OutboundEmail.Stream.BROADCAST,
        purpose=PURPOSE,
        subject=subject,
        body_text="\n".join([body, "", link, "", "--", *footer_text]) + "\n",
        body_html=f'<p>{escape(body)}</p><p><a href="{escape(link)}">{escape(link)}</a></p><hr><p>'
        + "<br>".join(footer_html)
        + "</p>",
        headers={"List-Unsubscribe": f"<{label}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        secrets={label: unsubscribe_url(user, PURPOSE, language)},
    )


# --- Job alerts: the candidate's own ----------------------------------------------------


class AlertExists(ValidationError):
    """The person already has an alert for exactly these filters."""

    def __init__(self, alert: JobAlert) -> None:
        super().__init__(_("You already have an alert for this search."))
        self.alert = alert


@transaction.atomic
def job_alert_create(*, user: User, name: str, filters: dict[str, Any], frequency: str) -> JobAlert:
    """Save a board search as an alert. New openings only: those published
    from now on. The same search twice is refused with the existing alert
    (a double submit creates one)."""
    _check_candidate(user)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one create at a time per person
    key = saved_filters.filters_key(filters)
    existing = JobAlert.objects.filter(user=user, filters_key=key).first()
    if existing is not None:
        raise AlertExists(existing)
    if JobAlert.objects.filter(user=user).count() >= MAX_ALERTS:
        raise ValidationError(_("You have %(n)s alerts: delete one first.") % {"n": MAX_ALERTS})
    alert = JobAlert(user=user, name=name.strip()[:100], filters=filters, filters_key=key, frequency=frequency)
    alert.full_clean()
    alert.save()
    return alert


def _own(user: User, alert: JobAlert) -> None:
    _check_candidate(user)
    if alert.user_id != user.pk:
        raise PermissionDenied


@transaction.atomic
def job_alert_update(*, user: User, alert: JobAlert, name: str, frequency: str) -> JobAlert:
    _own(user, alert)
    alert.name = name.strip()[:100]
    alert.frequency = frequency
    alert.full_clean()
    alert.save(update_fields=["name", "frequency"])
    return alert


@transaction.atomic
def job_alert_pause(*, user: User, alert: JobAlert, paused: bool) -> JobAlert:
    """Pause or resume. Resuming starts from now: openings published while
    paused are not sent in a burst."""
    _own(user, alert)
    if alert.paused != paused:
        alert.paused = paused
        fields = ["paused"]
        if not paused:
            alert.checked_until = timezone.now()
            fields.append("checked_until")
        alert.save(update_fields=fields)
    return alert


@transaction.atomic
def job_alert_delete(*, user: User, alert: JobAlert) -> None:
    _own(user, alert)
    alert.delete()


# --- One-click unsubscribe from an alert's mail ------------------------------------------


@transaction.atomic
def alert_unsubscribe(*, link: UnsubscribeLink) -> JobAlert | None:
    """Stop the alert a link names (it is paused; the person may resume or
    delete it on their alerts page). None when it no longer exists."""
    if link.alert_id is None:
        return None
    alert = JobAlert.objects.select_for_update().filter(pk=link.alert_id, user=link.user).first()
    if alert is None:
        return None
    if not alert.paused:
        alert.paused = True
        alert.save(update_fields=["paused"])
        AlertUnsubscribe.objects.create(scope=AlertUnsubscribe.Scope.ALERT)
    return alert


@transaction.atomic
def alert_purpose_unsubscribe(*, link: UnsubscribeLink, language: str) -> None:
    """Withdraw "job openings you can apply for" from an alert's mail: a
    ledger row for the channel "email_link" (consents.services)."""
    changed = consent_services.purpose_consents_set(
        actor=link.user, user=link.user, choices={link.purpose: False}, language=language, channel=Channel.EMAIL_LINK
    )
    if changed:
        AlertUnsubscribe.objects.create(scope=AlertUnsubscribe.Scope.PURPOSE)


# --- The alert run --------------------------------------------------------------------------


def period_of(frequency: str, now: datetime) -> str:
    day = timezone.localdate(now)
    if frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


@dataclass
class _Opening:
    pk: int
    title: str
    employer: str
    prefecture: int
    city: str
    published_at: datetime


def job_alerts_run(*, frequency: str, now: datetime | None = None) -> int:
    """Write this period's digests of `frequency` alerts to the outbox.

    The due alerts of people who agree now are streamed in the order of
    their search (filters_key), so each distinct search runs once and only
    its newest openings are held; digests are written 500 at a time, each
    batch in one transaction with its sent-openings and digest rows and the
    alerts' new period, so memory stays flat and a run interrupted halfway
    resumes where it stopped. Safe to run twice. Returns digests written."""
    now = now or timezone.now()
    period = period_of(frequency, now)
    due = JobAlert.objects.filter(frequency=frequency, paused=False).exclude(last_period=period)
    audience = purpose_audience(PURPOSE).filter(pk=OuterRef("user_id"))
    # Not opted in now (or restricted, suspended, bounced): nothing is
    # written, and the period is over for them.
    due.filter(~Exists(audience)).update(last_period=period, checked_until=now)
    consenting = due.filter(Exists(audience))
    since_of = dict(
        consenting.order_by()
        .values("filters_key")
        .annotate(since=Min("checked_until"))
        .values_list("filters_key", "since")
    )
    columns = ("pk", "name", "filters", "filters_key", "checked_until", "user_id", "user__email", "user__language")
    renderer = _DigestRenderer()
    cleaner = saved_filters.Cleaner()
    written = 0
    key: str | None = None
    openings: list[_Opening] = []
    batch: list[tuple[dict, list[_Opening]]] = []
    search: dict[str, Any] | None = None
    people = _People()
    for alert in consenting.order_by("filters_key", "pk").values(*columns).iterator(chunk_size=2000):
        if alert["filters_key"] != key:
            key = alert["filters_key"]
            search = cleaner(alert["filters"])
            if not _per_person(search):
                openings = _new_openings(search, since=since_of.get(key, now), now=now)
        if _per_person(search):
            # "Only jobs I may legally take": the answer is the person's,
            # read from their profile as it is now (a status of residence
            # may have changed since the alert was saved).
            profile = people.profile(alert["user_id"])
            openings = (
                _new_openings(search, since=alert["checked_until"], now=now, profile=profile)
                if profile is not None
                else []
            )
        if not openings:
            continue  # the period is closed for it below
        batch.append((alert, openings))
        if len(batch) == CHUNK:
            written += _write_batch(batch, renderer, period=period, now=now)
            batch = []
    if batch:
        written += _write_batch(batch, renderer, period=period, now=now)
    consenting.update(last_period=period, checked_until=now)
    return written


def _per_person(search: dict[str, Any] | None) -> bool:
    """Whether a search's results depend on who asks: "only jobs I may
    legally take" applies the engine's hard rules to the person's profile."""
    return bool(search and search.get("legal"))


class _People:
    """The profiles of the people whose alerts ask for "only jobs I may
    legally take", one at a time (memory stays flat), sharing one table of
    work rules for the whole run (engine.work_rules reads it from each)."""

    def __init__(self) -> None:
        self._book: work_rules.RuleBook | None = None

    def profile(self, user_id: int) -> CandidateProfile | None:
        profile = CandidateProfile.objects.select_related("status").filter(user_id=user_id).first()
        if profile is None:
            return None  # no status of residence to read: nothing is legal for certain
        if self._book is None:
            self._book = engine.work_rules(profile)
        else:
            engine.share_work_rules(profile, self._book)
        return profile


def _new_openings(
    search: dict[str, Any] | None, *, since: datetime, now: datetime, profile: CandidateProfile | None = None
) -> list[_Opening]:
    """The newest openings of a saved search (its cleaned filters; None when
    they no longer validate) published in (since, now]: the board's own
    search, matching.selectors.board_search, for `profile` when the search
    asks for the jobs its owner may legally take."""
    if search is None or (_per_person(search) and profile is None):
        return []
    found = (
        board_search(search, profile=profile)
        .filter(published_at__gt=since, published_at__lte=now)
        .values_list("pk", "title", "employer__legal_name", "prefecture_id", "city", "published_at")[: DIGEST_SIZE * 5]
    )
    return [
        _Opening(pk, title, employer, prefecture, city, published)
        for pk, title, employer, prefecture, city, published in found
        if published
    ]


def _prefecture_labels(language: str) -> dict[int, str]:
    with translation.override(language):
        return {p.pk: p.label for p in Prefecture.objects.all()}


@transaction.atomic
def _write_batch(
    batch: list[tuple[dict, list[_Opening]]], renderer: "_DigestRenderer", *, period: str, now: datetime
) -> int:
    alert_ids = [alert["pk"] for alert, _openings in batch]
    opening_ids = {o.pk for _alert, openings in batch for o in openings}
    sent: dict[int, set[int]] = defaultdict(set)
    for alert_id, opening_id in AlertSentOpening.objects.filter(
        alert_id__in=alert_ids, opening_id__in=opening_ids
    ).values_list("alert_id", "opening_id"):
        sent[alert_id].add(opening_id)
    rows: list[OutboundEmail] = []
    sent_rows: list[AlertSentOpening] = []
    digests: list[AlertDigest] = []
    for alert, openings in batch:
        new = [o for o in openings if o.published_at > alert["checked_until"] and o.pk not in sent[alert["pk"]]][
            :DIGEST_SIZE
        ]
        if not new:
            continue
        rows.append(renderer.row(alert, new))
        sent_rows.extend(AlertSentOpening(alert_id=alert["pk"], opening_id=o.pk, sent_at=now) for o in new)
        digests.append(AlertDigest(alert_id=alert["pk"], period=period, openings=len(new), created_at=now))
    # The unique constraints make a second run of the same period fail
    # here, rolling back its rows: nothing is mailed twice.
    AlertDigest.objects.bulk_create(digests)
    AlertSentOpening.objects.bulk_create(sent_rows)
    if rows:
        outbox.enqueue_rows(rows)
    JobAlert.objects.filter(pk__in=alert_ids).update(last_period=period, checked_until=now)
    return len(rows)


# Stand for a token and an id in the URLs reversed once per language.
_SLOT = "token-slot"
_ID_SLOT = 987654321


class _DigestRenderer:
    """Renders digests; what is the same for every alert in a language
    (labels, footers, the shape of each link) is computed once, so a row
    costs its text, two signed tokens and its sealed secrets."""

    def __init__(self) -> None:
        self._parts: dict[str, dict[str, Any]] = {}
        self._subjects: dict[tuple[str, int], str] = {}

    def _language_parts(self, language: str) -> dict[str, Any]:
        if language not in self._parts:
            site = settings.SITE_URL.rstrip("/")
            with translation.override(language):
                alert_label = str(emails.ALERT_DIGEST.secrets["alert_unsubscribe_url"])
                purpose_label = str(emails.ALERT_DIGEST.secrets["unsubscribe_url"])
                footer_text, footer_html = _purpose_footer(language, unsubscribe_label=purpose_label)
                stop_alert = _("Stop this alert with one click:")
                self._parts[language] = {
                    "alert_label": alert_label,
                    "purpose_label": purpose_label,
                    "footer_text": [f"{stop_alert} {alert_label}", *footer_text],
                    "footer_html": [
                        f'{escape(stop_alert)} <a href="{escape(alert_label)}">{escape(alert_label)}</a>',
                        *footer_html,
                    ],
                    "intro": _("New openings for your job alert “%(name)s”:"),
                    "board": _("See every matching opening:"),
                    "alerts": _("Change or pause your alerts:"),
                    "alerts_url": site + reverse("saved:alerts"),
                    "board_url": site + reverse("matching:board"),
                    "opening_url": site + reverse("matching:opening", args=[_ID_SLOT]),
                    "alert_unsubscribe_url": site + reverse("saved:alert_unsubscribe", kwargs={"token": _SLOT}),
                    "unsubscribe_url": site + reverse("campaigns:unsubscribe", kwargs={"token": _SLOT}),
                    "prefectures": _prefecture_labels(language),
                }
        return self._parts[language]

    def _subject(self, language: str, n: int) -> str:
        if (language, n) not in self._subjects:
            with translation.override(language):
                self._subjects[(language, n)] = ngettext(
                    "%(n)s new job for “%(name)s”", "%(n)s new jobs for “%(name)s”", n
                )
        return self._subjects[(language, n)]

    def row(self, alert: dict, openings: list[_Opening]) -> OutboundEmail:
        language = mail_language(None, used=alert["user__language"])
        parts = self._language_parts(language)
        subject = self._subject(language, len(openings)) % {"n": len(openings), "name": alert["name"]}
        intro = parts["intro"] % {"name": alert["name"]}
        board_url = parts["board_url"] + "?" + saved_filters.as_query(alert["filters"]).urlencode()
        text = [intro, ""]
        html = [f"<p>{escape(intro)}</p><ul>"]
        for o in openings:
            place = " ".join(p for p in (parts["prefectures"].get(o.prefecture, ""), o.city) if p)
            link = parts["opening_url"].replace(str(_ID_SLOT), str(o.pk))
            text += [f"- {o.title} — {o.employer}, {place}", f"  {link}"]
            html.append(
                f'<li><a href="{escape(link)}">{escape(o.title)}</a><br>{escape(o.employer)}, {escape(place)}</li>'
            )
        text += ["", f"{parts['board']} {board_url}", f"{parts['alerts']} {parts['alerts_url']}", "", "--"]
        text += parts["footer_text"]
        html.append(
            f'</ul><p>{escape(parts["board"])} <a href="{escape(board_url)}">{escape(board_url)}</a><br>'
            f'{escape(parts["alerts"])} <a href="{escape(parts["alerts_url"])}">{escape(parts["alerts_url"])}</a></p>'
        )
        html.append("<hr><p>" + "<br>".join(parts["footer_html"]) + "</p>")
        user = User(pk=alert["user_id"])
        alert_token = unsubscribe_token(user, PURPOSE, alert_id=alert["pk"])
        purpose_token = unsubscribe_token(user, PURPOSE)
        return outbox.outbound_row(
            kind=emails.ALERT_DIGEST,
            recipient_id=alert["user_id"],
            to_email=alert["user__email"],
            language=language,
            stream=OutboundEmail.Stream.BROADCAST,
            purpose=PURPOSE,
            subject=subject,
            body_text="\n".join(text) + "\n",
            body_html="".join(html),
            headers={
                "List-Unsubscribe": f"<{parts['alert_label']}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            secrets={
                parts["alert_label"]: parts["alert_unsubscribe_url"].replace(_SLOT, alert_token),
                parts["purpose_label"]: parts["unsubscribe_url"].replace(_SLOT, purpose_token),
            },
        )
