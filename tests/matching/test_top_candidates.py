"""The staff ranking narrow then fetch (engine.top_candidates): the same
candidates in the same order with the same flags and the same words as
rank_candidates, whatever the opening (with sponsorship, required Japanese,
required qualifications), the eligible ones and the ineligible ones."""

import pytest

from matching.engine import explain_candidate_row, rank_candidates, top_candidates
from tests.matching.factories import CompleteCandidateProfileFactory, EmployerWithAgreementFactory, OpeningFactory

pytestmark = pytest.mark.django_db


def described(rows, opening) -> list[tuple]:
    return [
        (
            row.pk,
            row.score,
            row.status_fits,
            row.status_ok,
            row.eligible,
            row.status.code if row.status else None,
            explain_candidate_row(row, opening),
        )
        for row in rows
    ]


@pytest.fixture
def candidates():
    statuses = [
        "engineer_humanities",
        "student",
        "ssw_1",
        "permanent_resident",
        "designated_activities_job_hunting",
        None,
    ]
    for i in range(18):
        CompleteCandidateProfileFactory(
            status=statuses[i % len(statuses)],
            japanese=[["jlpt_n2"], ["jlpt_n4"], []][i % 3],
            experience_in=["it_engineering"] if i % 2 else [],
            desired_prefectures=["13"] if i % 4 == 0 else [],
            expected_salary=[None, 200_000, 500_000][i % 3],
            expected_salary_period="" if i % 3 == 0 else "month",
        )


@pytest.mark.parametrize(
    "opening_kwargs",
    [
        {},
        {"sponsorship_offered": True, "category": "factory_warehouse"},
        {"sponsorship_offered": True, "required_level": "jlpt_n3"},
        {"required_level": "jlpt_n4", "employment_type": "part_time", "weekly_hours": 20},
    ],
    ids=["plain", "sponsoring", "sponsoring with Japanese", "part-time"],
)
@pytest.mark.parametrize("which", ["eligible", "ineligible"])
def test_narrow_then_fetch_gives_the_same_ranking_and_words(candidates, opening_kwargs, which):
    opening = OpeningFactory(employer=EmployerWithAgreementFactory(), **opening_kwargs)
    kwargs = {"ineligible_only": True} if which == "ineligible" else {}
    expected = described(list(rank_candidates(opening, **kwargs)[:10]), opening)
    got = described(top_candidates(opening, limit=10, **kwargs), opening)
    assert got == expected
    assert got  # the data gives each case rows to compare


def test_the_ranking_asks_a_constant_number_of_queries(candidates, django_assert_max_num_queries):
    opening = OpeningFactory(employer=EmployerWithAgreementFactory())
    top_candidates(opening)  # the rule table is read once per opening
    with django_assert_max_num_queries(4):
        rows = top_candidates(opening)
    assert len(rows) > 3
