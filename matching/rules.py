"""The work rules (profiles.StatusRule, SSWFieldRequirement, SponsorshipRoute)
as the matching engine applies them.

A RuleBook is the rule table loaded once per ranking (a constant number of
small queries, whatever the number of candidates or openings). From it come
SQL conditions for either direction of the engine, never a Python loop over
candidates or openings:

- `for_job(...)`: the opening is known, the candidates vary (conditions on
  CandidateProfile rows);
- `for_person(...)`: the candidate is known, the openings vary (conditions on
  Opening rows).

Both build the same stages, in the same order, from the same rule rows; the
first stage that no rule of the person's status passes names the gap
(`verdict`). A job fits a status when one of its rules passes every stage
and the employer accepts the status:

  bound            the rule binds the person to one organisation (Technical
                   Intern Training, Intra-company Transferee): never another
                   employer's opening
  scope            the kind of work is within the rule (never an adult
                   entertainment business where the rule excludes them:
                   neither a kind of work staff mark as one, nor any job,
                   whatever the role, at premises the employer marks as one,
                   Opening.adult_entertainment_premises)
  form             the employment type is allowed (SSW: dispatch only in the
                   fields that allow it)
  hours_min/max    the weekly hours are within the rule's (SSW at least 30;
                   with permission at most 28 — 28 passes, 29 does not)
  permission       the person holds permission for activity outside status
  permission_hours ... for at least the job's hours
  ssw_test         SSW (i): the field's skills test or a completed Technical
                   Intern Training (ii) in the field; SSW (ii): the (ii) test
  ssw_japanese     the field's Japanese level on a test SSW accepts (JLPT,
                   JFT-Basic: JapaneseTest.counts_for_ssw), or the completed
                   training
  ssw_extra        anything else the field needs (nursing care: the
                   nursing-care Japanese evaluation test)

Sponsorship helps only through a route: the employer would apply for a work
status that covers the kind of work, accepts that status, the job fits that
status's rules for this person (e.g. the SSW field's tests), and the person
brings what the route asks (a degree or years of experience, a
qualification). A status that may not be changed before completion
(Technical Intern Training) only leaves by its route: SSW (i) after a good
completion of Technical Intern Training (ii), in its field without tests or in
another field with that field's skills test (the completion replaces the
Japanese test in any field).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Case, CharField, DurationField, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from config import generations
from matching.models import Opening
from profiles.models import (
    CandidateProfile,
    EducationEntry,
    EmploymentType,
    JapaneseCertificate,
    JobCategory,
    Qualification,
    SponsorshipRoute,
    SSWFieldRequirement,
    StatusOfResidence,
    StatusRule,
    WorkEntry,
)

STAGES = (
    "bound",
    "scope",
    "form",
    "hours_min",
    "hours_max",
    "permission",
    "permission_hours",
    "ssw_test",
    "ssw_japanese",
    "ssw_extra",
)
OPENING_STAGES = STAGES[:5]  # what the opening alone decides
NO_STATUS, NO_WORK, NOT_ACCEPTED, OK = "no_status", "no_work", "not_accepted", "ok"

# Education that counts as "a degree" for a sponsorship route. A Japanese
# vocational school (専門士) counts when the school is in Japan [M] unconfirmed:
# the profile does not record the title itself.
DEGREE_LEVELS = ("associate", "bachelor", "master", "doctorate")

# Good completion of Technical Intern Training (ii) in any occupation
# replaces the Japanese test of SSW (i) (JLPT N4 / JFT-Basic A2, scale 2) in
# every field; only the skills test needs a related field, and the nursing-care
# Japanese test a nursing-care completion (ISA operating guidelines as quoted
# by lighthouse88.com and iwamoto-corporation.co.jp, secondary). [M]
# unconfirmed whether it also stands for the N3 some fields ask (taxi and bus
# drivers, railway station staff): there it does not.
TITP_JAPANESE_EXEMPT_UP_TO = 2

# Statuses that are not changed to another in Japan: a Temporary Visitor's
# application for a change is refused "unless based on unavoidable special
# circumstances" (Immigration Control Act Art. 20(3) proviso). Sponsorship
# then means a Certificate of Eligibility, as for someone abroad.
NO_CHANGE_OF_STATUS = ("temporary_visitor",)

# A condition is a Python bool where the known side decides it, or a Q on the
# rows that vary.
Cond = bool | Q
ALWAYS = Q(pk__isnull=False)
NEVER = Q(pk__isnull=True)


def and_(a: Cond, b: Cond) -> Cond:
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return a & b


def or_(a: Cond, b: Cond) -> Cond:
    if a is True or b is True:
        return True
    if a is False:
        return b
    if b is False:
        return a
    return a | b


def as_q(cond: Cond) -> Q:
    if cond is True:
        return ALWAYS
    if cond is False:
        return NEVER
    return cond


def in_(name: str, ids: Iterable[int]) -> Cond:
    ids = sorted(set(ids))
    return Q(**{f"{name}__in": ids}) if ids else False


def stages_passed(rule_conditions: Iterable[dict[str, Cond]]) -> list[Cond]:
    """Per stage: some rule passes it and every stage before it (each item:
    one rule's condition per stage, in either direction)."""
    passed: list[Cond] = [False] * len(STAGES)
    for conds in rule_conditions:
        running: Cond = True
        for k, stage in enumerate(STAGES):
            running = and_(running, conds[stage])
            passed[k] = or_(passed[k], running)
    return passed


# --- The rule table, loaded ---------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    pk: int
    code: str
    status_id: int
    categories: frozenset[int] | None  # None: any kind of work
    employment_types: frozenset[int] | None  # None: any
    min_hours: int | None
    max_hours: int | None
    needs_permission: bool
    ssw: str  # "", "i", "ii"
    bound: bool
    change_blocked: bool
    excludes_adult: bool
    new_employer_needs_permission: bool


@dataclass(frozen=True)
class FieldRequirement:
    category_id: int
    skills_test_id: int | None
    japanese_scale: int
    extra_id: int | None
    completion_id: int | None
    ii_test_id: int | None
    japanese_scale_ii: int
    dispatch_allowed: bool
    obj: SSWFieldRequirement = field(compare=False, repr=False)


@dataclass(frozen=True)
class Route:
    pk: int
    code: str
    status_id: int
    categories: frozenset[int]
    needs_degree: bool
    min_years: int | None
    qualification_id: int | None
    employment_types: frozenset[int] | None  # None: any contract
    obj: SponsorshipRoute = field(compare=False, repr=False)

    def allows_form(self, job: Job) -> bool:
        """The job's contract can be the basis for the change of status."""
        return self.employment_types is None or job.employment_type_id in self.employment_types


@dataclass(frozen=True)
class Job:
    """What the rules look at in an opening."""

    category_id: int
    employment_type_id: int
    weekly_hours: int
    adult_premises: bool = False  # the workplace is an adult entertainment business (風俗営業等)

    @classmethod
    def of(cls, opening: Opening) -> Job:
        return cls(
            opening.category_id,
            opening.employment_type_id,
            opening.weekly_hours,
            opening.adult_entertainment_premises,
        )


@dataclass
class Person:
    """What the rules look at in a candidate profile (a few queries, once)."""

    status_id: int | None
    permission: bool
    permission_hours: int
    kinds: set[int]
    scale: int  # best level, any test (what employers ask for)
    ssw_scale: int  # best level on the tests SSW accepts
    degree: bool
    experience_days: dict[int, int]  # by kind of work
    abroad: bool

    @classmethod
    def of(
        cls,
        profile: CandidateProfile,
        *,
        kinds: set[int],
        scale: int,
        ssw_scale: int,
        entries: Iterable[tuple[int | None, date, date | None]],
        today: date | None = None,
    ) -> Person:
        """`entries`: (category_id, started_on, ended_on) of the work history."""
        today = today or timezone.localdate()
        days: dict[int, int] = defaultdict(int)
        for category_id, started, ended in entries:
            if category_id:
                days[category_id] += max(((ended or today) - started).days, 0)
        degree = (
            EducationEntry.objects.filter(profile=profile, graduated=True)
            .filter(Q(level__in=DEGREE_LEVELS) | Q(level="vocational", country="JP"))
            .exists()
        )
        return cls(
            status_id=profile.status_id,
            permission=bool(profile.outside_activity_permission),
            permission_hours=profile.outside_activity_hours or 0,
            kinds=set(kinds),
            scale=scale,
            ssw_scale=ssw_scale,
            degree=degree,
            experience_days=dict(days),
            abroad=profile.status_id is None,
        )


def _links(relation) -> dict[int, set[int]]:
    """A many-to-many relation's rows in one query: {source id: target ids}."""
    m2m = relation.field
    links: dict[int, set[int]] = defaultdict(set)
    for source_id, target_id in relation.through.objects.values_list(m2m.m2m_column_name(), m2m.m2m_reverse_name()):
        links[source_id].add(target_id)
    return links


# The rule table last read in this process, with its taxonomy generation.
_CURRENT: dict[str, tuple[int, RuleBook]] = {}


class RuleBook:
    """The whole rule table in memory (it is small): statuses with their
    kinds of work, status rules, SSW field requirements, sponsorship routes."""

    def __init__(self):
        self.statuses: dict[int, StatusOfResidence] = {}
        self.rules: dict[int, list[Rule]] = defaultdict(list)
        self.fields: dict[int, FieldRequirement] = {}
        self.routes: list[Route] = []
        self.adult: frozenset[int] = frozenset()
        self.dispatch_id: int | None = None

    @classmethod
    def current(cls) -> RuleBook:
        """The rule table now: read from the database once per taxonomy
        generation in each process (config.generations: every save or
        delete of a taxonomy entry or a work rule, and every change to their
        lists, bumps it, matching.receivers), so a rule staff edit counts at
        the next request everywhere. One cache read instead of eleven
        queries. Read afresh while the cache is the local stand-in (another
        process's bump would not be seen). Code that changes rules without a
        signal (a bulk update) bumps the generation itself, as
        load_taxonomies does. The table is never changed once loaded."""
        if getattr(cache, "degraded", False):
            return cls.load()
        generation = generations.current(generations.TAXONOMY)
        kept = _CURRENT.get("book")
        if kept is not None and kept[0] == generation:
            return kept[1]
        book = cls.load()
        _CURRENT["book"] = (generation, book)
        return book

    @classmethod
    def load(cls) -> RuleBook:
        """Eleven small reads; links are read as id pairs from the many-to-many
        tables (no model instances for them: this runs on every ranking and
        on the job board of each signed-in candidate)."""
        book = cls()
        book.statuses = {s.pk: s for s in StatusOfResidence.objects.all()}
        scope = _links(StatusOfResidence.job_categories)
        own = _links(StatusRule.categories)
        types = _links(StatusRule.employment_types)
        for r in StatusRule.objects.all():
            book.rules[r.status_id].append(
                Rule(
                    pk=r.pk,
                    code=r.code,
                    status_id=r.status_id,
                    categories=None if r.any_kind_of_work else frozenset(own.get(r.pk) or scope.get(r.status_id) or ()),
                    employment_types=frozenset(types[r.pk]) if types.get(r.pk) else None,
                    min_hours=r.min_weekly_hours,
                    max_hours=r.max_weekly_hours,
                    needs_permission=r.needs_permission,
                    ssw=r.ssw_level,
                    bound=r.employer_bound,
                    change_blocked=r.change_blocked,
                    excludes_adult=r.excludes_adult_entertainment,
                    new_employer_needs_permission=r.new_employer_needs_permission,
                )
            )
        for f in SSWFieldRequirement.objects.select_related("extra_qualification"):
            book.fields[f.field_id] = FieldRequirement(
                category_id=f.field_id,
                skills_test_id=f.skills_test_id,
                japanese_scale=f.japanese_scale,
                extra_id=f.extra_qualification_id,
                completion_id=f.titp_completion_id,
                ii_test_id=f.ssw_ii_test_id,
                japanese_scale_ii=f.japanese_scale_ii,
                dispatch_allowed=f.dispatch_allowed,
                obj=f,
            )
        route_categories = _links(SponsorshipRoute.categories)
        route_forms = _links(SponsorshipRoute.employment_types)
        for route in SponsorshipRoute.objects.select_related("qualification"):
            book.routes.append(
                Route(
                    pk=route.pk,
                    code=route.code,
                    status_id=route.status_id,
                    categories=frozenset(route_categories.get(route.pk) or scope.get(route.status_id) or ()),
                    needs_degree=route.needs_degree,
                    min_years=route.min_years_experience,
                    qualification_id=route.qualification_id,
                    employment_types=frozenset(route_forms[route.pk]) if route.pk in route_forms else None,
                    obj=route,
                )
            )
        book.adult = frozenset(JobCategory.objects.filter(adult_entertainment=True).values_list("pk", flat=True))
        book.dispatch_id = EmploymentType.objects.filter(code="dispatch").values_list("pk", flat=True).first()
        return book

    # --- Facts -----------------------------------------------------------------------------

    @property
    def with_rules(self) -> set[int]:
        return {status_id for status_id, rules in self.rules.items() if rules}

    @property
    def change_blocked(self) -> set[int]:
        return {r.status_id for rules in self.rules.values() for r in rules if r.change_blocked}

    @property
    def completions(self) -> set[int]:
        """The good completions of Technical Intern Training (ii), any field."""
        return {f.completion_id for f in self.fields.values() if f.completion_id}

    def rules_for(self, status_id: int | None) -> list[Rule]:
        return self.rules.get(status_id, []) if status_id else []

    def routes_for(self, category_id: int) -> list[Route]:
        return [r for r in self.routes if category_id in r.categories]

    def is_ssw_i_status(self, status_id: int) -> bool:
        return any(r.ssw == "i" for r in self.rules_for(status_id))

    def is_adult(self, job: Job) -> bool:
        """The job is at an adult entertainment business: by its kind of
        work, or because the premises are one (any role there)."""
        return job.adult_premises or job.category_id in self.adult

    def excluded_as_adult(self, status_id: int, job: Job) -> bool:
        """The status would cover the kind of work, but its rules never allow
        an adult entertainment business and this job is at one (the gap and
        the employer's refusal say so instead of "does not cover")."""
        return self.is_adult(job) and any(
            r.excludes_adult and not r.bound and (r.categories is None or job.category_id in r.categories)
            for r in self.rules_for(status_id)
        )

    def covers(self, rule: Rule, job: Job) -> bool:
        if rule.excludes_adult and self.is_adult(job):
            return False
        return rule.categories is None or job.category_id in rule.categories

    # --- Stages the opening alone decides ------------------------------------------------------

    def opening_stages(self, rule: Rule, job: Job) -> dict[str, bool]:
        requirement = self.fields.get(job.category_id)
        dispatch_refused = bool(
            rule.ssw
            and job.employment_type_id == self.dispatch_id
            and not (requirement and requirement.dispatch_allowed)
        )
        return {
            "bound": not rule.bound,
            "scope": self.covers(rule, job),
            "form": (rule.employment_types is None or job.employment_type_id in rule.employment_types)
            and not dispatch_refused,
            "hours_min": rule.min_hours is None or job.weekly_hours >= rule.min_hours,
            "hours_max": rule.max_hours is None or job.weekly_hours <= rule.max_hours,
        }

    def opening_verdict(self, status_id: int, job: Job) -> str:
        """Whether a status's activity can cover this job at all (someone
        holding it could take it): OK, or the first stage no rule passes.
        Accepted statuses are validated with this; candidates are not."""
        rules = self.rules_for(status_id)
        if not rules:
            return NO_WORK
        surviving = rules
        for stage in OPENING_STAGES:
            surviving = [r for r in surviving if self.opening_stages(r, job)[stage]]
            if not surviving:
                return stage
        return OK

    def rules_passing_opening(self, status_id: int | None, job: Job, upto: str) -> list[Rule]:
        """The rules of a status that pass the opening's stages before `upto`."""
        stages = OPENING_STAGES[: OPENING_STAGES.index(upto)] if upto in OPENING_STAGES else OPENING_STAGES
        return [r for r in self.rules_for(status_id) if all(self.opening_stages(r, job)[s] for s in stages)]

    def hours_limit(self, status_id: int | None, job: Job, verdict: str) -> int:
        """The weekly hours a job failing `hours_min` or `hours_max` is held
        to: the lowest minimum, or the highest maximum, among the status's
        rules that pass the stages before (0 when none sets one)."""
        passing = self.rules_passing_opening(status_id, job, verdict)
        if verdict == "hours_min":
            return min((r.min_hours for r in passing if r.min_hours), default=0)
        return max((r.max_hours for r in passing if r.max_hours), default=0)

    # --- Candidates for a job (direction 1) -------------------------------------------------------

    def _person_conditions_for_job(self, rule: Rule, job: Job) -> dict[str, Cond]:
        conds: dict[str, Cond] = dict.fromkeys(STAGES[5:], True)
        if rule.needs_permission:
            conds["permission"] = Q(outside_activity_permission=True)
            conds["permission_hours"] = Q(outside_activity_hours__gte=job.weekly_hours)
        if rule.ssw:
            requirement = self.fields.get(job.category_id)
            if requirement is None:
                conds["ssw_test"] = False
            elif rule.ssw == "i":
                completion = requirement.completion_id
                exempt = (
                    holds(*self.completions)
                    if requirement.japanese_scale <= TITP_JAPANESE_EXEMPT_UP_TO
                    else holds(completion)
                )
                conds["ssw_test"] = holds(requirement.skills_test_id, completion)
                conds["ssw_japanese"] = or_(
                    japanese_at_least(requirement.japanese_scale, among=[requirement.skills_test_id]), exempt
                )
                if requirement.extra_id:
                    conds["ssw_extra"] = holds(requirement.extra_id, completion)
            else:
                conds["ssw_test"] = holds(requirement.ii_test_id)
                conds["ssw_japanese"] = japanese_at_least(requirement.japanese_scale_ii, among=[requirement.ii_test_id])
        return conds

    def _stages_for_job(self, rules: list[Rule], job: Job) -> list[Cond]:
        return stages_passed(
            {**self.opening_stages(rule, job), **self._person_conditions_for_job(rule, job)} for rule in rules
        )

    def for_job(self, *, job: Job, accepted: set[int], sponsorship: bool) -> Conditions:
        stages: list[Cond] = [False] * len(STAGES)
        always: list[list[int]] = [[] for _ in STAGES]
        for status_id, rules in self.rules.items():
            for k, cond in enumerate(self._stages_for_job(rules, job)):
                if cond is True:
                    always[k].append(status_id)
                elif cond is not False:
                    stages[k] = or_(stages[k], Q(status_id=status_id) & cond)
        for k in range(len(STAGES)):
            stages[k] = or_(in_("status_id", always[k]), stages[k])
        accepted_q = in_("status_id", accepted)
        whens = [
            When(status_id__isnull=True, then=Value(NO_STATUS)),
            When(~as_q(in_("status_id", self.with_rules)), then=Value(NO_WORK)),
            *[When(~as_q(cond), then=Value(stage)) for stage, cond in zip(STAGES, stages, strict=True)],
            When(~as_q(accepted_q), then=Value(NOT_ACCEPTED)),
        ]
        verdict = Case(*whens, default=Value(OK), output_field=CharField())
        fits = and_(stages[-1], accepted_q)
        routes: list[tuple[int, Cond]] = []
        if sponsorship:
            for route in self.routes_for(job.category_id):
                if route.status_id not in accepted or not route.allows_form(job):
                    continue
                law = self._stages_for_job(self.rules_for(route.status_id), job)[-1]
                cond = and_(and_(law, self._brings_for_job(route, job)), self._may_change_for_job(route, job))
                if cond is not False:
                    routes.append((route.status_id, cond))
        return Conditions(verdict=verdict, fits=fits, routes=routes)

    def _brings_for_job(self, route: Route, job: Job) -> Cond:
        brings: Cond = True
        if route.needs_degree or route.min_years:
            brings = or_(
                has_degree() if route.needs_degree else False,
                has_years(job.category_id, route.min_years) if route.min_years else False,
            )
        if route.qualification_id:
            brings = and_(brings, holds(route.qualification_id))
        return brings

    def _may_change_for_job(self, route: Route, job: Job) -> Cond:
        blocked = self.change_blocked
        if not blocked:
            return True
        exit_: Cond = False
        if job.category_id in self.fields and self.is_ssw_i_status(route.status_id):
            exit_ = holds(*self.completions)
        return or_(~as_q(in_("status_id", blocked)), exit_)

    # --- Jobs for a person (direction 2) ---------------------------------------------------------

    def _opening_conditions(self, rule: Rule) -> dict[str, Cond]:
        if rule.categories is None:
            scope: Cond = ~Q(category_id__in=sorted(self.adult)) if rule.excludes_adult and self.adult else True
        else:
            scope = in_("category_id", rule.categories - self.adult if rule.excludes_adult else rule.categories)
        if rule.excludes_adult:
            scope = and_(scope, Q(adult_entertainment_premises=False))
        form: Cond = True if rule.employment_types is None else in_("employment_type_id", rule.employment_types)
        if rule.ssw and self.dispatch_id:
            dispatch_fields = [f.category_id for f in self.fields.values() if f.dispatch_allowed]
            form = and_(form, or_(~Q(employment_type_id=self.dispatch_id), in_("category_id", dispatch_fields)))
        return {
            "bound": not rule.bound,
            "scope": scope,
            "form": form,
            "hours_min": True if rule.min_hours is None else Q(weekly_hours__gte=rule.min_hours),
            "hours_max": True if rule.max_hours is None else Q(weekly_hours__lte=rule.max_hours),
        }

    def _person_conditions(self, rule: Rule, person: Person) -> dict[str, Cond]:
        conds: dict[str, Cond] = dict.fromkeys(STAGES[5:], True)
        if rule.needs_permission:
            conds["permission"] = person.permission
            conds["permission_hours"] = Q(weekly_hours__lte=person.permission_hours)
        held = person.kinds
        fields = self.fields.values()
        if rule.ssw == "i":
            done = {f.category_id for f in fields if f.completion_id in held}
            exempt_up_to = TITP_JAPANESE_EXEMPT_UP_TO if done else 0
            conds["ssw_test"] = in_("category_id", {f.category_id for f in fields if f.skills_test_id in held} | done)
            conds["ssw_japanese"] = in_(
                "category_id",
                {f.category_id for f in fields if f.japanese_scale <= max(person.ssw_scale, exempt_up_to)} | done,
            )
            conds["ssw_extra"] = in_(
                "category_id", {f.category_id for f in fields if not f.extra_id or f.extra_id in held} | done
            )
        elif rule.ssw == "ii":
            conds["ssw_test"] = in_("category_id", {f.category_id for f in fields if f.ii_test_id in held})
            conds["ssw_japanese"] = in_(
                "category_id", {f.category_id for f in fields if f.japanese_scale_ii <= person.ssw_scale}
            )
        return conds

    def _stages_for_person(self, rules: list[Rule], person: Person) -> list[Cond]:
        return stages_passed(
            {**self._opening_conditions(rule), **self._person_conditions(rule, person)} for rule in rules
        )

    def for_person(self, *, person: Person, accepts: Q, accepts_status: Callable[[int], Q]) -> Conditions:
        """`accepts`: the opening accepts the person's status (a condition on
        openings); `accepts_status(status_id)`: the same for another status."""
        rules = self.rules_for(person.status_id)
        verdict: Value | Case
        fits: Cond
        if person.status_id is None:
            verdict, fits = Value(NO_STATUS, output_field=CharField()), False
        elif not rules:
            verdict, fits = Value(NO_WORK, output_field=CharField()), False
        else:
            stages = self._stages_for_person(rules, person)
            whens = [When(~as_q(cond), then=Value(stage)) for stage, cond in zip(STAGES, stages, strict=True)]
            whens.append(When(~accepts, then=Value(NOT_ACCEPTED)))
            verdict = Case(*whens, default=Value(OK), output_field=CharField())
            fits = and_(stages[-1], accepts)
        routes: list[tuple[int, Cond]] = []
        for route in self.routes:
            law = self._stages_for_person(self.rules_for(route.status_id), person)[-1]
            cond = and_(in_("category_id", route.categories), accepts_status(route.status_id))
            if route.employment_types is not None:
                cond = and_(cond, in_("employment_type_id", route.employment_types))
            cond = and_(cond, and_(law, self._brings_for_person(route, person)))
            cond = and_(cond, self._may_change_for_person(route, person))
            if cond is not False:
                routes.append((route.status_id, cond))
        return Conditions(verdict=verdict, fits=fits, routes=routes)

    def _brings_for_person(self, route: Route, person: Person) -> Cond:
        brings: Cond = True
        if route.needs_degree or route.min_years:
            experienced = (
                in_(
                    "category_id",
                    [c for c in route.categories if person.experience_days.get(c, 0) >= years_in_days(route.min_years)],
                )
                if route.min_years
                else False
            )
            brings = or_(route.needs_degree and person.degree, experienced)
        if route.qualification_id:
            brings = and_(brings, route.qualification_id in person.kinds)
        return brings

    def _may_change_for_person(self, route: Route, person: Person) -> Cond:
        if person.status_id not in self.change_blocked:
            return True
        return self.is_ssw_i_status(route.status_id) and bool(self.completions & person.kinds)


@dataclass
class Conditions:
    """What the rules make of the known side, as conditions on the rows that
    vary: candidate profiles (RuleBook.for_job) or openings (for_person)."""

    verdict: Case | Value  # the first failing stage, NOT_ACCEPTED or OK, per row
    fits: Cond  # the status fits (every stage, and accepted)
    routes: list[tuple[int, Cond]]  # (status the employer would apply for, when)

    @property
    def sponsorable(self) -> Cond:
        cond: Cond = False
        for _status, route in self.routes:
            cond = or_(cond, route)
        return cond

    def sponsor_status(self) -> Case | Value:
        return route_case(self.routes)


def route_case(routes: list[tuple[int, Cond]]) -> Case | Value:
    whens = [When(as_q(cond), then=Value(status_id)) for status_id, cond in routes if cond is not False]
    if not whens:
        return Value(None, output_field=IntegerField())
    return Case(*whens, default=Value(None), output_field=IntegerField())


# --- Conditions on candidate profiles (uncorrelated IN subqueries, hashed once) ---------------


def holds(*kind_ids: int | None) -> Cond:
    kinds = sorted({k for k in kind_ids if k})
    if not kinds:
        return False
    return Q(pk__in=Qualification.objects.filter(kind_id__in=kinds).values("profile_id"))


def japanese_at_least(scale: int, *, among: list[int | None]) -> Cond:
    """The candidate's Japanese reaches `scale` on a test Specified Skilled
    Worker accepts (JapaneseTest.counts_for_ssw), among holders of the
    qualification kinds `among`. The condition always follows the test for
    those kinds (ssw_test), so limiting the set to their holders changes
    nothing in the result, and keeps the set hashed for `IN` to the few
    hundred holders instead of every candidate with a certificate (80,000
    rows at full scale, once per place the condition appears; bench/README.md)."""
    if not scale:
        return True
    kinds = sorted({k for k in among if k})
    if not kinds:
        return False
    return Q(
        pk__in=JapaneseCertificate.objects.filter(
            level__scale__gte=scale,
            level__test__counts_for_ssw=True,
            profile_id__in=Qualification.objects.filter(kind_id__in=kinds).values("profile_id"),
        ).values("profile_id")
    )


def has_degree() -> Q:
    degrees = EducationEntry.objects.filter(graduated=True).filter(
        Q(level__in=DEGREE_LEVELS) | Q(level="vocational", country="JP")
    )
    return Q(pk__in=degrees.values("profile_id"))


def years_in_days(years: int) -> int:
    return math.ceil(365.25 * years)


def has_years(category_id: int, years: int) -> Q:
    """Work history in this kind of work adding up to `years` (an entry
    without an end counts until today)."""
    length = ExpressionWrapper(
        Coalesce("ended_on", Value(timezone.localdate())) - F("started_on"), output_field=DurationField()
    )
    experienced = (
        WorkEntry.objects.filter(category_id=category_id)
        .values("profile_id")
        .annotate(total=Sum(length))
        .filter(total__gte=timedelta(days=years_in_days(years)))
        .values("profile_id")
    )
    return Q(pk__in=experienced)
