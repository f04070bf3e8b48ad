"""Matching factories.

Openings and applications are made through matching.services, as an employer
member would make them, so that an opening's accepted statuses get the
defaults its category's work rules give, an application comes with its share
grant (origin "application"), its first event and its messages.

Taxonomy entries come from migration 0002: every factory here takes their
codes ("ssw_construction", "jlpt_n2", "13") and looks them up.
"""

from datetime import timedelta

import factory
from django.apps import apps
from django.utils import timezone

from consents import notices
from consents import services as consent_services
from consents.models import FieldGroup, ShareGrant
from matching import services
from matching.models import Application, ApplicationState, Opening
from profiles.models import CandidateProfile
from tests.accounts.factories import CandidateFactory
from tests.consents.factories import EmployerWithAgreementFactory, admin_of, recruiter_of  # noqa: F401


def taxonomy(model_name: str, code):
    """The taxonomy entry with this code (objects and None pass through)."""
    if code is None or not isinstance(code, str):
        return code
    return apps.get_model("profiles", model_name).objects.get(code=code)


def taxonomies(model_name: str, codes) -> list:
    return [taxonomy(model_name, code) for code in codes or ()]


def days_from_today(days: int):
    return timezone.localdate() + timedelta(days=days)


# --- Employers -----------------------------------------------------------------


# Employers whose admin accepted the Data Use Agreement, and their members:
# shared with the consents tests.


def notice_for(employer, groups) -> consent_services.Notice:
    """The statement the consent screen shows for these field groups."""
    text = notices.share_notice(
        employer=employer, groups=set(groups), expires_at=consent_services.grant_expiry_default()
    )
    return consent_services.Notice(text=text, language="en")


# --- Openings -----------------------------------------------------------------


class OpeningFactory(factory.Factory):
    """An opening saved by its employer's admin through services.opening_save
    (statuses default from the category's work rules) and published.

    - `statuses`: codes that replace the defaults; `extra_statuses`: codes
      added to them (an employer ticking one more status); both are
      validated against the category's work rules like an employer's;
      `legacy_statuses`: codes added afterwards without validation (an
      opening saved before the rules, or data edited by hand);
    - `qualifications`: codes of required qualification kinds;
    - `state`: "open" (default), "draft", "closed", or "expired" (published,
      then its closing date passed).
    """

    class Meta:
        model = Opening

    employer = factory.SubFactory(EmployerWithAgreementFactory)
    title = factory.Sequence(lambda n: f"Opening {n}")
    description = "Work with a friendly team. 研修あり。"
    category = "it_engineering"
    employment_type = "full_time"
    prefecture = "13"
    city = ""
    salary_min = 250_000
    salary_max = 350_000
    salary_period = "month"
    weekly_hours = 40
    required_level = None
    sponsorship_offered = False
    start_date = factory.LazyFunction(lambda: days_from_today(60))
    closes_on = None
    languages = "日本語, English"
    statuses = None
    extra_statuses = ()
    legacy_statuses = ()
    qualifications = ()
    state = "open"

    @classmethod
    def _create(
        cls, model_class, *, employer, statuses, extra_statuses, legacy_statuses, qualifications, state, **fields
    ):
        actor = admin_of(employer)
        opening = Opening(
            category=taxonomy("JobCategory", fields.pop("category")),
            employment_type=taxonomy("EmploymentType", fields.pop("employment_type")),
            prefecture=taxonomy("Prefecture", fields.pop("prefecture")),
            required_level=taxonomy("JapaneseLevel", fields.pop("required_level")),
            **fields,
        )
        chosen = taxonomies("StatusOfResidence", statuses) if statuses is not None else None
        if extra_statuses:
            if chosen is None:
                chosen = services.default_statuses(
                    category=opening.category,
                    employment_type=opening.employment_type,
                    weekly_hours=opening.weekly_hours,
                    adult_entertainment_premises=opening.adult_entertainment_premises,
                )
            chosen = [*chosen, *taxonomies("StatusOfResidence", extra_statuses)]
        opening = services.opening_save(
            actor=actor,
            opening=opening,
            statuses=chosen,
            qualifications=taxonomies("QualificationKind", qualifications),
        )
        if legacy_statuses:
            opening.accepted_statuses.add(*taxonomies("StatusOfResidence", legacy_statuses))
        if state == "draft":
            return opening
        opening = services.opening_publish(actor=actor, opening=opening)
        if state == "closed":
            opening = services.opening_close(actor=actor, opening=opening)
        elif state == "expired":
            Opening.objects.filter(pk=opening.pk).update(closes_on=days_from_today(-1))
            opening.refresh_from_db()
        return opening


class DraftOpeningFactory(OpeningFactory):
    state = "draft"


class ClosedOpeningFactory(OpeningFactory):
    state = "closed"


class ExpiredOpeningFactory(OpeningFactory):
    """Published, and its closing date was yesterday."""

    closes_on = factory.LazyFunction(lambda: days_from_today(10))
    state = "expired"


# --- Candidates -----------------------------------------------------------------


class CompleteCandidateProfileFactory(factory.django.DjangoModelFactory):
    """A profile with every required section filled in (nothing in
    profiles.selectors.missing_required_sections), so its owner may apply:
    an engineer in Tokyo with JLPT N3, open to proposals.

    Taxonomy fields take codes. Entries: `japanese` (level codes),
    `qualifications` (kind codes), `experience_in` (category codes of work
    entries), `desired_categories`, `desired_prefectures`."""

    class Meta:
        model = CandidateProfile
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    user = factory.SubFactory(CandidateFactory)
    name_passport = factory.Sequence(lambda n: f"TRAN VAN MINH {n}")
    name_kana = "チャン・ヴァン・ミン"
    nationality = "VN"
    country_of_residence = "JP"
    date_of_birth = factory.LazyFunction(lambda: days_from_today(-28 * 365))
    gender = "male"
    phone = "+819012345678"
    postal_code = "1600022"
    prefecture = "13"
    city = "新宿区"
    street = "新宿3-1-1"
    overseas_address = ""
    status = "engineer_humanities"
    period_of_stay_expiry = factory.LazyFunction(lambda: days_from_today(400))
    outside_activity_permission = False
    outside_activity_hours = None
    japanese_speaking = "daily"
    expected_salary = None
    expected_salary_period = ""
    earliest_start_date = factory.LazyFunction(lambda: days_from_today(30))
    open_to_proposals = True
    self_introduction = "I build web applications and want to work in Japan."

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        kwargs["prefecture"] = taxonomy("Prefecture", kwargs.get("prefecture"))
        kwargs["status"] = taxonomy("StatusOfResidence", kwargs.get("status"))
        return kwargs

    @factory.post_generation
    def japanese(self, create, extracted, **kwargs):
        if create:
            for level in taxonomies("JapaneseLevel", ["jlpt_n3"] if extracted is None else extracted):
                self.japanese_certificates.create(level=level, obtained_on=days_from_today(-400))

    @factory.post_generation
    def qualifications(self, create, extracted, **kwargs):
        if create:
            for kind in taxonomies("QualificationKind", extracted):
                self.qualifications.create(kind=kind, obtained_on=days_from_today(-300))

    @factory.post_generation
    def education(self, create, extracted, **kwargs):
        """Graduated levels (default: a bachelor's degree); [] for none."""
        if create:
            for level in ["bachelor"] if extracted is None else extracted:
                self.education.create(
                    school="Hanoi University of Science and Technology",
                    level=level,
                    field_of_study="Computer science",
                    country="VN",
                    started_on=days_from_today(-8 * 365),
                    ended_on=days_from_today(-4 * 365),
                    graduated=True,
                )

    @factory.post_generation
    def worked(self, create, extracted, **kwargs):
        """{category code: days} of work history up to today (a sponsorship
        route may ask for years of experience)."""
        if create:
            for code, days in (extracted or {}).items():
                self.work_history.create(
                    employer_name="Saigon Works",
                    job_title="Worker",
                    category=taxonomy("JobCategory", code),
                    country="VN",
                    started_on=days_from_today(-days),
                    ended_on=None,
                )

    @factory.post_generation
    def experience_in(self, create, extracted, **kwargs):
        if create:
            for category in taxonomies("JobCategory", extracted):
                self.work_history.create(
                    employer_name="FPT Software",
                    job_title="Worker",
                    category=category,
                    country="VN",
                    started_on=days_from_today(-4 * 365),
                    ended_on=days_from_today(-365),
                )

    @factory.post_generation
    def desired_categories(self, create, extracted, **kwargs):
        if create:
            self.desired_categories.set(
                taxonomies("JobCategory", ["it_engineering"] if extracted is None else extracted)
            )

    @factory.post_generation
    def desired_prefectures(self, create, extracted, **kwargs):
        if create:
            self.desired_prefectures.set(taxonomies("Prefecture", ["27"] if extracted is None else extracted))

    @factory.post_generation
    def desired_employment_types(self, create, extracted, **kwargs):
        if create:
            self.desired_employment_types.set(
                taxonomies("EmploymentType", ["full_time", "part_time"] if extracted is None else extracted)
            )


class OverseasCandidateProfileFactory(CompleteCandidateProfileFactory):
    """Lives abroad, with no status of residence yet (only sponsorship helps)."""

    country_of_residence = "VN"
    postal_code = ""
    prefecture = None
    city = ""
    street = ""
    overseas_address = "12 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    status = None
    period_of_stay_expiry = None


# --- Applications -------------------------------------------------------------------

# How an application reaches each state through the employer's moves.
PATH = {
    ApplicationState.APPLIED: [],
    ApplicationState.SCREENING: [ApplicationState.SCREENING],
    ApplicationState.INTERVIEW: [ApplicationState.SCREENING, ApplicationState.INTERVIEW],
    ApplicationState.OFFER: [ApplicationState.SCREENING, ApplicationState.INTERVIEW, ApplicationState.OFFER],
    ApplicationState.HIRED: [
        ApplicationState.SCREENING,
        ApplicationState.INTERVIEW,
        ApplicationState.OFFER,
        ApplicationState.HIRED,
    ],
    ApplicationState.NOT_SELECTED: [ApplicationState.NOT_SELECTED],
    ApplicationState.WITHDRAWN: [],
}


def submit(candidate, opening, groups=(FieldGroup.CONTACT,)) -> Application:
    """Apply as the consent screen does (services.application_submit)."""
    groups = {FieldGroup.CORE, *groups}
    return services.application_submit(
        candidate=candidate, opening=opening, groups=groups, notice=notice_for(opening.employer, groups)
    )


def move_to(application: Application, state: str, *, actor=None) -> Application:
    """Walk an application to `state` along PATH (the candidate withdraws)."""
    actor = actor or admin_of(application.opening.employer)
    if state == ApplicationState.WITHDRAWN:
        return services.application_withdraw(candidate=application.candidate, application=application)
    for step in PATH[state]:
        application = services.application_move(actor=actor, application=application, to_state=step)
    return application


class ApplicationFactory(factory.Factory):
    """An application made through the consent screen's service (share
    grant with contact details, origin "application"), then moved to `state`
    by the employer's admin."""

    class Meta:
        model = Application

    opening = factory.SubFactory(OpeningFactory)
    candidate = factory.LazyFunction(lambda: CompleteCandidateProfileFactory().user)
    groups = (FieldGroup.CONTACT,)
    state = ApplicationState.APPLIED

    @classmethod
    def _create(cls, model_class, *, opening, candidate, groups, state):
        application = submit(candidate, opening, groups)
        return move_to(application, state)


class WithdrawnGrantApplicationFactory(ApplicationFactory):
    """An application whose share grant the candidate withdrew afterwards."""

    @classmethod
    def _create(cls, model_class, **kwargs):
        application = super()._create(model_class, **kwargs)
        grant = ShareGrant.objects.get(pk=application.grant_id)
        consent_services.share_grant_withdraw(actor=application.candidate, grant=grant)
        return application
