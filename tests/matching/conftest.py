"""What the tests of working together (conversation, interviews, the
pipeline board, message templates) share: an employer with its Data Use
Agreement, a recruiter, an opening, a candidate who applied to it and so
shares their profile (a share grant, contact details included)."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from matching.invitations import JST
from tests.matching.factories import (
    ApplicationFactory,
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    recruiter_of,
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_days(days: int, hour: int) -> datetime:
    """A day `days` from now at `hour`:00 Japan time."""
    day = timezone.now().astimezone(JST).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=JST)


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
    return CompleteCandidateProfileFactory(user__email="hoa@example.test")


@pytest.fixture
def application(job, profile):
    """The candidate applied to the job: their profile is shared with the company."""
    return ApplicationFactory(opening=job, candidate=profile.user)
