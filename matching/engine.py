"""The matching engine: hard rules and a soft score, computed in the database.

It advises; a person decides (GDPR Art. 22; seed 004). Every result carries
its reasons and its gaps in words a person understands. Staff may propose a
candidate the rules mark ineligible only with a recorded reason
(services.proposal_create); candidates see every opening on the board, with
why it may not fit their status.

Hard rules (PRODUCT §5, domain notes §1–3):
- status: the work rules of the candidate's status of residence allow the
  job (matching.rules: kinds of work, employment type, hours, permission for
  activity outside status, SSW field tests, organisations a status binds to)
  and the employer accepts the status; or the employer sponsors a visa and a
  sponsorship route exists that this candidate meets (the status the
  employer would apply for covers the job, and the candidate brings what it
  needs);
- period of stay: it does not end before the start date (statuses without
  an end have none; a sponsored change of status starts a new period);
- Japanese: the candidate's best level on the common scale reaches the
  required one (any test: JLPT, JFT-Basic, BJT, NAT-TEST);
- qualifications: the candidate holds every required kind.
Soft score (0–100): experience in the category 30, preferred prefecture 20,
salary fit 20, recent activity 15, profile completeness / category wish 15.

Both directions (candidates for an opening; openings for a candidate) are
single SQL queries with annotations and uncorrelated IN subqueries, after a
constant number of small queries for the rule table; nothing loads candidates
or openings into Python to rank them. Explanations read the annotated flags
and verdicts of the rows being shown, so the words always agree with the
ranking.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, TypeAlias, TypedDict, cast

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.models import ProcessingRestriction
from matching import rules as wr
from matching.models import Opening
from profiles.models import (
    NO_EXPIRY_STATUSES,
    CandidateProfile,
    JapaneseCertificate,
    JapaneseLevel,
    Qualification,
    QualificationKind,
    SalaryPeriod,
    StatusOfResidence,
    WorkEntry,
    WorkRule,
)

if TYPE_CHECKING:  # django-stubs-ext is a development requirement only
    from django_stubs_ext import WithAnnotations

PERMANENT = NO_EXPIRY_STATUSES
# To compare salaries across periods: a month is 160 working hours [M].
MONTHLY: dict[str, int | None] = {SalaryPeriod.HOUR: 160, SalaryPeriod.MONTH: 1, SalaryPeriod.YEAR: None}


class _Fit(TypedDict):
    """What with_fit (and rank_openings) annotate on each opening."""

    status_verdict: str
    status_fits: bool
    sponsor_status: int | None
    period_ok: bool
    status_ok: bool


class _OpeningRank(_Fit):
    """What rank_openings annotates on each opening, besides the fit."""

    max_monthly: int | None
    jp_ok: bool
    quals_ok: bool
    has_experience: bool
    likes_prefecture: bool
    wished_category: bool
    salary_fits: bool
    score: int


class _CandidateRank(TypedDict):
    """What each row of rank_candidates carries: the annotations, and the
    flags _CandidateRows derives from them (has_qual_<kind> are read by name)."""

    jp_scale: int
    status_verdict: str
    sponsor_status: int | None
    period_ok: bool
    has_experience: bool
    likes_prefecture: bool
    expected_monthly: int | None
    jp_ok: bool
    salary_fits: bool
    score: int
    status_fits: bool
    status_ok: bool
    eligible: bool


FitOpening: TypeAlias = "WithAnnotations[Opening, _Fit]"
RankedOpening: TypeAlias = "WithAnnotations[Opening, _OpeningRank]"
RankedCandidate: TypeAlias = "WithAnnotations[CandidateProfile, _CandidateRank]"


def _monthly(amount: int | None, period: str) -> float | None:
    if amount is None or not period:
        return None
    factor = MONTHLY[period]  # None for a year: divided by 12
    return amount / 12 if factor is None else amount * factor


def _monthly_expr(amount: str, period: str):
    return Case(
        When(**{period: SalaryPeriod.HOUR}, then=F(amount) * 160),
        When(**{period: SalaryPeriod.YEAR}, then=F(amount) / 12),
        default=F(amount),
        output_field=IntegerField(),
    )


def _flag(q) -> Case:
    """A two-valued flag: a condition that is unknown in SQL (a missing
    status of residence) counts as not met, never as NULL."""
    return Case(When(wr.as_q(q), then=Value(True)), default=Value(False), output_field=BooleanField())


def _points(condition, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def japanese_scale_of_profile(*, ssw_only: bool = False) -> Coalesce:
    """The best level on the common scale; `ssw_only`: on the tests
    Specified Skilled Worker accepts (JLPT, JFT-Basic)."""
    certificates = JapaneseCertificate.objects.filter(profile=OuterRef("pk"))
    if ssw_only:
        certificates = certificates.filter(level__test__counts_for_ssw=True)
    best = certificates.order_by("-level__scale").values("level__scale")[:1]
    return Coalesce(Subquery(best, output_field=IntegerField()), Value(0))


def not_restricted(user_ref: str = "user") -> Q:
    """Neither restricted by the person nor under a screening decision."""
    return ~Q(Exists(ProcessingRestriction.objects.active().filter(user=OuterRef(user_ref)))) & Q(
        **{f"{user_ref}__screening": ""}
    )


def work_rules(obj: Opening | CandidateProfile) -> wr.RuleBook:
    """The rule table, loaded once per opening or profile being ranked
    (kept on the instance, so the words for its rows ask nothing more;
    through vars(): no model declares the engine's attributes)."""
    if not hasattr(obj, "_work_rules"):
        vars(obj)["_work_rules"] = wr.RuleBook.current()
    return vars(obj)["_work_rules"]


def share_work_rules(obj: Opening | CandidateProfile, book: wr.RuleBook) -> None:
    """Give `obj` a rule table already loaded: a run over many people (the
    job alerts) reads the table once, not once per person."""
    vars(obj)["_work_rules"] = book


# --- Candidates for an opening ---------------------------------------------------


class _CandidateRows(ModelIterable):
    """Rows of rank_candidates with the flags that follow from the SQL
    verdicts: status_fits (the verdict is OK), status_ok (it fits and the
    stay lasts, or a sponsorship route works where it does not fit) and
    eligible. Derived here rather than repeated in SQL: each repetition of
    the rule conditions would build its hashed subqueries again."""

    def __iter__(self):
        for row in super().__iter__():
            yield _with_flags(row)


def _with_flags(row):
    fits = row.status_verdict == wr.OK
    row.status_fits = fits
    row.status_ok = bool((fits and row.period_ok) or (not fits and row.sponsor_status is not None))
    quals = all(value for name, value in vars(row).items() if name.startswith("has_qual_"))
    row.eligible = bool(row.status_ok and row.jp_ok and quals)
    return row


def rank_candidates(
    opening: Opening, *, eligible_only: bool = True, ineligible_only: bool = False
) -> QuerySet[RankedCandidate]:
    """Candidates open to proposals, with hard-rule flags, the status
    verdict and a score, best first. Slice it ([:50]) — the database does
    the ranking. With eligible_only=False every candidate open to proposals
    is there, flagged (`eligible`); ineligible_only=True keeps only those the
    rules mark ineligible, for staff who override the advice."""
    book = work_rules(opening)
    accepted = set(opening.accepted_statuses.values_list("pk", flat=True))
    conditions = book.for_job(job=wr.Job.of(opening), accepted=accepted, sponsorship=opening.sponsorship_offered)
    fits = wr.as_q(conditions.fits)
    sponsored = wr.as_q(conditions.sponsorable)
    period_ok = Q(status__code__in=PERMANENT) | Q(period_of_stay_expiry__gte=opening.start_date)
    # A fitting status must last until the start; otherwise only a sponsored
    # change of status helps (it starts a new period of stay).
    status_ok = (fits & period_ok) | (~fits & sponsored) if conditions.routes else fits & period_ok
    required = list(opening.required_qualifications.all())
    vars(opening)["_required_kinds"] = required
    # Membership in an uncorrelated subquery (`id IN (SELECT profile_id ...)`)
    # rather than a correlated EXISTS per row: PostgreSQL hashes the subquery
    # once and, above all, estimates it at its true cost; correlated
    # subqueries over 30,000 candidates made the estimate so high that the
    # JIT compiler spent seconds on every ranking (see bench/README.md).
    qual_conditions = {
        f"has_qual_{kind.pk}": Q(pk__in=Qualification.objects.filter(kind_id=kind.pk).values("profile_id"))
        for kind in required
    }
    # The same rule as "best level >= required", as a semi-join.
    jp_ok = (
        Q(pk__in=JapaneseCertificate.objects.filter(level__scale__gte=opening.required_scale).values("profile_id"))
        if opening.required_scale
        else wr.ALWAYS
    )
    eligible = status_ok & jp_ok
    for condition in qual_conditions.values():
        eligible &= condition
    # For the words on an SSW field's gap: only JLPT and JFT-Basic count there.
    ssw_scale = {"ssw_jp_scale": japanese_scale_of_profile(ssw_only=True)} if opening.category_id in book.fields else {}
    expected_monthly = _monthly_expr("expected_salary", "expected_salary_period")
    opening_max_monthly = _monthly(opening.salary_max, opening.salary_period)
    now = timezone.now()
    qs = (
        CandidateProfile.objects.filter(open_to_proposals=True, user__is_active=True, user__role="candidate")
        .filter(not_restricted())
        .annotate(
            jp_scale=japanese_scale_of_profile(),
            **ssw_scale,
            status_verdict=conditions.verdict,
            sponsor_status=conditions.sponsor_status(),
            period_ok=_flag(period_ok),
            **{name: _flag(condition) for name, condition in qual_conditions.items()},
            has_experience=_flag(
                Q(pk__in=WorkEntry.objects.filter(category_id=opening.category_id).values("profile_id"))
            ),
            likes_prefecture=_flag(
                Q(
                    pk__in=CandidateProfile.desired_prefectures.through.objects.filter(
                        prefecture_id=opening.prefecture_id
                    ).values("candidateprofile_id")
                )
            ),
            expected_monthly=expected_monthly,
        )
    )
    qs = qs.annotate(
        # The best level, computed for the rows shown (the filter below uses the semi-join).
        jp_ok=_flag(Q(jp_scale__gte=opening.required_scale)),
        salary_fits=_flag(Q(expected_salary__isnull=True) | Q(expected_monthly__lte=opening_max_monthly or 0)),
    )
    qs = qs.annotate(
        score=(
            _points(Q(has_experience=True), 30)
            + _points(Q(likes_prefecture=True), 20)
            + _points(Q(expected_salary__isnull=False) & Q(expected_monthly__lte=opening_max_monthly or 0), 20)
            + _points(Q(expected_salary__isnull=True), 10)
            + _points(Q(updated_at__gte=now - timedelta(days=30)), 15)
            + _points(Q(updated_at__gte=now - timedelta(days=90), updated_at__lt=now - timedelta(days=30)), 8)
            + _points(~Q(self_introduction=""), 5)
            + _points(~Q(name_kana=""), 5)
            + _points(Q(earliest_start_date__isnull=False), 5)
        )
    )
    if ineligible_only:
        qs = qs.filter(~eligible)
    elif eligible_only:
        qs = qs.filter(status_ok)
        for condition in qual_conditions.values():
            qs = qs.filter(condition)
        if opening.required_scale:
            # jp_scale is then computed for the rows shown only.
            qs = qs.filter(jp_ok)
    qs = qs.select_related("status").order_by("-score", "-updated_at", "pk")
    qs._iterable_class = _CandidateRows
    return cast("QuerySet[RankedCandidate]", qs)  # _CandidateRows adds status_fits, status_ok, eligible


def top_candidates(
    opening: Opening, *, limit: int = 50, eligible_only: bool = True, ineligible_only: bool = False
) -> list[RankedCandidate]:
    """rank_candidates(...)[:limit], the same rows in the same order, narrow
    then fetch: the database sorts only the ids with the score and the
    flags (not every wide profile row that passes: for an opening with
    sponsorship that is most of the candidates, a sort that spilled to
    disk), then the winners' rows are read by id and given the flags."""
    ranked = rank_candidates(opening, eligible_only=eligible_only, ineligible_only=ineligible_only)
    names = list(ranked.query.annotations)
    narrow = list(ranked.values("pk", *names)[:limit])
    profiles = CandidateProfile.objects.select_related("status").in_bulk([values["pk"] for values in narrow])
    rows = []
    for values in narrow:
        row = profiles.get(values.pop("pk"))
        if row is None:  # erased between the two reads
            continue
        for name, value in values.items():
            setattr(row, name, value)
        rows.append(_with_flags(row))
    return cast("list[RankedCandidate]", rows)


# --- Openings for a candidate ---------------------------------------------------------


def open_openings() -> QuerySet[Opening]:
    today = timezone.localdate()
    return Opening.objects.filter(state=Opening.State.OPEN).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))


def person_of(profile: CandidateProfile) -> wr.Person:
    """What the rules look at in this profile, read once and kept on it."""
    if not hasattr(profile, "_person"):
        entries = list(profile.work_history.values_list("category_id", "started_on", "ended_on"))
        levels = list(profile.japanese_certificates.values_list("level__scale", "level__test__counts_for_ssw"))
        vars(profile)["_person"] = wr.Person.of(
            profile,
            kinds=set(profile.qualifications.values_list("kind_id", flat=True)),
            scale=max((scale for scale, _ssw in levels), default=0),
            ssw_scale=max((scale for scale, ssw in levels if ssw), default=0),
            entries=entries,
        )
        vars(profile)["_work_categories"] = {category for category, _start, _end in entries if category}
    return vars(profile)["_person"]


def _accepts(status_id: int | None) -> Q:
    # Uncorrelated IN subqueries, hashed once (see rank_candidates).
    if status_id is None:
        return wr.NEVER
    return Q(
        pk__in=Opening.accepted_statuses.through.objects.filter(statusofresidence_id=status_id).values("opening_id")
    )


def fit_conditions(profile: CandidateProfile) -> dict:
    """The status and period-of-stay annotations for openings, for one
    candidate (rank_openings and the job board share them)."""
    book = work_rules(profile)
    person = person_of(profile)
    conditions = book.for_person(person=person, accepts=_accepts(profile.status_id), accepts_status=_accepts)
    fits = wr.as_q(conditions.fits)
    sponsored = Q(sponsorship_offered=True) & wr.as_q(conditions.sponsorable)
    status = profile.status
    if status is not None and status.code in PERMANENT:
        period_ok = wr.ALWAYS
    elif profile.period_of_stay_expiry:
        period_ok = Q(start_date__lte=profile.period_of_stay_expiry)
    else:
        period_ok = wr.NEVER
    status_ok = (fits & period_ok) | (~fits & sponsored) if conditions.routes else fits & period_ok
    offered_routes = [(status_id, wr.and_(Q(sponsorship_offered=True), c)) for status_id, c in conditions.routes]
    return {
        "annotations": {
            "status_verdict": conditions.verdict,
            "status_fits": _flag(fits),
            "sponsor_status": wr.route_case(offered_routes),
            "period_ok": _flag(period_ok),
            "status_ok": _flag(status_ok),
        },
        "status_ok": status_ok,
    }


def with_fit(openings: QuerySet[Opening], profile: CandidateProfile) -> QuerySet[FitOpening]:
    """Openings annotated with whether this candidate's status fits them
    (for the job board: it shows every opening, with why it may not fit)."""
    # The annotations come as a dict (fit_conditions): say what they are.
    return cast("QuerySet[FitOpening]", openings.annotate(**fit_conditions(profile)["annotations"]))


def may_take(openings: QuerySet[Opening], profile: CandidateProfile) -> QuerySet[Opening]:
    """Only the openings this candidate may legally take: the hard rules of
    their status of residence and period of stay (or a sponsorship route the
    employer offers and they meet). Japanese and qualifications are the
    employer's requirements, not the law's, and are not applied here."""
    return openings.filter(fit_conditions(profile)["status_ok"])


def rank_openings(
    profile: CandidateProfile, *, eligible_only: bool = True, base: QuerySet[Opening] | None = None
) -> QuerySet[RankedOpening]:
    """Open openings with the same hard-rule flags and a score for one
    candidate, best first."""
    fit = fit_conditions(profile)
    person = person_of(profile)
    scale = person.scale
    kinds = person.kinds
    lacks_qualification = Q(
        pk__in=Opening.required_qualifications.through.objects.exclude(qualificationkind_id__in=kinds).values(
            "opening_id"
        )
    )
    work_categories: set[int] = vars(profile)["_work_categories"]  # kept by person_of
    wished = set(profile.desired_categories.values_list("pk", flat=True))
    prefectures = set(profile.desired_prefectures.values_list("pk", flat=True))
    expected = _monthly(profile.expected_salary, profile.expected_salary_period)
    recent = timezone.now() - timedelta(days=14)
    qs = (base if base is not None else open_openings()).annotate(
        max_monthly=_monthly_expr("salary_max", "salary_period")
    )
    qs = qs.annotate(
        **fit["annotations"],
        jp_ok=_flag(Q(required_scale__lte=scale)),
        quals_ok=_flag(~lacks_qualification),
        has_experience=_flag(wr.as_q(wr.in_("category_id", work_categories))),
        likes_prefecture=_flag(wr.as_q(wr.in_("prefecture_id", prefectures))),
        wished_category=_flag(wr.as_q(wr.in_("category_id", wished))),
        salary_fits=_flag(Q(max_monthly__gte=expected) if expected else wr.ALWAYS),
    ).annotate(
        score=_points(wr.as_q(wr.in_("category_id", work_categories)), 30)
        + _points(wr.as_q(wr.in_("prefecture_id", prefectures)), 20)
        + (_points(Q(max_monthly__gte=expected), 20) if expected else Value(10))
        + _points(Q(published_at__gte=recent), 15)
        + _points(wr.as_q(wr.in_("category_id", wished)), 15)
    )
    if eligible_only:
        qs = qs.filter(fit["status_ok"], required_scale__lte=scale).exclude(lacks_qualification)
    qs = qs.select_related("employer", "category", "prefecture", "employment_type", "required_level").order_by(
        "-score", "-published_at", "pk"
    )
    return cast("QuerySet[RankedOpening]", qs)  # the fit's annotations come as a dict (fit_conditions)


# --- Explanations -----------------------------------------------------------------------


@dataclass
class Match:
    eligible: bool
    score: int
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    stay_ends_before_start: bool = False
    # Cautions that do not stand in the way (a new employer needs a new
    # designation first).
    notes: list[str] = field(default_factory=list)
    # For candidates: the statuses the job is open to, and with sponsorship
    # what the employer would apply for and what it needs.
    needed: list[str] = field(default_factory=list)


def _best_level(profile: CandidateProfile) -> JapaneseLevel | None:
    """The candidate's best result as they hold it (a BJT J2 is named as BJT
    J2, not as the JLPT level it counts as). Kept on the instance: explaining
    a list of openings for one profile asks once."""
    if not hasattr(profile, "_best_japanese_level"):
        vars(profile)["_best_japanese_level"] = (
            JapaneseLevel.objects.filter(pk__in=profile.japanese_certificates.values("level"))
            .select_related("test")
            .order_by("-scale", "test__sort_order", "sort_order")
            .first()
        )
    return vars(profile)["_best_japanese_level"]


def scale_words(scale: int) -> str:
    """A level on the common scale, as a person knows it."""
    if scale <= 0:
        return _("no Japanese test result")
    if scale == 2:
        return _("JLPT N4 or JFT-Basic A2")
    return _("JLPT N%(n)s") % {"n": 6 - scale}


def status_gaps(
    book: wr.RuleBook,
    verdict: str,
    status: StatusOfResidence | None,
    opening: Opening,
    *,
    permission_hours: int,
    ssw_scale: int,
    ssw_level: str | None = None,
) -> list[str]:
    """Why the candidate's status does not fit the job, in plain words, from
    the verdict the ranking computed (matching.rules.STAGES). `ssw_scale`:
    the candidate's best level on the tests SSW accepts (JLPT, JFT-Basic);
    `ssw_level`: that result as they hold it, where known ("JLPT N4")."""
    if verdict in (wr.OK, wr.NO_STATUS) or status is None:
        return []
    job = wr.Job.of(opening)
    words = {"status": status.label, "category": opening.category.label, "hours": opening.weekly_hours}
    rules = book.rules_for(status.pk)
    level_ii = any(r.ssw == "ii" for r in rules)
    requirement = book.fields.get(job.category_id)
    if verdict == wr.NO_WORK:
        if status.work_rule == WorkRule.DESIGNATION:
            text = _(
                "With the status %(status)s, the work you may do depends on your designation (指定書). Choose "
                "your designation in your profile: we cannot tell whether this one allows the work."
            )
        else:
            text = _("The status %(status)s does not allow paid work.")
        return [text % words]
    if verdict == "bound" and any(r.change_blocked for r in rules):
        gaps = [
            _(
                "With the status %(status)s you may work only at the organisation named in your training plan, "
                "not for another employer."
            )
            % words
        ]
        if requirement and requirement.completion_id:
            gaps.append(
                _(
                    "Your route to this work: after good completion of Technical Intern Training (ii) in "
                    "%(category)s you may change to Specified Skilled Worker (i) in that field, without its tests."
                )
                % words
            )
        elif requirement:
            # No Technical Intern Training in this field (aviation, railway,
            # automobile transport): the field's skills test, after any good
            # completion (it replaces the Japanese test up to JLPT N4).
            gaps.append(
                _(
                    "Your route to this work: after good completion of Technical Intern Training (ii) in any field, "
                    "Specified Skilled Worker (i) in %(category)s with its skills test (the completion replaces the "
                    "Japanese test up to JLPT N4)."
                )
                % words
            )
        else:
            gaps.append(
                _(
                    "Your route: after good completion of Technical Intern Training (ii), Specified Skilled Worker "
                    "(i) in the same field."
                )
            )
        return gaps
    if verdict == "bound":
        text = _(
            "With the status %(status)s you may work only within the company group that transferred you: "
            "another employer would first have to change your status of residence."
        )
    elif verdict == "scope" and book.excluded_as_adult(status.pk, job):
        text = _(
            "This workplace is an adult entertainment business (風俗営業); your status does not allow work there, "
            "in any role."
        )
    elif verdict == "scope":
        text = _("The activity of your status %(status)s does not cover %(category)s.")
    elif verdict == "form" and any(r.ssw for r in rules):
        text = _(
            "The status %(status)s needs direct, full-time employment (about 30 hours and 5 days a week or "
            "more); dispatch is allowed only in agriculture and fishery."
        )
    elif verdict == "form":
        words["type"] = opening.employment_type.label
        text = _("With the status %(status)s you may not take %(type)s work in %(category)s.")
    elif verdict == "hours_min":
        words["min"] = book.hours_limit(status.pk, job, verdict)
        text = _("With the status %(status)s the job must have at least %(min)s hours a week; this one has %(hours)s.")
    elif verdict == "hours_max":
        words["max"] = book.hours_limit(status.pk, job, verdict)
        text = _("With the status %(status)s you may work up to %(max)s hours a week; this job has %(hours)s.")
    elif verdict == "permission":
        text = _("With the status %(status)s you need permission for activity outside your status to work.")
    elif verdict == "permission_hours":
        words["allowed"] = permission_hours
        text = _("Your permission for activity outside status allows %(allowed)s hours a week; this job has %(hours)s.")
    elif verdict == "ssw_test" and level_ii:
        text = _(
            "The status %(status)s allows work only in the field of the (ii) test you passed: this job needs the "
            "Specified Skilled Worker (ii) test for %(category)s."
        )
    elif verdict == "ssw_test":
        text = _(
            "The status %(status)s allows work only in the field of the skills test you passed: this job needs "
            "the skills test for %(category)s."
        )
    elif verdict == "ssw_japanese" and requirement is not None:
        words["need"] = scale_words(requirement.japanese_scale_ii if level_ii else requirement.japanese_scale)
        words["have"] = ssw_level or scale_words(ssw_scale)
        if ssw_scale:
            text = _(
                "Specified Skilled Worker in %(category)s needs Japanese at %(need)s or above (only JLPT and "
                "JFT-Basic results count for it); your best JLPT or JFT-Basic result is %(have)s."
            )
        else:
            text = _(
                "Specified Skilled Worker in %(category)s needs Japanese at %(need)s or above (only JLPT and "
                "JFT-Basic results count for it); you have no JLPT or JFT-Basic result."
            )
    elif verdict == "ssw_extra" and requirement is not None and requirement.obj.extra_qualification:
        words["qualification"] = requirement.obj.extra_qualification.label
        text = _("Specified Skilled Worker in %(category)s also needs: %(qualification)s.")
    elif verdict == wr.NOT_ACCEPTED:
        text = _("This job is not open to the status %(status)s.")
    else:
        text = _("Our rules do not let the status %(status)s take this job.")
    return [text % words]


def status_refusal(book: wr.RuleBook, status: StatusOfResidence, verdict: str, opening: Opening) -> str:
    """Why a status's work rules cannot cover this job at all, in words for
    an employer (`opening` needs category, employment type and hours)."""
    job = wr.Job.of(opening)
    words = {"status": status.label, "category": opening.category.label, "hours": opening.weekly_hours}
    if verdict == wr.NO_WORK and status.work_rule == WorkRule.DESIGNATION:
        text = _(
            "the work it allows depends on each person's designation, and our rules cannot tell whether it covers "
            "this job."
        )
    elif verdict == wr.NO_WORK:
        text = _("it does not allow paid work.")
    elif verdict == "bound":
        text = _(
            "it binds its holder to one organisation (the one named in the training plan, or the company group "
            "that transferred them): they cannot join another employer."
        )
    elif verdict == "scope" and book.excluded_as_adult(status.pk, job):
        text = _("it does not allow work at an adult entertainment business (風俗営業), in any role.")
    elif verdict == "scope":
        text = _("its activity does not cover %(category)s.")
    elif verdict == "form" and any(r.ssw for r in book.rules_for(status.pk)):
        text = _("it needs direct, full-time employment; dispatch is allowed only in agriculture and fishery.")
    elif verdict == "form":
        words["type"] = opening.employment_type.label
        text = _("it does not allow %(type)s work in %(category)s.")
    elif verdict == "hours_min":
        words["min"] = book.hours_limit(status.pk, job, verdict)
        text = _("it needs at least %(min)s hours a week; this job has %(hours)s.")
    elif verdict == "hours_max":
        words["max"] = book.hours_limit(status.pk, job, verdict)
        text = _("it allows at most %(max)s hours a week; this job has %(hours)s.")
    else:
        text = _("our rules do not let it cover this job.")
    return text % words


def route_needs(book: wr.RuleBook, route: wr.Route, opening: Opening) -> str:
    """What a sponsorship route asks of the person, in words."""
    category = opening.category.label
    parts = []
    if route.needs_degree and route.min_years:
        parts.append(
            _("a degree or %(years)s years of experience in %(category)s")
            % {"years": route.min_years, "category": category}
        )
    elif route.needs_degree:
        parts.append(_("a degree"))
    elif route.min_years:
        parts.append(
            _("%(years)s years of experience in %(category)s") % {"years": route.min_years, "category": category}
        )
    if route.obj.qualification is not None:
        parts.append(route.obj.qualification.label)
    requirement = book.fields.get(opening.category_id)
    if book.is_ssw_i_status(route.status_id) and requirement is not None:
        parts.append(_("the skills test for %(category)s") % {"category": category})
        parts.append(_("Japanese at %(need)s") % {"need": scale_words(requirement.japanese_scale)})
        if requirement.obj.extra_qualification:
            parts.append(requirement.obj.extra_qualification.label)
    return ", ".join(str(p) for p in parts) if parts else _("nothing more")


def sponsorship_gaps(book: wr.RuleBook, opening: Opening, status: StatusOfResidence | None) -> list[str]:
    """Why the employer's sponsorship does not help this candidate."""
    job = wr.Job.of(opening)
    category = opening.category.label
    routes = book.routes_for(job.category_id)
    if not routes:
        # A work status whose activity covers the job, for which our rules
        # know no route (entertainers, medical professions): say we cannot
        # tell. None at all (simple labour): sponsorship cannot help.
        work_statuses = [
            s
            for s in book.rules
            if book.statuses[s].work_rule == WorkRule.WITHIN_SCOPE and book.opening_verdict(s, job) == wr.OK
        ]
        if work_statuses:
            return [
                _("Our rules cannot tell whether visa sponsorship helps for %(category)s: the employer decides.")
                % {"category": category}
            ]
        return [_("No work status covers %(category)s, so visa sponsorship cannot help here.") % {"category": category}]
    if status is not None and status.pk in book.change_blocked:
        return []  # the status's own gap shows the route
    gaps = []
    for route in routes:
        target = book.statuses[route.status_id]
        verdict = book.opening_verdict(target.pk, job)
        if verdict == wr.OK and not route.allows_form(job):
            verdict = "form"  # the status would allow the job, but is not granted on this contract
        if verdict != wr.OK:
            gaps.append(
                _("Even with sponsorship, %(target)s could not cover this job: %(why)s")
                % {"target": target.label, "why": status_refusal(book, target, verdict, opening)}
            )
        else:
            gaps.append(
                _("To sponsor you, the employer would apply for %(target)s, which needs %(needs)s.")
                % {"target": target.label, "needs": route_needs(book, route, opening)}
            )
    return gaps


def sponsorship_reason(book: wr.RuleBook, target_id: int, *, abroad: bool) -> str:
    target = book.statuses[target_id].label
    if abroad:
        return _(
            "The employer offers visa sponsorship: they would apply for a Certificate of Eligibility for %(target)s."
        ) % {"target": target}
    return _(
        "The employer offers visa sponsorship: they would apply to change your status of residence to %(target)s."
    ) % {"target": target}


def _status_reason_and_notes(book: wr.RuleBook, status: StatusOfResidence, opening: Opening, permission_hours: int):
    job = wr.Job.of(opening)
    passing = book.rules_passing_opening(status.pk, job, "")
    notes = []
    if passing and any(r.new_employer_needs_permission for r in passing):
        notes.append(
            _(
                "Your designation names your employer: a new employer needs permission to change it (an application "
                "for a change of status of residence) before you start."
            )
        )
    if passing and all(r.needs_permission for r in passing):
        allowed = min([permission_hours, *[r.max_hours for r in passing if r.max_hours]])
        return (
            _("Work within the %(hours)s hours a week your permission for activity outside status allows.")
            % {"hours": allowed},
            notes,
        )
    return _("Your status of residence (%(status)s) allows this work.") % {"status": status.label}, notes


def explain(profile: CandidateProfile, opening: Opening, row: "RankedOpening | None" = None) -> Match:
    """Reasons and gaps for one candidate and one opening, from the same
    annotations the ranking uses. `row` may be an already annotated opening."""
    if row is None:
        row = rank_openings(profile, eligible_only=False, base=Opening.objects.filter(pk=opening.pk)).first()
        assert row is not None  # every opening is in its own ranking (eligible_only=False)
    book = work_rules(profile)
    person = person_of(profile)
    reasons, gaps, notes, needed = [], [], [], []
    status: StatusOfResidence | None = profile.status
    permission_hours = profile.outside_activity_hours or 0
    best = _best_level(profile)
    have = best.label if best else _("no Japanese test result")
    if row.status_ok:
        if row.status_fits:
            assert status is not None  # a status that fits is one the candidate has
            reason, notes = _status_reason_and_notes(book, status, opening, permission_hours)
            reasons.append(reason)
        elif row.sponsor_status:
            coe = person.abroad or (status is not None and status.code in wr.NO_CHANGE_OF_STATUS)
            reasons.append(sponsorship_reason(book, row.sponsor_status, abroad=coe))
    else:
        if status is None and not opening.sponsorship_offered:
            gaps.append(
                _("This job needs a status of residence that allows the work, and the employer does not sponsor visas.")
            )
        gaps.extend(
            status_gaps(
                book,
                row.status_verdict,
                status,
                opening,
                permission_hours=permission_hours,
                ssw_scale=person.ssw_scale,
                ssw_level=best.label if best and best.test.counts_for_ssw else None,
            )
        )
        if not row.status_fits and opening.sponsorship_offered:
            gaps.extend(sponsorship_gaps(book, opening, status))
        if not row.status_fits:
            needed = _needed(book, opening)
    stay_short = bool(
        profile.period_of_stay_expiry
        and profile.period_of_stay_expiry < opening.start_date
        and not (status is not None and status.code in PERMANENT)
    )
    if status is not None and not row.period_ok and not (row.status_ok and not row.status_fits):
        if profile.period_of_stay_expiry:
            gaps.append(
                _("Your period of stay ends on %(end)s, before the start date %(start)s.")
                % {"end": profile.period_of_stay_expiry.isoformat(), "start": opening.start_date.isoformat()}
            )
        else:
            gaps.append(_("Add the end of your period of stay to your profile."))
    if opening.required_level is not None:
        need = opening.required_level.label
        if row.jp_ok:
            reasons.append(_("Requires %(need)s; you have %(have)s.") % {"need": need, "have": have})
        else:
            gaps.append(_("Requires %(need)s; you have %(have)s.") % {"need": need, "have": have})
    if not row.quals_ok:
        for kind in QualificationKind.objects.filter(pk__in=opening.required_qualifications.values("pk")).exclude(
            pk__in=person.kinds
        ):
            gaps.append(_("Requires the qualification: %(q)s.") % {"q": kind.label})
    if row.has_experience:
        reasons.append(_("You have experience in %(category)s.") % {"category": opening.category.label})
    if row.likes_prefecture:
        reasons.append(_("It is in a prefecture you chose (%(p)s).") % {"p": opening.prefecture.label})
    if profile.expected_salary and row.salary_fits:
        reasons.append(_("The salary reaches what you expect."))
    elif profile.expected_salary:
        gaps.append(_("The salary is below what you expect."))
    eligible = bool(row.status_ok and row.jp_ok and row.quals_ok)
    return Match(
        eligible=eligible,
        score=row.score,
        reasons=reasons,
        gaps=gaps,
        stay_ends_before_start=stay_short,
        notes=notes,
        needed=needed,
    )


def _needed(book: wr.RuleBook, opening: Opening) -> list[str]:
    """The statuses this job is open to and, with sponsorship, what the
    employer would apply for (for the candidate's page)."""
    lines = []
    accepted = [s.label for s in opening.accepted_statuses.all()]
    if accepted:
        lines.append(_("This job is open to: %(statuses)s.") % {"statuses": ", ".join(accepted)})
    if opening.sponsorship_offered:
        job = wr.Job.of(opening)
        for route in [r for r in book.routes_for(opening.category_id) if r.allows_form(job)]:
            lines.append(
                _("With sponsorship, the employer would apply for %(target)s; it needs %(needs)s.")
                % {"target": book.statuses[route.status_id].label, "needs": route_needs(book, route, opening)}
            )
    return lines


def board_fit(profile: CandidateProfile, row: FitOpening) -> list[str]:
    """For the job board: why an opening may not fit the candidate's status
    (empty when it fits), from with_fit's annotations, without queries."""
    if row.status_ok:
        return []
    book = work_rules(profile)
    status = profile.status
    words = status_gaps(
        book,
        row.status_verdict,
        status,
        row,
        permission_hours=profile.outside_activity_hours or 0,
        ssw_scale=person_of(profile).ssw_scale,
    )
    if status is None:
        words.append(_("You have no status of residence in Japan yet."))
    if row.sponsorship_offered and not row.status_fits:
        words.extend(sponsorship_gaps(book, row, status))
    if status is not None and row.status_fits and not row.period_ok:
        words.append(_("Your period of stay ends before this job starts."))
    return words


def explain_candidate_row(row: RankedCandidate, opening: Opening) -> Match:
    """Words for a row of rank_candidates (for staff), without more queries
    than the row already carries: the rule table and the opening's required
    qualifications were read once by rank_candidates."""
    book = work_rules(opening)
    reasons, gaps = [], []
    if row.status_ok and row.status_fits:
        assert row.status is not None  # a status that fits is one the candidate has
        reasons.append(_("Status of residence %(status)s fits.") % {"status": row.status.label})
    elif row.status_ok and row.sponsor_status:
        reasons.append(
            _("The employer sponsors a visa: %(target)s.") % {"target": book.statuses[row.sponsor_status].label}
        )
    else:
        if row.status_id is None:
            gaps.append(_("No status of residence, and no sponsorship route this candidate meets."))
        gaps.extend(
            status_gaps(
                book,
                row.status_verdict,
                row.status,
                opening,
                permission_hours=row.outside_activity_hours or 0,
                ssw_scale=getattr(row, "ssw_jp_scale", row.jp_scale),
            )
        )
        if row.status_fits and not row.period_ok:
            gaps.append(
                _("Period of stay ends on %(end)s, before the start date %(start)s.")
                % {
                    "end": row.period_of_stay_expiry.isoformat() if row.period_of_stay_expiry else "—",
                    "start": opening.start_date.isoformat(),
                }
            )
        if opening.sponsorship_offered and not row.status_fits:
            gaps.extend(sponsorship_gaps(book, opening, row.status))
    if opening.required_level is not None:
        # The common scale runs 1 (N5) … 5 (N1): name it as the JLPT level.
        have = f"JLPT N{6 - row.jp_scale}" if row.jp_scale else _("no Japanese test result")
        words = _("Japanese at %(have)s level (required: %(need)s).") % {
            "have": have,
            "need": opening.required_level.label,
        }
        (reasons if row.jp_ok else gaps).append(words)
    for kind in getattr(opening, "_required_kinds", []):
        if not getattr(row, f"has_qual_{kind.pk}", True):
            gaps.append(_("Requires the qualification: %(q)s.") % {"q": kind.label})
    if row.has_experience:
        reasons.append(_("Experience in %(category)s.") % {"category": opening.category.label})
    if row.likes_prefecture:
        reasons.append(_("Wants to work in %(p)s.") % {"p": opening.prefecture.label})
    if row.expected_salary and not row.salary_fits:
        gaps.append(_("Expects more than the salary offered."))
    return Match(eligible=bool(row.eligible), score=row.score, reasons=reasons, gaps=gaps)
