"""Applying to an opening, through the pages a candidate uses (PRODUCT §5).

Apply → the consent screen (employer, purpose, opening) → the application
and its share grant in one transaction → every member of the employer is
told, each in their own language. A profile employers could not judge is not
sent; a second click, or a second tab, makes no second application.
"""


import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from consents.models import ConsentEvent, ConsentKind, ShareGrant
from matching.models import Application, ApplicationEvent, ApplicationState, Message
from profiles.models import CandidateProfile
from tests.concurrency import at_once
from tests.matching.factories import (
    ClosedOpeningFactory,
    CompleteCandidateProfileFactory,
    DraftOpeningFactory,
    EmployerWithAgreementFactory,
    ExpiredOpeningFactory,
    OpeningFactory,
    admin_of,
    recruiter_of,
)

pytestmark = pytest.mark.django_db

AGREE = {"agree": "on", "include_contact": "on"}
NEW_APPLICATION = "New application for “%(title)s”"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def apply_url(opening) -> str:
    return reverse("matching:apply", args=[opening.pk])


@pytest.fixture
def company():
    return EmployerWithAgreementFactory(legal_name="株式会社つなぐ製作所 (Tsunagu Seisakusho)")


@pytest.fixture
def recruiter_ja(company):
    """A Japanese-speaking recruiter of the company."""
    return recruiter_of(company, user__email="tanaka@seisakusho.test", user__language="ja")


@pytest.fixture
def job(company, recruiter_ja):
    return OpeningFactory(employer=company, title="Backend engineer / バックエンドエンジニア")


@pytest.fixture
def applicant():
    return CompleteCandidateProfileFactory(user__email="minh@example.test").user


def nothing_shared() -> bool:
    return not (
        Application.objects.exists()
        or ShareGrant.objects.exists()
        or ConsentEvent.objects.filter(kind=ConsentKind.SHARE).exists()
    )


# --- Only a profile employers can judge is sent ------------------------------------------


def test_an_empty_profile_is_told_what_is_missing_and_nothing_is_created(candidate, job):
    client = signed_in(candidate)
    CandidateProfile.objects.get_or_create(user=candidate)

    page = client.get(apply_url(job))
    posted = client.post(apply_url(job), AGREE)

    assert page.status_code == 409
    html = page.content.decode()
    assert "Complete your profile first" in html
    assert job.title in html
    # Only what an application needs (docs/apply-ready.md), and the one page
    # that asks for it.
    for section, detail in [
        ("Basic information", "name as in your passport"),
        ("Status of residence", "status of residence"),
        ("Japanese and other languages", "how well you speak Japanese"),
    ]:
        assert section in html and detail in html
    assert "at least one school" not in html and "earliest start date" not in html
    assert reverse("profiles:section", args=["basics"]) in html
    assert f'{reverse("ready_to_apply")}?opening={job.pk}' in html
    assert posted.status_code == 409
    assert nothing_shared()


def test_a_profile_missing_only_the_self_introduction_may_apply(job):
    # The self-introduction helps employers but is not asked before applying
    # (docs/apply-ready.md); the profile page still lists it as missing.
    profile = CompleteCandidateProfileFactory(self_introduction="")
    client = signed_in(profile.user)

    assert client.get(apply_url(job)).status_code == 200
    assert client.post(apply_url(job), AGREE).status_code == 302
    assert Application.objects.filter(candidate=profile.user, opening=job).exists()
    assert "a few words about yourself" in client.get(reverse("profiles:overview")).content.decode()


def test_a_profile_missing_only_the_status_of_residence_names_only_that(job):
    profile = CompleteCandidateProfileFactory(status=None, period_of_stay_expiry=None)

    page = signed_in(profile.user).get(apply_url(job))

    assert page.status_code == 409
    html = page.content.decode()
    assert "status of residence" in html
    assert "Basic information" not in html
    assert not Application.objects.exists()


# --- The consent screen ------------------------------------------------------------------


def test_the_consent_screen_names_the_employer_the_purpose_and_the_opening(applicant, job, company):
    page = signed_in(applicant).get(apply_url(job))

    assert page.status_code == 200
    html = page.content.decode()
    assert company.legal_name in html
    assert company.corporate_number in html
    assert "to decide whether to hire you, and to contact you about employment or non-acceptance" in html
    assert "Applying to" in html and job.title in html
    assert 'name="agree"' in html
    assert nothing_shared()  # looking at the screen shares nothing


def test_without_ticking_agree_nothing_is_shared(applicant, job):
    response = signed_in(applicant).post(apply_url(job), {"include_contact": "on"})

    assert response.status_code == 400
    assert "Tick the box to agree" in response.content.decode()
    assert nothing_shared()


# --- Agreeing: one transaction, everyone told ---------------------------------------------


def test_agreeing_makes_the_application_its_grant_its_first_event_and_tells_every_member(
    applicant, job, company, recruiter_ja, django_capture_on_commit_callbacks
):
    admin = admin_of(company)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(applicant).post(apply_url(job), AGREE)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("matching:my_application", args=[application.pk])
    assert (application.opening, application.candidate, application.state) == (job, applicant, ApplicationState.APPLIED)

    grant = ShareGrant.objects.get()
    assert application.grant == grant
    assert (grant.candidate, grant.employer, grant.origin) == (applicant, company, ShareGrant.Origin.APPLICATION)
    assert grant.is_active and grant.include_contact and not grant.include_address
    ledger = ConsentEvent.objects.get(kind=ConsentKind.SHARE)
    assert (ledger.grant_id, ledger.employer_name, ledger.scope["origin"]) == (
        grant.pk,
        company.legal_name,
        "application",
    )

    event = ApplicationEvent.objects.get()
    assert (event.application, event.from_state, event.to_state, event.actor) == (application, "", "applied", applicant)

    # Each member's notice links to the page in their own language.
    for member in (admin, recruiter_ja):
        with translation.override(member.language):
            employer_page = reverse("matching:employer_application", args=[application.pk])
        assert Message.objects.get(recipient=member).url == employer_page
    assert Message.objects.get(recipient=recruiter_ja).url.startswith("/ja/")
    assert Message.objects.get(recipient=admin).subject == f"New application for “{job.title}”"
    mine = Message.objects.get(recipient=applicant)
    assert company.legal_name in mine.subject
    assert mine.url == reverse("matching:my_application", args=[application.pk])

    to_members = [m for m in mail.outbox if set(m.to) & {admin.email, recruiter_ja.email}]
    assert sorted(m.to[0] for m in to_members) == sorted([admin.email, recruiter_ja.email])
    assert next(m for m in to_members if m.to == [admin.email]).subject == f"New application for “{job.title}”"
    assert any(m.to == [applicant.email] for m in mail.outbox)


def test_a_japanese_speaking_recruiter_is_told_in_japanese(
    applicant, job, recruiter_ja, django_capture_on_commit_callbacks
):
    with translation.override("ja"):
        translated = gettext(NEW_APPLICATION)
    if translated == NEW_APPLICATION:
        pytest.skip("locale/ja is not compiled in this environment (run `make messages`)")
    expected = translated % {"title": job.title}

    with django_capture_on_commit_callbacks(execute=True):
        signed_in(applicant).post(apply_url(job), AGREE)

    assert Message.objects.get(recipient=recruiter_ja).subject == expected
    assert [m.subject for m in mail.outbox if m.to == [recruiter_ja.email]] == [expected]


def test_the_candidate_sees_their_application_with_its_state_and_history(applicant, job, company):
    client = signed_in(applicant)
    client.post(apply_url(job), AGREE)
    application = Application.objects.get()

    page = client.get(reverse("matching:my_application", args=[application.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert job.title in html and company.legal_name in html
    assert "Applied" in html
    assert "Withdraw my application" in html


# --- Once per opening ------------------------------------------------------------------------


def test_applying_again_is_refused_kindly_with_a_way_to_the_application(applicant, job):
    client = signed_in(applicant)
    client.post(apply_url(job), AGREE)
    application = Application.objects.get()

    again = client.get(apply_url(job), follow=True)

    assert again.redirect_chain == [(reverse("matching:my_application", args=[application.pk]), 302)]
    assert "You have already applied to this opening. Here is your application." in again.content.decode()
    assert Application.objects.count() == 1


def test_a_double_submit_makes_one_application(applicant, job, company, recruiter_ja):
    client = signed_in(applicant)

    first = client.post(apply_url(job), AGREE)
    second = client.post(apply_url(job), AGREE)

    application = Application.objects.get()
    assert first.url == second.url == reverse("matching:my_application", args=[application.pk])
    assert ShareGrant.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentKind.SHARE).count() == 1
    assert Message.objects.filter(recipient=recruiter_ja).count() == 1
    assert Message.objects.filter(recipient=admin_of(company)).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race on")
@pytest.mark.django_db(transaction=True)  # reference data: tests/conftest.py _reference_data
def test_two_simultaneous_submits_make_one_application():
    job = OpeningFactory()
    applicant = CompleteCandidateProfileFactory().user
    clients = [signed_in(applicant), signed_in(applicant)]

    responses = at_once(lambda: clients.pop().post(apply_url(job), AGREE))

    application = Application.objects.get(candidate=applicant)
    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("matching:my_application", args=[application.pk])}
    assert ShareGrant.objects.filter(candidate=applicant).count() == 1
    assert ApplicationEvent.objects.filter(application=application).count() == 1


# --- Only open openings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "factory",
    [DraftOpeningFactory, ClosedOpeningFactory, ExpiredOpeningFactory],
    ids=["draft", "closed", "past its closing date"],
)
def test_an_opening_not_accepting_applications_is_not_found(factory, applicant):
    opening = factory()
    client = signed_in(applicant)

    assert client.get(apply_url(opening)).status_code == 404
    assert client.post(apply_url(opening), AGREE).status_code == 404
    assert client.get(reverse("matching:opening", args=[opening.pk])).status_code == 404
    assert nothing_shared()
