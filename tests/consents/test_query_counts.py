"""List pages of consents use a fixed number of queries, however many rows
they show (STYLE.md: "a test pins each page's query count"). Each page is
rendered with 2 and with 20 rows; the counts must be equal."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consents import access, services
from consents.models import AccessRecord, ConsentEvent
from consents.selectors import subject_key_of
from tests.accounts.factories import CandidateFactory
from tests.consents.factories import (
    EmployerWithAgreementFactory,
    FullShareGrantFactory,
    ShareGrantFactory,
    give,
    recruiter_of,
)
from tests.profiles.factories import FullCandidateProfileFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    client.get(url)  # warm up: session, content types, translations
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_employer_candidates_list():
    employer = EmployerWithAgreementFactory()
    recruiter = recruiter_of(employer)
    client = signed_in(recruiter)
    url = reverse("consents:employer_candidates")

    def add(n: int) -> None:
        for _ in range(n):
            profile = FullCandidateProfileFactory(user=CandidateFactory())
            give(profile.user, employer)

    add(2)
    few = queries(client, url)
    add(18)
    assert access.candidates_visible_to(recruiter).count() == 20
    many = queries(client, url)
    assert few == many, f"{few} queries for 2 candidates, {many} for 20"


def test_sharing_page(candidate):
    client = signed_in(candidate)
    url = reverse("consents:sharing")
    for _ in range(2):
        FullShareGrantFactory(candidate=candidate)
    few = queries(client, url)
    for _ in range(18):
        ShareGrantFactory(candidate=candidate)
    many = queries(client, url)
    assert few == many, f"{few} queries for 2 grants, {many} for 20"


def test_access_log(candidate):
    FullCandidateProfileFactory(user=candidate)
    grant = FullShareGrantFactory(candidate=candidate)
    viewer = recruiter_of(grant.employer)
    client = signed_in(candidate)
    url = reverse("consents:access_log")

    def view(n: int) -> None:
        for _ in range(n):
            access.candidate_view_for(viewer, candidate.candidate_profile.pk)

    view(2)
    few = queries(client, url)
    view(18)
    assert AccessRecord.objects.filter(subject_key=subject_key_of(candidate)).count() == 20
    many = queries(client, url)
    assert few == many, f"{few} queries for 2 records, {many} for 20"


def test_my_consents(candidate):
    client = signed_in(candidate)
    url = reverse("consents:my_consents")
    ShareGrantFactory(candidate=candidate)
    few = queries(client, url)
    employers = [EmployerWithAgreementFactory() for _ in range(8)]
    for employer in employers:
        grant = give(candidate, employer, {"contact"})
        services.share_grant_withdraw(actor=candidate, grant=grant)
    services.purpose_consents_set(
        actor=candidate,
        user=candidate,
        choices={"job_openings": True, "new_services": True, "statistics": True},
        language="en",
    )
    assert ConsentEvent.objects.filter(subject_key=subject_key_of(candidate)).count() >= 20
    many = queries(client, url)
    assert few == many, f"{few} queries for a few rows, {many} for 20+"
