# ruff: noqa: E501 - demo data tables
"""Demo openings across categories and prefectures, and applications in
every pipeline state (``seed_demo``). Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Employer, User
from consents.notices import share_notice
from consents.services import Notice, grant_expiry_default
from matching import services
from matching.models import Application, ApplicationState, Opening
from profiles.models import EmploymentType, JapaneseLevel, JobCategory, Prefecture

OPENINGS = [
    # corporate number, title, category, employment type, prefecture, salary (min, max, period), hours, level, sponsorship
    (
        "7000012050002",
        "介護スタッフ / Care worker (SSW)",
        "ssw_nursing_care",
        "full_time",
        "13",
        (220_000, 280_000, "month"),
        40,
        "jlpt_n4",
        True,
    ),
    (
        "7000012050002",
        "Night-shift care assistant",
        "care_worker",
        "full_time",
        "14",
        (240_000, 300_000, "month"),
        40,
        "jlpt_n3",
        False,
    ),
    (
        "7000012050002",
        "Care home kitchen helper (part-time)",
        "retail_restaurant_staff",
        "part_time",
        "13",
        (1_200, 1_400, "hour"),
        20,
        None,
        False,
    ),
    (
        "1180301018771",
        "溶接工 / Welder (SSW industrial manufacturing)",
        "ssw_industrial_manufacturing",
        "full_time",
        "23",
        (230_000, 320_000, "month"),
        40,
        "jlpt_n4",
        True,
    ),
    (
        "1180301018771",
        "Production line operator",
        "factory_warehouse",
        "contract",
        "22",
        (210_000, 250_000, "month"),
        40,
        None,
        False,
    ),
    (
        "1180301018771",
        "Bilingual sales coordinator",
        "sales_marketing",
        "full_time",
        "27",
        (4_000_000, 5_500_000, "year"),
        40,
        "jlpt_n2",
        False,
    ),
    (
        "1180301018771",
        "Software engineer (English OK)",
        "it_engineering",
        "full_time",
        "13",
        (5_000_000, 8_000_000, "year"),
        40,
        "jlpt_n3",
        True,
    ),
    (
        "7000012050002",
        "Hotel front desk (Kyoto)",
        "hotel_guest_services",
        "full_time",
        "26",
        (230_000, 260_000, "month"),
        40,
        "jlpt_n2",
        False,
    ),
]

# (candidate email, opening title, state to reach)
APPLICATIONS = [
    ("nguyen.lan@demo.tsunagu.example", "介護スタッフ / Care worker (SSW)", ApplicationState.INTERVIEW),
    ("aung.kyaw@demo.tsunagu.example", "Care home kitchen helper (part-time)", ApplicationState.APPLIED),
    ("budi.santoso@demo.tsunagu.example", "溶接工 / Welder (SSW industrial manufacturing)", ApplicationState.OFFER),
    ("maria.santos@demo.tsunagu.example", "Software engineer (English OK)", ApplicationState.SCREENING),
    ("li.wei@demo.tsunagu.example", "Bilingual sales coordinator", ApplicationState.HIRED),
    ("maria.santos@demo.tsunagu.example", "Bilingual sales coordinator", ApplicationState.NOT_SELECTED),
    ("li.wei@demo.tsunagu.example", "Production line operator", ApplicationState.WITHDRAWN),
]

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
    ApplicationState.NOT_SELECTED: [ApplicationState.SCREENING, ApplicationState.NOT_SELECTED],
    ApplicationState.WITHDRAWN: [],
}


def seed(stdout) -> dict:
    today = timezone.localdate()
    for number, title, category, etype, prefecture, (low, high, period), hours, level, sponsor in OPENINGS:
        employer = Employer.objects.get(corporate_number=number)
        admin = employer.members.filter(role="admin")[0].user
        opening = Opening.objects.filter(employer=employer, title=title).first()
        if opening is None:
            opening = Opening(
                title=title,
                description=f"{title}\n\n仕事内容・研修・寮あり。Training and housing support available.",
                category=JobCategory.objects.get(code=category),
                employment_type=EmploymentType.objects.get(code=etype),
                prefecture=Prefecture.objects.get(code=prefecture),
                city="",
                salary_min=low,
                salary_max=high,
                salary_period=period,
                weekly_hours=hours,
                required_level=JapaneseLevel.objects.get(code=level) if level else None,
                sponsorship_offered=sponsor,
                start_date=today + timedelta(days=60),
                closes_on=today + timedelta(days=45),
                languages="日本語, English",
            )
            opening = services.opening_save(actor=admin, opening=opening)
            services.opening_publish(actor=admin, opening=opening)
    for email, title, target in APPLICATIONS:
        candidate = User.objects.get(email=email)
        opening = Opening.objects.get(title=title)
        if Application.objects.filter(opening=opening, candidate=candidate).exists():
            continue
        groups = {"core", "contact"}
        notice = Notice(
            text=share_notice(employer=opening.employer, groups=groups, expires_at=grant_expiry_default()),
            language="en",
        )
        application = services.application_submit(candidate=candidate, opening=opening, groups=groups, notice=notice)
        recruiter = opening.employer.members.filter(role="recruiter")[0].user
        if target == ApplicationState.WITHDRAWN:
            services.application_withdraw(candidate=candidate, application=application)
        for state in PATH[target]:
            services.application_move(actor=recruiter, application=application, to_state=state)
    return {}
