"""Reads of matching that involve a rule: the public job board, a
candidate's own applications and proposals, an employer's openings and
pipeline, and the staff's openings. Candidate data reaches employers only
through consents.access (the pipeline asks it which candidates are visible)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.core import signing
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language

from accounts.models import Employer, User
from accounts.selectors import employer_of
from config import generations
from consents import access
from matching import engine, search
from matching.models import (
    CLOSED_STATES,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationNote,
    ApplicationState,
    CompanyPage,
    ConversationRead,
    Interview,
    Message,
    MessageReport,
    MessageTemplate,
    Opening,
    Proposal,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointChange,
)
from profiles.models import CandidateProfile, EmploymentType, JobCategory, Labelled, Prefecture

if TYPE_CHECKING:  # django-stubs-ext is a development requirement only
    from django_stubs_ext import WithAnnotations

BOARD_RELATED = ("employer", "category", "prefecture", "employment_type", "required_level")


# --- The public job board ----------------------------------------------------------


SORTS = ("newest", "salary", "fit")
# Each sort's keys, all descending, the last one unique (keyset pagination).
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "newest": ("published_at", "pk"),
    "salary": ("monthly_salary_max", "pk"),
    "fit": ("score", "published_at", "pk"),
}
# Facets and the total count read at most this many matches ("1,000+").
FACET_CAP = 1000
CURSOR_SALT = "matching.board.cursor"


def sort_of(filters: dict | None, profile: CandidateProfile | None) -> str:
    """The sort asked for; best fit only for a candidate."""
    sort = (filters or {}).get("sort") or "newest"
    if sort not in SORTS or (sort == "fit" and profile is None):
        return "newest"
    return sort


def _filtered(
    openings: QuerySet[Opening],
    data: dict,
    *,
    words: list[search.Word],
    profile: CandidateProfile | None,
    facets: bool = False,
) -> QuerySet[Opening]:
    """The board's filters. With facets=True, those that facets count
    beside (prefecture, kind of work, employment type, sponsorship, no test)
    are left out: board_facets applies them in Python."""
    if words:
        openings = openings.filter(search.keyword_q(words))
    if data.get("level") is not None:
        openings = openings.filter(required_scale__lte=data["level"])
    if data.get("salary_min"):
        openings = openings.filter(monthly_salary_max__gte=data["salary_min"])
    if data.get("hours_max"):
        openings = openings.filter(weekly_hours__lte=data["hours_max"])
    if data.get("legal") and profile is not None:
        # The engine's hard rules of the status of residence and the period
        # of stay: what the candidate may legally take (sponsorship included).
        openings = engine.may_take(openings, profile)
    if facets:
        return openings
    if data.get("prefecture"):
        openings = openings.filter(prefecture=data["prefecture"])
    if data.get("category"):
        openings = openings.filter(category=data["category"])
    if data.get("employment_type"):
        openings = openings.filter(employment_type=data["employment_type"])
    if data.get("sponsorship"):
        openings = openings.filter(sponsorship_offered=True)
    if data.get("no_test"):
        openings = openings.filter(required_scale=0)
    return openings


def board_search(
    filters: dict | None, *, profile: CandidateProfile | None = None, words: list[search.Word] | None = None
) -> QuerySet[Opening]:
    """Open openings narrowed by the board's filters (the cleaned data of
    matching.forms.BoardSearchForm), in the sort asked for (newest first by
    default; salary per month; best fit for a candidate). For a candidate
    each opening carries whether their status may fit it (engine.with_fit):
    the board never hides an opening unless asked to ("jobs I may legally
    take"), it says why one may not fit. The one search the board, job
    alerts and the API share; `words` are the parsed keyword (parsed here
    when not given)."""
    data = filters or {}
    if words is None:
        words = search.parse(data.get("q") or "")
    openings = _filtered(engine.open_openings(), data, words=words, profile=profile)
    sort = sort_of(data, profile)
    if profile is not None and sort == "fit":
        ranked = engine.rank_openings(profile, eligible_only=False, base=openings)
        return ranked.order_by("-score", "-published_at", "-pk")
    openings = openings.select_related(*BOARD_RELATED)
    if profile is not None:
        openings = engine.with_fit(openings, profile)
    return openings.order_by(*(f"-{key}" for key in SORT_KEYS[sort]))


# The board form's taxonomy choices: (field, the entries offered).
BOARD_TAXONOMIES: dict[str, Callable[[], QuerySet[Labelled]]] = {
    "prefecture": lambda: Prefecture.objects.all(),
    "category": lambda: JobCategory.objects.filter(active=True),
    "employment_type": lambda: EmploymentType.objects.filter(active=True),
}
# Generations drop the entry when a taxonomy changes; this only bounds how
# long one of a language nobody asks for lingers.
TAXONOMY_CACHE_SECONDS = 24 * 3600

TaxonomyChoices: TypeAlias = dict[str, list[tuple[str, str, Labelled]]]


def board_taxonomy() -> TaxonomyChoices:
    """The board form's taxonomy choices in the current language, in the
    taxonomy's order: (code, label, entry) per field. Read from the database
    once per language and taxonomy generation (config.generations: an entry
    edited by staff counts at the next request), not on every board page."""
    generation = generations.current(generations.TAXONOMY)
    key = f"board-taxonomy:{get_language() or 'en'}:{generation}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            name: [(entry.code, entry.label, entry) for entry in entries()]
            for name, entries in BOARD_TAXONOMIES.items()
        }
        cache.set(key, choices, TAXONOMY_CACHE_SECONDS)
    return choices


# --- Keyset pagination ---------------------------------------------------------------


class BadCursor(Exception):
    """A page link that was altered, is from another sort, or is broken."""


def _after(keys: tuple[str, ...], values: list, *, backwards: bool) -> Q:
    """Rows after `values` in descending order of `keys` (before them, going
    backwards), as (k1 < v1) OR (k1 = v1 AND k2 < v2) ..., with k1 <= v1
    besides so that the database starts its index scan at the cursor."""
    op = "gt" if backwards else "lt"
    condition = Q()
    for i, key in enumerate(keys):
        step = Q(**{f"{key}__{op}": values[i]})
        for prior, value in zip(keys[:i], values[:i], strict=False):
            step &= Q(**{prior: value})
        condition |= step
    return Q(**{f"{keys[0]}__{op}e": values[0]}) & condition


def _cursor_values(sort: str, row: Opening) -> list:
    values = []
    for key in SORT_KEYS[sort]:
        value = getattr(row, key)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    return values


def make_cursor(sort: str, row: Opening, *, backwards: bool = False) -> str:
    return signing.dumps({"s": sort, "b": backwards, "k": _cursor_values(sort, row)}, salt=CURSOR_SALT)


def read_cursor(cursor: str, sort: str) -> tuple[list, bool]:
    """(key values, backwards) of a signed cursor; BadCursor if it was
    altered, made for another sort or does not hold what a cursor holds."""
    try:
        data = signing.loads(cursor[:500], salt=CURSOR_SALT)
    except signing.BadSignature as exc:
        raise BadCursor from exc
    keys = SORT_KEYS[sort]
    if not isinstance(data, dict) or data.get("s") != sort or not isinstance(data.get("k"), list):
        raise BadCursor
    values = data["k"]
    if len(values) != len(keys):
        raise BadCursor
    parsed: list = []
    for key, value in zip(keys, values, strict=True):
        if key == "published_at":
            try:
                parsed.append(datetime.fromisoformat(value))
            except (TypeError, ValueError) as exc:
                raise BadCursor from exc
        elif isinstance(value, int) and not isinstance(value, bool):
            parsed.append(value)
        else:
            raise BadCursor
    return parsed, bool(data.get("b"))


# Old links (`?page=N`, before the keyset cursor) are honoured up to this page.
OLD_PAGE_LIMIT = 50


def board_page_cursor(
    filters: dict | None, *, profile: CandidateProfile | None = None, page: int, size: int = 20
) -> str:
    """The cursor that starts page `page` (2 to OLD_PAGE_LIMIT) of this
    search as it is now, for an old `?page=N` link; "" when the search has
    no such page now or N is out of range. One query (an OFFSET of at most
    OLD_PAGE_LIMIT pages)."""
    if not 2 <= page <= OLD_PAGE_LIMIT:
        return ""
    data = filters or {}
    skipped = (page - 1) * size
    before = list(board_search(data, profile=profile)[skipped - 1 : skipped])
    if not before:
        return ""
    return make_cursor(sort_of(data, profile), before[0])


@dataclass
class Facets:
    """How many matches each filter choice would give (counted over at most
    FACET_CAP matches: `capped` says the figures are lower bounds)."""

    prefecture: dict[int, int] = field(default_factory=dict)
    category: dict[int, int] = field(default_factory=dict)
    employment_type: dict[int, int] = field(default_factory=dict)
    sponsorship: int = 0
    no_test: int = 0
    capped: bool = False


@dataclass
class BoardPage:
    openings: list
    words: list[search.Word]
    sort: str
    total: int
    total_capped: bool
    facets: Facets
    next_cursor: str = ""
    previous_cursor: str = ""
    bad_cursor: bool = False
    first_page: bool = True


def board_facets(
    data: dict, *, words: list[search.Word], profile: CandidateProfile | None, cap: int | None = None
) -> Facets:
    """Counts beside each choice: one query reads the matches of every
    other filter (at most `cap`), and each choice is counted as if it were
    chosen with the others (a prefecture's count keeps the chosen kind of
    work, not the chosen prefecture)."""
    cap = cap or FACET_CAP
    rows = list(
        _filtered(engine.open_openings(), data, words=words, profile=profile, facets=True).values_list(
            "prefecture_id", "category_id", "employment_type_id", "sponsorship_offered", "required_scale"
        )[:cap]
    )
    chosen = {
        0: data["prefecture"].pk if data.get("prefecture") else None,
        1: data["category"].pk if data.get("category") else None,
        2: data["employment_type"].pk if data.get("employment_type") else None,
    }

    def keeps(row: tuple, *, but: int) -> bool:
        if any(i != but and pk is not None and row[i] != pk for i, pk in chosen.items()):
            return False
        if but != 3 and data.get("sponsorship") and not row[3]:
            return False
        return not (but != 4 and data.get("no_test") and row[4] != 0)

    facets = Facets(capped=len(rows) >= cap)
    for row in rows:
        for i, counts in enumerate((facets.prefecture, facets.category, facets.employment_type)):
            if keeps(row, but=i):
                counts[row[i]] = counts.get(row[i], 0) + 1
        if row[3] and keeps(row, but=3):
            facets.sponsorship += 1
        if row[4] == 0 and keeps(row, but=4):
            facets.no_test += 1
    return facets


def board_page(
    filters: dict | None, *, profile: CandidateProfile | None = None, cursor: str = "", size: int = 20
) -> BoardPage:
    """One page of the board: `size` openings after (or before) the signed
    cursor, with links to the pages around it, the total (up to FACET_CAP)
    and the facet counts. A page costs the same at any depth: the cursor
    holds the sort keys of the row it follows, and the database reads from
    there. Inserted openings never shift a page. A cursor that was altered
    or made for another sort gives the first page, and says so."""
    data = filters or {}
    words = search.parse(data.get("q") or "")
    sort = sort_of(data, profile)
    openings = board_search(data, profile=profile, words=words)
    keys = SORT_KEYS[sort]
    values: list = []
    backwards = bad = False
    if cursor:
        try:
            values, backwards = read_cursor(cursor, sort)
        except BadCursor:
            bad = True
    if values:
        openings = openings.filter(_after(keys, values, backwards=backwards))
        if backwards:
            openings = openings.reverse()
    rows = list(openings[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    page = BoardPage(
        openings=rows,
        words=words,
        sort=sort,
        total=0,
        total_capped=False,
        facets=board_facets(data, words=words, profile=profile),
        bad_cursor=bad,
        first_page=not values or (backwards and not more),
    )
    matches = _filtered(engine.open_openings(), data, words=words, profile=profile)
    total = matches.order_by()[: FACET_CAP + 1].count()
    page.total, page.total_capped = min(total, FACET_CAP), total > FACET_CAP
    if rows:
        if (more and not backwards) or (values and backwards):
            page.next_cursor = make_cursor(sort, rows[-1])
        if not page.first_page:
            page.previous_cursor = make_cursor(sort, rows[0], backwards=True)
    return page


# --- Company pages ------------------------------------------------------------------

COMPANY_OPENINGS = 100


@dataclass
class Company:
    """A company page as the public reads it: nothing personal."""

    employer: Employer
    page: CompanyPage | None
    openings: list[Opening]


def company_public(pk: int) -> Company | None:
    """The company's page and its open openings (newest first, at most
    COMPANY_OPENINGS)."""
    employer = Employer.objects.filter(pk=pk).only("pk", "legal_name", "industry").first()
    if employer is None:
        return None
    page = CompanyPage.objects.filter(employer=employer).select_related("prefecture").first()
    openings = list(
        engine.open_openings()
        .filter(employer=employer)
        .select_related(*BOARD_RELATED)
        .order_by("-published_at", "-pk")[:COMPANY_OPENINGS]
    )
    return Company(employer=employer, page=page, openings=openings)


def company_logo(pk: int) -> CompanyPage | None:
    """The company's page if it has a logo (public)."""
    return CompanyPage.objects.filter(employer_id=pk).exclude(logo="").first()


def own_company_page(employer: Employer) -> CompanyPage:
    """The page an employer admin edits (unsaved and empty before the first save)."""
    return CompanyPage.objects.filter(employer=employer).first() or CompanyPage(employer=employer)


def companies_for_sitemap() -> QuerySet[Employer]:
    """Companies with at least one open opening (the sitemap's company pages)."""
    with_open = engine.open_openings().filter(employer=OuterRef("pk"))
    return Employer.objects.filter(Exists(with_open)).order_by("pk")


def openings_for_sitemap() -> QuerySet[Opening]:
    return engine.open_openings().only("pk", "updated_at").order_by("pk")


def public_opening(pk: int) -> Opening | None:
    """An opening anyone may read: open and accepting applications (with
    `has_logo`: whether its company shows one)."""
    logo = CompanyPage.objects.filter(employer=OuterRef("employer")).exclude(logo="")
    return engine.open_openings().select_related(*BOARD_RELATED).annotate(has_logo=Exists(logo)).filter(pk=pk).first()


def opening(pk: int) -> Opening | None:
    """Any opening, for the flows that check its state themselves (applying says
    why an opening no longer accepts applications)."""
    return Opening.objects.select_related(*BOARD_RELATED).filter(pk=pk).first()


# --- A candidate's own --------------------------------------------------------------


def state_labels() -> dict[str, str]:
    """Each application state's label in the page's language, translated
    once for a page of rows (instead of get_state_display on every row)."""
    return {value: str(label) for value, label in ApplicationState.choices}


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


PIPELINE_FIELDS = (
    "opening_id",
    "candidate_id",
    "state",
    "created_at",
    "updated_at",
    "candidate__candidate_profile__user_id",
    "candidate__candidate_profile__name_passport",
)


def pipeline(opening: Opening, *, state: str | None = None) -> QuerySet[PipelineApplication]:
    """The opening's applications by state, each marked `visible` when the
    access decision lets the employer see its candidate now (a withdrawn or
    expired grant, or a restriction, hides the person; the row stays)."""
    visible = access.visible_candidate_user_ids(opening.employer).filter(candidate_id=OuterRef("candidate_id"))
    applications = (
        opening.applications.annotate(visible=Exists(visible), interview_at=scheduled_interview_at())
        .select_related("candidate__candidate_profile")
        # What the list and the board show of each: not the whole account and profile.
        .only(*PIPELINE_FIELDS)
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


# --- The API: an employer's applications -------------------------------------------------


class _ApiVisibility(TypedDict):
    visible: bool


ApiApplication: TypeAlias = "WithAnnotations[Application, _ApiVisibility]"


def employer_applications(
    employer: Employer,
    *,
    opening_id: int | None = None,
    state: str | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[ApiApplication]:
    """The applications to the employer's openings, each marked `visible`
    when the access decision lets the employer see its candidate now; for
    polling, oldest change first (an index on updated_at keeps a page cheap)."""
    visible = access.visible_candidate_user_ids(employer).filter(candidate_id=OuterRef("candidate_id"))
    applications = (
        Application.objects.filter(opening__employer=employer)
        .annotate(visible=Exists(visible))
        .select_related("opening", "candidate__candidate_profile")
    )
    if opening_id is not None:
        applications = applications.filter(opening_id=opening_id)
    if state:
        applications = applications.filter(state=state)
    if updated_since is not None:
        applications = applications.filter(updated_at__gt=updated_since)
    return applications.order_by("updated_at", "pk")


def employer_api_application(employer: Employer, pk: int) -> "ApiApplication | None":
    return employer_applications(employer).prefetch_related("events").filter(pk=pk).first()


def application_notes(application: Application) -> QuerySet[ApplicationNote]:
    return application.notes.select_related("author").order_by("created_at", "pk")


def employer_api_openings(employer: Employer) -> QuerySet[Opening]:
    return (
        Opening.objects.filter(employer=employer)
        .select_related(*BOARD_RELATED)
        .prefetch_related("accepted_statuses", "required_qualifications")
        .order_by("-pk")
    )


class _OpenCount(TypedDict):
    open_openings: int


def public_company(pk: int) -> "WithAnnotations[Employer, _OpenCount] | None":
    """A company anyone may read about: one with an open opening on the board."""
    open_ids = engine.open_openings().filter(employer_id=pk).values("pk")
    return (
        Employer.objects.filter(pk=pk)
        .annotate(open_openings=Count("openings", filter=Q(openings__in=open_ids)))
        .filter(open_openings__gt=0)
        .first()
    )


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


def board_applications(employer: Employer, opening: Opening, ids: list[int]) -> list[Application]:
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


# --- Webhooks --------------------------------------------------------------------------------


def webhook_endpoints_of(employer: Employer) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(employer=employer).order_by("-created_at", "-pk")


def webhook_endpoint_of(employer: Employer, pk: int) -> WebhookEndpoint | None:
    return webhook_endpoints_of(employer).filter(pk=pk).first()


def webhook_deliveries_of(employer: Employer, *, limit: int = 50) -> QuerySet[WebhookDelivery]:
    """The delivery log of the employer's page, newest first."""
    return (
        WebhookDelivery.objects.filter(endpoint__employer=employer)
        .select_related("endpoint")
        .order_by("-created_at", "-pk")[:limit]
    )


def webhook_changes_of(employer: Employer, *, limit: int = 20) -> QuerySet[WebhookEndpointChange]:
    """The company's receivers' secret history, newest first, with who did it."""
    return WebhookEndpointChange.objects.filter(employer=employer).select_related("actor")[:limit]


def webhook_endpoint_deliveries(endpoint: WebhookEndpoint, *, limit: int = 50) -> QuerySet[WebhookDelivery]:
    """One receiver's delivery log, newest first."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")[:limit]


def application_interviews(application: Application) -> QuerySet[Interview]:
    """An application's interviews, newest first, with their times."""
    return Interview.objects.filter(application=application).prefetch_related("slots").order_by("-created_at", "-pk")
