# ruff: noqa: E501 - a table of cases reads best one case to a few lines
"""An independent audit of the eligibility engine against the law (issue 12).

Written from the law (domain notes ../shared/domain/japan.md §1–3 and the
Immigration Services Agency's rules as secondary sources quote them) without
reading the engine's own table (test_eligibility.py). Each case says what
the law allows and why; cases marked `unsure` ([M]) are ones where the
law is not clear to us or where Tsunagu's data cannot say (a kind of work
that spans two statuses): there the engine must take the side that never
lets through someone who may not take the job, and a person decides (the
staff override with a recorded reason).

Every case runs through every door of the engine: the staff's list of
candidates (rank_candidates, filtered and flagged, with
explain_candidate_row), the candidate's recommendations (rank_openings),
the words on the opening's page (explain) and the job board (with_fit,
board_fit).
"""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from matching.engine import (
    board_fit,
    explain,
    explain_candidate_row,
    open_openings,
    rank_candidates,
    rank_openings,
    with_fit,
)
from matching.models import Opening
from profiles.models import CandidateProfile, JobCategory
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    OpeningFactory,
    OverseasCandidateProfileFactory,
    days_from_today,
)

pytestmark = pytest.mark.django_db

START = 60  # days from today: every opening starts then


def stay(days_after_start: int):
    """A period of stay ending this many days after the start date."""
    return lambda: days_from_today(START + days_after_start)


def with_permission(status: str, hours: int = 28) -> dict:
    return {"status": status, "outside_activity_permission": True, "outside_activity_hours": hours}


def ssw1(field: str, *, japanese=("jlpt_n4",), more=(), **extra) -> dict:
    return {
        "status": "ssw_1",
        "qualifications": [f"skills_test_{field}", *more],
        "japanese": list(japanese),
        "education": [],
        **extra,
    }


def ssw2(field: str, *, japanese=("jlpt_n3",), **extra) -> dict:
    return {
        "status": "ssw_2",
        "qualifications": [f"skills_test_ii_{field}"],
        "japanese": list(japanese),
        "education": [],
        **extra,
    }


def job(category: str, employment_type: str = "full_time", hours: int = 40, **extra) -> dict:
    return {"category": category, "employment_type": employment_type, "weekly_hours": hours, **extra}


def part_time(category: str, hours: int, **extra) -> dict:
    return job(category, "part_time", hours, **extra)


def sponsored(category: str, **extra) -> dict:
    return job(category, sponsorship_offered=True, **extra)


@dataclass(frozen=True)
class Law:
    id: str
    candidate: dict
    opening: dict
    eligible: bool
    why: str  # the legal ground, in a few words
    unsure: bool = False  # [M]: see `why`
    overseas: bool = False
    # Words the candidate reads among reasons, gaps, notes and what the job needs.
    says: tuple[str, ...] = ()
    # False where only the employer's Japanese requirement decides: the board speaks about the status only.
    status_decides: bool = True
    adult: bool = False  # the opening's kind of work is an adult entertainment business (風俗営業等)
    premises: bool = False  # the workplace is one (Opening.adult_entertainment_premises), whatever the kind of work


PREMISES_GAP = (
    "This workplace is an adult entertainment business (風俗営業); your status does not allow work there, in any role."
)

CASES = [
    # --- Work unrestricted (就労制限なし): any work, any form, any hours ------------------------------------------
    Law(
        "permanent resident: factory full-time",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        job("factory_warehouse"),
        True,
        "就労制限なし",
    ),
    Law(
        "spouse of Japanese: dispatch factory work",
        {"status": "spouse_of_japanese"},
        job("factory_warehouse", "dispatch"),
        True,
        "就労制限なし",
    ),
    Law(
        "spouse of permanent resident: delivery driving",
        {"status": "spouse_of_permanent_resident"},
        job("delivery_driving"),
        True,
        "就労制限なし",
    ),
    Law(
        "long-term resident: part-time shop 35 h",
        {"status": "long_term_resident"},
        part_time("retail_restaurant_staff", 35),
        True,
        "就労制限なし; no hour limit",
    ),
    Law(
        "special permanent resident: cleaning",
        {"status": "special_permanent_resident", "period_of_stay_expiry": None},
        job("cleaning"),
        True,
        "Special Act: no work limits",
    ),
    Law(
        "spouse of Japanese: adult entertainment business",
        {"status": "spouse_of_japanese"},
        part_time("entertainment", 20),
        True,
        "就労制限なし covers 風俗営業 too",
        adult=True,
    ),
    # --- Work statuses: only the activity of the status ----------------------------------------------------------
    Law("E/H/I: IT engineer", {"status": "engineer_humanities"}, job("it_engineering"), True, "技術"),
    Law(
        "E/H/I: dispatch IT engineer",
        {"status": "engineer_humanities"},
        job("it_engineering", "dispatch"),
        True,
        "dispatch is fine under E/H/I when the work fits",
    ),
    Law(
        "E/H/I: language teacher at a private school",
        {"status": "engineer_humanities"},
        job("teaching"),
        True,
        "国際業務: 語学の指導",
    ),
    Law(
        "E/H/I: factory line work",
        {"status": "engineer_humanities"},
        job("factory_warehouse"),
        False,
        "simple labour is outside 技人国",
    ),
    Law(
        "E/H/I: shop and restaurant staff",
        {"status": "engineer_humanities"},
        job("retail_restaurant_staff"),
        False,
        "simple service work is outside 技人国",
    ),
    Law(
        "E/H/I: SSW construction field work",
        {"status": "engineer_humanities"},
        job("ssw_construction"),
        False,
        "site work is outside 技人国",
    ),
    Law(
        "business manager: managing a business",
        {"status": "business_manager"},
        job("business_management"),
        True,
        "経営・管理",
    ),
    Law(
        "business manager: IT engineer",
        {"status": "business_manager"},
        job("it_engineering"),
        False,
        "経営・管理 covers managing only",
    ),
    Law(
        "instructor: teaching",
        {"status": "instructor"},
        job("teaching"),
        True,
        "教育 [M]: the category does not say whether the school is a school under the School Education Act",
        unsure=True,
    ),
    Law("instructor: office work", {"status": "instructor"}, job("office_admin"), False, "教育 covers teaching only"),
    Law(
        "skilled labor: chef of foreign cuisine",
        {"status": "skilled_labor"},
        job("chef_foreign_cuisine"),
        True,
        "技能: 外国料理の調理師",
    ),
    Law(
        "skilled labor: restaurant floor staff",
        {"status": "skilled_labor"},
        job("retail_restaurant_staff"),
        False,
        "技能 does not cover floor or simple kitchen work",
    ),
    Law("nursing care status: certified care work", {"status": "nursing_care"}, job("care_worker"), True, "介護"),
    Law(
        "nursing care status: care work posted in the SSW field",
        {"status": "nursing_care"},
        job("ssw_nursing_care"),
        True,
        "介護 covers care work",
    ),
    Law(
        "nursing care status: factory",
        {"status": "nursing_care"},
        job("factory_warehouse"),
        False,
        "介護 covers care work only",
    ),
    Law(
        "entertainer: entertainment",
        {"status": "entertainer"},
        job("entertainment"),
        True,
        "興行 [M]: under the contracting organisation",
        unsure=True,
    ),
    Law(
        "artist: entertainment and performing arts",
        {"status": "artist"},
        job("entertainment"),
        False,
        "芸術 excludes the activities of 興行 (performing in shows)",
        says=("The activity of your status Artist does not cover Entertainment and performing arts.",),
    ),
    Law(
        "entertainer: restaurant staff",
        {"status": "entertainer"},
        job("retail_restaurant_staff"),
        False,
        "興行 covers performing only",
    ),
    Law("researcher: research", {"status": "researcher"}, job("research"), True, "研究"),
    Law("medical services: medical", {"status": "medical_services"}, job("medical"), True, "医療"),
    Law(
        "legal/accounting: legal work", {"status": "legal_accounting"}, job("legal_accounting"), True, "法律・会計業務"
    ),
    Law(
        "religious activities: any job",
        {"status": "religious_activities"},
        part_time("retail_restaurant_staff", 10),
        False,
        "宗教: no paid work outside the mission",
    ),
    Law(
        "journalist: office work",
        {"status": "journalist"},
        job("office_admin"),
        False,
        "報道: journalism for a foreign agency only",
    ),
    Law(
        "intra-company transferee: another employer's IT job",
        {"status": "intra_company_transferee"},
        job("it_engineering"),
        False,
        "企業内転勤 is bound to the transferring group",
    ),
    Law(
        "HSP (i)(b): IT engineer at a new employer",
        {"status": "highly_skilled_1b"},
        job("it_engineering"),
        True,
        "高度専門職1号ロ; the designation names the employer, a change is needed first [M]",
        unsure=True,
        says=("Your designation names your employer",),
    ),
    Law(
        "HSP (i)(c): managing a business at a new company",
        {"status": "highly_skilled_1c"},
        job("business_management"),
        True,
        "高度専門職1号ハ; a change of designation first [M]",
        unsure=True,
    ),
    Law(
        "HSP (ii): IT engineer",
        {"status": "highly_skilled_2", "period_of_stay_expiry": None},
        job("it_engineering"),
        True,
        "高度専門職2号: indefinite",
    ),
    Law(
        "HSP (ii): factory line work",
        {"status": "highly_skilled_2", "period_of_stay_expiry": None},
        job("factory_warehouse"),
        False,
        "HSP (ii) covers professional work, not simple labour",
    ),
    # --- Specified Skilled Worker: the field of the test passed, full-time, direct ---------------------------------------
    Law(
        "SSW (i) construction: construction full-time",
        ssw1("construction"),
        job("ssw_construction"),
        True,
        "field of the test",
    ),
    Law(
        "SSW (i) construction: food service job",
        ssw1("construction"),
        job("ssw_food_service"),
        False,
        "another field needs that field's test",
    ),
    Law(
        "SSW (i) construction: dispatch in construction",
        ssw1("construction"),
        job("ssw_construction", "dispatch"),
        False,
        "dispatch only in agriculture and fishery",
    ),
    Law(
        "SSW (i) agriculture: dispatch in agriculture",
        ssw1("agriculture"),
        job("ssw_agriculture", "dispatch"),
        True,
        "dispatch allowed in agriculture",
    ),
    Law(
        "SSW (i) fishery: dispatch in fishery",
        ssw1("fishery"),
        job("ssw_fishery", "dispatch"),
        True,
        "dispatch allowed in fishery",
    ),
    Law(
        "SSW (i) food service: part-time 20 h",
        ssw1("food_service"),
        part_time("ssw_food_service", 20),
        False,
        "SSW is full-time",
    ),
    Law(
        "SSW (i) food service: 30 h contract",
        ssw1("food_service"),
        job("ssw_food_service", "contract", 30),
        True,
        "30 h a week and a direct fixed-term contract [M]",
        unsure=True,
    ),
    Law(
        "SSW (i) food service: 29 h contract",
        ssw1("food_service"),
        job("ssw_food_service", "contract", 29),
        False,
        "under 30 h is not full-time",
    ),
    Law(
        "SSW (i) construction: general factory job",
        ssw1("construction"),
        job("factory_warehouse"),
        False,
        "not an SSW field",
    ),
    Law(
        "SSW (i) with JFT-Basic A2 instead of N4",
        ssw1("accommodation", japanese=("jft_a2",)),
        job("ssw_accommodation"),
        True,
        "JFT-Basic A2 is the SSW threshold",
    ),
    Law(
        "SSW (i) with only JLPT N5",
        ssw1("accommodation", japanese=("jlpt_n5",)),
        job("ssw_accommodation"),
        False,
        "N4 or JFT-Basic A2 needed",
    ),
    Law(
        "SSW (i) with BJT J3 as its only Japanese test",
        ssw1("accommodation", japanese=("bjt_j3",)),
        job("ssw_accommodation"),
        False,
        "SSW (i) accepts JFT-Basic or JLPT only; BJT is not an SSW Japanese test",
        says=(
            "Specified Skilled Worker in Accommodation (SSW) needs Japanese at JLPT N4 or JFT-Basic A2 or above (only "
            "JLPT and JFT-Basic results count for it); you have no JLPT or JFT-Basic result.",
        ),
    ),
    Law(
        "SSW (i) with NAT-TEST grade 3 as its only Japanese test",
        ssw1("building_cleaning", japanese=("nat_3",)),
        job("ssw_building_cleaning"),
        False,
        "SSW (i) accepts JFT-Basic or JLPT only [M: NAT-TEST not confirmed as accepted]",
        unsure=True,
    ),
    Law(
        "SSW (i) nursing care without the nursing-care Japanese test",
        ssw1("nursing_care"),
        job("ssw_nursing_care"),
        False,
        "介護日本語評価試験 needed too",
    ),
    Law(
        "SSW (i) nursing care with all three tests",
        ssw1("nursing_care", more=("nursing_care_japanese_test",)),
        job("ssw_nursing_care"),
        True,
        "skills + Japanese + nursing-care Japanese",
    ),
    Law(
        "SSW (i) automobile transport with N4 (the job may be taxi or bus)",
        ssw1("automobile_transport"),
        job("ssw_automobile_transport"),
        False,
        "taxi and bus need N3; the category does not say [M]",
        unsure=True,
    ),
    Law(
        "SSW (i) automobile transport with N3",
        ssw1("automobile_transport", japanese=("jlpt_n3",)),
        job("ssw_automobile_transport"),
        True,
        "N3 covers every kind of driver",
    ),
    Law(
        "SSW (i) railway with N4 (the job may be station staff)",
        ssw1("railway"),
        job("ssw_railway"),
        False,
        "運輸係員 (station and train staff) need JLPT N3; the category does not say which job [M]",
        unsure=True,
    ),
    Law(
        "SSW (i) railway with N3",
        ssw1("railway", japanese=("jlpt_n3",)),
        job("ssw_railway"),
        True,
        "N3 covers every railway job",
    ),
    Law("SSW (i) forestry", ssw1("forestry"), job("ssw_forestry"), True, "林業, N4"),
    Law(
        "SSW (i) by good completion of Technical Intern Training (ii) in the field, no tests",
        {
            "status": "ssw_1",
            "qualifications": ["titp_ii_completed_food_manufacturing"],
            "japanese": [],
            "education": [],
        },
        job("ssw_food_manufacturing"),
        True,
        "good completion replaces the tests in a related field",
    ),
    Law(
        "SSW (i) with the construction test and a completed Technical Intern Training (ii) in agriculture, no Japanese test",
        {
            "status": "ssw_1",
            "qualifications": ["skills_test_construction", "titp_ii_completed_agriculture"],
            "japanese": [],
            "education": [],
        },
        job("ssw_construction"),
        True,
        "good completion in any occupation replaces the Japanese test",
    ),
    Law(
        "SSW (i) nursing care test and a completed Technical Intern Training (ii) in agriculture, no nursing-care Japanese test",
        {
            "status": "ssw_1",
            "qualifications": ["skills_test_nursing_care", "titp_ii_completed_agriculture"],
            "japanese": [],
            "education": [],
        },
        job("ssw_nursing_care"),
        False,
        "the nursing-care Japanese test is replaced only by a nursing-care completion",
    ),
    Law(
        "SSW (i) railway test and a completed Technical Intern Training (ii) in agriculture, only N4",
        ssw1("railway", more=("titp_ii_completed_agriculture",)),
        job("ssw_railway"),
        False,
        "station staff need JLPT N3; whether a completion stands for N3 is not known [M]",
        unsure=True,
    ),
    Law(
        "SSW (ii) construction: construction",
        ssw2("construction"),
        job("ssw_construction"),
        True,
        "the (ii) test's field",
    ),
    Law(
        "SSW (ii) construction: dispatch in construction",
        ssw2("construction"),
        job("ssw_construction", "dispatch"),
        False,
        "dispatch only in agriculture and fishery, (ii) too",
    ),
    Law(
        "SSW (ii) agriculture: dispatch in agriculture",
        ssw2("agriculture"),
        job("ssw_agriculture", "dispatch"),
        True,
        "dispatch allowed in agriculture",
    ),
    Law(
        "SSW (ii) construction: building cleaning",
        ssw2("construction"),
        job("ssw_building_cleaning"),
        False,
        "another field",
    ),
    Law(
        "SSW (ii): nursing care has no (ii)",
        ssw2("construction"),
        job("ssw_nursing_care"),
        False,
        "no SSW (ii) in nursing care",
    ),
    Law(
        "SSW (ii): forestry has no (ii)",
        {"status": "ssw_2", "qualifications": ["skills_test_forestry"], "japanese": ["jlpt_n3"], "education": []},
        job("ssw_forestry"),
        False,
        "no SSW (ii) in forestry",
    ),
    Law(
        "SSW (ii) food service with only N4",
        ssw2("food_service", japanese=("jlpt_n4",)),
        job("ssw_food_service"),
        False,
        "外食 (ii) needs JLPT N3",
    ),
    Law("SSW (ii) food service with N3", ssw2("food_service"), job("ssw_food_service"), True, "外食 (ii) with N3"),
    Law(
        "SSW (ii) fishery with BJT J3 instead of JLPT N3",
        ssw2("fishery", japanese=("bjt_j3",)),
        job("ssw_fishery"),
        False,
        "漁業 (ii) asks for JLPT N3; BJT is not accepted [M]",
        unsure=True,
    ),
    # --- Technical Intern Training: only the organisation of the plan -----------------------------------------------
    Law(
        "TITP (ii): construction at another employer",
        {"status": "technical_intern_2", "education": []},
        job("ssw_construction"),
        False,
        "指定書記載機関での活動のみ",
        says=(
            "With the status Technical Intern Training (ii) you may work only at the organisation named in your training plan, not for another employer.",
        ),
    ),
    Law(
        "TITP (ii): aviation job at another employer (no training in that field)",
        {"status": "technical_intern_2", "education": []},
        job("ssw_aviation"),
        False,
        "bound; the route is SSW (i) aviation with its skills test after any good completion",
        says=(
            "after good completion of Technical Intern Training (ii) in any field, Specified Skilled Worker (i) in "
            "Aviation (SSW) with its skills test",
        ),
    ),
    Law(
        "TITP (i): side job in a shop, even with a permission on file",
        with_permission("technical_intern_1"),
        part_time("retail_restaurant_staff", 10),
        False,
        "trainees get no permission for side jobs",
    ),
    Law(
        "TITP (ii) completed in construction: SSW (i) construction job with sponsorship",
        {
            "status": "technical_intern_2",
            "qualifications": ["titp_ii_completed_construction"],
            "japanese": [],
            "education": [],
        },
        sponsored("ssw_construction"),
        True,
        "change to SSW (i) in the related field, without tests",
    ),
    Law(
        "TITP (ii) completed in agriculture: SSW (i) construction with sponsorship and the construction test",
        {
            "status": "technical_intern_2",
            "qualifications": ["titp_ii_completed_agriculture", "skills_test_construction"],
            "japanese": [],
            "education": [],
        },
        sponsored("ssw_construction"),
        True,
        "after good completion, SSW (i) in another field with that field's skills test; Japanese exempt in any field",
    ),
    Law(
        "TITP (ii) completed in agriculture: SSW (i) construction with sponsorship, no construction test",
        {"status": "technical_intern_2", "qualifications": ["titp_ii_completed_agriculture"], "japanese": []},
        sponsored("ssw_construction"),
        False,
        "another field needs its skills test",
    ),
    Law(
        "TITP (ii) not completed: IT job with sponsorship and a degree",
        {"status": "technical_intern_2"},
        sponsored("it_engineering"),
        False,
        "a change before completion is refused in principle [M]",
        unsure=True,
    ),
    # --- Designated Activities: by designation --------------------------------------------------------------------
    Law(
        "designated activities (other designation): part-time shop",
        with_permission("designated_activities"),
        part_time("retail_restaurant_staff", 10),
        False,
        "unknown designation: never treated as allowing work",
    ),
    Law(
        "working holiday: full-time restaurant",
        {"status": "designated_activities_working_holiday"},
        job("retail_restaurant_staff"),
        True,
        "ワーキング・ホリデー: work to fund the holiday",
    ),
    Law(
        "working holiday: adult entertainment business",
        {"status": "designated_activities_working_holiday"},
        part_time("entertainment", 20),
        False,
        "never 風俗営業",
        adult=True,
    ),
    Law(
        "job hunting: shop 28 h with permission",
        with_permission("designated_activities_job_hunting"),
        part_time("retail_restaurant_staff", 28),
        True,
        "継続就職活動 + 資格外活動許可 28 h",
    ),
    Law(
        "job hunting: shop 29 h with permission",
        with_permission("designated_activities_job_hunting"),
        part_time("retail_restaurant_staff", 29),
        False,
        "over 28 h",
    ),
    Law(
        "job hunting: no permission",
        {"status": "designated_activities_job_hunting"},
        part_time("retail_restaurant_staff", 10),
        False,
        "needs 資格外活動許可",
    ),
    Law(
        "No. 46: full-time shop work with N1",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        job("retail_restaurant_staff"),
        True,
        "告示46号: full-time work using Japanese [M: the duties must use Japanese]",
        unsure=True,
    ),
    Law(
        "No. 46: part-time shop 20 h",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        part_time("retail_restaurant_staff", 20),
        False,
        "告示46号: full-time only",
    ),
    Law(
        "No. 46: dispatch office work",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        job("office_admin", "dispatch"),
        False,
        "告示46号: no dispatch",
    ),
    Law(
        "No. 46: factory line work",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        job("factory_warehouse"),
        False,
        "告示46号: line work alone is not allowed",
    ),
    # --- Permission for activity outside status (資格外活動許可) -------------------------------------------------
    Law(
        "student: shop 28 h with permission",
        with_permission("student"),
        part_time("retail_restaurant_staff", 28),
        True,
        "28 h passes",
    ),
    Law(
        "student: part-time 20 h in an SSW field (food service)",
        with_permission("student"),
        part_time("ssw_food_service", 20),
        True,
        "the permission covers any work but 風俗営業, SSW field or not",
    ),
    Law(
        "student: the employer does not accept students",
        with_permission("student"),
        part_time("retail_restaurant_staff", 20, statuses=["permanent_resident", "spouse_of_japanese"]),
        False,
        "the law allows it; the employer does not (their choice)",
        says=("This job is not open to the status Student.",),
    ),
    Law(
        "student: shop 29 h with permission",
        with_permission("student"),
        part_time("retail_restaurant_staff", 29),
        False,
        "29 h does not",
    ),
    Law(
        "student: no permission, 10 h",
        {"status": "student"},
        part_time("retail_restaurant_staff", 10),
        False,
        "no permission, no work",
    ),
    Law(
        "student: dispatch 20 h",
        with_permission("student"),
        job("factory_warehouse", "dispatch", 20),
        True,
        "the permission limits hours, not the contract",
    ),
    Law(
        "student: 20-hour contract",
        with_permission("student"),
        job("office_admin", "contract", 20),
        True,
        "the permission limits hours, not the contract",
    ),
    Law(
        "student: full-time 40 h",
        with_permission("student"),
        job("retail_restaurant_staff"),
        False,
        "over 28 h (the 8 h a day applies in long holidays only)",
        says=("With the status Student you may work up to 28 hours a week; this job has 40.",),
    ),
    Law(
        "student: adult entertainment 10 h",
        with_permission("student"),
        part_time("entertainment", 10),
        False,
        "never 風俗営業",
        adult=True,
    ),
    Law(
        "student: individual permission for 20 h, job 25 h",
        with_permission("student", 20),
        part_time("retail_restaurant_staff", 25),
        False,
        "the permission's own hours",
    ),
    Law(
        "dependent: factory part-time 25 h",
        with_permission("dependent"),
        part_time("factory_warehouse", 25),
        True,
        "家族滞在 + permission, 28 h",
    ),
    Law(
        "dependent: 40 h summer job",
        with_permission("dependent"),
        job("factory_warehouse", "contract", 40),
        False,
        "no holiday exception for dependents",
    ),
    Law(
        "cultural activities: part-time shop",
        with_permission("cultural_activities"),
        part_time("retail_restaurant_staff", 10),
        False,
        "就労不可; individual permission only, case by case [M]",
        unsure=True,
    ),
    Law(
        "trainee (研修): part-time shop",
        {"status": "trainee"},
        part_time("retail_restaurant_staff", 10),
        False,
        "研修: no paid work",
    ),
    Law(
        "temporary visitor: part-time shop",
        {"status": "temporary_visitor"},
        part_time("retail_restaurant_staff", 10),
        False,
        "短期滞在: no work",
    ),
    # --- Sponsorship: what it can and cannot fix ----------------------------------------------------------------
    Law(
        "temporary visitor + sponsorship: factory",
        {"status": "temporary_visitor"},
        sponsored("factory_warehouse"),
        False,
        "simple labour has no work status",
        says=("No work status covers Factory, warehouse and light work, so visa sponsorship cannot help here.",),
    ),
    Law(
        "temporary visitor + sponsorship: IT with a degree",
        {"status": "temporary_visitor"},
        sponsored("it_engineering"),
        True,
        "a Certificate of Eligibility for 技人国: a Temporary Visitor's change of status is refused save for "
        "unavoidable special circumstances (Immigration Control Act Art. 20(3))",
        says=(
            "they would apply for a Certificate of Eligibility for Engineer/Specialist in Humanities/International Services",
        ),
    ),
    Law(
        "student + sponsorship: full-time shop",
        with_permission("student"),
        sponsored("retail_restaurant_staff"),
        False,
        "no work status for simple shop work",
    ),
    Law(
        "student + sponsorship: IT with a degree",
        with_permission("student"),
        sponsored("it_engineering"),
        True,
        "change to 技人国",
        says=("they would apply to change your status of residence to Engineer/Specialist",),
    ),
    Law(
        "student + sponsorship: SSW construction with test and N4",
        {**with_permission("student"), **ssw1("construction"), "status": "student"},
        sponsored("ssw_construction"),
        True,
        "change to SSW (i)",
    ),
    Law(
        "student + sponsorship: SSW construction without the test",
        {**with_permission("student"), "japanese": ["jlpt_n4"], "education": []},
        sponsored("ssw_construction"),
        False,
        "SSW needs the field's skills test",
    ),
    Law(
        "student + sponsorship: SSW construction with the test but no Japanese",
        {**with_permission("student"), "qualifications": ["skills_test_construction"], "japanese": [], "education": []},
        sponsored("ssw_construction"),
        False,
        "SSW (i) needs JFT-Basic A2 or N4",
    ),
    Law(
        "student + sponsorship: SSW construction with the test and BJT J3 only",
        {
            **with_permission("student"),
            "qualifications": ["skills_test_construction"],
            "japanese": ["bjt_j3"],
            "education": [],
        },
        sponsored("ssw_construction"),
        False,
        "SSW (i) accepts JFT-Basic or JLPT only",
    ),
    Law(
        "intra-company transferee + sponsorship: IT with a degree",
        {"status": "intra_company_transferee"},
        sponsored("it_engineering"),
        True,
        "change to 技人国",
        says=("they would apply to change your status of residence to Engineer/Specialist",),
    ),
    Law(
        "overseas: IT without sponsorship", {}, job("it_engineering"), False, "no status, no sponsorship", overseas=True
    ),
    Law(
        "overseas + sponsorship: IT with a degree",
        {},
        sponsored("it_engineering"),
        True,
        "Certificate of Eligibility for 技人国",
        overseas=True,
    ),
    # The contract a change of status rests on: never a part-time one for 技人国, 技能 or 介護 ([M]).
    Law(
        "overseas + sponsorship: part-time IT with a degree",
        {},
        sponsored("it_engineering", employment_type="part_time", hours=35),
        False,
        "技人国 is granted on stable employment: a part-time contract is not a basis for it",
        unsure=True,
        overseas=True,
        says=("it does not allow Part-time work in",),
    ),
    Law(
        "temporary visitor + sponsorship: part-time interpretation with a degree",
        {"status": "temporary_visitor"},
        sponsored("interpretation", employment_type="part_time", hours=30),
        False,
        "国際業務 is not granted on a part-time contract, and a visitor may not work meanwhile",
        unsure=True,
    ),
    Law(
        "overseas + sponsorship: IT through a dispatch agency with a degree",
        {},
        sponsored("it_engineering", employment_type="dispatch"),
        True,
        "技人国 may be granted on a dispatch contract (the duties at the client decide)",
        unsure=True,
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: IT on a fixed-term contract with a degree",
        {},
        sponsored("it_engineering", employment_type="contract"),
        True,
        "a fixed-term contract is a basis for 技人国",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: part-time care work with 介護福祉士",
        {"education": [], "qualifications": ["certified_care_worker"]},
        sponsored("care_worker", employment_type="part_time", hours=30),
        False,
        "介護 is granted on stable employment, not a part-time contract",
        unsure=True,
        overseas=True,
    ),
    Law(
        "student with permission + sponsorship: part-time IT, 20 h",
        with_permission("student"),
        sponsored("it_engineering", employment_type="part_time", hours=20),
        True,
        "the student's own permission covers it (28 h); sponsorship is not needed",
    ),
    Law(
        "overseas + sponsorship: IT, no degree, 3 years",
        {"education": [], "worked": {"it_engineering": 3 * 366}},
        sponsored("it_engineering"),
        False,
        "技術 needs a degree or 10 years",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: interpretation, no degree, 3 years",
        {"education": [], "worked": {"interpretation": 3 * 366}},
        sponsored("interpretation"),
        True,
        "国際業務: 3 years",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: care work with 介護福祉士",
        {"education": [], "qualifications": ["certified_care_worker"]},
        sponsored("care_worker"),
        True,
        "介護 status",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: shop staff",
        {},
        sponsored("retail_restaurant_staff"),
        False,
        "no work status for shop work",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: SSW food service with test and JFT-Basic",
        {"education": [], "qualifications": ["skills_test_food_service"], "japanese": ["jft_a2"]},
        sponsored("ssw_food_service"),
        True,
        "COE for SSW (i)",
        overseas=True,
    ),
    Law(
        "overseas + sponsorship: SSW food service with test and NAT-TEST 4",
        {"education": [], "qualifications": ["skills_test_food_service"], "japanese": ["nat_4"]},
        sponsored("ssw_food_service"),
        False,
        "SSW (i) accepts JFT-Basic or JLPT only [M]",
        overseas=True,
        unsure=True,
    ),
    # --- At the premises of an adult entertainment business (風俗営業等), any role ----------------------------------
    Law(
        "student: cleaning 10 h at a pachinko parlour",
        with_permission("student"),
        part_time("cleaning", 10),
        False,
        "資格外活動許可: never at a 風俗営業 business, in any role (even cleaning)",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "dependent: dishwashing 20 h at a snack bar",
        with_permission("dependent"),
        part_time("retail_restaurant_staff", 20),
        False,
        "資格外活動許可: never at a 風俗営業 business",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "job hunting: cleaning 20 h at a love hotel",
        with_permission("designated_activities_job_hunting"),
        part_time("cleaning", 20),
        False,
        "継続就職活動 works under 資格外活動許可: never at a 性風俗関連特殊営業",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "working holiday: full-time cleaning at a pachinko parlour",
        {"status": "designated_activities_working_holiday"},
        job("cleaning"),
        False,
        "ワーキング・ホリデー: never 風俗営業",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "No. 46: full-time shop work with N1 at a game centre",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        job("retail_restaurant_staff"),
        False,
        "告示46号: never 風俗営業",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "permanent resident: cleaning at a pachinko parlour",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        part_time("cleaning", 10),
        True,
        "就労制限なし covers 風俗営業 premises too",
        premises=True,
    ),
    Law(
        "spouse of Japanese: full-time hall staff at a pachinko parlour",
        {"status": "spouse_of_japanese"},
        job("retail_restaurant_staff"),
        True,
        "就労制限なし",
        premises=True,
    ),
    Law(
        "E/H/I: accounting at a pachinko operator",
        {"status": "engineer_humanities"},
        job("office_admin"),
        True,
        "技人国 has no 風俗営業 exclusion in the rule data: office work within its activity [M]",
        unsure=True,
        premises=True,
    ),
    Law(
        "SSW (i) food service at a cabaret",
        ssw1("food_service"),
        job("ssw_food_service"),
        False,
        "外食 field rules: never at a 風俗営業 or 性風俗関連特殊営業 business (対象旅館等 not modelled [M])",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "SSW (ii) food service at a cabaret",
        ssw2("food_service"),
        job("ssw_food_service"),
        False,
        "外食 field rules apply to (ii) too",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "SSW (i) accommodation at a love hotel",
        ssw1("accommodation"),
        job("ssw_accommodation"),
        False,
        "宿泊: never at a facility under 風営法 Art. 2(6)(iv)",
        premises=True,
        says=(PREMISES_GAP,),
    ),
    Law(
        "student with the food service skills test: sponsored SSW (i) at a cabaret",
        {
            **with_permission("student"),
            "qualifications": ["skills_test_food_service"],
            "japanese": ["jlpt_n4"],
            "education": [],
        },
        sponsored("ssw_food_service"),
        False,
        "no status covers the job: SSW (i) may not work there, the student only 28 h and never there",
        premises=True,
    ),
    # --- Period of stay vs the start date --------------------------------------------------------------------------
    Law(
        "E/H/I: stay ends on the start day",
        {"status": "engineer_humanities", "period_of_stay_expiry": stay(0)},
        job("it_engineering"),
        True,
        "valid on the start day",
    ),
    Law(
        "E/H/I: stay ends the day before the start",
        {"status": "engineer_humanities", "period_of_stay_expiry": stay(-1)},
        job("it_engineering"),
        False,
        "not valid on the start day (a renewal is for a person to check)",
    ),
    Law(
        "student: stay ends the day before the start",
        {**with_permission("student"), "period_of_stay_expiry": stay(-1)},
        part_time("retail_restaurant_staff", 20),
        False,
        "not valid on the start day",
    ),
    Law(
        "permanent resident: no end",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        part_time("cleaning", 10),
        True,
        "no period",
    ),
    # --- Japanese: the employer's requirement, any test on the common scale ----------------------------------------
    Law(
        "N2 required: BJT J2",
        {"japanese": ["bjt_j2"]},
        job("it_engineering", required_level="jlpt_n2"),
        True,
        "BJT 420+ ≥ 400 (≈ N2 on the HSP points table)",
        status_decides=False,
    ),
    Law(
        "N2 required: BJT J3",
        {"japanese": ["bjt_j3"]},
        job("it_engineering", required_level="jlpt_n2"),
        False,
        "J3 (320–419) cannot show N2",
        status_decides=False,
    ),
    Law(
        "N1 required: BJT J1",
        {"japanese": ["bjt_j1"]},
        job("it_engineering", required_level="jlpt_n1"),
        True,
        "BJT 530+ ≥ 480 (≈ N1)",
        status_decides=False,
    ),
    Law(
        "N4 required: JFT-Basic A2",
        {"japanese": ["jft_a2"]},
        job("it_engineering", required_level="jlpt_n4"),
        True,
        "JFT-Basic 200+ = A2 ≈ N4",
        status_decides=False,
    ),
    Law(
        "N3 required: JFT-Basic A2",
        {"japanese": ["jft_a2"]},
        job("it_engineering", required_level="jlpt_n3"),
        False,
        "A2 is below N3",
        status_decides=False,
    ),
    Law(
        "N2 required: NAT-TEST grade 2",
        {"japanese": ["nat_2"]},
        job("it_engineering", required_level="jlpt_n2"),
        True,
        "NAT-TEST grades match JLPT levels (operator) [M]",
        status_decides=False,
        unsure=True,
    ),
]


def _resolved(values: dict) -> dict:
    return {key: value() if callable(value) else value for key, value in values.items()}


def run(case: Law) -> dict:
    if case.adult:
        JobCategory.objects.filter(code=case.opening["category"]).update(adult_entertainment=True)
    opening = OpeningFactory(**_resolved(case.opening), adult_entertainment_premises=case.premises)
    factory = OverseasCandidateProfileFactory if case.overseas else CompleteCandidateProfileFactory
    profile = factory(**_resolved(case.candidate))
    staff_row = rank_candidates(opening, eligible_only=False).get(pk=profile.pk)
    fresh = CandidateProfile.objects.select_related("status").get(pk=profile.pk)
    match = explain(fresh, Opening.objects.get(pk=opening.pk))
    board = with_fit(open_openings().select_related("category", "employment_type").filter(pk=opening.pk), fresh)
    return {
        "doors": (
            rank_candidates(opening).filter(pk=profile.pk).exists(),
            bool(staff_row.eligible),
            explain_candidate_row(staff_row, opening).eligible,
            rank_openings(profile).filter(pk=opening.pk).exists(),
            match.eligible,
        ),
        "staff": explain_candidate_row(staff_row, opening),
        "match": match,
        "board": board_fit(fresh, board.get()),
    }


def test_the_audit_covers_at_least_50_cases():
    assert len(CASES) >= 50
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_engine_agrees_with_the_law(case):
    result = run(case)
    match = result["match"]
    assert result["doors"] == (case.eligible,) * 5, (match.reasons, match.gaps)
    if case.eligible:
        assert match.gaps == []
    else:
        assert match.gaps and result["staff"].gaps, "the candidate and staff read why"
    words = match.reasons + match.gaps + match.notes + match.needed
    for said in case.says:
        assert any(said in w for w in words), words
    for gap in match.gaps + result["staff"].gaps + result["board"]:
        assert "part-time only" not in gap.lower()
    # The board never hides an opening; it says why it may not fit the status.
    assert (not result["board"]) == (case.eligible or not case.status_decides)


# An employer must not be able to accept a status whose activity cannot cover the job (不法就労助長罪).
REFUSED = [
    ("student", job("retail_restaurant_staff"), "it allows at most 28 hours a week; this job has 40."),
    ("dependent", part_time("factory_warehouse", 29), "it allows at most 28 hours a week; this job has 29."),
    ("temporary_visitor", part_time("retail_restaurant_staff", 10), "it does not allow paid work."),
    ("trainee", part_time("retail_restaurant_staff", 10), "it does not allow paid work."),
    ("technical_intern_2", job("ssw_construction"), "it binds its holder to one organisation"),
    ("intra_company_transferee", job("it_engineering"), "it binds its holder to one organisation"),
    ("engineer_humanities", job("factory_warehouse"), "its activity does not cover Factory, warehouse and light work."),
    ("ssw_1", job("ssw_construction", "dispatch"), "dispatch is allowed only in agriculture and fishery."),
    ("ssw_1", part_time("ssw_food_service", 20), "Specified Skilled Worker (i) cannot be accepted"),
    ("ssw_2", job("ssw_nursing_care"), "its activity does not cover Nursing care (SSW)."),
    ("designated_activities", part_time("retail_restaurant_staff", 10), "depends on each person's designation"),
    ("designated_activities_no46", part_time("retail_restaurant_staff", 20), "No. 46"),
    (
        "student",
        part_time("cleaning", 10, adult_entertainment_premises=True),
        "it does not allow work at an adult entertainment business (風俗営業), in any role.",
    ),
    (
        "ssw_1",
        job("ssw_food_service", adult_entertainment_premises=True),
        "it does not allow work at an adult entertainment business (風俗営業), in any role.",
    ),
]


@pytest.mark.parametrize(("status", "opening", "why"), REFUSED, ids=[f"{s} {o['category']}" for s, o, _w in REFUSED])
def test_an_employer_cannot_accept_a_status_that_cannot_cover_the_job(status, opening, why):
    with pytest.raises(ValidationError) as refused:
        OpeningFactory(**opening, extra_statuses=[status])

    words = " ".join(refused.value.message_dict["accepted_statuses"])
    assert why in words
