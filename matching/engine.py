"""The matching engine: hard rules and a soft score, computed in the database.

It advises; a person decides (GDPR Art. 22; seed 004). Every result carries
its reasons and its gaps in words a person understands.

Hard rules (PRODUCT §5, domain notes §1):
- status: the opening accepts the candidate's status of residence; a status
  that does not permit work (student, dependent) only with permission for
  activity outside status, for part-time work within the hours it allows
  (28 h/week); or the employer offers visa sponsorship;
- period of stay: it does not end before the start date (permanent statuses
  have none; with sponsorship the employer handles the new status);
- Japanese: the candidate's best level on the common scale reaches the
  required one (any test: JLPT, JFT-Basic, BJT, NAT-TEST);
- qualifications: the candidate holds every required kind.
Soft score (0–100): experience in the category 30, preferred prefecture 20,
salary fit 20, recent activity 15, profile completeness / category wish 15.

Both directions (candidates for an opening; openings for a candidate) are
single SQL queries with annotations and Exists(); nothing loads candidates
into Python to rank them. Explanations read the annotated flags of the rows
being shown, so the words always agree with the ranking.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
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
from django.utils import timezone
from django.utils.translation import gettext as _

from consents.models import ProcessingRestriction
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

PERMANENT = NO_EXPIRY_STATUSES
PART_TIME = "part_time"
# To compare salaries across periods: a month is 160 working hours [M].
MONTHLY = {SalaryPeriod.HOUR: 160, SalaryPeriod.MONTH: 1, SalaryPeriod.YEAR: None}


def _monthly(amount: int | None, period: str) -> float | None:
    if amount is None or not period:
        return None
    return amount / 12 if period == SalaryPeriod.YEAR else amount * MONTHLY[period]


def _monthly_expr(amount: str, period: str):
    return Case(
        When(**{period: SalaryPeriod.HOUR}, then=F(amount) * 160),
        When(**{period: SalaryPeriod.YEAR}, then=F(amount) / 12),
        default=F(amount),
        output_field=IntegerField(),
    )


def _flag(q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _points(condition, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def japanese_scale_of_profile() -> Coalesce:
    best = (
        JapaneseCertificate.objects.filter(profile=OuterRef("pk")).order_by("-level__scale").values("level__scale")[:1]
    )
    return Coalesce(Subquery(best, output_field=IntegerField()), Value(0))


def not_restricted(user_ref: str = "user") -> Q:
    return ~Q(Exists(ProcessingRestriction.objects.filter(user=OuterRef(user_ref), lifted_at__isnull=True)))


# --- Candidates for an opening ---------------------------------------------------


def rank_candidates(opening: Opening, *, eligible_only: bool = True) -> QuerySet[CandidateProfile]:
    """Candidates open to proposals, with hard-rule flags and a score,
    best first. Slice it ([:50]) — the database does the ranking."""
    statuses = list(opening.accepted_statuses.all())
    part_time = opening.employment_type.code == PART_TIME
    full_rights = [s.pk for s in statuses if s.work_rule != WorkRule.NOT_PERMITTED]
    with_permission = [
        s.pk
        for s in statuses
        if s.work_rule == WorkRule.NOT_PERMITTED
        and part_time
        and s.part_time_hours_limit
        and opening.weekly_hours <= s.part_time_hours_limit
    ]
    status_ok = Q(status_id__in=full_rights) | (
        Q(status_id__in=with_permission)
        & Q(outside_activity_permission=True)
        & Q(outside_activity_hours__gte=opening.weekly_hours)
    )
    period_ok = Q(status__code__in=PERMANENT) | Q(period_of_stay_expiry__gte=opening.start_date)
    # Whether the status itself fits, sponsorship aside (for the words staff read).
    status_fits = status_ok
    if opening.sponsorship_offered:
        status_ok = Q(pk__isnull=False)
        period_ok = Q(pk__isnull=False)
    required = list(opening.required_qualifications.values_list("pk", flat=True))
    # Membership in an uncorrelated subquery (`id IN (SELECT profile_id ...)`)
    # rather than a correlated EXISTS per row: PostgreSQL hashes the subquery
    # once and, above all, estimates it at its true cost; correlated
    # subqueries over 30,000 candidates made the estimate so high that the
    # JIT compiler spent seconds on every ranking (see bench/README.md).
    quals = {
        f"has_qual_{kind}": _flag(Q(pk__in=Qualification.objects.filter(kind_id=kind).values("profile_id")))
        for kind in required
    }
    expected_monthly = _monthly_expr("expected_salary", "expected_salary_period")
    opening_max_monthly = _monthly(opening.salary_max, opening.salary_period)
    now = timezone.now()
    qs = (
        CandidateProfile.objects.filter(open_to_proposals=True, user__is_active=True, user__role="candidate")
        .filter(not_restricted())
        .annotate(
            jp_scale=japanese_scale_of_profile(),
            status_ok=_flag(status_ok),
            status_fits=_flag(status_fits),
            period_ok=_flag(period_ok),
            **quals,
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
        salary_fits=_flag(Q(expected_salary__isnull=True) | Q(expected_monthly__lte=opening_max_monthly or 0)),
        jp_ok=_flag(Q(jp_scale__gte=opening.required_scale)),
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
    if eligible_only:
        qs = qs.filter(status_ok=True, period_ok=True, **dict.fromkeys(quals, True))
        if opening.required_scale:
            # The same rule as jp_ok (best level >= required), filtered as a
            # semi-join: jp_scale is then computed for the rows shown only.
            qs = qs.filter(
                pk__in=JapaneseCertificate.objects.filter(level__scale__gte=opening.required_scale).values("profile_id")
            )
    return qs.select_related("status").order_by("-score", "-updated_at", "pk")


# --- Openings for a candidate ---------------------------------------------------------


def open_openings() -> QuerySet[Opening]:
    today = timezone.localdate()
    return Opening.objects.filter(state=Opening.State.OPEN).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))


def rank_openings(
    profile: CandidateProfile, *, eligible_only: bool = True, base: QuerySet | None = None
) -> QuerySet[Opening]:
    """Open openings with the same hard-rule flags and a score for one
    candidate, best first."""
    status = profile.status
    # Uncorrelated IN subqueries, hashed once (see rank_candidates).
    accepts_status = _flag(
        Q(
            pk__in=Opening.accepted_statuses.through.objects.filter(statusofresidence_id=profile.status_id).values(
                "opening_id"
            )
        )
    )
    # Whether the status itself allows the job; sponsorship aside (explain
    # names sponsorship only where the status does not fit).
    if status is None:
        status_fits = Q(pk__isnull=True)  # never: only sponsorship helps
    elif status.work_rule == WorkRule.NOT_PERMITTED:
        hours = min(h for h in (status.part_time_hours_limit or 0, profile.outside_activity_hours or 0))
        status_fits = (
            Q(accepts_status=True)
            & Q(employment_type__code=PART_TIME)
            & Q(weekly_hours__lte=hours if profile.outside_activity_permission else -1)
        )
    else:
        status_fits = Q(accepts_status=True)
    status_ok = Q(sponsorship_offered=True) | status_fits
    if status is not None and status.code in PERMANENT:
        period_ok = Q(pk__isnull=False)
    elif profile.period_of_stay_expiry:
        period_ok = Q(sponsorship_offered=True) | Q(start_date__lte=profile.period_of_stay_expiry)
    else:
        period_ok = Q(sponsorship_offered=True)
    scale = profile_japanese_scale(profile)
    kinds = set(profile.qualifications.values_list("kind_id", flat=True))
    lacks_qualification = Q(
        pk__in=Opening.required_qualifications.through.objects.exclude(qualificationkind_id__in=kinds).values(
            "opening_id"
        )
    )
    work_categories = set(profile.work_history.exclude(category=None).values_list("category_id", flat=True))
    wished = set(profile.desired_categories.values_list("pk", flat=True))
    prefectures = set(profile.desired_prefectures.values_list("pk", flat=True))
    expected = _monthly(profile.expected_salary, profile.expected_salary_period)
    recent = timezone.now() - timedelta(days=14)
    qs = (base if base is not None else open_openings()).annotate(
        accepts_status=accepts_status, max_monthly=_monthly_expr("salary_max", "salary_period")
    )
    qs = qs.annotate(
        status_ok=_flag(status_ok),
        status_fits=_flag(status_fits),
        period_ok=_flag(period_ok),
        jp_ok=_flag(Q(required_scale__lte=scale)),
        quals_ok=_flag(~lacks_qualification),
        has_experience=_flag(Q(category_id__in=work_categories)),
        likes_prefecture=_flag(Q(prefecture_id__in=prefectures)),
        wished_category=_flag(Q(category_id__in=wished)),
        salary_fits=_flag(Q(max_monthly__gte=expected) if expected else Q(pk__isnull=False)),
    ).annotate(
        score=_points(Q(category_id__in=work_categories), 30)
        + _points(Q(prefecture_id__in=prefectures), 20)
        + (_points(Q(max_monthly__gte=expected), 20) if expected else Value(10))
        + _points(Q(published_at__gte=recent), 15)
        + _points(Q(category_id__in=wished), 15)
    )
    if eligible_only:
        qs = qs.filter(status_ok=True, period_ok=True, jp_ok=True, quals_ok=True)
    return qs.select_related("employer", "category", "prefecture", "employment_type", "required_level").order_by(
        "-score", "-published_at", "pk"
    )


def profile_japanese_scale(profile: CandidateProfile) -> int:
    best = profile.japanese_certificates.order_by("-level__scale").values_list("level__scale", flat=True).first()
    return best or 0


# --- Explanations -----------------------------------------------------------------------


@dataclass
class Match:
    eligible: bool
    score: int
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    stay_ends_before_start: bool = False


def _best_level(profile: CandidateProfile) -> JapaneseLevel | None:
    """The candidate's best result as they hold it (a BJT J2 is named as BJT
    J2, not as the JLPT level it counts as). Kept on the instance: explaining
    a list of openings for one profile asks once."""
    if not hasattr(profile, "_best_japanese_level"):
        profile._best_japanese_level = (
            JapaneseLevel.objects.filter(pk__in=profile.japanese_certificates.values("level"))
            .select_related("test")
            .order_by("-scale", "test__sort_order", "sort_order")
            .first()
        )
    return profile._best_japanese_level


def explain(profile: CandidateProfile, opening: Opening, row=None) -> Match:
    """Reasons and gaps for one candidate and one opening, from the same
    annotations the ranking uses. `row` may be an already annotated opening."""
    if row is None:
        row = rank_openings(profile, eligible_only=False, base=Opening.objects.filter(pk=opening.pk)).first()
    reasons, gaps = [], []
    status: StatusOfResidence | None = profile.status
    if row.status_ok:
        if not row.status_fits:
            reasons.append(_("The employer offers visa sponsorship."))
        elif status is not None and status.work_rule == WorkRule.NOT_PERMITTED:
            reasons.append(
                _("Part-time work within the %(hours)s hours a week your permission allows.")
                % {"hours": min(status.part_time_hours_limit or 0, profile.outside_activity_hours or 0)}
            )
        elif status is not None:
            reasons.append(_("Your status of residence (%(status)s) allows this work.") % {"status": status.label})
    elif status is None:
        gaps.append(
            _("This job needs a status of residence that allows the work, and the employer does not sponsor visas.")
        )
    elif status.work_rule == WorkRule.NOT_PERMITTED:
        if not status.part_time_hours_limit:
            gaps.append(_("The status %(status)s does not allow paid work.") % {"status": status.label})
        elif not profile.outside_activity_permission:
            gaps.append(
                _("With the status %(status)s you need permission for activity outside your status to work.")
                % {"status": status.label}
            )
        else:
            gaps.append(
                _("With the status %(status)s you may only work part-time, up to %(hours)s hours a week.")
                % {
                    "status": status.label,
                    "hours": min(status.part_time_hours_limit or 0, profile.outside_activity_hours or 0),
                }
            )
    else:
        gaps.append(_("This job is not open to the status %(status)s.") % {"status": status.label})
    stay_short = not row.period_ok and bool(profile.period_of_stay_expiry)
    if not row.period_ok:
        if profile.period_of_stay_expiry:
            gaps.append(
                _("Your period of stay ends on %(end)s, before the start date %(start)s.")
                % {"end": profile.period_of_stay_expiry.isoformat(), "start": opening.start_date.isoformat()}
            )
        else:
            gaps.append(_("Add the end of your period of stay to your profile."))
    if opening.required_level_id:
        best = _best_level(profile)
        have = best.label if best else _("no Japanese test result")
        need = opening.required_level.label
        if row.jp_ok:
            reasons.append(_("Requires %(need)s; you have %(have)s.") % {"need": need, "have": have})
        else:
            gaps.append(_("Requires %(need)s; you have %(have)s.") % {"need": need, "have": have})
    if not row.quals_ok:
        held = set(profile.qualifications.values_list("kind_id", flat=True))
        for kind in QualificationKind.objects.filter(pk__in=opening.required_qualifications.values("pk")).exclude(
            pk__in=held
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
    eligible = bool(row.status_ok and row.period_ok and row.jp_ok and row.quals_ok)
    return Match(eligible=eligible, score=row.score, reasons=reasons, gaps=gaps, stay_ends_before_start=stay_short)


def explain_candidate_row(row: CandidateProfile, opening: Opening) -> Match:
    """Words for a row of rank_candidates (for staff), without more queries
    than the row already carries."""
    reasons, gaps = [], []
    if row.status_id and row.status_fits:
        reasons.append(_("Status of residence %(status)s fits.") % {"status": row.status.label})
    elif opening.sponsorship_offered:
        reasons.append(_("The employer sponsors a visa."))
    if opening.required_level_id:
        # The common scale runs 1 (N5) … 5 (N1): name it as the JLPT level.
        have = f"JLPT N{6 - row.jp_scale}" if row.jp_scale else _("no Japanese test result")
        reasons.append(
            _("Japanese at %(have)s level (required: %(need)s).") % {"have": have, "need": opening.required_level.label}
        )
    if row.has_experience:
        reasons.append(_("Experience in %(category)s.") % {"category": opening.category.label})
    if row.likes_prefecture:
        reasons.append(_("Wants to work in %(p)s.") % {"p": opening.prefecture.label})
    if row.expected_salary and not row.salary_fits:
        gaps.append(_("Expects more than the salary offered."))
    return Match(eligible=True, score=row.score, reasons=reasons, gaps=gaps)
