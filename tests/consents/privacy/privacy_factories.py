"""What the privacy-rights tests build: employers with openings, candidates
with a filled-in profile, and a candidate with one of everything Tsunagu can
hold about a person (the data export and erasure tests start from it).

Everything is made through the apps' services, as the people involved would
make it, so that ledger rows, access records and outbox rows exist where
production would write them. Taxonomy entries come from migration 0002 and are
looked up by code."""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from accounts.models import Employer, User
from consents import access, services
from consents.models import EmailPurpose, FieldGroup, PolicyKind
from consents.privacy import services as privacy
from matching import services as matching
from matching.models import Application, ApplicationNote, Opening, Proposal
from profiles import services as profile_services
from profiles.models import CandidateProfile
from profiles.photos import profile_photo_store
from tests.accounts.factories import CandidateFactory, EmployerAdminFactory, EmployerMemberFactory, StaffFactory
from tests.profiles.factories import sample_jpeg


def taxonomy(model_name: str, code: str):
    return apps.get_model("profiles", model_name).objects.get(code=code)


def days_from_today(days: int):
    return timezone.localdate() + timedelta(days=days)


def notice(text: str = "The consent screen's notice, as shown.") -> services.Notice:
    return services.Notice(text=text, language="en")


# --- Employers and openings ------------------------------------------------------------


@dataclass
class EmployerSide:
    employer: Employer
    admin: User
    recruiter: User


def employer_with_agreement(*, legal_name: str, admin_name: str, recruiter_name: str) -> EmployerSide:
    """An employer whose admin accepted the current Data Use Agreement, with
    one recruiter: both members are told when a candidate withdraws."""
    admin = EmployerAdminFactory(employer__legal_name=legal_name, user__full_name=admin_name).user
    employer = admin.employer_membership.employer
    version = services.current_policy(PolicyKind.DATA_USE)
    assert version is not None, "no Data Use Agreement published (migration data missing)"
    services.employer_agreement_accept(actor=admin, version=version, language="en")
    recruiter = EmployerMemberFactory(employer=employer, user__full_name=recruiter_name).user
    return EmployerSide(employer=employer, admin=admin, recruiter=recruiter)


def open_opening(side: EmployerSide, *, title: str, sponsorship: bool = False) -> Opening:
    """A published opening for cooks that any filled-in profile below may
    apply to. (The work rules mark them ineligible for it: engineer/humanities
    does not cover SSW food service. one_of_each proposes it with a reason.)"""
    draft = Opening(
        title=title,
        description="Cook in our Tokyo kitchen.",
        category=taxonomy("JobCategory", "ssw_food_service"),
        employment_type=taxonomy("EmploymentType", "full_time"),
        prefecture=taxonomy("Prefecture", "13"),
        salary_min=220_000,
        salary_max=300_000,
        salary_period="month",
        weekly_hours=40,
        sponsorship_offered=sponsorship,
        start_date=days_from_today(60),
    )
    saved = matching.opening_save(actor=side.admin, opening=draft)
    return matching.opening_publish(actor=side.admin, opening=saved)


# --- Candidates ---------------------------------------------------------------------------


def filled_profile(
    user: User,
    *,
    name_passport: str,
    name_kana: str = "グエン・ティ・ラン",
    phone: str = "+819012345678",
    street: str = "霞が関1-2-3 つなぐビル 405",
    self_introduction: str = "I cooked for five years in Hanoi and want to cook in Tokyo.",
    work_employer: str = "Saigon Kitchen",
    photo: bool = False,
) -> CandidateProfile:
    """Every section filled in (complete enough to apply), optionally a photo
    uploaded through the real photo pipeline."""
    profile, _created = CandidateProfile.objects.get_or_create(user=user)
    for name, value in {
        "name_passport": name_passport,
        "name_kana": name_kana,
        "nationality": "VN",
        "country_of_residence": "JP",
        "date_of_birth": days_from_today(-27 * 365),
        "gender": "female",
        "phone": phone,
        "postal_code": "1000013",
        "prefecture": taxonomy("Prefecture", "13"),
        "city": "千代田区",
        "street": street,
        "status": taxonomy("StatusOfResidence", "engineer_humanities"),
        "period_of_stay_expiry": days_from_today(400),
        "japanese_speaking": "daily",
        "expected_salary": 260_000,
        "expected_salary_period": "month",
        "earliest_start_date": days_from_today(30),
        "open_to_proposals": True,
        "self_introduction": self_introduction,
    }.items():
        setattr(profile, name, value)
    profile.save()
    profile.desired_categories.set([taxonomy("JobCategory", "ssw_food_service")])
    profile.desired_prefectures.set([taxonomy("Prefecture", "13")])
    profile.desired_employment_types.set([taxonomy("EmploymentType", "full_time")])
    profile.japanese_certificates.create(level=taxonomy("JapaneseLevel", "jlpt_n2"), obtained_on=days_from_today(-700))
    profile.languages.create(language="vi", level="native")
    profile.qualifications.create(
        kind=taxonomy("QualificationKind", "licence_ordinary"), obtained_on=days_from_today(-900)
    )
    profile.education.create(
        school="Hanoi University",
        level="bachelor",
        field_of_study="Japanese studies",
        country="VN",
        started_on=days_from_today(-7 * 365),
        ended_on=days_from_today(-3 * 365),
        graduated=True,
    )
    profile.work_history.create(
        employer_name=work_employer,
        job_title="Cook",
        category=taxonomy("JobCategory", "ssw_food_service"),
        country="VN",
        started_on=days_from_today(-3 * 365),
        ended_on=days_from_today(-365),
        description="Prepared Vietnamese and Japanese dishes for 80 guests a day.",
    )
    if photo:
        profile_photo_store(profile=profile, data=sample_jpeg(), source="upload")
        profile.refresh_from_db()
    return profile


def apply(candidate: User, opening: Opening, groups=(FieldGroup.CONTACT,)) -> Application:
    """Apply as the consent screen does (share grant + application)."""
    return matching.application_submit(
        candidate=candidate, opening=opening, groups={FieldGroup.CORE, *groups}, notice=notice()
    )


def note(side: EmployerSide, application: Application, body: str) -> ApplicationNote:
    return matching.application_note_add(actor=side.recruiter, application=application, body=body, visible=True)


# --- A candidate with one of everything -----------------------------------------------------

CANDIDATE_PASSPORT_NAME = "NGUYEN THI LAN"
NOTE_ABOUT_CANDIDATE = "Strong Japanese, ask about night shifts."
OTHER_PASSPORT_NAME = "AUNG KYAW MIN"
OTHER_KANA = "アウン・チョー・ミン"
OTHER_PHONE = "+818077776666"
OTHER_STREET = "西新宿9-9-9 ミャンマーハイツ 101"
OTHER_INTRODUCTION = "I am a welder from Yangon with eight years of experience."
OTHER_WORK_EMPLOYER = "Mandalay Steelworks"
NOTE_ABOUT_OTHER = "Second candidate: very punctual at the trial shift."
EMPLOYER_NAME = "株式会社つなぐ食品"
ADMIN_NAME = "Sato Hanako"
RECRUITER_NAME = "Takahashi Kenji"


@dataclass
class World:
    candidate: User
    profile: CandidateProfile
    other: User
    other_profile: CandidateProfile
    side: EmployerSide
    opening: Opening
    application: Application
    other_application: Application
    proposal: Proposal
    coordinator: User
    privacy_officer: User

    @property
    def other_person_strings(self) -> list[str]:
        """What belongs to the other candidate and nobody else."""
        return [
            self.other.full_name,
            self.other.email,
            OTHER_PASSPORT_NAME,
            OTHER_KANA,
            OTHER_PHONE,
            OTHER_STREET,
            OTHER_INTRODUCTION,
            OTHER_WORK_EMPLOYER,
            NOTE_ABOUT_OTHER,
        ]


def one_of_each(candidate: User, other: User) -> World:
    """`candidate` with a profile (every section and a photo), a consent of
    each kind, share grants, access records by an employer and by staff, an
    application with a note and a history, a proposal, emails, policy
    acceptances (made by the user factory), a privacy request and a lifted
    restriction. `other` applied to the same opening and has notes of their own."""
    coordinator = StaffFactory(groups=["coordinator"], full_name="Coordinator Ito")
    privacy_officer = StaffFactory(groups=["privacy_officer"], full_name="Officer Mori")
    side = employer_with_agreement(legal_name=EMPLOYER_NAME, admin_name=ADMIN_NAME, recruiter_name=RECRUITER_NAME)
    opening = open_opening(side, title="Line cook, Shinjuku")
    proposal_opening = open_opening(side, title="Kitchen lead, Shibuya", sponsorship=True)

    profile = filled_profile(candidate, name_passport=CANDIDATE_PASSPORT_NAME, photo=True)
    other_profile = filled_profile(
        other,
        name_passport=OTHER_PASSPORT_NAME,
        name_kana=OTHER_KANA,
        phone=OTHER_PHONE,
        street=OTHER_STREET,
        self_introduction=OTHER_INTRODUCTION,
        work_employer=OTHER_WORK_EMPLOYER,
    )
    profile_services.status_verification_record(actor=coordinator, profile=profile, method="card_in_person")

    # Consents of each kind (policies: accepted when the factory made the account).
    services.purpose_consents_set(
        actor=candidate, user=candidate, choices={EmailPurpose.JOB_OPENINGS: True}, language="en"
    )
    services.cookie_consent_record(
        consent_id=None, user=candidate, choices={"preferences": True, "analytics": False}, gpc=False, language="en"
    )

    application = apply(candidate, opening, groups=(FieldGroup.CONTACT, FieldGroup.PHOTO))
    other_application = apply(other, opening)
    matching.application_move(actor=side.admin, application=application, to_state="screening")
    matching.application_move(actor=side.admin, application=application, to_state="interview")
    note(side, application, NOTE_ABOUT_CANDIDATE)
    note(side, other_application, NOTE_ABOUT_OTHER)
    proposal = matching.proposal_create(
        actor=coordinator,
        opening=proposal_opening,
        candidate=candidate,
        message="This kitchen fits your experience.",
        override_reason="Five years as a cook; the employer sponsors SSW once she passes the food-service test.",
    )

    # Views of the profile: by the employer's recruiter and by staff (APPI records).
    assert access.candidate_view_for(side.recruiter, profile.pk) is not None
    assert access.candidate_view_for(side.recruiter, other_profile.pk) is not None
    assert access.staff_candidate_view(coordinator, profile.pk, reason="Checking the status of residence") is not None
    assert access.staff_candidate_view(coordinator, other_profile.pk, reason="Proposal review") is not None

    privacy.privacy_request_submit(
        requester=candidate,
        name=candidate.full_name,
        email=candidate.email,
        country="JP",
        us_state="",
        kind="appi_provision_records",
        details="Which employers saw my profile?",
        language="en",
    )
    privacy.restriction_start(user=candidate, reason="requested by the candidate")
    privacy.restriction_lift(user=candidate)
    profile.refresh_from_db()
    return World(
        candidate=candidate,
        profile=profile,
        other=other,
        other_profile=other_profile,
        side=side,
        opening=opening,
        application=application,
        other_application=other_application,
        proposal=proposal,
        coordinator=coordinator,
        privacy_officer=privacy_officer,
    )


def other_candidate_user() -> User:
    return CandidateFactory(email="aung.kyaw@example.test", full_name="အောင်ကျော်မင်း")
