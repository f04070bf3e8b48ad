# ruff: noqa: E501 - a table of cases reads best one case to a few lines
"""Eligibility by the law (issue 12): the work rules of every status family,
each case run through every door of matching.engine.

A case is one candidate and one opening. Each runs through:
- the staff's list of candidates for the opening (rank_candidates), both
  filtered and as the flagged row staff see when they override the advice
  (explain_candidate_row);
- the candidate's recommendations (rank_openings);
- the words the candidate reads on the opening's page (explain);
- the job board, which shows every opening and says why one may not fit the
  candidate's status (with_fit, board_fit).
All must agree, and the words must be ones a person understands. Sources of
the rules: profiles/work_rules_data.py (shown to staff on the rule page).
"""

from dataclasses import dataclass, field

import pytest

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
from profiles.models import CandidateProfile
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    OpeningFactory,
    OverseasCandidateProfileFactory,
    days_from_today,
)

pytestmark = pytest.mark.django_db

START = 60  # the openings start this many days from today

ENGINEER = "Engineer/Specialist in Humanities/International Services"
SSW_1 = "Specified Skilled Worker (i)"
SSW_2 = "Specified Skilled Worker (ii)"
PART_TIME_SHOP = {"category": "retail_restaurant_staff", "employment_type": "part_time", "weekly_hours": 20}
FACTORY = {"category": "factory_warehouse"}
STUDENT = {"status": "student", "outside_activity_permission": True, "outside_activity_hours": 28}
DEPENDENT = {**STUDENT, "status": "dependent"}
JOB_HUNTER = {**STUDENT, "status": "designated_activities_job_hunting"}
NO_DEGREE = {"education": []}
TEN_YEARS = 3653  # days: 10 × 365.25, rounded up
PERMISSION_28 = "Work within the 28 hours a week your permission for activity outside status allows."
NO_WORK_STATUS_FACTORY = (
    "No work status covers Factory, warehouse and light work, so visa sponsorship cannot help here."
)


def allows(status: str) -> str:
    return f"Your status of residence ({status}) allows this work."


def ssw(field: str, *, test: str | None = None, japanese=("jlpt_n4",), **extra) -> dict:
    """A Specified Skilled Worker (i) with the skills test of `test` (the
    job's field unless said otherwise) and JLPT N4."""
    return {
        "status": "ssw_1",
        "qualifications": [f"skills_test_{test or field}"],
        "japanese": list(japanese),
        **extra,
    }


def ssw_opening(field: str, **extra) -> dict:
    return {"category": f"ssw_{field}", **extra}


@dataclass(frozen=True)
class Case:
    id: str
    candidate: dict
    opening: dict
    eligible: bool
    # A reason (when eligible) or a gap (when not) the candidate reads;
    # {end} and {start} are the period-of-stay end and the start date.
    says: str
    overseas: bool = False
    # More words the candidate reads (gaps, notes or what the job needs).
    also: tuple = ()
    # False where only Japanese or qualifications decide: the board speaks
    # about the status only.
    status_decides: bool = True
    candidate_extra: dict = field(default_factory=dict)


CASES = [
    # --- Work unrestricted: any kind of work, any form, any hours ------------------------------------------
    Case(
        "permanent resident: IT job",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        {"category": "it_engineering"},
        True,
        allows("Permanent Resident"),
    ),
    Case(
        "permanent resident: SSW construction without any test",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        ssw_opening("construction"),
        True,
        allows("Permanent Resident"),
    ),
    Case(
        "permanent resident: factory dispatch 10 h",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        {**FACTORY, "employment_type": "dispatch", "weekly_hours": 10},
        True,
        allows("Permanent Resident"),
    ),
    Case(
        "spouse of a Japanese national: factory full-time",
        {"status": "spouse_of_japanese"},
        FACTORY,
        True,
        allows("Spouse or Child of Japanese National"),
    ),
    Case(
        "spouse of a permanent resident: cleaning by dispatch",
        {"status": "spouse_of_permanent_resident"},
        {"category": "cleaning", "employment_type": "dispatch"},
        True,
        allows("Spouse or Child of Permanent Resident"),
    ),
    Case(
        "long-term resident: part-time shop work",
        {"status": "long_term_resident"},
        PART_TIME_SHOP,
        True,
        allows("Long-Term Resident"),
    ),
    Case(
        "special permanent resident: no period of stay, start in two years",
        {"status": "special_permanent_resident", "period_of_stay_expiry": None},
        {"start_date": lambda: days_from_today(730)},
        True,
        allows("Special Permanent Resident"),
    ),
    # --- Only within the activity of the status ------------------------------------------------------------
    Case("engineer/humanities: IT job", {}, {"category": "it_engineering"}, True, allows(ENGINEER)),
    Case(
        "engineer/humanities: language teaching at a private school (international services)",
        {},
        {"category": "teaching"},
        True,
        allows(ENGINEER),
    ),
    Case(
        "engineer/humanities: interpretation, 20 h contract",
        {},
        {"category": "interpretation", "employment_type": "contract", "weekly_hours": 20},
        True,
        allows(ENGINEER),
    ),
    Case(
        "engineer/humanities: factory work is simple labour",
        {},
        FACTORY,
        False,
        f"The activity of your status {ENGINEER} does not cover Factory, warehouse and light work.",
    ),
    Case(
        "engineer/humanities: SSW construction",
        {},
        ssw_opening("construction"),
        False,
        f"The activity of your status {ENGINEER} does not cover Construction (SSW).",
    ),
    Case(
        "nursing care status with the certified care worker qualification",
        {"status": "nursing_care", "qualifications": ["certified_care_worker"]},
        {"category": "care_worker", "qualifications": ["certified_care_worker"]},
        True,
        allows("Nursing Care"),
    ),
    Case(
        "skilled labour: foreign-cuisine chef",
        {"status": "skilled_labor"},
        {"category": "chef_foreign_cuisine"},
        True,
        allows("Skilled Labor"),
    ),
    Case(
        "skilled labour: shop staff",
        {"status": "skilled_labor"},
        {"category": "retail_restaurant_staff"},
        False,
        "The activity of your status Skilled Labor does not cover Shop and restaurant staff.",
    ),
    Case(
        "religious activities: no kind of work on Tsunagu",
        {"status": "religious_activities"},
        {"category": "office_admin", "legacy_statuses": ["religious_activities"]},
        False,
        "The activity of your status Religious Activities does not cover Office work and administration.",
    ),
    Case(
        "highly skilled (i)(b): IT, and a new employer needs a new designation",
        {"status": "highly_skilled_1b"},
        {"category": "it_engineering"},
        True,
        allows("Highly Skilled Professional (i)(b)"),
        also=(
            "Your designation names your employer: a new employer needs permission to change it (an application "
            "for a change of status of residence) before you start.",
        ),
    ),
    # --- Specified Skilled Worker: the field of the tests passed, full-time, direct ------------------------
    Case(
        "SSW (i): food service with the food-service test and JLPT N4",
        ssw("food_service"),
        ssw_opening("food_service"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i): test field is not the job's field",
        ssw("food_service", test="construction"),
        ssw_opening("food_service"),
        False,
        f"The status {SSW_1} allows work only in the field of the skills test you passed: this job needs the "
        "skills test for Food service (SSW).",
    ),
    Case(
        "SSW (i): no field test at all",
        {"status": "ssw_1", "japanese": ["jlpt_n4"]},
        ssw_opening("construction"),
        False,
        f"The status {SSW_1} allows work only in the field of the skills test you passed: this job needs the "
        "skills test for Construction (SSW).",
    ),
    Case(
        "SSW (i): the field's test but no Japanese",
        ssw("food_service", japanese=()),
        ssw_opening("food_service"),
        False,
        "Specified Skilled Worker in Food service (SSW) needs Japanese at JLPT N4 or JFT-Basic A2 or above "
        "(only JLPT and JFT-Basic results count for it); you have no JLPT or JFT-Basic result.",
    ),
    Case(
        "SSW (i): JFT-Basic A2 counts as the Japanese",
        ssw("food_service", japanese=("jft_a2",)),
        ssw_opening("food_service"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i) nursing care without the nursing-care Japanese test",
        ssw("nursing_care"),
        ssw_opening("nursing_care"),
        False,
        "Specified Skilled Worker in Nursing care (SSW) also needs: Nursing-care Japanese evaluation test.",
    ),
    Case(
        "SSW (i) nursing care with the nursing-care Japanese test",
        {**ssw("nursing_care"), "qualifications": ["skills_test_nursing_care", "nursing_care_japanese_test"]},
        ssw_opening("nursing_care"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i) automobile transport with JLPT N4: taxi and bus need N3",
        ssw("automobile_transport"),
        ssw_opening("automobile_transport"),
        False,
        "Specified Skilled Worker in Automobile transportation (SSW) needs Japanese at JLPT N3 or above "
        "(only JLPT and JFT-Basic results count for it); your best JLPT or JFT-Basic result is JLPT N4.",
    ),
    Case(
        "SSW (i) automobile transport with JLPT N3",
        ssw("automobile_transport", japanese=("jlpt_n3",)),
        ssw_opening("automobile_transport"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i): dispatch in construction",
        ssw("construction"),
        ssw_opening("construction", employment_type="dispatch"),
        False,
        f"The status {SSW_1} needs direct, full-time employment (about 30 hours and 5 days a week or more); "
        "dispatch is allowed only in agriculture and fishery.",
    ),
    Case(
        "SSW (i): dispatch in agriculture",
        ssw("agriculture"),
        ssw_opening("agriculture", employment_type="dispatch"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i): dispatch in fishery",
        ssw("fishery"),
        ssw_opening("fishery", employment_type="dispatch"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i): part-time is not SSW employment",
        ssw("construction"),
        ssw_opening("construction", employment_type="part_time", weekly_hours=32),
        False,
        f"The status {SSW_1} needs direct, full-time employment (about 30 hours and 5 days a week or more); "
        "dispatch is allowed only in agriculture and fishery.",
    ),
    Case(
        "SSW (i): 29 h contract is below full-time",
        ssw("construction"),
        ssw_opening("construction", employment_type="contract", weekly_hours=29),
        False,
        f"With the status {SSW_1} the job must have at least 30 hours a week; this one has 29.",
    ),
    Case(
        "SSW (i): 30 h contract is full-time",
        ssw("construction"),
        ssw_opening("construction", employment_type="contract", weekly_hours=30),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (i): IT job",
        ssw("construction"),
        {"category": "it_engineering"},
        False,
        f"The activity of your status {SSW_1} does not cover IT and engineering.",
    ),
    Case(
        "SSW (i) after good completion of Technical Intern Training (ii): no tests needed",
        {"status": "ssw_1", "japanese": [], "qualifications": ["titp_ii_completed_food_manufacturing"]},
        ssw_opening("food_manufacturing"),
        True,
        allows(SSW_1),
    ),
    Case(
        "SSW (ii): construction with the (ii) test",
        {"status": "ssw_2", "qualifications": ["skills_test_ii_construction"]},
        ssw_opening("construction"),
        True,
        allows(SSW_2),
    ),
    Case(
        "SSW (ii): only the (i) test",
        {"status": "ssw_2", "qualifications": ["skills_test_construction"]},
        ssw_opening("construction"),
        False,
        f"The status {SSW_2} allows work only in the field of the (ii) test you passed: this job needs the "
        "Specified Skilled Worker (ii) test for Construction (SSW).",
    ),
    Case(
        "SSW (ii): nursing care has no (ii)",
        {"status": "ssw_2", "qualifications": ["skills_test_ii_construction"]},
        ssw_opening("nursing_care"),
        False,
        f"The activity of your status {SSW_2} does not cover Nursing care (SSW).",
    ),
    Case(
        "SSW (ii): railway, added 2024 without (ii)",
        {"status": "ssw_2"},
        ssw_opening("railway"),
        False,
        f"The activity of your status {SSW_2} does not cover Railway (SSW).",
    ),
    Case(
        "SSW (ii): food service also needs JLPT N3",
        {"status": "ssw_2", "qualifications": ["skills_test_ii_food_service"], "japanese": ["jlpt_n4"]},
        ssw_opening("food_service"),
        False,
        "Specified Skilled Worker in Food service (SSW) needs Japanese at JLPT N3 or above (only JLPT and "
        "JFT-Basic results count for it); your best JLPT or JFT-Basic result is JLPT N4.",
    ),
    # --- Technical Intern Training and Intra-company Transferee: bound to one organisation ------------------
    Case(
        "trainee at another employer, in their own field",
        {**ssw("construction"), "status": "technical_intern_2"},
        {**ssw_opening("construction"), "legacy_statuses": ["technical_intern_2"]},
        False,
        "With the status Technical Intern Training (ii) you may work only at the organisation named in your "
        "training plan, not for another employer.",
        also=(
            "Your route to this work: after good completion of Technical Intern Training (ii) in Construction "
            "(SSW) you may change to Specified Skilled Worker (i) in that field, without its tests.",
        ),
    ),
    Case(
        "trainee (i): an IT job",
        {"status": "technical_intern_1"},
        {"category": "it_engineering"},
        False,
        "With the status Technical Intern Training (i) you may work only at the organisation named in your "
        "training plan, not for another employer.",
    ),
    Case(
        "trainee with the field's tests: sponsorship cannot change the status mid-training",
        {**ssw("construction"), "status": "technical_intern_2"},
        {**ssw_opening("construction"), "sponsorship_offered": True},
        False,
        "With the status Technical Intern Training (ii) you may work only at the organisation named in your "
        "training plan, not for another employer.",
    ),
    Case(
        "trainee who completed (ii) in the field: sponsored to SSW (i)",
        {"status": "technical_intern_2", "japanese": [], "qualifications": ["titp_ii_completed_construction"]},
        {**ssw_opening("construction"), "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply to change your status of residence to {SSW_1}.",
    ),
    Case(
        "intra-company transferee at another company",
        {"status": "intra_company_transferee"},
        {"category": "it_engineering", "legacy_statuses": ["intra_company_transferee"]},
        False,
        "With the status Intra-company Transferee you may work only within the company group that transferred "
        "you: another employer would first have to change your status of residence.",
    ),
    Case(
        "intra-company transferee with a degree: sponsored to engineer/humanities",
        {"status": "intra_company_transferee"},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply to change your status of residence to {ENGINEER}.",
    ),
    # --- Designated Activities: by designation -------------------------------------------------------------
    Case(
        "designated activities, another designation: never treated as allowing work",
        {"status": "designated_activities"},
        {"category": "it_engineering", "legacy_statuses": ["designated_activities"]},
        False,
        "With the status Designated Activities (other designation), the work you may do depends on your "
        "designation (指定書). Choose your designation in your profile: we cannot tell whether this one allows "
        "the work.",
    ),
    Case(
        "job-hunting graduate with permission: 28 h",
        JOB_HUNTER,
        {**PART_TIME_SHOP, "weekly_hours": 28},
        True,
        PERMISSION_28,
    ),
    Case(
        "job-hunting graduate with permission: 29 h",
        JOB_HUNTER,
        {**PART_TIME_SHOP, "weekly_hours": 29},
        False,
        "With the status Designated Activities: job hunting after graduation you may work up to 28 hours a week; "
        "this job has 29.",
    ),
    Case(
        "job-hunting graduate without permission",
        {"status": "designated_activities_job_hunting"},
        PART_TIME_SHOP,
        False,
        "With the status Designated Activities: job hunting after graduation you need "
        "permission for activity outside your status to work.",
    ),
    Case(
        "working holiday: factory full-time",
        {"status": "designated_activities_working_holiday"},
        FACTORY,
        True,
        allows("Designated Activities: working holiday"),
    ),
    Case(
        "working holiday: shop work by dispatch",
        {"status": "designated_activities_working_holiday"},
        {**PART_TIME_SHOP, "employment_type": "dispatch"},
        True,
        allows("Designated Activities: working holiday"),
    ),
    Case(
        "No. 46 graduate: shop work full-time",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        {"category": "retail_restaurant_staff"},
        True,
        allows("Designated Activities: No. 46 (Japanese university graduate)"),
    ),
    Case(
        "No. 46 graduate: part-time shop work",
        {"status": "designated_activities_no46", "japanese": ["jlpt_n1"]},
        {**PART_TIME_SHOP, "legacy_statuses": ["designated_activities_no46"]},
        False,
        "With the status Designated Activities: No. 46 (Japanese university graduate) you may not take Part-time "
        "work in Shop and restaurant staff.",
    ),
    # --- Work not permitted: only with permission for activity outside status ------------------------------
    Case("student with permission: part-time 20 h", STUDENT, PART_TIME_SHOP, True, PERMISSION_28),
    Case("student with permission: 28 h exactly", STUDENT, {**PART_TIME_SHOP, "weekly_hours": 28}, True, PERMISSION_28),
    Case(
        "student with permission: 29 h",
        STUDENT,
        {**PART_TIME_SHOP, "weekly_hours": 29, "legacy_statuses": ["student"]},
        False,
        "With the status Student you may work up to 28 hours a week; this job has 29.",
    ),
    Case(
        "student with permission: a 20 h fixed-term contract",
        STUDENT,
        {**PART_TIME_SHOP, "employment_type": "contract"},
        True,
        PERMISSION_28,
    ),
    Case(
        "student with permission: dispatch, 20 h",
        STUDENT,
        {**FACTORY, "employment_type": "dispatch", "weekly_hours": 20},
        True,
        PERMISSION_28,
    ),
    Case(
        "student with permission: full-time 40 h",
        STUDENT,
        FACTORY,
        False,
        "With the status Student you may work up to 28 hours a week; this job has 40.",
    ),
    Case(
        "student whose permission allows 20 h: a 24 h job",
        {**STUDENT, "outside_activity_hours": 20},
        {**PART_TIME_SHOP, "weekly_hours": 24},
        False,
        "Your permission for activity outside status allows 20 hours a week; this job has 24.",
    ),
    Case(
        "student without permission",
        {"status": "student"},
        PART_TIME_SHOP,
        False,
        "With the status Student you need permission for activity outside your status to work.",
    ),
    Case(
        "dependent with permission: dispatch 20 h",
        DEPENDENT,
        {**FACTORY, "employment_type": "dispatch", "weekly_hours": 20},
        True,
        PERMISSION_28,
    ),
    Case(
        "dependent without permission",
        {"status": "dependent"},
        PART_TIME_SHOP,
        False,
        "With the status Dependent you need permission for activity outside your status to work.",
    ),
    Case(
        "temporary visitor: never, even on an opening that lists the status",
        {"status": "temporary_visitor", "outside_activity_permission": True, "outside_activity_hours": 20},
        {**PART_TIME_SHOP, "legacy_statuses": ["temporary_visitor"]},
        False,
        "The status Temporary Visitor does not allow paid work.",
    ),
    Case(
        "cultural activities: no work",
        {"status": "cultural_activities"},
        PART_TIME_SHOP,
        False,
        "The status Cultural Activities does not allow paid work.",
    ),
    # --- The employer's choice ---------------------------------------------------------------------------------
    Case(
        "a status the law allows but the employer did not tick",
        {},
        {"category": "it_engineering", "statuses": ["permanent_resident"]},
        False,
        f"This job is not open to the status {ENGINEER}.",
    ),
    # --- Sponsorship: only where a work status exists and the candidate meets it -----------------------------
    Case(
        "abroad, no sponsorship",
        {},
        {"category": "it_engineering"},
        False,
        "This job needs a status of residence that allows the work, and the employer does not sponsor visas.",
        overseas=True,
    ),
    Case(
        "abroad with a degree: sponsored IT job",
        {},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply for a Certificate of Eligibility for {ENGINEER}.",
        overseas=True,
    ),
    Case(
        "abroad without degree or experience: sponsored IT job",
        NO_DEGREE,
        {"category": "it_engineering", "sponsorship_offered": True},
        False,
        f"To sponsor you, the employer would apply for {ENGINEER}, which needs a degree or 10 years of "
        "experience in IT and engineering.",
        overseas=True,
    ),
    Case(
        "abroad without degree, 10 years of IT: sponsored",
        {**NO_DEGREE, "worked": {"it_engineering": TEN_YEARS}},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply for a Certificate of Eligibility for {ENGINEER}.",
        overseas=True,
    ),
    Case(
        "abroad without degree, a day short of 10 years",
        {**NO_DEGREE, "worked": {"it_engineering": TEN_YEARS - 1}},
        {"category": "it_engineering", "sponsorship_offered": True},
        False,
        f"To sponsor you, the employer would apply for {ENGINEER}, which needs a degree or 10 years of "
        "experience in IT and engineering.",
        overseas=True,
    ),
    Case(
        "abroad without degree, 3 years of interpretation: international services",
        {**NO_DEGREE, "worked": {"interpretation": 1096}},
        {"category": "interpretation", "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply for a Certificate of Eligibility for {ENGINEER}.",
        overseas=True,
    ),
    Case(
        "sponsorship for simple labour: a student full-time in a factory",
        {"status": "student"},
        {**FACTORY, "sponsorship_offered": True},
        False,
        NO_WORK_STATUS_FACTORY,
    ),
    Case(
        "sponsorship for simple labour: a temporary visitor in a shop",
        {"status": "temporary_visitor"},
        {"category": "retail_restaurant_staff", "sponsorship_offered": True},
        False,
        "No work status covers Shop and restaurant staff, so visa sponsorship cannot help here.",
    ),
    Case(
        "sponsorship for SSW without the test",
        {"japanese": ["jlpt_n3"]},
        {**ssw_opening("construction"), "sponsorship_offered": True},
        False,
        f"To sponsor you, the employer would apply for {SSW_1}, which needs the skills test for Construction "
        "(SSW), Japanese at JLPT N4 or JFT-Basic A2.",
    ),
    Case(
        "sponsorship for SSW with the test",
        {"qualifications": ["skills_test_construction"]},
        {**ssw_opening("construction"), "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply to change your status of residence to {SSW_1}.",
    ),
    Case(
        "sponsorship for SSW dispatch in construction: not even SSW covers it",
        {"qualifications": ["skills_test_construction"]},
        {**ssw_opening("construction"), "employment_type": "dispatch", "sponsorship_offered": True},
        False,
        f"Even with sponsorship, {SSW_1} could not cover this job: it needs direct, full-time employment; "
        "dispatch is allowed only in agriculture and fishery.",
    ),
    Case(
        "sponsorship for nursing care without the certified care worker qualification",
        {},
        {"category": "care_worker", "sponsorship_offered": True},
        False,
        "To sponsor you, the employer would apply for Nursing Care, which needs Certified care worker (介護福祉士).",
    ),
    Case(
        "sponsorship: a graduating student for a full-time IT job",
        {"status": "student"},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply to change your status of residence to {ENGINEER}.",
    ),
    Case(
        "sponsorship: stay ends before the start, change of status to SSW",
        {"qualifications": ["skills_test_construction"], "period_of_stay_expiry": lambda: days_from_today(START - 30)},
        {**ssw_opening("construction"), "sponsorship_offered": True},
        True,
        f"The employer offers visa sponsorship: they would apply to change your status of residence to {SSW_1}.",
    ),
    Case(
        "sponsorship does not renew a fitting status whose stay ends first",
        {"period_of_stay_expiry": lambda: days_from_today(START - 30)},
        {"category": "it_engineering", "sponsorship_offered": True},
        False,
        "Your period of stay ends on {end}, before the start date {start}.",
    ),
    # --- Period of stay ------------------------------------------------------------------------------------------
    Case(
        "stay ends the day before the start date",
        {"period_of_stay_expiry": lambda: days_from_today(START - 1)},
        {},
        False,
        "Your period of stay ends on {end}, before the start date {start}.",
    ),
    Case(
        "stay ends on the start date",
        {"period_of_stay_expiry": lambda: days_from_today(START)},
        {},
        True,
        allows(ENGINEER),
    ),
    # --- Japanese, on any test, and qualifications (not the status: the board stays quiet) -----------------------
    Case(
        "JLPT N3: N2 required",
        {"japanese": ["jlpt_n3"]},
        {"required_level": "jlpt_n2"},
        False,
        "Requires JLPT N2; you have JLPT N3.",
        status_decides=False,
    ),
    Case(
        "BJT J2: N2 required",
        {"japanese": ["bjt_j2"]},
        {"required_level": "jlpt_n2"},
        True,
        "Requires JLPT N2; you have BJT J2 (420–529).",
    ),
    Case(
        "JFT-Basic A2: N4 required",
        {"japanese": ["jft_a2"]},
        {"required_level": "jlpt_n4"},
        True,
        "Requires JLPT N4; you have JFT-Basic A2 (200+).",
    ),
    Case(
        "no test: N5 required",
        {"japanese": []},
        {"required_level": "jlpt_n5"},
        False,
        "Requires JLPT N5; you have no Japanese test result.",
        status_decides=False,
    ),
    Case(
        "a required qualification is missing",
        {"qualifications": ["licence_ordinary"]},
        {"category": "it_engineering", "qualifications": ["licence_large"]},
        False,
        "Requires the qualification: Large driving licence.",
        status_decides=False,
    ),
]


def _resolved(values: dict) -> dict:
    return {key: value() if callable(value) else value for key, value in values.items()}


def test_the_table_covers_every_rule_family_with_at_least_60_cases():
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_eligibility_in_both_directions_in_words_and_on_the_board(case):
    opening = OpeningFactory(**_resolved(case.opening))
    factory = OverseasCandidateProfileFactory if case.overseas else CompleteCandidateProfileFactory
    profile = factory(**_resolved(case.candidate))

    in_candidates = rank_candidates(opening).filter(pk=profile.pk).exists()
    staff_row = rank_candidates(opening, eligible_only=False).get(pk=profile.pk)
    staff_words = explain_candidate_row(staff_row, opening)
    in_openings = rank_openings(profile).filter(pk=opening.pk).exists()
    fresh = CandidateProfile.objects.select_related("status").get(pk=profile.pk)
    match = explain(fresh, Opening.objects.get(pk=opening.pk))

    assert (in_candidates, staff_row.eligible, staff_words.eligible, in_openings, match.eligible) == (
        (case.eligible,) * 5
    )
    words = case.says.format(
        end=profile.period_of_stay_expiry.isoformat() if profile.period_of_stay_expiry else "",
        start=opening.start_date.isoformat(),
    )
    if case.eligible:
        assert words in match.reasons
        assert match.gaps == []  # nothing stands in the way, and nothing says so
        assert staff_words.gaps == [] or all("salary" in gap for gap in staff_words.gaps)
    else:
        assert words in match.gaps
        assert staff_words.gaps, "staff see why too"
    for more in case.also:
        assert more in match.gaps + match.notes + match.needed
    for gap in match.gaps + staff_words.gaps:
        assert "part-time only" not in gap.lower() and "only work part-time" not in gap.lower()

    # The job board never hides an opening; it says why it may not fit.
    board = list(with_fit(open_openings().select_related("category", "employment_type"), fresh))
    row = next(o for o in board if o.pk == opening.pk)
    status_fits_board = not board_fit(fresh, row)
    assert status_fits_board == (case.eligible or not case.status_decides)
