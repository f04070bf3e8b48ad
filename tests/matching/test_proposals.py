"""Staff proposals (PRODUCT §5): a coordinator sees, for an opening, the
eligible candidates who are open to proposals, ranked, with reasons, and
proposes; the candidate decides on the same consent screen as an
application; the employer sees nothing unless the candidate accepts.
"""

import pytest
from django.test import Client
from django.urls import reverse

from consents.models import ConsentEvent, ConsentKind, ProcessingRestriction, ShareGrant
from matching.models import Application, Message, Proposal
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    admin_of,
    recruiter_of,
    submit,
)

pytestmark = pytest.mark.django_db

AGREE = {"agree": "on"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_page(opening) -> str:
    return reverse("matching:staff_opening", args=[opening.pk])


def employer_candidate_page(profile) -> str:
    return reverse("consents:employer_candidate", args=[profile.pk])


def propose(client, opening, profile, message="Your Python experience fits this team."):
    return client.post(staff_page(opening), {"candidate": profile.pk, "message": message}, follow=True)


@pytest.fixture
def company():
    return EmployerWithAgreementFactory(legal_name="Hokkaido Data Systems K.K.")


@pytest.fixture
def recruiter(company):
    return recruiter_of(company)


@pytest.fixture
def job(company):
    return OpeningFactory(employer=company, title="Data engineer (Sapporo)", category="it_engineering", prefecture="01")


@pytest.fixture
def best():
    return CompleteCandidateProfileFactory(
        name_passport="SITI NURHALIZA", experience_in=["it_engineering"], desired_prefectures=["01"]
    )


@pytest.fixture
def second():
    return CompleteCandidateProfileFactory(name_passport="JUAN DELA CRUZ", desired_prefectures=["01"])


@pytest.fixture
def proposal(coordinator, job, best):
    propose(signed_in(coordinator), job, best)
    return Proposal.objects.get(candidate=best.user)


# --- What the coordinator sees ------------------------------------------------------------------


def test_the_coordinator_sees_only_eligible_candidates_open_to_proposals_ranked_with_reasons(
    coordinator, job, best, second
):
    wrong_status = CompleteCandidateProfileFactory(status="ssw_1")
    not_open = CompleteCandidateProfileFactory(open_to_proposals=False)
    restricted = CompleteCandidateProfileFactory()
    ProcessingRestriction.objects.create(user=restricted.user, reason="APPI Art. 35")

    page = signed_in(coordinator).get(staff_page(job))

    html = page.content.decode()
    assert page.status_code == 200
    assert f"#{best.pk}<" in html and f"#{second.pk}<" in html
    assert html.index(f"#{best.pk}<") < html.index(f"#{second.pk}<")
    for hidden in (wrong_status, not_open, restricted):
        assert f"#{hidden.pk}<" not in html
    assert "Experience in IT and engineering." in html
    assert "Wants to work in Hokkaido." in html
    # Only candidate numbers: nothing identifies the people on this page.
    assert best.name_passport not in html and best.user.email not in html


@pytest.mark.parametrize("persona", ["support", "privacy_officer"])
def test_other_staff_cannot_see_the_ranking_nor_propose(persona, persona_user, job, best):
    client = signed_in(persona_user(persona))

    assert client.get(staff_page(job)).status_code == 403
    assert client.post(staff_page(job), {"candidate": best.pk, "message": ""}).status_code == 403
    assert not Proposal.objects.exists()
    assert not Message.objects.filter(recipient=best.user).exists()


# --- Proposing ---------------------------------------------------------------------------------------


def test_proposing_tells_the_candidate_and_shows_the_employer_nothing(
    coordinator, job, best, company, recruiter, django_capture_on_commit_callbacks
):
    response = propose(signed_in(coordinator), job, best)

    proposal = Proposal.objects.get()
    assert "Proposed. The candidate decides; the employer sees nothing until then." in response.content.decode()
    assert (proposal.opening, proposal.candidate, proposal.proposed_by) == (job, best.user, coordinator)
    assert proposal.state == Proposal.State.PENDING
    told = Message.objects.get(recipient=best.user)
    assert told.subject == f"Tsunagu suggests an opening at {company.legal_name}"
    assert job.title in told.body
    assert "The employer sees nothing about you unless you accept." in told.body
    assert told.url == reverse("matching:my_proposal", args=[proposal.pk])
    # The employer: nothing.
    assert not ShareGrant.objects.filter(candidate=best.user).exists()
    assert not Application.objects.exists()
    assert not Message.objects.filter(recipient=recruiter).exists()
    assert signed_in(recruiter).get(employer_candidate_page(best)).status_code == 404
    assert "Proposed / applied" in signed_in(coordinator).get(staff_page(job)).content.decode()


INELIGIBLE = (
    "Our rules mark this candidate ineligible for this opening. To propose it anyway, give your reason: it is kept "
    "with the proposal and shown to the candidate."
)


@pytest.mark.parametrize(
    ("candidate_kwargs", "refusal"),
    [
        ({"status": "ssw_1"}, INELIGIBLE),
        ({"japanese": []}, INELIGIBLE),
        ({"open_to_proposals": False}, "This candidate is not open to proposals."),
    ],
    ids=["status outside the job's scope", "Japanese below the requirement", "not open to proposals"],
)
def test_proposing_a_candidate_the_rules_exclude_without_a_reason_is_refused(
    candidate_kwargs, refusal, coordinator, company
):
    job = OpeningFactory(employer=company, required_level="jlpt_n4")
    profile = CompleteCandidateProfileFactory(**candidate_kwargs)

    response = propose(signed_in(coordinator), job, profile)

    assert refusal in response.content.decode()
    assert not Proposal.objects.exists()
    assert not Message.objects.filter(recipient=profile.user).exists()


def test_proposing_a_candidate_who_restricted_processing_is_refused(coordinator, job, best):
    ProcessingRestriction.objects.create(user=best.user, reason="APPI Art. 35")

    propose(signed_in(coordinator), job, best)

    assert not Proposal.objects.exists()


def test_proposing_twice_or_after_an_application_is_refused(coordinator, job, best, second):
    client = signed_in(coordinator)
    propose(client, job, best)
    submit(second.user, job)

    again = propose(client, job, best)
    applied = propose(client, job, second)

    for response in (again, applied):
        assert "This candidate was already proposed this opening or applied to it." in response.content.decode()
    assert Proposal.objects.count() == 1


# --- The candidate decides ----------------------------------------------------------------------------------


def test_the_candidate_sees_the_proposal_on_the_consent_screen(proposal, best, job, company):
    page = signed_in(best.user).get(reverse("matching:my_proposal", args=[proposal.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Tsunagu staff suggested this opening to you." in html
    assert "Your Python experience fits this team." in html
    assert job.title in html and company.legal_name in html
    assert "to decide whether to hire you" in html
    assert "No, thank you" in html


def test_accepting_shares_through_a_proposal_grant_and_applies(proposal, best, job, company, recruiter):
    client = signed_in(best.user)

    response = client.post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE)

    application = Application.objects.get()
    proposal.refresh_from_db()
    assert response.url == reverse("matching:my_application", args=[application.pk])
    assert (application.opening, application.candidate) == (job, best.user)
    assert (proposal.state, proposal.application) == (Proposal.State.ACCEPTED, application)
    grant = ShareGrant.objects.get(candidate=best.user)
    assert (application.grant, grant.employer, grant.origin) == (grant, company, ShareGrant.Origin.PROPOSAL)
    ledger = ConsentEvent.objects.get(kind=ConsentKind.SHARE, grant_id=grant.pk)
    assert ledger.scope["origin"] == "proposal"  # the record agrees with the grant
    assert signed_in(recruiter).get(employer_candidate_page(best)).status_code == 200
    assert Message.objects.filter(recipient=recruiter, url__contains=str(application.pk)).exists()


def test_declining_shares_nothing(proposal, best, recruiter):
    client = signed_in(best.user)

    response = client.post(reverse("matching:my_proposal", args=[proposal.pk]), {"decision": "decline"}, follow=True)

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECLINED
    assert "You declined. The employer never saw your profile." in response.content.decode()
    assert not ShareGrant.objects.filter(candidate=best.user).exists()
    assert not Application.objects.exists()
    assert signed_in(recruiter).get(employer_candidate_page(best)).status_code == 404
    # Coming back to it: decided, and agreeing now changes nothing.
    later = client.get(reverse("matching:my_proposal", args=[proposal.pk]))
    assert "This proposal is closed: Declined." in later.content.decode()
    client.post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE)
    assert not ShareGrant.objects.filter(candidate=best.user).exists()


def test_another_candidate_cannot_answer_someone_elses_proposal(proposal, other_candidate):
    response = signed_in(other_candidate).post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE)

    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PENDING


def test_an_incomplete_profile_is_told_what_is_missing_before_accepting(coordinator, job):
    # What an application needs (docs/apply-ready.md): the date of birth is one.
    profile = CompleteCandidateProfileFactory(date_of_birth=None, experience_in=["it_engineering"])
    propose(signed_in(coordinator), job, profile)
    proposal = Proposal.objects.get()

    response = signed_in(profile.user).post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE)

    assert response.status_code == 409
    assert "date of birth" in response.content.decode()
    assert not ShareGrant.objects.exists()


def test_a_candidate_who_applied_on_their_own_meanwhile_is_sent_to_their_application(proposal, best, job):
    application = submit(best.user, job)
    client = signed_in(best.user)

    page = client.get(reverse("matching:my_proposal", args=[proposal.pk]))
    posted = client.post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE)

    mine = reverse("matching:my_application", args=[application.pk])
    assert (page.status_code, page.url) == (302, mine)
    assert (posted.status_code, posted.url) == (302, mine)
    assert Application.objects.count() == 1


def test_a_proposal_for_an_opening_closed_meanwhile_cannot_be_accepted(proposal, best, job, company):
    from matching import services

    services.opening_close(actor=admin_of(company), opening=job)
    client = signed_in(best.user)

    assert client.get(reverse("matching:my_proposal", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("matching:my_proposal", args=[proposal.pk]), AGREE).status_code == 404
    assert not ShareGrant.objects.filter(candidate=best.user).exists()
    # Declining stays possible.
    client.post(reverse("matching:my_proposal", args=[proposal.pk]), {"decision": "decline"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DECLINED
