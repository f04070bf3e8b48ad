"""Every write in matching: openings, applications, the pipeline, proposals."""

import base64
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Employer, StaffGroup, User
from accounts.permissions import in_staff_group
from accounts.selectors import employer_of, is_employer_admin, members_to_tell
from config import generations
from consents import access
from consents.access import is_restricted
from consents.models import FieldGroup, ShareGrant
from consents.services import Notice, share_grant_give
from matching import emails, invitations, rules, search
from matching.engine import MONTHLY, explain_candidate_row, rank_candidates, status_refusal
from matching.models import (
    CLOSED_STATES,
    EMPLOYER_TRANSITIONS,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationNote,
    ApplicationState,
    CompanyPage,
    ConversationRead,
    Interview,
    InterviewSlot,
    Message,
    MessageReport,
    MessageTemplate,
    Opening,
    PendingNotification,
    Proposal,
    RefusalReason,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointChange,
    WebhookEvent,
)
from matching.webhook_addresses import check_webhook_url
from outbox import broker
from outbox import services as outbox
from outbox.languages import mail_language
from profiles.models import (
    CandidateProfile,
    EmploymentType,
    JobCategory,
    Prefecture,
    QualificationKind,
    StatusOfResidence,
)
from profiles.photos import normalise_photo
from profiles.selectors import SectionState, missing_to_apply, profile_for_display
from profiles.services import profile_get_or_create, profile_update
from profiles.validators import age_on

# --- Company pages ----------------------------------------------------------------


def _admin_employer(actor: User) -> Employer:
    """The company whose public page the actor may write: its admins only."""
    if not is_employer_admin(actor):
        raise PermissionDenied
    return _employer_of(actor)


def _locked_page(employer: Employer) -> CompanyPage:
    CompanyPage.objects.get_or_create(employer=employer)
    return CompanyPage.objects.select_for_update().get(employer=employer)


@transaction.atomic
def company_page_save(*, actor: User, description: str, prefecture: Prefecture | None) -> CompanyPage:
    """The admin writes what the public reads about the company. The page
    holds nothing personal, so no ledger row: `updated_by` says who."""
    page = _locked_page(_admin_employer(actor))
    page.description = description
    page.prefecture = prefecture
    page.updated_by = actor
    page.full_clean()
    page.save()
    return page


def company_logo_store(*, actor: User, data: Any) -> CompanyPage:
    """A new logo through the photo pipeline (profiles.photos: size and
    pixel limits, real images only, re-encoded without metadata); raises
    PhotoRejected. The replaced file goes once the change is committed."""
    employer = _admin_employer(actor)
    processed = normalise_photo(data)  # before the transaction: decoding takes time
    with transaction.atomic():
        page = _locked_page(employer)
        replaced = page.logo.name if page.logo else ""
        page.logo.save("logo.jpg", ContentFile(processed.image), save=False)
        page.updated_by = actor
        page.save()
        if replaced:
            storage = page.logo.storage
            transaction.on_commit(lambda: storage.delete(replaced), robust=True)
    return page


@transaction.atomic
def company_logo_delete(*, actor: User) -> CompanyPage:
    page = _locked_page(_admin_employer(actor))
    removed, storage = page.logo.name, page.logo.storage
    page.logo = ""
    page.updated_by = actor
    page.save()
    if removed:
        transaction.on_commit(lambda: storage.delete(removed), robust=True)
    return page


# --- Openings -----------------------------------------------------------------


def _job(category: JobCategory, employment_type: EmploymentType, weekly_hours: int, adult_premises: bool) -> rules.Job:
    return rules.Job(category.pk, employment_type.pk, weekly_hours, adult_premises)


def default_statuses(
    *,
    category: JobCategory,
    employment_type: EmploymentType,
    weekly_hours: int,
    adult_entertainment_premises: bool = False,
) -> list[StatusOfResidence]:
    """Statuses whose work rules can cover this job (someone holding it
    could take it): unrestricted statuses, the statuses whose activity covers
    the category with this employment type and these hours, and statuses that
    allow it with permission for activity outside status (students and
    dependents up to 28 hours a week). Never a status that binds its holder
    to another organisation, nor one whose designation is unknown, nor, at
    an adult entertainment business, one that may never work there."""
    book = rules.RuleBook.current()
    job = _job(category, employment_type, weekly_hours, adult_entertainment_premises)
    return [s for s in StatusOfResidence.objects.filter(active=True) if book.opening_verdict(s.pk, job) == rules.OK]


def refused_statuses(
    *,
    category: JobCategory,
    employment_type: EmploymentType,
    weekly_hours: int,
    statuses: Iterable[StatusOfResidence],
    adult_entertainment_premises: bool = False,
) -> list[str]:
    """Why each of these statuses cannot cover the job, in words for the
    employer (empty when all can). An employer must not be able to accept a
    status whose activity cannot cover the work: hiring outside a status of
    residence is an offence (不法就労助長罪)."""
    book = rules.RuleBook.current()
    job = Opening(
        category=category,
        employment_type=employment_type,
        weekly_hours=weekly_hours,
        adult_entertainment_premises=adult_entertainment_premises,
    )
    rule_job = rules.Job.of(job)
    reasons = []
    for status in statuses:
        verdict = book.opening_verdict(status.pk, rule_job)
        if verdict != rules.OK:
            reasons.append(
                _("%(status)s cannot be accepted: %(why)s")
                % {"status": status.label, "why": status_refusal(book, status, verdict, job)}
            )
    return reasons


def _employer_of(actor: User) -> Employer:
    employer = employer_of(actor)
    if employer is None:
        raise PermissionDenied
    return employer


def monthly(amount: int, period: str) -> int:
    """A salary per month (engine.MONTHLY: 160 hours a month [M], a year in twelve)."""
    factor = MONTHLY.get(period, 1)
    return amount // 12 if factor is None else amount * factor


def opening_search_fields(opening: Opening) -> None:
    """Fill the opening's denormalised search columns (not saved). An
    opening without its place, kind of work or salary is left for
    full_clean to refuse."""
    if None in (opening.prefecture_id, opening.category_id, opening.salary_min, opening.salary_max):
        return
    opening.search_text, opening.search_grams = search.search_text_of(opening)
    opening.monthly_salary_min = monthly(opening.salary_min, opening.salary_period)
    opening.monthly_salary_max = monthly(opening.salary_max, opening.salary_period)


def openings_search_rebuild(*, batch_size: int = 500) -> int:
    """Rewrite every opening's search columns (after staff edit readings in
    the admin, or a company renames itself). Batches of `batch_size`, each
    in its own transaction; returns how many openings were rewritten."""
    done = 0
    last = 0
    fields = ["search_text", "search_grams", "monthly_salary_min", "monthly_salary_max"]
    while True:
        batch = list(
            Opening.objects.filter(pk__gt=last)
            .select_related("employer", "prefecture", "category")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            # bulk_update sends no signal: cached pages and searches go here.
            generations.bump(generations.OPENINGS)
            return done
        for opening in batch:
            opening_search_fields(opening)
        with transaction.atomic():
            Opening.objects.bulk_update(batch, fields)
        done += len(batch)
        last = batch[-1].pk


@transaction.atomic
def opening_save(
    *,
    actor: User,
    opening: Opening,
    statuses: Iterable[StatusOfResidence] | None = None,
    qualifications: Iterable[QualificationKind] | None = None,
) -> Opening:
    """Create or edit an opening of the actor's own employer. Without chosen
    statuses, the defaults derived from the category apply; chosen statuses
    must be ones whose work rules can cover the job (ValidationError naming
    each refused status and why)."""
    employer = _employer_of(actor)
    if opening.pk and opening.employer_id != employer.pk:
        raise PermissionDenied
    opening.employer = employer
    if not opening.pk:
        opening.created_by = actor
    opening.required_scale = opening.required_level.scale if opening.required_level is not None else 0
    opening_search_fields(opening)
    opening.full_clean()
    job: dict[str, Any] = {
        "category": opening.category,
        "employment_type": opening.employment_type,
        "weekly_hours": opening.weekly_hours,
        "adult_entertainment_premises": opening.adult_entertainment_premises,
    }
    if statuses:
        refused = refused_statuses(**job, statuses=statuses)
        if refused:
            raise ValidationError({"accepted_statuses": refused})
    else:
        statuses = default_statuses(**job)
    opening.save()
    opening.accepted_statuses.set(statuses)
    opening.required_qualifications.set(qualifications or [])
    return opening


@transaction.atomic
def opening_publish(*, actor: User, opening: Opening) -> Opening:
    if opening.employer_id != _employer_of(actor).pk:
        raise PermissionDenied
    if opening.closes_on and opening.closes_on < timezone.localdate():
        raise ValidationError(_("The closing date has passed: change it before publishing."))
    opening.state = Opening.State.OPEN
    opening.published_at = opening.published_at or timezone.now()
    opening.unpublished_reason = ""
    opening.save(update_fields=["state", "published_at", "unpublished_reason", "updated_at"])
    return opening


@transaction.atomic
def opening_close(*, actor: User, opening: Opening) -> Opening:
    if opening.employer_id != _employer_of(actor).pk:
        raise PermissionDenied
    opening.state = Opening.State.CLOSED
    opening.save(update_fields=["state", "updated_at"])
    return opening


@transaction.atomic
def opening_unpublish(*, actor: User, opening: Opening, reason: str) -> Opening:
    """Staff take any opening off the board, with a reason the employer sees."""
    if not actor.is_staff_member:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give the reason: the employer will see it."))
    opening.state = Opening.State.CLOSED
    opening.unpublished_reason = reason.strip()
    opening.unpublished_by = actor
    opening.save(update_fields=["state", "unpublished_reason", "unpublished_by", "updated_at"])
    for member in members_to_tell(opening.employer_id):
        _message(
            member,
            subject=lambda: _("Your opening “%(title)s” was unpublished") % {"title": opening.title},
            body=lambda: (
                _("Tsunagu staff took it off the job board. Reason: %(reason)s")
                % {"reason": opening.unpublished_reason}
            ),
            url=reverse("matching:employer_opening", args=[opening.pk]),
            opening=opening,
        )
    return opening


# --- Applications ------------------------------------------------------------------


class ApplicationBlocked(Exception):
    """Why a candidate cannot apply to an opening (or accept a proposal of
    it) now. Pages and the API render each kind in their own way, by `code`."""

    code = "blocked"


class AlreadyApplied(ApplicationBlocked):
    code = "already_applied"

    def __init__(self, application: Application):
        super().__init__("already applied")
        self.application = application


class OpeningNotAccepting(ApplicationBlocked):
    code = "opening_not_accepting"

    def __init__(self):
        super().__init__("the opening does not accept applications")


class ProfileIncomplete(ApplicationBlocked):
    code = "profile_incomplete"

    def __init__(self, missing: list[SectionState]) -> None:
        super().__init__("profile incomplete")
        self.missing = missing


class TooYoung(ApplicationBlocked):
    """Under the minimum working age on the opening's start date (Labour
    Standards Act Art. 56; TSUNAGU_MINIMUM_WORKING_AGE)."""

    code = "too_young"

    def __init__(self, minimum_age: int):
        super().__init__("under the minimum working age")
        self.minimum_age = minimum_age


class UseRestricted(ApplicationBlocked):
    """The candidate restricted the use of their data (APPI Art. 35, GDPR
    Art. 18): no employer may see them, so sharing cannot start."""

    code = "use_restricted"

    def __init__(self):
        super().__init__("use of the data restricted")


def application_check(*, candidate: User, opening: Opening) -> ApplicationBlocked | None:
    """What stops this candidate applying now, or None."""
    existing = Application.objects.filter(opening=opening, candidate=candidate).first()
    if existing:
        return AlreadyApplied(existing)
    if not opening.is_accepting:
        return OpeningNotAccepting()
    if is_restricted(candidate):
        return UseRestricted()
    profile = profile_for_display(profile_get_or_create(user=candidate).pk)
    # Only what an application needs (docs/apply-ready.md); the rest of the
    # profile can follow.
    missing = missing_to_apply(profile)
    if missing:
        return ProfileIncomplete(missing)
    minimum = settings.TSUNAGU_MINIMUM_WORKING_AGE
    start = max(opening.start_date, timezone.localdate())
    if profile.date_of_birth and age_on(profile.date_of_birth, start) < minimum:
        return TooYoung(minimum)
    return None


@transaction.atomic
def ready_to_apply_save(*, candidate: User, opening: Opening, data: dict, note_preferences: bool) -> CandidateProfile:
    """Save what the "ready to apply" page asked (only what was missing) and,
    if the candidate left the box ticked, note the opening's kind of work,
    prefecture and employment type as what they look for, where their
    profile says nothing yet: nothing is asked twice."""
    profile = profile_get_or_create(user=candidate)
    data = dict(data)
    if note_preferences:
        for name, value in (
            ("desired_categories", opening.category),
            ("desired_prefectures", opening.prefecture),
            ("desired_employment_types", opening.employment_type),
        ):
            if not getattr(profile, name).exists():
                data[name] = [value]
    return profile_update(actor=candidate, profile=profile, data=data)


@transaction.atomic
def application_submit(
    *,
    candidate: User,
    opening: Opening,
    groups: set[str],
    notice: Notice,
    origin: str = ShareGrant.Origin.APPLICATION,
) -> Application:
    """Apply: the share grant and the application in one transaction; a
    double submit makes one; the employer's members are told. `origin` is
    recorded on the grant and in its ledger row (an accepted proposal)."""
    if not candidate.is_candidate:
        raise PermissionDenied
    User.objects.select_for_update().filter(pk=candidate.pk).first()
    blocked = application_check(candidate=candidate, opening=opening)
    if blocked is not None:
        raise blocked
    grant = share_grant_give(
        candidate=candidate,
        employer=opening.employer,
        groups=groups,
        notice=notice,
        origin=origin,
    )
    try:
        with transaction.atomic():
            application = Application.objects.create(opening=opening, candidate=candidate, grant=grant)
    except IntegrityError:
        raise AlreadyApplied(Application.objects.get(opening=opening, candidate=candidate)) from None
    ApplicationEvent.objects.create(
        application=application, from_state="", to_state=ApplicationState.APPLIED, actor=candidate
    )
    _application_created(application)
    for member in members_to_tell(opening.employer_id):
        _message(
            member,
            subject=lambda: _("New application for “%(title)s”") % {"title": opening.title},
            body=lambda: _("A candidate applied and shared their profile with your company."),
            url=reverse("matching:employer_application", args=[application.pk]),
            opening=opening,
        )
    _message(
        candidate,
        subject=lambda: _("Your application to %(employer)s was sent") % {"employer": opening.employer.legal_name},
        body=lambda: _("We will tell you each time its state changes."),
        url=reverse("matching:my_application", args=[application.pk]),
        opening=opening,
    )
    return application


def _check_employer(actor: User, application: Application) -> None:
    if application.opening.employer_id != _employer_of(actor).pk:
        raise PermissionDenied


@transaction.atomic
def application_move(
    *,
    actor: User,
    application: Application,
    to_state: str,
    refusal_reason: str = "",
    tell_reason: bool = False,
) -> Application:
    """Move an application along the pipeline; the candidate is told. "Not
    selected" may carry a reason (RefusalReason), kept private to the
    employer unless `tell_reason`; the candidate gets a courteous message in
    their language either way."""
    _check_employer(actor, application)
    if refusal_reason and (to_state != ApplicationState.NOT_SELECTED or refusal_reason not in RefusalReason.values):
        raise ValidationError(_("Choose one of the reasons in the list."))
    # Lock the application row only: `candidate` is nullable (an outer join),
    # which PostgreSQL cannot lock.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("opening__employer", "candidate")
        .get(pk=application.pk)
    )
    if to_state not in EMPLOYER_TRANSITIONS.get(application.state, set()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": ApplicationState(application.state).label,
                "to": ApplicationState(to_state).label if to_state in ApplicationState.values else to_state,
            }
        )
    _transition(application, to_state, actor)
    if to_state == ApplicationState.NOT_SELECTED:
        application.refusal_reason = refusal_reason
        application.refusal_reason_told = bool(refusal_reason) and tell_reason
        application.save(update_fields=["refusal_reason", "refusal_reason_told"])
    if application.candidate is not None:
        _message(
            application.candidate,
            subject=lambda: (
                _("Your application to %(employer)s: %(state)s")
                % {"employer": application.opening.employer.legal_name, "state": ApplicationState(to_state).label}
            ),
            body=lambda: (
                refusal_text(application)
                if to_state == ApplicationState.NOT_SELECTED
                else _("The opening: %(title)s.") % {"title": application.opening.title}
            ),
            url=reverse("matching:my_application", args=[application.pk]),
            opening=application.opening,
        )
    return application


def _transition(application: Application, to_state: str, actor: User) -> None:
    now = timezone.now()
    from_state = application.state
    ApplicationEvent.objects.create(
        application=application, from_state=from_state, to_state=to_state, actor=actor, occurred_at=now
    )
    application.state = to_state
    application.updated_at = now
    if to_state in CLOSED_STATES:
        application.closed_at = now
    application.save(update_fields=["state", "updated_at", "closed_at"])
    _application_state_changed(application, from_state)
    if to_state in CLOSED_STATES:
        # Only what is still ahead: an interview that took place stays in
        # both calendars (no CANCEL for it when the candidate is hired).
        for interview in Interview.objects.filter(application=application).filter(upcoming_interviews(now)):
            _interview_cancelled(interview, actor=actor, closed_as=to_state)


def upcoming_interviews(now: datetime) -> Q:
    """Interviews still ahead: times offered or asked for, or a scheduled
    time that has not come yet."""
    return Q(state__in=[Interview.State.PROPOSED, Interview.State.OTHER_TIMES]) | Q(
        state=Interview.State.SCHEDULED, starts_at__gt=now
    )


@transaction.atomic
def application_withdraw(*, candidate: User, application: Application) -> Application:
    application = Application.objects.select_for_update().select_related("opening__employer").get(pk=application.pk)
    if application.candidate_id != candidate.pk:
        raise PermissionDenied
    if application.state in CLOSED_STATES:
        return application
    _transition(application, ApplicationState.WITHDRAWN, candidate)
    for member in members_to_tell(application.opening.employer_id):
        _message(
            member,
            subject=lambda: _("An application for “%(title)s” was withdrawn") % {"title": application.opening.title},
            body=lambda: _("The candidate withdrew their application."),
            url=reverse("matching:employer_opening", args=[application.opening_id]),
            opening=application.opening,
        )
    return application


@transaction.atomic
def application_note_add(*, actor: User, application: Application, body: str, visible: bool) -> ApplicationNote:
    """Notes need the candidate's data to be visible to the employer now."""
    _check_employer(actor, application)
    if not visible:
        raise PermissionDenied
    note = ApplicationNote(application=application, author=actor, body=body.strip())
    note.full_clean()
    note.save()
    return note


# --- Proposals ------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *, actor: User, opening: Opening, candidate: User, message: str = "", override_reason: str = ""
) -> Proposal:
    """Staff propose an opening to a candidate open to proposals. The engine
    advises, a person decides (GDPR Art. 22): a candidate the rules mark
    ineligible may be proposed only with the coordinator's reason, which is
    kept with the proposal (with what the rules said) and shown to the
    candidate."""
    if not in_staff_group(actor, StaffGroup.COORDINATOR):
        raise PermissionDenied
    profile = CandidateProfile.objects.filter(user=candidate).first()
    row = rank_candidates(opening, eligible_only=False).filter(pk=profile.pk).first() if profile else None
    if row is None:
        raise ValidationError(_("This candidate is not open to proposals."))
    reason = override_reason.strip()
    advice = ""
    if not row.eligible:
        if not reason:
            raise ValidationError(
                _(
                    "Our rules mark this candidate ineligible for this opening. To propose it anyway, give your "
                    "reason: it is kept with the proposal and shown to the candidate."
                )
            )
        advice = "\n".join(explain_candidate_row(row, opening).gaps)
    else:
        reason = ""
    if (
        Proposal.objects.filter(opening=opening, candidate=candidate).exists()
        or Application.objects.filter(opening=opening, candidate=candidate).exists()
    ):
        raise ValidationError(_("This candidate was already proposed this opening or applied to it."))
    proposal = Proposal(
        opening=opening,
        candidate=candidate,
        proposed_by=actor,
        message=message.strip(),
        override_reason=reason,
        engine_advice=advice,
    )
    proposal.full_clean()
    proposal.save()
    _message(
        candidate,
        subject=lambda: _("Tsunagu suggests an opening at %(employer)s") % {"employer": opening.employer.legal_name},
        body=lambda: (
            _("“%(title)s”. The employer sees nothing about you unless you accept.") % {"title": opening.title}
        ),
        url=reverse("matching:my_proposal", args=[proposal.pk]),
        opening=opening,
    )
    return proposal


@transaction.atomic
def proposal_accept(*, candidate: User, proposal: Proposal, groups: set[str], notice: Notice) -> Application:
    proposal = Proposal.objects.select_for_update().select_related("opening__employer").get(pk=proposal.pk)
    if proposal.candidate_id != candidate.pk:
        raise PermissionDenied
    if proposal.state == Proposal.State.ACCEPTED and proposal.application is not None:
        return proposal.application
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError(_("This proposal is no longer open."))
    application = application_submit(
        candidate=candidate,
        opening=proposal.opening,
        groups=groups,
        notice=notice,
        origin=ShareGrant.Origin.PROPOSAL,
    )
    proposal.state = Proposal.State.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.application = application
    proposal.save(update_fields=["state", "decided_at", "application"])
    return application


@transaction.atomic
def proposal_decline(*, candidate: User, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.candidate_id != candidate.pk:
        raise PermissionDenied
    if proposal.state == Proposal.State.PENDING:
        proposal.state = Proposal.State.DECLINED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["state", "decided_at"])
    return proposal


# --- Messages ----------------------------------------------------------------------------


def _message(
    recipient: User,
    *,
    subject: Callable[[], object],
    body: Callable[[], object],
    url: str = "",
    opening: Opening | None = None,
    attachments: Callable[[], list[dict[str, str]]] | None = None,
) -> Message:
    """A message in the recipient's language (subject and body are callables
    evaluated there): shown on their page, and emailed through the outbox in
    the same transaction. A notice about an opening names it and its
    employer on its last line."""
    language = mail_language(recipient)
    url = _page_in(url, language)
    with translation.override(language):
        subject_text, body_text = str(subject())[:200], str(body())
        if opening is not None:
            body_text += "\n" + _("Opening: “%(title)s” at %(employer)s.") % {
                "title": opening.title,
                "employer": opening.employer.legal_name,
            }
        files = attachments() if attachments is not None else []
    message = Message.objects.create(recipient=recipient, subject=subject_text, body=body_text, url=url)
    if recipient.is_active:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else ""
        outbox.enqueue(
            kind=emails.NOTICE,
            to_email=recipient.email,
            recipient=recipient,
            language=language,
            subject=subject_text,
            body_text=body_text + link,
            attachments=files,
        )
    return message


def _page_in(url: str, language: str) -> str:
    """The page `url` (reversed in the actor's language, or in none by a
    job of Celery beat) in `language`: a notice links to the page its
    reader reads."""
    if not url:
        return url
    with translation.override(translation.get_language_from_path(url) or translation.get_language()):
        return translate_url(url, language)


def messages_mark_read(*, recipient: User, messages: Iterable[Message]) -> int:
    """The messages of a page the person has now seen."""
    ids = [m.pk for m in messages if m.read_at is None]
    if not ids:
        return 0
    return Message.objects.filter(recipient=recipient, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


# --- Webhooks ------------------------------------------------------------------------------

DELIVER_WEBHOOK_TASK = "matching.tasks.deliver_webhook"
# After a rotation the previous signing secret signs too, this long.
WEBHOOK_SECRET_OVERLAP = timedelta(hours=24)


@dataclass
class IssuedEndpoint:
    """An endpoint just added, with its signing secret (shown once)."""

    endpoint: WebhookEndpoint
    secret: str


def _endpoint_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def webhook_endpoint_add(*, actor: User, url: str, events: list[str]) -> IssuedEndpoint:
    employer = _employer_of(actor)
    if not is_employer_admin(actor):
        raise PermissionDenied
    chosen = _chosen_events(events)
    check_webhook_url(url)
    secret = _endpoint_secret()
    endpoint = WebhookEndpoint(employer=employer, url=url, secret=secret, events=chosen, created_by=actor)
    endpoint.full_clean()
    endpoint.save()
    return IssuedEndpoint(endpoint=endpoint, secret=secret)


@transaction.atomic
def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str, actor: User | None = None) -> WebhookEndpoint:
    """Stop sending to an endpoint (its admin did, or it failed too often:
    then the company's admins are told, in their language)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if actor is not None and (not is_employer_admin(actor) or endpoint.employer_id != _employer_of(actor).pk):
        raise PermissionDenied
    if endpoint.disabled_at is not None:
        return endpoint
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["disabled_at", "disabled_reason"])
    WebhookDelivery.objects.filter(endpoint=endpoint, state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, last_error="endpoint disabled"
    )
    if actor is None:
        for member in members_to_tell(endpoint.employer_id, admins_only=True):
            _message(
                member,
                subject=lambda: _("Webhooks to %(url)s were stopped") % {"url": endpoint.url[:100]},
                body=lambda: (
                    _(
                        "Deliveries to this address failed %(count)s times in a row, so we stopped sending to it. "
                        "Fix the receiver, then start it again on your webhooks page. Meanwhile your system can poll "
                        "the API with updated_since."
                    )
                    % {"count": endpoint.consecutive_failures}
                ),
                url=reverse("matching:employer_webhooks"),
            )
    return endpoint


def _own_endpoint_for_update(actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """The endpoint, locked, if the actor is an admin of its company."""
    if not is_employer_admin(actor) or endpoint.employer_id != _employer_of(actor).pk:
        raise PermissionDenied
    return WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)


def _chosen_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen or not set(chosen) <= set(WebhookEvent.values):
        raise ValidationError({"events": _("Choose at least one of the listed events.")})
    return chosen


@transaction.atomic
def webhook_endpoint_update(
    *,
    actor: User,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: Iterable[str] | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change a receiver's address or events, stop it or start it again
    (the address is checked again, as when it was added; starting again
    forgets the failures that stopped it). Only what is given changes."""
    endpoint = _own_endpoint_for_update(actor, endpoint)
    fields: list[str] = []
    if url is not None and url != endpoint.url:
        check_webhook_url(url)
        endpoint.url = url
        fields.append("url")
    if events is not None:
        endpoint.events = _chosen_events(events)
        fields.append("events")
    if active is True and endpoint.disabled_at is not None:
        check_webhook_url(endpoint.url)  # DNS may have changed since it was added
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
        endpoint.consecutive_failures = 0
        fields += ["disabled_at", "disabled_reason", "consecutive_failures"]
    if fields:
        endpoint.full_clean()
        endpoint.save(update_fields=fields)
    if active is False and endpoint.disabled_at is None:
        endpoint = webhook_endpoint_disable(endpoint=endpoint, reason=_("Stopped by your admin"), actor=actor)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, actor: User, endpoint: WebhookEndpoint) -> None:
    """Remove a receiver and its delivery log; nothing more is sent to it
    (a queued delivery finds its row gone)."""
    _own_endpoint_for_update(actor, endpoint).delete()


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, actor: User, endpoint: WebhookEndpoint, stop_previous: bool = False
) -> IssuedEndpoint:
    """A new signing secret, shown once. For WEBHOOK_SECRET_OVERLAP every
    delivery, retries included, is signed with the new and the previous
    secret (Standard Webhooks: several signatures in webhook-signature), so
    the receiver keeps working until its operator switches it; then with
    the new one alone. Rotating again ends the previous secret's overlap at
    once (the secret before it is replaced).

    `stop_previous` (a leaked secret): no overlap. From this commit every
    delivery, retries of earlier events included, is signed with the new
    secret alone, and no secret before it is kept. The receiver fails to
    verify until it has the new one (retries and the delivery log cover
    the gap). Either way the change is in the receiver's history
    (WebhookEndpointChange)."""
    endpoint = _own_endpoint_for_update(actor, endpoint)
    if stop_previous:
        endpoint.previous_secret = ""
        endpoint.previous_secret_until = None
    else:
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = timezone.now() + WEBHOOK_SECRET_OVERLAP
    endpoint.secret = _endpoint_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    WebhookEndpointChange.objects.create(
        employer_id=endpoint.employer_id,
        endpoint=endpoint,
        url=endpoint.url,
        action=WebhookEndpointChange.Action.SECRET_REPLACED
        if stop_previous
        else WebhookEndpointChange.Action.SECRET_ROTATED,
        actor=actor,
    )
    return IssuedEndpoint(endpoint=endpoint, secret=endpoint.secret)


def webhook_previous_secrets_drop(*, now: datetime | None = None) -> int:
    """Forget the previous secrets whose overlap is over (Celery beat,
    hourly; deliveries stop signing with them at the minute, this run or not)."""
    return WebhookEndpoint.objects.filter(previous_secret_until__lte=now or timezone.now()).update(
        previous_secret="", previous_secret_until=None
    )


def _emit(endpoints, event_type: str, data: dict) -> list[WebhookDelivery]:
    deliveries = []
    for endpoint in endpoints:
        delivery = WebhookDelivery(endpoint=endpoint, event_type=event_type, payload={})
        delivery.payload = {
            "id": str(delivery.event_id),
            "type": event_type,
            "timestamp": timezone.now().isoformat(),
            "data": data,
        }
        delivery.save()
        broker.send_task_on_commit(DELIVER_WEBHOOK_TASK, delivery.pk)
        deliveries.append(delivery)
    return deliveries


def webhook_event_emit(*, employer_id: int, event_type: str, data: dict) -> list[WebhookDelivery]:
    """An event for the employer's active endpoints that asked for it: rows
    now, in the caller's transaction; sent after the commit. Payloads carry
    identifiers and states only: what a candidate shares is read through
    the API, where the grant decides and each look is recorded."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(employer_id=employer_id, disabled_at__isnull=True)
        if event_type in e.events
    ]
    return _emit(endpoints, event_type, data)


@transaction.atomic
def webhook_test_send(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    if not is_employer_admin(actor) or endpoint.employer_id != _employer_of(actor).pk:
        raise PermissionDenied
    if endpoint.disabled_at is not None:
        raise ValidationError(_("This endpoint is stopped."))
    return _emit([endpoint], "webhook.test", {"message": "Test event from Tsunagu"})[0]


def _profile_id_of(user_id: int | None) -> int | None:
    if user_id is None:
        return None
    return CandidateProfile.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


def _application_created(application: Application) -> None:
    profile_id = _profile_id_of(application.candidate_id)
    webhook_event_emit(
        employer_id=application.opening.employer_id,
        event_type=WebhookEvent.APPLICATION_CREATED,
        data={
            "application": application.pk,
            "opening": application.opening_id,
            "state": application.state,
            "candidate_profile": profile_id,
        },
    )


def _application_state_changed(application: Application, from_state: str) -> None:
    webhook_event_emit(
        employer_id=application.opening.employer_id,
        event_type=WebhookEvent.APPLICATION_STATE_CHANGED,
        data={
            "application": application.pk,
            "opening": application.opening_id,
            "from_state": from_state,
            "state": application.state,
        },
    )


def webhook_grant_ended(*, grant: ShareGrant, reason: str) -> None:
    """A candidate's consent to an employer ended: the employer's system is
    told to delete what it holds about them (Data Use Agreement)."""
    event_type = WebhookEvent.GRANT_EXPIRED if reason == ShareGrant.EndReason.EXPIRED else WebhookEvent.GRANT_WITHDRAWN
    profile_id = _profile_id_of(grant.candidate_id)
    applications = Application.objects.filter(opening__employer_id=grant.employer_id, candidate_id=grant.candidate_id)
    webhook_event_emit(
        employer_id=grant.employer_id,
        event_type=event_type,
        data={
            "candidate_profile": profile_id,
            "applications": sorted(applications.values_list("pk", flat=True)),
            "action": "delete_candidate_data",
        },
    )


# --- The conversation on an application ----------------------------------------------------


class ConversationClosed(Exception):
    """The candidate no longer shares their profile with the employer (the
    grant was withdrawn or expired, a restriction or a screening decision is
    in force): nobody writes in the conversation any more."""


# A residence card number (two letters, eight digits, two letters): the
# portal never collects it (the Terms' "sensitive personal information that
# must not be collected"), so a message carrying one is refused.
RESIDENCE_CARD_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\s?\d{8}\s?[A-Za-z]{2}(?![A-Za-z0-9])")
# A double submit (the same text from the same person within this time) lands on the one message.
DUPLICATE_WINDOW = timedelta(seconds=60)


def message_moderation_check(body: str) -> None:
    """What the prohibited-content list lets the portal refuse before anyone
    reads a message (everything else is reported and decided by staff)."""
    if RESIDENCE_CARD_NUMBER.search(body):
        raise ValidationError(
            _(
                "Please do not send a residence card number: Tsunagu never asks for it. "
                "Your status of residence and its expiry are on your profile."
            )
        )


def _conversation_side(author: User, application: Application) -> str:
    """Which side the author writes from, if they may write at all now."""
    employer = application.opening.employer
    if author.is_candidate:
        if application.candidate_id != author.pk:
            raise PermissionDenied
        if not access.shares_with(author.pk, employer):
            raise ConversationClosed
        return ApplicationMessage.Side.CANDIDATE
    if author.is_employer_member:
        _check_employer(author, application)
        if not access.may_see_candidate(author, application.candidate_id):
            raise ConversationClosed
        return ApplicationMessage.Side.EMPLOYER
    raise PermissionDenied


def _recipients(application: Application, side: str) -> list[User]:
    if side == ApplicationMessage.Side.EMPLOYER:
        return [application.candidate] if application.candidate is not None else []
    return members_to_tell(application.opening.employer_id)


@transaction.atomic
def application_message_send(*, author: User, application: Application, body: str) -> ApplicationMessage:
    """A message from the candidate or a member of the employer. The other
    side is emailed later, in one digest per conversation
    (`conversation_digests_send`)."""
    application = Application.objects.select_related("opening__employer", "candidate").get(pk=application.pk)
    side = _conversation_side(author, application)
    body = body.strip()
    message_moderation_check(body)
    now = timezone.now()
    duplicate = (
        ApplicationMessage.objects.filter(
            application=application, author=author, body=body, created_at__gte=now - DUPLICATE_WINDOW
        )
        .order_by("-created_at")
        .first()
    )
    if duplicate is not None:
        return duplicate
    message = ApplicationMessage(application=application, author=author, side=side, body=body, created_at=now)
    message.full_clean()
    message.save()
    _conversation_read(user=author, application=application, at=now)
    for recipient in _recipients(application, side):
        if recipient.pk != author.pk:
            _notify_later(recipient, application, now)
    return message


def _notify_later(recipient: User, application: Application, now: datetime) -> None:
    updated = PendingNotification.objects.filter(recipient=recipient, application=application).update(
        count=F("count") + 1, last_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                PendingNotification.objects.create(
                    recipient=recipient, application=application, first_at=now, last_at=now
                )
        except IntegrityError:  # written by a concurrent message meanwhile
            PendingNotification.objects.filter(recipient=recipient, application=application).update(
                count=F("count") + 1, last_at=now
            )


def _conversation_read(*, user: User, application: Application, at: datetime) -> None:
    ConversationRead.objects.update_or_create(application=application, user=user, defaults={"read_at": at})


def conversation_mark_read(*, user: User, application: Application) -> None:
    """The person has now seen the conversation (its digest is no longer needed)."""
    now = timezone.now()
    _conversation_read(user=user, application=application, at=now)
    PendingNotification.objects.filter(recipient=user, application=application, last_at__lte=now).delete()


def conversation_digests_send(*, now: datetime | None = None) -> int:
    """One email per recipient and conversation with new messages, once the
    conversation has been quiet for TSUNAGU_MESSAGE_DIGEST["quiet"] seconds
    or its first unsent message waited TSUNAGU_MESSAGE_DIGEST["max_wait"]
    seconds. Run every minute by Celery beat. Returns how many were sent."""
    now = now or timezone.now()
    config = settings.TSUNAGU_MESSAGE_DIGEST
    due = PendingNotification.objects.filter(
        Q(last_at__lte=now - timedelta(seconds=config["quiet"]))
        | Q(first_at__lte=now - timedelta(seconds=config["max_wait"]))
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:1000]):
        sent += _digest_send(pk)
    return sent


@transaction.atomic
def _digest_send(pk: int) -> int:
    row = (
        PendingNotification.objects.select_for_update(of=("self",))
        .select_related("recipient", "application__opening__employer")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        return 0
    row.delete()
    recipient, application = row.recipient, row.application
    if not recipient.is_active:
        return 0
    # An employer member is told only while the candidate is visible to them.
    if recipient.is_employer_member and not access.may_see_candidate(recipient, application.candidate_id):
        return 0
    name = "matching:my_application" if recipient.is_candidate else "matching:employer_application"
    with translation.override(mail_language(recipient)):
        url = reverse(name, args=[application.pk]) + "#conversation"
    opening = application.opening
    outbox.enqueue_templated(
        kind=emails.CONVERSATION_DIGEST,
        to=recipient,
        context={
            "count": row.count,
            "title": opening.title,
            "employer": opening.employer.legal_name,
            "to_candidate": recipient.is_candidate,
            "url": settings.SITE_URL.rstrip("/") + url,
        },
        subject=lambda: (
            _("New messages about “%(title)s” (%(employer)s)")
            % {"title": opening.title, "employer": opening.employer.legal_name}
        ),
    )
    return 1


@transaction.atomic
def message_report_create(
    *, actor: User, message: ApplicationMessage, category: str, details: str = ""
) -> MessageReport:
    """A participant reports a message of the other side (staff decide)."""
    application = message.application
    if actor.is_candidate:
        if application.candidate_id != actor.pk:
            raise PermissionDenied
    elif actor.is_employer_member:
        _check_employer(actor, application)
        if not access.may_see_candidate(actor, application.candidate_id):
            raise ConversationClosed
    else:
        raise PermissionDenied
    existing = MessageReport.objects.filter(message=message, reported_by=actor, state=MessageReport.State.OPEN).first()
    if existing is not None:
        return existing
    report = MessageReport(message=message, reported_by=actor, category=category, details=details.strip())
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def message_report_decide(*, actor: User, report: MessageReport, hide: bool) -> MessageReport:
    """Staff hide the reported message (for both sides) or dismiss the report."""
    if not in_staff_group(actor, StaffGroup.COORDINATOR, StaffGroup.SUPPORT):
        raise PermissionDenied
    report = MessageReport.objects.select_for_update(of=("self",)).select_related("message").get(pk=report.pk)
    now = timezone.now()
    report.state = MessageReport.State.HIDDEN if hide else MessageReport.State.DISMISSED
    report.decided_by, report.decided_at = actor, now
    report.save(update_fields=["state", "decided_by", "decided_at"])
    if hide:
        message = report.message
        message.hidden_at = now
        message.hidden_reason = report.get_category_display()
        message.save(update_fields=["hidden_at", "hidden_reason"])
        # Every open report of the same message is decided with it.
        MessageReport.objects.filter(message=message, state=MessageReport.State.OPEN).update(
            state=MessageReport.State.HIDDEN, decided_by=actor, decided_at=now
        )
    return report


# --- Interviews ------------------------------------------------------------------------------------

MAX_SLOTS = 5


def when_jst(moment: datetime) -> str:
    """A time as mail and notices write it: Japan time, with its offset."""
    return f"{moment.astimezone(invitations.JST):%Y-%m-%d %H:%M} JST (UTC+09:00)"


def _interview_details(interview: Interview) -> str:
    lines = []
    if interview.place:
        lines.append(_("Place: %(place)s") % {"place": interview.place})
    if interview.video_url:
        lines.append(_("Video link: %(url)s") % {"url": interview.video_url})
    if interview.interviewers:
        lines.append(_("Interviewers: %(names)s") % {"names": interview.interviewers})
    lines.append(_("Length: %(minutes)s minutes") % {"minutes": interview.duration_minutes})
    return "\n".join(lines)


def _employer_may_act(actor: User, application: Application) -> None:
    _check_employer(actor, application)
    if not access.may_see_candidate(actor, application.candidate_id):
        raise ConversationClosed


@transaction.atomic
def interview_propose(
    *,
    actor: User,
    application: Application,
    slots: list[datetime],
    duration_minutes: int = 60,
    place: str = "",
    video_url: str = "",
    interviewers: str = "",
    note: str = "",
) -> Interview:
    """An employer member offers times for an interview (or new times for
    the application's current one: a reschedule keeps its UID). The
    application moves to "interview" if it is not there yet, and the
    candidate is told, with each time in Japan time."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("opening__employer", "candidate")
        .get(pk=application.pk)
    )
    _employer_may_act(actor, application)
    if application.state in CLOSED_STATES:
        raise ValidationError(_("This application is closed."))
    now = timezone.now()
    times = sorted(set(slots))
    if not times:
        raise ValidationError(_("Propose at least one time."))
    if len(times) > MAX_SLOTS:
        raise ValidationError(_("Propose at most %(n)s times.") % {"n": MAX_SLOTS})
    if any(moment <= now for moment in times):
        raise ValidationError(_("Every time you propose must be in the future."))
    interview = (
        Interview.objects.select_for_update()
        .filter(application=application)
        .exclude(state=Interview.State.CANCELLED)
        .first()
    ) or Interview(application=application)
    interview.duration_minutes = duration_minutes
    interview.place = place.strip()
    interview.video_url = video_url.strip()
    interview.interviewers = interviewers.strip()
    interview.note = note.strip()
    interview.proposed_by = actor
    interview.state = Interview.State.PROPOSED
    interview.candidate_note = ""
    interview.updated_at = now
    if not interview.place and not interview.video_url:
        raise ValidationError(_("Give the place or a video link."))
    interview.full_clean()
    interview.save()
    interview.slots.all().delete()
    InterviewSlot.objects.bulk_create(InterviewSlot(interview=interview, starts_at=moment) for moment in times)
    if ApplicationState.INTERVIEW in EMPLOYER_TRANSITIONS.get(application.state, set()):
        _transition(application, ApplicationState.INTERVIEW, actor)
    opening = application.opening
    if application.candidate is not None:
        _message(
            application.candidate,
            subject=lambda: _("%(employer)s invites you to an interview") % {"employer": opening.employer.legal_name},
            body=lambda: "\n".join(
                [
                    _("Please choose one of these times on Tsunagu, or ask for other times:"),
                    *[f"- {when_jst(moment)}" for moment in times],
                    _interview_details(interview),
                    interview.note,
                ]
            ).strip(),
            url=reverse("matching:my_application", args=[application.pk]) + "#interview",
            opening=opening,
        )
    return interview


def _locked_interview(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__opening__employer", "application__candidate", "proposed_by")
        .get(pk=interview.pk)
    )


def _cancelled_because(explain: Callable[[User], str], person: User, starts_at: datetime | None) -> str:
    """A cancellation notice's text with its reason, in the active language
    (the recipient's: _message evaluates it there)."""
    if starts_at is None:
        first = _("The interview you were arranging is cancelled.")
    else:
        first = _("The interview on %(when)s is cancelled.") % {"when": when_jst(starts_at)}
    return first + "\n" + explain(person)


def _cancelled_with_reason(starts_at: datetime, reason: Callable[[], str] | None) -> str:
    """A cancellation's text in the active language (the recipient's:
    _message evaluates it there), with its reason if it has one."""
    text = _("The interview on %(when)s is cancelled.") % {"when": when_jst(starts_at)}
    told = reason() if reason is not None else ""
    return f"{text}\n{told}" if told else text


def _calendar_text(interview: Interview, method: str, *, url: str, attendees: list[tuple[str, str]]) -> str:
    """The interview's iCalendar text in the active language: its UID and
    current SEQUENCE, Japan time with its VTIMEZONE."""
    opening = interview.application.opening
    assert interview.starts_at is not None
    summary = _("Interview: %(title)s (%(employer)s)") % {
        "title": opening.title,
        "employer": opening.employer.legal_name,
    }
    return invitations.ics(
        uid=str(interview.uid),
        sequence=interview.sequence,
        method=method,
        starts_at=interview.starts_at,
        minutes=interview.duration_minutes,
        summary=summary,
        description=f"{_interview_details(interview)}\n{settings.SITE_URL.rstrip('/')}{url}",
        location=interview.video_url or interview.place,
        organizer_name=opening.employer.legal_name,
        attendees=attendees,
    )


def interview_calendar(*, candidate: User, interview: Interview) -> str:
    """The candidate's scheduled interview as a calendar file to download
    (METHOD:PUBLISH: a copy for their own calendar, the same UID and
    SEQUENCE as the invitation mailed, so it is the same event)."""
    application = interview.application
    if application.candidate_id != candidate.pk:
        raise PermissionDenied
    if interview.state != Interview.State.SCHEDULED or interview.starts_at is None:
        raise ValidationError(_("This interview has no time yet."))
    # The member who proposed it, while still at the company (someone who
    # left is no longer who the candidate meets).
    member = interview.proposed_by
    if member is not None and member not in members_to_tell(application.opening.employer_id):
        member = None
    people = [p for p in (candidate, member) if p is not None]
    url = reverse("matching:my_application", args=[application.pk]) + "#interview"
    return _calendar_text(interview, "PUBLISH", url=url, attendees=[(p.full_name or p.email, p.email) for p in people])


def _invite(
    interview: Interview,
    method: str,
    *,
    members: list[User] | None = None,
    explain: Callable[[User], str] | None = None,
    tell_candidate: bool = True,
    reason: Callable[[], str] | None = None,
) -> None:
    """Send the invitation (REQUEST) or its cancellation (CANCEL) to the
    candidate and the member who proposed the interview (or `members`),
    each as a notice in their language with the .ics attached; same UID,
    SEQUENCE + 1. With `explain` (a cancellation because the candidate's
    profile no longer reaches the employer), the notice says why, in each
    recipient's language, and the employer's copy no longer names the
    candidate. A cancellation's `reason` is evaluated in each recipient's
    language too."""
    interview.sequence += 1
    interview.save(update_fields=["sequence"])
    application = interview.application
    opening = application.opening
    candidate = application.candidate if tell_candidate else None
    if members is None:
        members = _members_to_tell(interview)
    people = [p for p in (candidate, *members) if p is not None]
    everyone = [(p.full_name or p.email, p.email) for p in people]
    employer_side = [(p.full_name or p.email, p.email) for p in members]
    starts_at = interview.starts_at
    assert starts_at is not None
    for person in people:
        name = "matching:my_application" if person.is_candidate else "matching:employer_application"
        # The calendar's link too is the page its reader reads.
        url = _page_in(reverse(name, args=[application.pk]) + "#interview", mail_language(person))

        # The candidate's address is contact data: in an employer's copy
        # only while their grant includes contact details.
        attendees = everyone
        if not person.is_candidate and (
            explain is not None or FieldGroup.CONTACT not in access.field_groups_for(person, application.candidate_id)
        ):
            attendees = employer_side

        def calendar_file(url: str = url, attendees: list[tuple[str, str]] = attendees) -> list[dict[str, str]]:
            text = _calendar_text(interview, method, url=url, attendees=attendees)
            return [invitations.attachment(text, method)]

        subject: Callable[[], object]
        body: Callable[[], object]
        if method == "CANCEL" and explain is not None:
            subject = lambda: _("Interview cancelled: %(title)s") % {"title": opening.title}  # noqa: E731
            body = partial(_cancelled_because, explain, person, starts_at)
        elif method == "CANCEL":
            subject = lambda: _("Interview cancelled: %(title)s") % {"title": opening.title}  # noqa: E731
            body = partial(_cancelled_with_reason, starts_at, reason)
        else:
            subject = lambda: (  # noqa: E731
                _("Interview on %(when)s: %(title)s") % {"when": when_jst(starts_at), "title": opening.title}
            )
            body = lambda: (  # noqa: E731
                _("The interview is set for %(when)s. The invitation for your calendar is attached.")
                % {"when": when_jst(starts_at)}
                + "\n"
                + _interview_details(interview)
            )
        _message(person, subject=subject, body=body, url=url, opening=opening, attachments=calendar_file)


@transaction.atomic
def interview_choose(*, candidate: User, interview: Interview, slot_id: int) -> Interview:
    """The candidate picks one of the offered times: the interview is
    scheduled and both sides get the calendar invitation."""
    interview = _locked_interview(interview)
    if interview.application.candidate_id != candidate.pk:
        raise PermissionDenied
    slot = InterviewSlot.objects.filter(interview=interview, pk=slot_id).first()
    if slot is None:
        raise ValidationError(_("Choose one of the times offered."))
    if interview.state == Interview.State.SCHEDULED and interview.starts_at == slot.starts_at:
        return interview  # a double submit
    if interview.state != Interview.State.PROPOSED:
        raise ValidationError(_("These times are no longer offered."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This time has passed: choose another or ask for other times."))
    interview.state = Interview.State.SCHEDULED
    interview.starts_at = slot.starts_at
    interview.reminder_sent_at = None
    interview.updated_at = timezone.now()
    interview.save(update_fields=["state", "starts_at", "reminder_sent_at", "updated_at"])
    _invite(interview, "REQUEST")
    return interview


@transaction.atomic
def interview_ask_other_times(*, candidate: User, interview: Interview, note: str = "") -> Interview:
    """None of the times suits the candidate (or a scheduled time no longer
    does): the employer is asked for others; a scheduled time is cancelled
    in both calendars."""
    interview = _locked_interview(interview)
    application = interview.application
    if application.candidate_id != candidate.pk:
        raise PermissionDenied
    if interview.state not in (Interview.State.PROPOSED, Interview.State.SCHEDULED):
        raise ValidationError(_("This interview is not waiting for your answer."))
    if interview.state == Interview.State.SCHEDULED:
        _invite(interview, "CANCEL")
    interview.state = Interview.State.OTHER_TIMES
    interview.starts_at = None
    interview.candidate_note = note.strip()[:2000]
    interview.updated_at = timezone.now()
    interview.save(update_fields=["state", "starts_at", "candidate_note", "updated_at"])
    opening = application.opening
    for member in members_to_tell(opening.employer_id):
        _message(
            member,
            subject=lambda: _("The candidate asks for other interview times: %(title)s") % {"title": opening.title},
            body=lambda: interview.candidate_note or _("Propose new times on the application's page."),
            url=reverse("matching:employer_application", args=[application.pk]) + "#interview",
            opening=opening,
        )
    return interview


def _interview_cancelled(interview: Interview, *, actor: User, reason: str = "", closed_as: str = "") -> None:
    """Cancel and tell the other side. `reason` is the canceller's own
    words, sent as written; `closed_as`, the state the application closed
    in, is named in each recipient's language."""

    def told() -> str:
        return str(ApplicationState(closed_as).label) if closed_as else interview.cancel_reason

    was_scheduled = interview.state == Interview.State.SCHEDULED
    interview.state = Interview.State.CANCELLED
    interview.cancel_reason = (reason.strip() or told())[:500]
    interview.updated_at = timezone.now()
    interview.save(update_fields=["state", "cancel_reason", "updated_at"])
    if was_scheduled:
        _invite(interview, "CANCEL", reason=told)
        return
    application = interview.application
    if actor.is_candidate or application.candidate is None:
        return
    opening = application.opening
    _message(
        application.candidate,
        subject=lambda: _("Interview cancelled: %(title)s") % {"title": opening.title},
        body=told,
        url=reverse("matching:my_application", args=[application.pk]),
        opening=opening,
    )


@transaction.atomic
def interview_cancel(*, actor: User, interview: Interview, reason: str = "") -> Interview:
    """Either side cancels; a scheduled interview is removed from both
    calendars (METHOD:CANCEL, same UID, next SEQUENCE)."""
    interview = _locked_interview(interview)
    application = interview.application
    if actor.is_candidate:
        if application.candidate_id != actor.pk:
            raise PermissionDenied
    else:
        _check_employer(actor, application)
    if interview.state != Interview.State.CANCELLED:
        _interview_cancelled(interview, actor=actor, reason=reason)
    return interview


# Why a candidate's profile stopped reaching an employer, besides the end
# of a share grant (ShareGrant.EndReason): a restriction of use, a screening
# decision on the account, the erasure of the account.
SHARING_RESTRICTED = "restricted"
SHARING_SCREENED = "screened"
SHARING_ERASED = "erased"
ENDS_SHARING = {
    ShareGrant.EndReason.WITHDRAWN,
    ShareGrant.EndReason.EXPIRED,
    ShareGrant.EndReason.ACCOUNT_DELETED,
    SHARING_RESTRICTED,
    SHARING_SCREENED,
    SHARING_ERASED,
}


def _why_for_candidate(reason: str, employer: str) -> str:
    """In the active language (the recipient's: evaluated inside _message)."""
    if reason == ShareGrant.EndReason.EXPIRED:
        return _("Your consent to share your profile with %(employer)s has expired.") % {"employer": employer}
    if reason == SHARING_RESTRICTED:
        return _("You restricted the use of your data: employers no longer see your profile.")
    if reason == SHARING_SCREENED:
        return _("Because of the decision about your account, employers no longer see your profile.")
    return _("You stopped sharing your profile with %(employer)s.") % {"employer": employer}


def _why_for_employer() -> str:
    # The same words whatever the reason: a restriction or a screening
    # decision is the candidate's business, not the employer's.
    return _(
        "The candidate's profile is no longer shared with your company, so the interview will not take place. "
        "Under the Data Use Agreement, stop using their data and delete any copies."
    )


def _members_to_tell(interview: Interview) -> list[User]:
    """The member who proposed the interview, while still an active member
    of the employer; otherwise every active member."""
    employer_id = interview.application.opening.employer_id
    member = interview.proposed_by
    members = members_to_tell(employer_id)
    return [member] if member in members else members


@transaction.atomic
def interviews_cancel_for_ended_sharing(*, candidate_id: int, employer_id: int | None = None, reason: str) -> int:
    """The candidate's profile no longer reaches the employer (`employer_id`;
    every employer when None): a grant withdrawn or expired, a restriction
    of use, a screening decision, an erasure. Each upcoming interview of
    their applications there is cancelled through the interview service:
    both sides are told in their own language why (the employer without the
    reason's details), a scheduled one leaves both calendars (METHOD:CANCEL,
    same UID, next SEQUENCE), and the employer no longer sees its times or
    place. Not the candidate when their account is being erased. Returns
    how many were cancelled."""
    if reason not in ENDS_SHARING:
        return 0
    now = timezone.now()
    upcoming = Interview.objects.filter(application__candidate_id=candidate_id).filter(upcoming_interviews(now))
    if employer_id is not None:
        upcoming = upcoming.filter(application__opening__employer_id=employer_id)
    cancelled = 0
    for pk in list(upcoming.order_by("pk").values_list("pk", flat=True)):
        interview = _locked_interview(Interview(pk=pk))
        if interview.state == Interview.State.CANCELLED:
            continue
        _interview_cancelled_for_sharing(interview, reason=reason)
        cancelled += 1
    return cancelled


def _interview_cancelled_for_sharing(interview: Interview, *, reason: str) -> None:
    application = interview.application
    opening = application.opening
    employer = opening.employer.legal_name
    was_scheduled = interview.state == Interview.State.SCHEDULED
    interview.state = Interview.State.CANCELLED
    interview.cancel_reason = f"sharing ended: {reason}"
    interview.updated_at = timezone.now()
    interview.save(update_fields=["state", "cancel_reason", "updated_at"])
    members = _members_to_tell(interview)
    # An account being erased is written nothing more.
    tell_candidate = reason != SHARING_ERASED

    def explain(person: User) -> str:
        return _why_for_candidate(reason, employer) if person.is_candidate else _why_for_employer()

    if was_scheduled:
        _invite(interview, "CANCEL", members=members, explain=explain, tell_candidate=tell_candidate)
        return
    candidate = application.candidate if tell_candidate else None
    people = [p for p in (candidate, *members) if p is not None]
    for person in people:
        name = "matching:my_application" if person.is_candidate else "matching:employer_application"
        _message(
            person,
            subject=lambda: _("Interview cancelled: %(title)s") % {"title": opening.title},
            body=partial(_cancelled_because, explain, person, None),
            url=reverse(name, args=[application.pk]),
            opening=opening,
        )


def interview_reminders_send(*, now: datetime | None = None) -> int:
    """The day before: a reminder to both sides of each scheduled interview
    starting within 24 hours, once (Celery beat, hourly)."""
    now = now or timezone.now()
    due = Interview.objects.filter(
        state=Interview.State.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:1000]):
        sent += _remind(pk, now)
    return sent


@transaction.atomic
def _remind(pk: int, now: datetime) -> int:
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__opening__employer", "application__candidate", "proposed_by")
        .filter(pk=pk, reminder_sent_at__isnull=True, state=Interview.State.SCHEDULED)
        .first()
    )
    if interview is None or interview.starts_at is None:
        return 0
    interview.reminder_sent_at = now
    interview.save(update_fields=["reminder_sent_at"])
    application = interview.application
    opening = application.opening
    starts_at = interview.starts_at
    for person in (application.candidate, *_members_to_tell(interview)):
        if person is None:
            continue
        name = "matching:my_application" if person.is_candidate else "matching:employer_application"
        _message(
            person,
            subject=lambda: _("Reminder: interview on %(when)s") % {"when": when_jst(starts_at)},
            body=lambda: _interview_details(interview),
            url=reverse(name, args=[application.pk]) + "#interview",
            opening=opening,
        )
    return 1


# --- Refusals, the pipeline board's bulk actions, message templates ----------------------------------


def refusal_text(application: Application) -> str:
    """The courteous message a candidate who was not selected receives, in
    the active language, with the reason only if the employer chose to tell it."""
    opening = application.opening
    text = _(
        "Thank you very much for your interest in “%(title)s” and for the time you gave to your application. "
        "After careful consideration, %(employer)s has decided not to proceed with it this time. "
        "We wish you every success in your job search and hope you find the right opening on Tsunagu."
    ) % {"title": opening.title, "employer": opening.employer.legal_name}
    if application.refusal_reason_told and application.refusal_reason in RefusalReason.values:
        text += "\n" + _("The employer's reason: %(reason)s") % {
            "reason": RefusalReason(application.refusal_reason).label
        }
    return text


def template_for(template: MessageTemplate, language: str) -> MessageTemplate:
    """The same template (kind and name) in `language` if the employer wrote
    one, else the template itself."""
    return (
        MessageTemplate.objects.filter(
            employer_id=template.employer_id, kind=template.kind, name=template.name, language=language
        ).first()
        or template
    )


class BulkResult:
    def __init__(self) -> None:
        self.done: list[Application] = []
        self.failed: list[tuple[Application, str]] = []


def applications_bulk(
    *,
    actor: User,
    applications: Iterable[Application],
    action: str,
    to_state: str = "",
    refusal_reason: str = "",
    tell_reason: bool = False,
    template: MessageTemplate | None = None,
) -> BulkResult:
    """The board's bulk actions, each application on its own (one that
    cannot move does not stop the others): "move", "reject" (with a reason)
    or "message" (a template, in each candidate's language where the
    employer wrote it). Every move tells the candidate through the outbox."""
    employer = _employer_of(actor)
    result = BulkResult()
    for application in applications:
        try:
            if application.opening.employer_id != employer.pk:
                raise PermissionDenied
            if action == "move":
                application_move(actor=actor, application=application, to_state=to_state)
            elif action == "reject":
                application_move(
                    actor=actor,
                    application=application,
                    to_state=ApplicationState.NOT_SELECTED,
                    refusal_reason=refusal_reason,
                    tell_reason=tell_reason,
                )
            elif action == "message" and template is not None and template.employer_id == employer.pk:
                language = application.candidate.language if application.candidate is not None else "en"
                body = template_for(template, language).render(application.opening)
                application_message_send(author=actor, application=application, body=body)
            else:
                raise ValidationError(_("Choose what to do."))
        except ConversationClosed:
            result.failed.append((application, _("The candidate no longer shares their profile.")))
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [_("Not allowed.")]
            result.failed.append((application, " ".join(str(m) for m in messages)))
        else:
            result.done.append(application)
    return result


@transaction.atomic
def message_template_save(*, actor: User, template: MessageTemplate) -> MessageTemplate:
    employer = _employer_of(actor)
    if template.pk and template.employer_id != employer.pk:
        raise PermissionDenied
    template.employer = employer
    template.updated_by = actor
    template.updated_at = timezone.now()
    if template.language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages of the site.")})
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def message_template_delete(*, actor: User, template: MessageTemplate) -> None:
    if template.employer_id != _employer_of(actor).pk:
        raise PermissionDenied
    template.delete()
