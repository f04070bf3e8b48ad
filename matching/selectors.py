"""Reads of matching that involve a rule: the public job board, a
candidate's own applications and proposals, an employer's openings and
pipeline, and the staff's openings. Candidate data reaches employers only
through consents.access (the pipeline asks it which candidates are visible)."""

from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery

from accounts.models import Employer, User
from accounts.selectors import employer_of
from consents import access
from matching import engine
from matching.models import (
    CLOSED_STATES,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationState,
    ConversationRead,
    Interview,
    Message,
    MessageReport,
    MessageTemplate,
    Opening,
    Proposal,
)
from profiles.models import CandidateProfile, JobCategory

if TYPE_CHECKING:  # django-stubs-ext is a development requirement only
    from django_stubs_ext import WithAnnotations

BOARD_RELATED = ("employer", "category", "prefecture", "employment_type", "required_level")


# --- The public job board ----------------------------------------------------------


def board_search(filters: dict | None, *, profile: CandidateProfile | None = None) -> QuerySet[Opening]:
    """Open openings, newest first, narrowed by the board's filters (the
    cleaned data of matching.forms.BoardSearchForm). For a candidate each
    opening carries whether their status may fit it (engine.with_fit): the
    board never hides an opening, it says why one may not fit."""
    openings = engine.open_openings().select_related(*BOARD_RELATED)
    data = filters or {}
    for word in (data.get("q") or "").split()[:5]:
        openings = openings.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(employer__legal_name__icontains=word)
        )
    if data.get("prefecture"):
        openings = openings.filter(prefecture=data["prefecture"])
    if data.get("category"):
        openings = openings.filter(category=data["category"])
    if data.get("level") is not None:
        openings = openings.filter(required_scale__lte=data["level"])
    if data.get("employment_type"):
        openings = openings.filter(employment_type=data["employment_type"])
    if data.get("sponsorship"):
        openings = openings.filter(sponsorship_offered=True)
    if profile is not None:
        openings = engine.with_fit(openings, profile)
    return openings.order_by("-published_at", "-pk")


def public_opening(pk: int) -> Opening | None:
    """An opening anyone may read: open and accepting applications."""
    return engine.open_openings().select_related(*BOARD_RELATED).filter(pk=pk).first()


def opening(pk: int) -> Opening | None:
    """Any opening, for the flows that check its state themselves (applying says
    why an opening no longer accepts applications)."""
    return Opening.objects.select_related(*BOARD_RELATED).filter(pk=pk).first()


# --- A candidate's own --------------------------------------------------------------


def candidate_profile(user: User) -> CandidateProfile | None:
    """A signed-in candidate's profile, as the engine reads it (None for anyone else)."""
    if not (user.is_authenticated and user.is_candidate):
        return None
    return CandidateProfile.objects.filter(user=user).select_related("status").first()


def application_to(candidate: User, opening: Opening) -> Application | None:
    return Application.objects.filter(opening=opening, candidate=candidate).first()


def applications_of(candidate: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(candidate=candidate)
        .annotate(interview_at=scheduled_interview_at())
        .select_related("opening__employer")
        .order_by("-created_at")
    )


def own_application(candidate: User, pk: int) -> Application | None:
    return (
        Application.objects.select_related("opening__employer", "grant")
        .prefetch_related("events")
        .filter(pk=pk, candidate=candidate)
        .first()
    )


def proposals_of(candidate: User) -> QuerySet[Proposal]:
    return Proposal.objects.filter(candidate=candidate).select_related("opening__employer").order_by("-created_at")


def own_proposal(candidate: User, pk: int) -> Proposal | None:
    return Proposal.objects.select_related("opening__employer").filter(pk=pk, candidate=candidate).first()


def messages_of(user: User) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user).order_by("-created_at")


# --- An employer's openings and pipeline ------------------------------------------------


def employer_openings(employer: Employer) -> QuerySet[Opening]:
    return (
        Opening.objects.filter(employer=employer)
        .annotate(
            application_count=Count("applications"),
            active_count=Count("applications", filter=~Q(applications__state__in=CLOSED_STATES)),
        )
        .select_related("category", "prefecture")
        .order_by("-updated_at")
    )


def employer_opening(employer: Employer | None, pk: int) -> Opening | None:
    """One of the employer's own openings (None for another company's)."""
    if employer is None:
        return None
    return Opening.objects.select_related(*BOARD_RELATED).filter(pk=pk, employer=employer).first()


class _Visibility(TypedDict):
    visible: bool


# An application of the pipeline, marked whether its candidate is visible.
PipelineApplication: TypeAlias = "WithAnnotations[Application, _Visibility]"


def pipeline(opening: Opening, *, state: str | None = None) -> QuerySet[PipelineApplication]:
    """The opening's applications by state, each marked `visible` when the
    access decision lets the employer see its candidate now (a withdrawn or
    expired grant, or a restriction, hides the person; the row stays)."""
    visible = access.visible_candidate_user_ids(opening.employer).filter(candidate_id=OuterRef("candidate_id"))
    applications = (
        opening.applications.annotate(visible=Exists(visible), interview_at=scheduled_interview_at())
        .select_related("candidate__candidate_profile")
        .order_by("state", "-created_at")
    )
    if state in ApplicationState.values:
        applications = applications.filter(state=state)
    return applications


def state_counts(opening: Opening) -> dict[str, int]:
    return dict(opening.applications.values_list("state").annotate(n=Count("pk")))


def employer_application(employer: Employer | None, pk: int) -> Application | None:
    """An application to one of the employer's openings (None otherwise)."""
    if employer is None:
        return None
    return Application.objects.select_related("opening", "candidate").filter(pk=pk, opening__employer=employer).first()


# --- Staff --------------------------------------------------------------------------------


def staff_openings(query: str = "") -> QuerySet[Opening]:
    openings = Opening.objects.select_related("employer", "category", "prefecture").order_by("-updated_at")
    query = query.strip()[:100]
    if query:
        openings = openings.filter(Q(title__icontains=query) | Q(employer__legal_name__icontains=query))
    return openings


def involved_candidates(opening: Opening) -> set[int]:
    """Candidates already proposed this opening or applied to it."""
    proposed = Proposal.objects.filter(opening=opening).values_list("candidate_id", flat=True)
    applied = Application.objects.filter(opening=opening).values_list("candidate_id", flat=True)
    return set(proposed) | set(applied)


# --- Staff dashboard (coordinators) -------------------------------------------------------

FUNNEL = [
    ApplicationState.APPLIED,
    ApplicationState.SCREENING,
    ApplicationState.INTERVIEW,
    ApplicationState.OFFER,
    ApplicationState.HIRED,
]


def openings_without_applications() -> QuerySet[Opening]:
    """Open openings nobody applied to yet, the longest waiting first."""
    return (
        engine.open_openings()
        .filter(~Exists(Application.objects.filter(opening=OuterRef("pk"))))
        .select_related("employer")
        .order_by("published_at", "pk")
    )


def open_to_proposals_by_category() -> list[tuple[str, int]]:
    """How many candidates open to staff proposals (active, not restricted)
    look for each kind of work: one grouped query."""
    through = CandidateProfile.desired_categories.through
    rows = (
        through.objects.filter(
            candidateprofile__open_to_proposals=True,
            candidateprofile__user__is_active=True,
            candidateprofile__user__role=User.Role.CANDIDATE,
        )
        .filter(engine.not_restricted("candidateprofile__user"))
        .values("jobcategory_id")
        .annotate(n=Count("candidateprofile_id"))
        .order_by("-n")
    )
    counts = {row["jobcategory_id"]: row["n"] for row in rows}
    categories = JobCategory.objects.filter(pk__in=counts)
    return sorted(((c.label, counts[c.pk]) for c in categories), key=lambda item: (-item[1], item[0]))


def proposals_waiting() -> QuerySet[Proposal]:
    return Proposal.objects.filter(state=Proposal.State.PENDING).order_by("created_at")


def pipeline_funnel(*, since: datetime) -> list[tuple[str, int]]:
    """Applications made since `since` that reached each stage of the
    pipeline (or a later one: an employer may skip screening)."""
    applications = Application.objects.filter(created_at__gte=since)
    funnel = [(str(ApplicationState.APPLIED.label), applications.count())]
    for index, stage in enumerate(FUNNEL[1:], start=1):
        reached = ApplicationEvent.objects.filter(
            application__in=applications, to_state__in=[str(s) for s in FUNNEL[index:]]
        )
        funnel.append((str(stage.label), reached.values("application_id").distinct().count()))
    return funnel


def days_to_hire(*, since: datetime) -> list[int]:
    """For each hire since `since`: days from the application to the hire."""
    hires = ApplicationEvent.objects.filter(to_state=ApplicationState.HIRED, occurred_at__gte=since).values_list(
        "occurred_at", "application__created_at"
    )
    return sorted(max((hired - applied).days, 0) for hired, applied in hires)


# --- Conversations ----------------------------------------------------------------------------


def conversation(application: Application) -> QuerySet[ApplicationMessage]:
    """The messages of an application, oldest first. Callers have decided
    the viewer may read it (the candidate's own application, or a member
    the access decision lets see the candidate)."""
    return ApplicationMessage.objects.filter(application=application).select_related("author")


def _unread(user: User, side: str) -> QuerySet[ApplicationMessage]:
    """Messages of the other side, not hidden, newer than the user's read mark."""
    read = ConversationRead.objects.filter(
        application=OuterRef("application"), user=user, read_at__gte=OuterRef("created_at")
    )
    return ApplicationMessage.objects.filter(side=side, hidden_at__isnull=True).exclude(Exists(read))


def _unread_for(user: User) -> QuerySet[ApplicationMessage] | None:
    if user.is_candidate:
        return _unread(user, ApplicationMessage.Side.EMPLOYER).filter(application__candidate=user)
    if user.is_employer_member:
        employer = employer_of(user)
        if employer is None:
            return None
        visible = access.visible_candidate_user_ids(employer).filter(candidate_id=OuterRef("application__candidate_id"))
        return (
            _unread(user, ApplicationMessage.Side.CANDIDATE)
            .filter(application__opening__employer=employer)
            .filter(Exists(visible))
        )
    return None


def unread_count(user: User) -> int:
    """Unread messages in the person's conversations and unread notices:
    one query (a UNION ALL of both, counted), after the employer lookup
    and the access decision's for employer members."""
    notices = Message.objects.filter(recipient=user, read_at__isnull=True).order_by().values("pk")
    messages = _unread_for(user)
    if messages is None:
        return notices.count()
    return messages.order_by().values("pk").union(notices, all=True).count()


def conversations_of(user: User) -> QuerySet[Application]:
    """The applications whose conversation the person takes part in, the
    latest message first, each with `last_message_at` and `unread`. An
    employer member sees only those whose candidate is visible now."""
    if user.is_candidate:
        applications = Application.objects.filter(candidate=user)
        unread = _unread(user, ApplicationMessage.Side.EMPLOYER)
    else:
        employer = employer_of(user) if user.is_employer_member else None
        if employer is None:
            return Application.objects.none()
        visible = access.visible_candidate_user_ids(employer).filter(candidate_id=OuterRef("candidate_id"))
        applications = Application.objects.filter(opening__employer=employer).filter(Exists(visible))
        unread = _unread(user, ApplicationMessage.Side.CANDIDATE)
    unread_ids = unread.filter(application__in=applications).values("pk")
    return (
        applications.filter(conversation__isnull=False)
        .annotate(
            last_message_at=Max("conversation__created_at"),
            unread=Count("conversation", filter=Q(conversation__in=unread_ids), distinct=True),
        )
        .select_related("opening__employer")
        .order_by("-last_message_at")
    )


def own_message(user: User, pk: int) -> ApplicationMessage | None:
    """A message of a conversation the person takes part in (to report it);
    None otherwise. An employer member only while the candidate is visible."""
    message = ApplicationMessage.objects.select_related("application__opening__employer").filter(pk=pk).first()
    if message is None:
        return None
    application = message.application
    if user.is_candidate and application.candidate_id == user.pk:
        return message
    if (
        user.is_employer_member
        and application.opening.employer_id == getattr(employer_of(user), "pk", None)
        and access.may_see_candidate(user, application.candidate_id)
    ):
        return message
    return None


def open_message_reports() -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(state=MessageReport.State.OPEN)
        .select_related("message__application__opening__employer", "reported_by")
        .order_by("reported_at")
    )


def message_report(pk: int) -> MessageReport | None:
    return MessageReport.objects.select_related("message__application").filter(pk=pk).first()


# --- Interviews ---------------------------------------------------------------------------------


def current_interview(application: Application) -> Interview | None:
    """The application's interview not cancelled (the latest), with its slots."""
    return (
        Interview.objects.filter(application=application)
        .exclude(state=Interview.State.CANCELLED)
        .prefetch_related("slots")
        .order_by("-created_at", "-pk")
        .first()
    )


def scheduled_interview_at() -> Subquery:
    """For annotating applications: the time of their scheduled interview."""
    return Subquery(
        Interview.objects.filter(application=OuterRef("pk"), state=Interview.State.SCHEDULED).values("starts_at")[:1]
    )


# --- The pipeline board and message templates ---------------------------------------------------

BOARD_LIMIT = 500


def board(opening: Opening) -> list[tuple[str, str, list[PipelineApplication]]]:
    """The opening's applications in columns by state (state, label,
    applications), each marked `visible` by the access decision and with
    its `interview_at`: the same queries as the pipeline list."""
    columns: dict[str, list[PipelineApplication]] = {state: [] for state in ApplicationState.values}
    for application in pipeline(opening).order_by("-updated_at")[:BOARD_LIMIT]:
        columns[application.state].append(application)
    return [(state, str(ApplicationState(state).label), columns[state]) for state in ApplicationState.values]


def employer_applications(employer: Employer, opening: Opening, ids: list[int]) -> list[Application]:
    """Applications of this opening of the employer's, by id (the board's bulk actions)."""
    return list(
        Application.objects.filter(opening=opening, opening__employer=employer, pk__in=ids[:BOARD_LIMIT])
        .select_related("opening__employer", "candidate")
        .order_by("pk")
    )


def message_templates(employer: Employer) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(employer=employer).order_by("kind", "name", "language")


def message_template(employer: Employer | None, pk: int) -> MessageTemplate | None:
    if employer is None:
        return None
    return MessageTemplate.objects.filter(employer=employer, pk=pk).first()
