# ruff: noqa: C408 - keyword dicts read best for demo people
"""Demo profiles for the demo candidates (``seed_demo``): varied
nationalities, statuses and Japanese levels. Idempotent."""

from datetime import date, timedelta
from typing import NotRequired, TypedDict

from django.utils import timezone

from accounts.models import User
from profiles.models import (
    CandidateProfile,
    EducationEntry,
    EmploymentType,
    JapaneseCertificate,
    JapaneseLevel,
    JobCategory,
    Prefecture,
    Qualification,
    QualificationKind,
    StatusOfResidence,
    WorkEntry,
)


class DemoProfile(TypedDict):
    name_passport: str
    name_kana: str
    nationality: str
    country_of_residence: str
    born: date
    gender: str
    phone: str
    status: str | None
    years_left: NotRequired[int | None]
    japanese: str
    speaking: str
    categories: list[str]
    qualifications: NotRequired[list[str]]
    prefectures: list[str]
    school: tuple[str, str, str]  # school, level, field of study
    job: tuple[str, str, str]  # title, employer, category
    outside_hours: NotRequired[int]
    intro: str


PROFILES: dict[str, DemoProfile] = {
    "nguyen.lan@demo.tsunagu.example": dict(
        name_passport="NGUYEN THI LAN",
        name_kana="グエン・ティ・ラン",
        nationality="VN",
        country_of_residence="JP",
        born=date(1998, 4, 12),
        gender="female",
        phone="+819012345601",
        status="ssw_1",
        years_left=2,
        japanese="jlpt_n3",
        speaking="daily",
        categories=["ssw_nursing_care", "care_worker"],
        # SSW (i) is tied to the field of the tests passed (the work rules).
        qualifications=["skills_test_nursing_care", "nursing_care_japanese_test"],
        prefectures=["13", "14"],
        school=("Hanoi Medical College", "vocational", "Nursing"),
        job=("Care assistant", "Sakura Home", "ssw_nursing_care"),
        intro="介護の仕事が好きです。Tôi yêu công việc chăm sóc người cao tuổi. 😊",
    ),
    "aung.kyaw@demo.tsunagu.example": dict(
        name_passport="AUNG KYAW MIN",
        name_kana="アウン・チョー・ミン",
        nationality="MM",
        country_of_residence="JP",
        born=date(2000, 9, 3),
        gender="male",
        phone="+819012345602",
        status="student",
        years_left=1,
        japanese="jlpt_n2",
        speaking="business",
        categories=["factory_warehouse", "retail_restaurant_staff"],
        prefectures=["23"],
        school=("Tokyo Japanese Language Institute", "japanese_school", "Japanese"),
        job=("Kitchen staff", "Ramen Aichi", "retail_restaurant_staff"),
        outside_hours=28,
        intro="မင်္ဂလာပါ။ 日本で働きたいです。",
    ),
    "maria.santos@demo.tsunagu.example": dict(
        name_passport="MARIA SANTOS",
        name_kana="マリア・サントス",
        nationality="PH",
        country_of_residence="JP",
        born=date(1993, 1, 20),
        gender="female",
        phone="+819012345603",
        status="engineer_humanities",
        years_left=3,
        japanese="jlpt_n2",
        speaking="business",
        categories=["it_engineering", "interpretation"],
        prefectures=["13"],
        school=("University of the Philippines", "bachelor", "Computer Science"),
        job=("Software engineer", "Manila Soft", "it_engineering"),
        intro="Full-stack engineer, 6 years, English/Tagalog/Japanese.",
    ),
    "sita.gurung@demo.tsunagu.example": dict(
        name_passport="SITA GURUNG",
        name_kana="シタ・グルン",
        nationality="NP",
        country_of_residence="NP",
        born=date(1999, 6, 30),
        gender="prefer_not",
        phone="+9779812345604",
        status=None,
        japanese="jft_a2",
        speaking="basic",
        categories=["ssw_food_service", "ssw_accommodation"],
        prefectures=["27", "26"],
        school=("Pokhara Hotel School", "vocational", "Hospitality"),
        job=("Waitress", "Lakeside Hotel", "ssw_food_service"),
        intro="I passed JFT-Basic A2 and the food service skills test.",
    ),
    "budi.santoso@demo.tsunagu.example": dict(
        name_passport="BUDI SANTOSO",
        name_kana="ブディ・サントソ",
        nationality="ID",
        country_of_residence="JP",
        born=date(1995, 11, 2),
        gender="male",
        phone="+819012345605",
        status="technical_intern_2",
        years_left=1,
        japanese="jlpt_n4",
        speaking="daily",
        categories=["ssw_construction", "ssw_industrial_manufacturing"],
        prefectures=["23", "22"],
        school=("SMK Negeri 1 Surabaya", "secondary", "Mechanics"),
        job=("Welder", "Aichi Steel Works", "ssw_industrial_manufacturing"),
        intro="Welding 5 years.",
    ),
    "li.wei@demo.tsunagu.example": dict(
        name_passport="LI WEI",
        name_kana="リ・ウェイ",
        nationality="CN",
        country_of_residence="JP",
        born=date(1990, 3, 15),
        gender="male",
        phone="+819012345606",
        status="permanent_resident",
        years_left=None,
        japanese="jlpt_n1",
        speaking="fluent",
        categories=["sales_marketing", "office_admin"],
        prefectures=["27"],
        school=("Osaka University", "master", "Economics"),
        job=("Trade coordinator", "Kansai Trading", "sales_marketing"),
        intro="永住者です。貿易事務の経験10年。",
    ),
}


def seed(stdout) -> dict:
    today = timezone.localdate()
    full_time = EmploymentType.objects.get(code="full_time")
    for email, spec in PROFILES.items():
        user = User.objects.get(email=email)
        profile, _ = CandidateProfile.objects.get_or_create(user=user)
        status = StatusOfResidence.objects.get(code=spec["status"]) if spec["status"] else None
        for field in ("name_passport", "name_kana", "nationality", "country_of_residence", "gender", "phone"):
            setattr(profile, field, spec[field])
        profile.date_of_birth = spec["born"]
        profile.status = status
        years_left = spec.get("years_left")
        profile.period_of_stay_expiry = today + timedelta(days=365 * years_left) if years_left else None
        profile.outside_activity_permission = bool(spec.get("outside_hours"))
        profile.outside_activity_hours = spec.get("outside_hours")
        if spec["country_of_residence"] == "JP":
            profile.postal_code, profile.prefecture = "1000013", Prefecture.objects.get(code=spec["prefectures"][0])
            profile.city, profile.street, profile.overseas_address = "千代田区", "霞が関1-1-1", ""
        else:
            profile.postal_code, profile.prefecture, profile.city, profile.street = "", None, "", ""
            profile.overseas_address = "Lakeside, Pokhara 33700, Nepal"
        profile.japanese_speaking = spec["speaking"]
        profile.expected_salary, profile.expected_salary_period = 230_000, "month"
        profile.earliest_start_date = today + timedelta(days=30)
        profile.open_to_proposals = True
        profile.self_introduction = spec["intro"]
        profile.save()
        profile.desired_categories.set(JobCategory.objects.filter(code__in=spec["categories"]))
        profile.desired_prefectures.set(Prefecture.objects.filter(code__in=spec["prefectures"]))
        profile.desired_employment_types.set([full_time])
        JapaneseCertificate.objects.get_or_create(
            profile=profile,
            level=JapaneseLevel.objects.get(code=spec["japanese"]),
            defaults={"obtained_on": date(2024, 12, 1)},
        )
        school, level, field = spec["school"]
        EducationEntry.objects.get_or_create(
            profile=profile,
            school=school,
            defaults={
                "level": level,
                "field_of_study": field,
                "started_on": date(2015, 4, 1),
                "ended_on": date(2018, 3, 31),
                "graduated": True,
            },
        )
        for code in spec.get("qualifications", ()):
            kind = QualificationKind.objects.get(code=code)
            Qualification.objects.get_or_create(profile=profile, kind=kind, defaults={"obtained_on": date(2024, 6, 1)})
        title, employer, category = spec["job"]
        WorkEntry.objects.get_or_create(
            profile=profile,
            employer_name=employer,
            defaults={
                "job_title": title,
                "category": JobCategory.objects.get(code=category),
                "started_on": date(2019, 4, 1),
                "ended_on": date(2024, 3, 31),
            },
        )
    return {}
