"""The matching engine's ranking: who is never ranked, the soft score, the
words staff read, and that it ranks in the database, not in a Python loop.

The hard rules of the law, case by case through every door of the engine,
are in test_eligibility.py.
"""

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


def test_ssw_ii_holders_are_eligible_for_exactly_the_eleven_ssw_ii_fields():
    for code, *_ in SSW_FIELDS:
        OpeningFactory(category=code, title=code)
    # A holder of SSW (ii) who passed the (ii) test of every field that has one.
    profile = CompleteCandidateProfileFactory(
        status="ssw_2", qualifications=[f"skills_test_ii_{code[4:]}" for code in SSW_II], japanese=["jlpt_n3"]
    )

    eligible_fields = set(rank_openings(profile).values_list("category__code", flat=True))

    assert eligible_fields == set(SSW_II)
    assert len(eligible_fields) == 11
    assert set(JobCategory.objects.filter(ssw_ii_allowed=True).values_list("code", flat=True)) == set(SSW_II)


def test_a_stay_ending_before_the_start_is_flagged_for_the_warning_on_the_opening_page():
    opening = OpeningFactory()
    profile = CompleteCandidateProfileFactory(period_of_stay_expiry=days_from_today(START - 10))

    assert explain(profile, opening).stay_ends_before_start is True
    assert explain(CompleteCandidateProfileFactory(), opening).stay_ends_before_start is False


def test_the_warning_stays_when_a_sponsored_change_of_status_makes_the_candidate_eligible():
    opening = OpeningFactory(category="ssw_construction", sponsorship_offered=True)
    profile = CompleteCandidateProfileFactory(
        qualifications=["skills_test_construction"], period_of_stay_expiry=days_from_today(START - 10)
    )

    match = explain(profile, opening)

    assert match.eligible is True
    assert match.stay_ends_before_start is True


def test_candidates_see_the_statuses_a_job_needs_and_what_the_employer_would_apply_for():
    opening = OpeningFactory(category="ssw_construction", sponsorship_offered=True)
    profile = CompleteCandidateProfileFactory()

    match = explain(profile, opening)

    assert not match.eligible
    assert any(
        line.startswith("This job is open to: ") and "Specified Skilled Worker (i)" in line for line in match.needed
    )
    assert (
        "With sponsorship, the employer would apply for Specified Skilled Worker (i); it needs the skills test for "
        "Construction (SSW), Japanese at JLPT N4 or JFT-Basic A2." in match.needed
    )


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
        assert f"The employer sponsors a visa: {ENGINEER}." in match.reasons
        assert not any(reason.startswith("Status of residence") for reason in match.reasons)


def test_for_staff_an_ineligible_candidate_is_flagged_with_the_reasons_not_hidden():
    opening = OpeningFactory(category="factory_warehouse", sponsorship_offered=True)
    student = CompleteCandidateProfileFactory(status="student")

    assert not rank_candidates(opening).filter(pk=student.pk).exists()
    row = rank_candidates(opening, eligible_only=False).get(pk=student.pk)
    match = explain_candidate_row(row, opening)

    assert (row.eligible, match.eligible) == (False, False)
    assert "With the status Student you may work up to 28 hours a week; this job has 40." in match.gaps
    assert (
        "No work status covers Factory, warehouse and light work, so visa sponsorship cannot help here." in match.gaps
    )


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
    # The opening (and its required level), its statuses and qualifications,
    # the rule table (eleven small reads, once) and the ranking itself.
    assert with_thirty <= 16
    top = list(rank_candidates(opening)[:10])
    assert len(top) == 10
    assert [row.score for row in top] == sorted((row.score for row in top), reverse=True)
