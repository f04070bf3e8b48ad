import io

import factory
from PIL import Image

from profiles.models import CandidateProfile
from profiles.photos import profile_photo_store
from tests.accounts.factories import CandidateFactory


def sample_jpeg(size: tuple[int, int] = (640, 480), colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


class CandidateProfileFactory(factory.django.DjangoModelFactory):
    """A candidate's profile, empty apart from its owner."""

    class Meta:
        model = CandidateProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(CandidateFactory)


class CandidateProfileWithPhotoFactory(CandidateProfileFactory):
    """A profile whose photo was uploaded through the real pipeline."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def photo(self, create, extracted, **kwargs):
        if not create:
            return
        hidden = self.photo_hidden  # a new photo is never hidden: hide it again if asked
        profile_photo_store(profile=self, data=extracted or sample_jpeg(), source="upload")
        if hidden:
            CandidateProfile.objects.filter(pk=self.pk).update(photo_hidden=True)
            self.photo_hidden = True


# --- Filled-in profiles and history entries (tests of the sections) -----------
# Taxonomy entries come from migration 0002, so factories look them up by code.


def years_ago(years: int, *, days: int = 0):
    """The date `years` years (and `days` days) before today in Tokyo."""
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    from profiles.validators import today

    return today() - relativedelta(years=years) - timedelta(days=days)


def from_today(days: int):
    from datetime import timedelta

    from profiles.validators import today

    return today() + timedelta(days=days)


def _taxonomy(model_name: str, code: str):
    from django.apps import apps

    return factory.LazyFunction(lambda: apps.get_model("profiles", model_name).objects.get(code=code))


class EducationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.EducationEntry"

    profile = factory.SubFactory(CandidateProfileFactory)
    school = "Hanoi University"
    level = "bachelor"
    field_of_study = "Japanese studies"
    country = "VN"
    started_on = factory.LazyFunction(lambda: years_ago(7))
    ended_on = factory.LazyFunction(lambda: years_ago(3))
    graduated = True


class WorkEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.WorkEntry"

    profile = factory.SubFactory(CandidateProfileFactory)
    employer_name = factory.Sequence(lambda n: f"Saigon Kitchen {n}")
    job_title = "Cook"
    category = _taxonomy("JobCategory", "ssw_food_service")
    country = "VN"
    started_on = factory.LazyFunction(lambda: years_ago(3))
    ended_on = factory.LazyFunction(lambda: years_ago(1))
    description = "Prepared Vietnamese and Japanese dishes for 80 guests a day."


class JapaneseCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.JapaneseCertificate"

    profile = factory.SubFactory(CandidateProfileFactory)
    level = _taxonomy("JapaneseLevel", "jlpt_n2")
    obtained_on = factory.LazyFunction(lambda: years_ago(2))


class LanguageSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.LanguageSkill"

    profile = factory.SubFactory(CandidateProfileFactory)
    language = "vi"
    level = "native"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "profiles.Qualification"

    profile = factory.SubFactory(CandidateProfileFactory)
    kind = _taxonomy("QualificationKind", "skills_test_food_service")
    obtained_on = factory.LazyFunction(lambda: years_ago(1))


class FullCandidateProfileFactory(CandidateProfileFactory):
    """A profile with every section filled in, valid by the forms' rules:
    a Vietnamese cook in Tokyo with the Engineer/Humanities status."""

    class Meta:
        skip_postgeneration_save = True

    name_passport = "NGUYEN THI LAN"
    name_kana = "グエン・ティ・ラン"
    nationality = "VN"
    country_of_residence = "JP"
    date_of_birth = factory.LazyFunction(lambda: years_ago(27, days=40))
    gender = "female"
    phone = "+819012345678"
    postal_code = "1000013"
    prefecture = _taxonomy("Prefecture", "13")
    city = "千代田区"
    street = "霞が関1-2-3 つなぐビル 405"
    status = _taxonomy("StatusOfResidence", "engineer_humanities")
    period_of_stay_expiry = factory.LazyFunction(lambda: from_today(400))
    japanese_speaking = "daily"
    expected_salary = 260_000
    expected_salary_period = "month"
    earliest_start_date = factory.LazyFunction(lambda: from_today(30))
    open_to_proposals = True
    self_introduction = "I cooked for five years in Hanoi and Ho Chi Minh City and want to work in a kitchen in Tokyo."

    @factory.post_generation
    def filled_in(self, create, extracted, **kwargs):
        if not create:
            return
        from profiles.models import EmploymentType, JobCategory, Prefecture

        self.desired_categories.set(JobCategory.objects.filter(code__in=["ssw_food_service", "hotel_guest_services"]))
        self.desired_prefectures.set(Prefecture.objects.filter(code__in=["13", "14"]))
        self.desired_employment_types.set(EmploymentType.objects.filter(code="full_time"))
        EducationEntryFactory(profile=self)
        WorkEntryFactory(profile=self)
        JapaneseCertificateFactory(profile=self)
        LanguageSkillFactory(profile=self)
        QualificationFactory(profile=self)


class ModerationCaseFactory(factory.django.DjangoModelFactory):
    """An open report on a self-introduction, made by a coordinator."""

    class Meta:
        model = "profiles.ModerationCase"

    profile = factory.SubFactory(FullCandidateProfileFactory)
    target = "self_introduction"
    category = "dating"
    details = "Asks readers out on a date."
    reported_by = factory.SubFactory("tests.accounts.factories.StaffFactory", groups=["coordinator"])


# --- What a candidate types into each section (valid unless overridden) -------


def taxonomy_pk(model_name: str, code: str) -> int:
    from django.apps import apps

    return apps.get_model("profiles", model_name).objects.get(code=code).pk


def section_post(slug: str, /, **overrides) -> dict:
    """POST data for one section's form, valid by every rule of profiles.forms."""
    data = {
        "basics": lambda: {
            "name_passport": "NGUYEN THI LAN",
            "name_kana": "グエン・ティ・ラン",
            "nationality": "VN",
            "country_of_residence": "JP",
            "date_of_birth": years_ago(25).isoformat(),
            "gender": "female",
            "phone": "090-1234-5678",
        },
        "address": lambda: {
            "where": "japan",
            "postal_code": "100-0013",
            "prefecture": taxonomy_pk("Prefecture", "13"),
            "city": "千代田区",
            "street": "霞が関1-2-3",
            "overseas_address": "",
        },
        "status": lambda: {
            "status": taxonomy_pk("StatusOfResidence", "engineer_humanities"),
            "period_of_stay_expiry": from_today(365).isoformat(),
        },
        "japanese": lambda: {"japanese_speaking": "daily"},
        "preferences": lambda: {
            "desired_categories": [taxonomy_pk("JobCategory", "ssw_food_service")],
            "desired_prefectures": [taxonomy_pk("Prefecture", "13")],
            "desired_employment_types": [taxonomy_pk("EmploymentType", "full_time")],
            "expected_salary": "250000",
            "expected_salary_period": "month",
            "earliest_start_date": from_today(30).isoformat(),
            "open_to_proposals": "on",
        },
        "introduction": lambda: {"self_introduction": "I have cooked for five years and love Japanese food."},
    }[slug]()
    data.update(overrides)
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


def entry_post(kind: str, /, **overrides) -> dict:
    """POST data for one history entry (profiles.sections.ENTRY_KINDS slug)."""
    data = {
        "japanese-tests": lambda: {"level": taxonomy_pk("JapaneseLevel", "jlpt_n3"), "obtained_on": years_ago(1)},
        "languages": lambda: {"language": "my", "level": "native"},
        "qualifications": lambda: {
            "kind": taxonomy_pk("QualificationKind", "licence_ordinary"),
            "name": "",
            "obtained_on": years_ago(2),
        },
        "education": lambda: {
            "school": "Yangon Technological University",
            "level": "bachelor",
            "field_of_study": "Civil engineering",
            "country": "MM",
            "started_on": years_ago(8),
            "ended_on": years_ago(4),
            "graduated": "on",
        },
        "work": lambda: {
            "employer_name": "Mandalay Builders",
            "job_title": "Site assistant",
            "category": taxonomy_pk("JobCategory", "ssw_construction"),
            "country": "MM",
            "started_on": years_ago(4),
            "ended_on": years_ago(1),
            "description": "Measured and marked out foundations.",
        },
    }[kind]()
    data.update(overrides)
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}
