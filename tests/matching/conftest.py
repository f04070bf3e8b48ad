"""The people of the tests of working together (conversation, interviews,
the pipeline and its board, message templates): an employer that accepted
the Data Use Agreement, a recruiter of it, an opening, and a candidate who
applied to it and so shares their profile (a share grant with contact
details). Their helpers are in talk.py."""

import pytest

from tests.matching.factories import (
    ApplicationFactory,
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    recruiter_of,
)


@pytest.fixture
def company():
    return EmployerWithAgreementFactory(legal_name="富士ケア株式会社")


@pytest.fixture
def recruiter(company):
    return recruiter_of(company, user__email="sato@fuji-care.test", user__full_name="佐藤 花子")


@pytest.fixture
def job(company):
    return OpeningFactory(employer=company, title="Care worker (介護職員)")


@pytest.fixture
def profile():
    return CompleteCandidateProfileFactory(name_passport="PHAM THI HOA", user__email="hoa@example.test")


@pytest.fixture
def application(job, profile):
    """The candidate applied to the job: their profile is shared with the company."""
    return ApplicationFactory(opening=job, candidate=profile.user)
