"""The matching engine's hard rules, in both directions, and its ranking.

Each rule of PRODUCT §5 and the domain notes (§1–3) is one row of a table.
Every row runs through all three doors of matching.engine: the staff's list
of candidates for an opening (rank_candidates), the candidate's list of
openings (rank_openings), and the words shown to the candidate (explain).
All three must agree, and the words must be ones a person understands.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consents.models import ProcessingRestriction
from matching.engine import explain, explain_candidate_row, rank_candidates, rank_openings
from matching.models import Opening
from profiles.models import CandidateProfile, JobCategory
from profiles.taxonomy_data import SSW_FIELDS, SSW_II
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    OpeningFactory,
    OverseasCandidateProfileFactory,
    days_from_today,
)

pytestmark = pytest.mark.django_db

START = 60  # the openings start this many days from today

ENGINEER = "Engineer/Specialist in Humanities/International Services"
SHOP_PART_TIME = {"category": "retail_restaurant_staff", "employment_type": "part_time", "weekly_hours": 20}
STUDENT_PERMITTED = {"status": "student", "outside_activity_permission": True, "outside_activity_hours": 28}


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
    extra: dict = field(default_factory=dict)


CASES = [
    # --- Work unrestricted: any kind of work --------------------------------------------
    Case(
        "permanent resident: IT job",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        {"category": "it_engineering"},
        True,
        "Your status of residence (Permanent Resident) allows this work.",
    ),
    Case(
        "permanent resident: SSW construction",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        {"category": "ssw_construction"},
        True,
        "Your status of residence (Permanent Resident) allows this work.",
    ),
    Case(
        "spouse of Japanese: SSW construction",
        {"status": "spouse_of_japanese"},
        {"category": "ssw_construction"},
        True,
        "Your status of residence (Spouse or Child of Japanese National) allows this work.",
    ),
    Case(
        "long-term resident: part-time shop work",
        {"status": "long_term_resident"},
        SHOP_PART_TIME,
        True,
        "Your status of residence (Long-Term Resident) allows this work.",
    ),
    Case(
        "long-term resident: certified care work",
        {"status": "long_term_resident"},
        {"category": "care_worker"},
        True,
        "Your status of residence (Long-Term Resident) allows this work.",
    ),
    # --- Only within the activity of the status ---------------------------------------
    Case(
        "engineer/humanities: IT job",
        {"status": "engineer_humanities"},
        {"category": "it_engineering"},
        True,
        f"Your status of residence ({ENGINEER}) allows this work.",
    ),
    Case(
        "engineer/humanities: SSW construction",
        {"status": "engineer_humanities"},
        {"category": "ssw_construction"},
        False,
        f"This job is not open to the status {ENGINEER}.",
    ),
    Case(
        "SSW (i): SSW food service",
        {"status": "ssw_1"},
        {"category": "ssw_food_service"},
        True,
        "Your status of residence (Specified Skilled Worker (i)) allows this work.",
    ),
    Case(
        "SSW (i): IT job",
        {"status": "ssw_1"},
        {"category": "it_engineering"},
        False,
        "This job is not open to the status Specified Skilled Worker (i).",
    ),
    Case(
        "SSW (ii): SSW construction, a (ii) field",
        {"status": "ssw_2"},
        {"category": "ssw_construction"},
        True,
        "Your status of residence (Specified Skilled Worker (ii)) allows this work.",
    ),
    Case(
        "SSW (ii): SSW nursing care, not a (ii) field",
        {"status": "ssw_2"},
        {"category": "ssw_nursing_care"},
        False,
        "This job is not open to the status Specified Skilled Worker (ii).",
    ),
    Case(
        "SSW (ii): SSW railway, added 2024 without (ii)",
        {"status": "ssw_2"},
        {"category": "ssw_railway"},
        False,
        "This job is not open to the status Specified Skilled Worker (ii).",
    ),
    # --- Depends on the designation ----------------------------------------------------
    Case(
        "designated activities: not among the defaults",
        {"status": "designated_activities"},
        {"category": "it_engineering"},
        False,
        "This job is not open to the status Designated Activities.",
    ),
    Case(
        "designated activities: the employer accepts it",
        {"status": "designated_activities"},
        {"category": "it_engineering", "extra_statuses": ["designated_activities"]},
        True,
        "Your status of residence (Designated Activities) allows this work.",
    ),
    Case(
        "designated activities: the employer sponsors",
        {"status": "designated_activities"},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        "The employer offers visa sponsorship.",
    ),
    # --- Work not permitted without permission --------------------------------------------
    Case(
        "student with permission: part-time 20 h",
        STUDENT_PERMITTED,
        SHOP_PART_TIME,
        True,
        "Part-time work within the 28 hours a week your permission allows.",
    ),
    Case(
        "student with permission: part-time 28 h",
        STUDENT_PERMITTED,
        {**SHOP_PART_TIME, "weekly_hours": 28},
        True,
        "Part-time work within the 28 hours a week your permission allows.",
    ),
    Case(
        "student with permission: part-time 30 h",
        STUDENT_PERMITTED,
        {**SHOP_PART_TIME, "weekly_hours": 30},
        False,
        "With the status Student you may only work part-time, up to 28 hours a week.",
    ),
    Case(
        "student with permission: full-time",
        STUDENT_PERMITTED,
        {**SHOP_PART_TIME, "employment_type": "full_time", "weekly_hours": 40},
        False,
        "With the status Student you may only work part-time, up to 28 hours a week.",
    ),
    Case(
        "student with permission for 20 h: part-time 24 h",
        {**STUDENT_PERMITTED, "outside_activity_hours": 20},
        {**SHOP_PART_TIME, "weekly_hours": 24},
        False,
        "With the status Student you may only work part-time, up to 20 hours a week.",
    ),
    Case(
        "student without permission: part-time 20 h",
        {"status": "student"},
        SHOP_PART_TIME,
        False,
        "With the status Student you need permission for activity outside your status to work.",
    ),
    Case(
        "dependent with permission: part-time 20 h",
        {**STUDENT_PERMITTED, "status": "dependent"},
        SHOP_PART_TIME,
        True,
        "Part-time work within the 28 hours a week your permission allows.",
    ),
    Case(
        "dependent without permission: part-time 20 h",
        {"status": "dependent"},
        SHOP_PART_TIME,
        False,
        "With the status Dependent you need permission for activity outside your status to work.",
    ),
    Case(
        "temporary visitor: never, even if the employer ticks it",
        {"status": "temporary_visitor", "outside_activity_permission": True, "outside_activity_hours": 20},
        {**SHOP_PART_TIME, "extra_statuses": ["temporary_visitor"]},
        False,
        "The status Temporary Visitor does not allow paid work.",
    ),
    Case(
        "temporary visitor without permission: never",
        {"status": "temporary_visitor"},
        SHOP_PART_TIME,
        False,
        "The status Temporary Visitor does not allow paid work.",
    ),
    # --- No status yet (overseas): only with sponsorship ------------------------------------
    Case(
        "overseas, no status: no sponsorship",
        {},
        {"category": "it_engineering"},
        False,
        "This job needs a status of residence that allows the work, and the employer does not sponsor visas.",
        overseas=True,
    ),
    Case(
        "overseas, no status: the employer sponsors",
        {},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        "The employer offers visa sponsorship.",
        overseas=True,
    ),
    # --- Sponsorship makes status and period irrelevant -------------------------------------
    Case(
        "sponsorship: student without permission, full-time",
        {"status": "student"},
        {"category": "it_engineering", "sponsorship_offered": True},
        True,
        "The employer offers visa sponsorship.",
    ),
    Case(
        "sponsorship: student without permission, part-time job open to students",
        {"status": "student"},
        {**SHOP_PART_TIME, "sponsorship_offered": True},
        True,
        "The employer offers visa sponsorship.",
    ),
    Case(
        "sponsorship: stay ends before the start, outside the status",
        {"status": "engineer_humanities", "period_of_stay_expiry": lambda: days_from_today(START - 30)},
        {"category": "ssw_construction", "sponsorship_offered": True},
        True,
        "The employer offers visa sponsorship.",
    ),
    # --- Period of stay -----------------------------------------------------------------------
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
        f"Your status of residence ({ENGINEER}) allows this work.",
    ),
    Case(
        "permanent resident without expiry: start in two years",
        {"status": "permanent_resident", "period_of_stay_expiry": None},
        {"start_date": lambda: days_from_today(730)},
        True,
        "Your status of residence (Permanent Resident) allows this work.",
    ),
    # --- Japanese, on any test ----------------------------------------------------------------
    Case(
        "JLPT N3: N2 required",
        {"japanese": ["jlpt_n3"]},
        {"required_level": "jlpt_n2"},
        False,
        "Requires JLPT N2; you have JLPT N3.",
    ),
    Case(
        "BJT J2: N2 required",
        {"japanese": ["bjt_j2"]},
        {"required_level": "jlpt_n2"},
        True,
        "Requires JLPT N2; you have BJT J2 (420–529).",
    ),
    Case(
        "NAT-TEST 3級: N2 required",
        {"japanese": ["nat_3"]},
        {"required_level": "jlpt_n2"},
        False,
        "Requires JLPT N2; you have NAT-TEST Grade 3.",
    ),
    Case(
        "JFT-Basic A2: N4 required",
        {"japanese": ["jft_a2"]},
        {"required_level": "jlpt_n4"},
        True,
        "Requires JLPT N4; you have JFT-Basic A2 (200+).",
    ),
    Case(
        "JLPT N1: JFT-Basic A2 required",
        {"japanese": ["jlpt_n1"]},
        {"required_level": "jft_a2"},
        True,
        "Requires JFT-Basic A2 (200+); you have JLPT N1.",
    ),
    Case(
        "the best of several results counts",
        {"japanese": ["jlpt_n4", "bjt_j2"]},
        {"required_level": "jlpt_n2"},
        True,
        "Requires JLPT N2; you have BJT J2 (420–529).",
    ),
    Case(
        "no test: nothing required",
        {"japanese": []},
        {"required_level": None},
        True,
        f"Your status of residence ({ENGINEER}) allows this work.",
    ),
    Case(
        "no test: N5 required",
        {"japanese": []},
        {"required_level": "jlpt_n5"},
        False,
        "Requires JLPT N5; you have no Japanese test result.",
    ),
    # --- Required qualifications ----------------------------------------------------------------
    Case(
        "nursing care status without the certified care worker qualification",
        {"status": "nursing_care"},
        {"category": "care_worker", "qualifications": ["certified_care_worker"]},
        False,
        "Requires the qualification: Certified care worker (介護福祉士).",
    ),
    Case(
        "nursing care status with the certified care worker qualification",
        {"status": "nursing_care", "qualifications": ["certified_care_worker"]},
        {"category": "care_worker", "qualifications": ["certified_care_worker"]},
        True,
        "Your status of residence (Nursing Care) allows this work.",
    ),
    Case(
        "SSW (i) without the field's skills test",
        {"status": "ssw_1", "qualifications": ["licence_ordinary"]},
        {"category": "ssw_food_service", "qualifications": ["skills_test_food_service"]},
        False,
        "Requires the qualification: SSW skills test: Food service.",
    ),
]


def _resolved(values: dict) -> dict:
    return {key: value() if callable(value) else value for key, value in values.items()}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_eligibility_rule_in_both_directions_and_in_words(case):
    opening = OpeningFactory(**_resolved(case.opening))
    factory = OverseasCandidateProfileFactory if case.overseas else CompleteCandidateProfileFactory
    profile = factory(**_resolved(case.candidate))

    in_candidates = rank_candidates(opening).filter(pk=profile.pk).exists()
    in_openings = rank_openings(profile).filter(pk=opening.pk).exists()
    match = explain(CandidateProfile.objects.get(pk=profile.pk), Opening.objects.get(pk=opening.pk))

    assert (in_candidates, in_openings, match.eligible) == (case.eligible, case.eligible, case.eligible)
    words = case.says.format(
        end=profile.period_of_stay_expiry.isoformat() if profile.period_of_stay_expiry else "",
        start=opening.start_date.isoformat(),
    )
    if case.eligible:
        assert words in match.reasons
        assert match.gaps == []  # nothing stands in the way, and nothing says so
    else:
        assert words in match.gaps


def test_ssw_ii_holders_are_eligible_for_exactly_the_eleven_ssw_ii_fields():
    for code, *_ in SSW_FIELDS:
        OpeningFactory(category=code, title=code)
    profile = CompleteCandidateProfileFactory(status="ssw_2")

    eligible_fields = set(rank_openings(profile).values_list("category__code", flat=True))

    assert eligible_fields == set(SSW_II)
    assert len(eligible_fields) == 11
    assert set(JobCategory.objects.filter(ssw_ii_allowed=True).values_list("code", flat=True)) == set(SSW_II)


def test_a_stay_ending_before_the_start_is_flagged_for_the_warning_on_the_opening_page():
    opening = OpeningFactory()
    profile = CompleteCandidateProfileFactory(period_of_stay_expiry=days_from_today(START - 10))

    assert explain(profile, opening).stay_ends_before_start is True
    assert explain(CompleteCandidateProfileFactory(), opening).stay_ends_before_start is False


# --- Who never appears in the staff's list ---------------------------------------------


def test_a_candidate_who_restricted_the_use_of_their_data_is_never_ranked_until_it_is_lifted():
    opening = OpeningFactory()
    profile = CompleteCandidateProfileFactory()
    restriction = ProcessingRestriction.objects.create(user=profile.user, reason="APPI Art. 35 request")

    assert not rank_candidates(opening).filter(pk=profile.pk).exists()
    assert not rank_candidates(opening, eligible_only=False).filter(pk=profile.pk).exists()

    restriction.lifted_at = timezone.now()
    restriction.save()
    assert rank_candidates(opening).filter(pk=profile.pk).exists()


def test_a_candidate_not_open_to_proposals_is_never_ranked_for_staff():
    opening = OpeningFactory()
    closed = CompleteCandidateProfileFactory(open_to_proposals=False)
    open_ = CompleteCandidateProfileFactory(open_to_proposals=True)

    ranked = set(rank_candidates(opening, eligible_only=False).values_list("pk", flat=True))

    assert open_.pk in ranked
    assert closed.pk not in ranked
    # Their own recommendations still work: the switch is about staff proposals.
    assert rank_openings(closed).filter(pk=opening.pk).exists()


def test_an_inactive_account_is_never_ranked():
    opening = OpeningFactory()
    profile = CompleteCandidateProfileFactory()
    profile.user.is_active = False
    profile.user.save()

    assert not rank_candidates(opening, eligible_only=False).filter(pk=profile.pk).exists()


# --- The soft score -----------------------------------------------------------------------


def _age(profile, days: int) -> None:
    CandidateProfile.objects.filter(pk=profile.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_candidates_are_ranked_by_experience_then_prefecture_salary_and_recency():
    opening = OpeningFactory(category="it_engineering", prefecture="13", salary_max=350_000)
    everything = CompleteCandidateProfileFactory(
        experience_in=["it_engineering"],
        desired_prefectures=["13"],
        expected_salary=300_000,
        expected_salary_period="month",
    )
    experience = CompleteCandidateProfileFactory(
        experience_in=["it_engineering"],
        desired_prefectures=["01"],
        expected_salary=500_000,
        expected_salary_period="month",
    )
    prefecture = CompleteCandidateProfileFactory(
        desired_prefectures=["13"], expected_salary=500_000, expected_salary_period="month"
    )
    salary_fits_but_stale = CompleteCandidateProfileFactory(
        desired_prefectures=["01"], expected_salary=3_600_000, expected_salary_period="year"
    )
    _age(salary_fits_but_stale, 60)
    nothing_and_long_inactive = CompleteCandidateProfileFactory(
        desired_prefectures=["01"], expected_salary=500_000, expected_salary_period="month"
    )
    _age(nothing_and_long_inactive, 200)
    experience_elsewhere_hourly = CompleteCandidateProfileFactory(
        experience_in=["ssw_construction"],
        desired_prefectures=["01"],
        expected_salary=2_000,
        expected_salary_period="hour",
    )  # experience in another kind of work counts for nothing; 2,000 × 160 h = 320,000 a month fits
    _age(experience_elsewhere_hourly, 200)

    rows = list(rank_candidates(opening))

    assert [row.pk for row in rows] == [
        everything.pk,
        experience.pk,
        prefecture.pk,
        salary_fits_but_stale.pk,
        experience_elsewhere_hourly.pk,
        nothing_and_long_inactive.pk,
    ]
    scores = [row.score for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_staff_see_reasons_in_words_for_each_ranked_candidate():
    opening = OpeningFactory(category="it_engineering", prefecture="13", required_level="jlpt_n3", salary_max=300_000)
    profile = CompleteCandidateProfileFactory(
        experience_in=["it_engineering"],
        desired_prefectures=["13"],
        japanese=["bjt_j2"],
        expected_salary=400_000,
        expected_salary_period="month",
    )

    row = rank_candidates(opening).get(pk=profile.pk)
    match = explain_candidate_row(row, opening)

    assert f"Status of residence {ENGINEER} fits." in match.reasons
    assert "Experience in IT and engineering." in match.reasons
    assert "Wants to work in Tokyo." in match.reasons
    assert "Japanese at JLPT N2 level (required: JLPT N3)." in match.reasons
    assert match.gaps == ["Expects more than the salary offered."]


def test_for_staff_a_sponsored_candidate_is_sponsored_not_said_to_fit_the_status():
    opening = OpeningFactory(category="it_engineering", sponsorship_offered=True)
    student = CompleteCandidateProfileFactory(status="student")
    overseas = OverseasCandidateProfileFactory()

    for profile in (student, overseas):
        match = explain_candidate_row(rank_candidates(opening).get(pk=profile.pk), opening)
        assert "The employer sponsors a visa." in match.reasons
        assert not any(reason.startswith("Status of residence") for reason in match.reasons)


def test_openings_for_a_candidate_are_ranked_by_experience_wishes_prefecture_and_salary():
    profile = CompleteCandidateProfileFactory(
        experience_in=["it_engineering"],
        desired_categories=["it_engineering"],
        desired_prefectures=["13"],
        expected_salary=300_000,
        expected_salary_period="month",
    )
    best = OpeningFactory(category="it_engineering", prefecture="13", salary_max=350_000)
    low_pay = OpeningFactory(category="it_engineering", prefecture="13", salary_min=200_000, salary_max=250_000)
    elsewhere = OpeningFactory(category="office_admin", prefecture="27", salary_max=5_000_000, salary_period="year")
    far_and_low = OpeningFactory(category="office_admin", prefecture="27", salary_min=100_000, salary_max=200_000)

    rows = list(rank_openings(profile))

    assert [row.pk for row in rows] == [best.pk, low_pay.pk, elsewhere.pk, far_and_low.pk]
    words = explain(profile, best, row=rows[0])
    assert "You have experience in IT and engineering." in words.reasons
    assert "It is in a prefecture you chose (Tokyo)." in words.reasons
    assert "The salary reaches what you expect." in words.reasons
    assert "The salary is below what you expect." in explain(profile, low_pay).gaps


# --- In the database, not in a Python loop --------------------------------------------------


def _staff_list_queries(opening_pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        opening = Opening.objects.select_related("category", "prefecture", "employment_type").get(pk=opening_pk)
        rows = [(row, explain_candidate_row(row, opening)) for row in rank_candidates(opening)[:10]]
    assert rows
    return len(queries)


def test_ranking_thirty_candidates_takes_as_many_queries_as_ranking_three():
    opening = OpeningFactory(category="it_engineering", prefecture="13", required_level="jlpt_n4")
    for _ in range(3):
        CompleteCandidateProfileFactory()
    with_three = _staff_list_queries(opening.pk)

    for i in range(27):
        CompleteCandidateProfileFactory(
            experience_in=["it_engineering"] if i % 3 == 0 else [], desired_prefectures=["13"] if i % 2 else ["27"]
        )
    with_thirty = _staff_list_queries(opening.pk)

    assert with_thirty == with_three
    assert with_thirty <= 5
    top = list(rank_candidates(opening)[:10])
    assert len(top) == 10
    assert [row.score for row in top] == sorted((row.score for row in top), reverse=True)
