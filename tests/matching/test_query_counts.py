"""Each list page of matching runs the same number of queries whatever the
number of rows (STYLE: "a test pins each page's query count"): a page that
asks once per row is a bug that shows only in production.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import generations
from matching import recommended
from tests.matching.factories import (
    ApplicationFactory,
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    recruiter_of,
)

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str, expected_rows: list[str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected_rows:
        assert text in html, f"{text!r} is not on {url}"
    return len(captured)


def assert_constant(
    client: Client, url: str, add_rows, first_rows: list[str], more_rows: list[str], before=None
) -> None:
    """`before` runs before each measurement (for a page with a cache: empty
    it, or fill it), so both measure the same path."""
    client.get(url)  # warm up: session, caches, the first look at the policies
    if before:
        before()
    with_few = queries(client, url, first_rows)
    add_rows()
    if before:
        before()
    with_many = queries(client, url, more_rows)
    assert with_many == with_few, f"{url}: {with_few} queries with a few rows, {with_many} with many"


@pytest.fixture
def company():
    return EmployerWithAgreementFactory()


def test_the_board(company):
    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(employer=company, title=f"Board job {i:02d}", required_level="jlpt_n3" if i % 2 else None)

    openings(0, 3)
    assert_constant(
        Client(),
        reverse("matching:board"),
        lambda: openings(3, 30),
        ["Board job 00", "Board job 02"],
        ["Board job 29", "Board job 10"],
    )


def test_the_employers_list_of_openings(company):
    recruiter = recruiter_of(company)

    def openings(start, stop):
        for i in range(start, stop):
            opening = OpeningFactory(employer=company, title=f"Our job {i:02d}")
            if i % 3 == 0:
                ApplicationFactory(opening=opening)

    openings(0, 3)
    assert_constant(
        signed_in(recruiter),
        reverse("matching:employer_openings"),
        lambda: openings(3, 30),
        ["Our job 00", "Our job 02"],
        ["Our job 29"],
    )


def test_the_applications_of_an_opening(company):
    recruiter = recruiter_of(company)
    opening = OpeningFactory(employer=company)

    def applications(start, stop):
        for i in range(start, stop):
            ApplicationFactory(
                opening=opening,
                candidate=CompleteCandidateProfileFactory(name_passport=f"APPLICANT {i:02d}").user,
                state=["applied", "screening", "not_selected"][i % 3],
            )

    applications(0, 3)
    assert_constant(
        signed_in(recruiter),
        reverse("matching:employer_opening", args=[opening.pk]),
        lambda: applications(3, 30),
        ["APPLICANT 00", "APPLICANT 02"],
        ["APPLICANT 29", "APPLICANT 15"],
    )


def test_a_candidates_applications(company):
    candidate = CompleteCandidateProfileFactory().user

    def applications(start, stop):
        for i in range(start, stop):
            employer = company if i % 2 else EmployerWithAgreementFactory()
            ApplicationFactory(
                opening=OpeningFactory(employer=employer, title=f"Applied job {i:02d}"), candidate=candidate
            )

    applications(0, 3)
    assert_constant(
        signed_in(candidate),
        reverse("matching:my_applications"),
        lambda: applications(3, 30),
        ["Applied job 00", "Applied job 02"],
        ["Applied job 29"],
    )


@pytest.mark.parametrize("url_name", ["matching:recommendations", "accounts:dashboard"])
@pytest.mark.parametrize("cached", [False, True], ids=["ranked", "from the cache"])
def test_a_candidates_recommendations(company, url_name, cached):
    """Ranked and explained (the cache empty), and read from the cache
    (matching.recommended): each in a number of queries of its own."""
    profile = CompleteCandidateProfileFactory(japanese=["bjt_j2"], desired_prefectures=["13"])
    client = signed_in(profile.user)
    url = reverse(url_name)

    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(
                employer=company, title=f"Recommended job {i:02d}", required_level="jlpt_n3" if i % 2 else None
            )

    def forget_rankings():
        generations.bump(recommended.OPENINGS)

    def fill_the_cache():
        client.get(url)

    openings(0, 3)
    if url_name == "accounts:dashboard":  # the best three
        first_rows = more_rows = ["Recommended job", "Requires JLPT N3; you have BJT J2"]
    else:
        first_rows = ["Recommended job 01", "Requires JLPT N3; you have BJT J2"]
        more_rows = ["Recommended job 29", "Requires JLPT N3; you have BJT J2"]
    assert_constant(
        client,
        url,
        lambda: openings(3, 30),
        first_rows,
        more_rows,
        before=fill_the_cache if cached else forget_rankings,
    )


def test_the_coordinators_ranking_of_candidates(company, coordinator):
    opening = OpeningFactory(employer=company, required_level="jlpt_n4")

    def candidates(start, stop):
        for i in range(start, stop):
            CompleteCandidateProfileFactory(experience_in=["it_engineering"] if i % 2 else [])

    candidates(0, 3)
    assert_constant(
        signed_in(coordinator),
        reverse("matching:staff_opening", args=[opening.pk]),
        lambda: candidates(3, 30),
        ["Experience in IT and engineering."],
        ["Experience in IT and engineering."],
    )


def test_a_candidates_board_with_why_openings_may_not_fit(company):
    """The board for a signed-in candidate: the same page, each opening
    annotated in SQL with whether their status fits it, and the words for
    the ones that may not, without a query per opening."""
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )

    def openings(start, stop):
        for i in range(start, stop):
            OpeningFactory(
                employer=company,
                title=f"Board job {i:02d}",
                category=["factory_warehouse", "retail_restaurant_staff", "ssw_construction"][i % 3],
                employment_type="part_time" if i % 2 else "full_time",
                weekly_hours=20 if i % 2 else 40,
                sponsorship_offered=i % 4 == 0,
            )

    openings(0, 3)
    assert_constant(
        signed_in(student.user),
        reverse("matching:board"),
        lambda: openings(3, 30),
        ["Board job 00", "May not fit your status:"],
        ["Board job 29", "May not fit your status:"],
    )


def test_the_coordinators_list_of_candidates_the_rules_mark_ineligible(company, coordinator):
    opening = OpeningFactory(employer=company, category="factory_warehouse", sponsorship_offered=True)

    def candidates(start, stop):
        for i in range(start, stop):
            CompleteCandidateProfileFactory(status=["student", "engineer_humanities", "ssw_1"][i % 3])

    candidates(0, 3)
    assert_constant(
        signed_in(coordinator),
        reverse("matching:staff_opening", args=[opening.pk]) + "?show=ineligible",
        lambda: candidates(3, 30),
        ["Propose anyway", "so visa sponsorship cannot help here."],
        ["Propose anyway", "so visa sponsorship cannot help here."],
    )
