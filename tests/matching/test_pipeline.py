"""The pipeline an employer runs on an application, and what the candidate
and the law need from it (PRODUCT §4–5).

Only members of the opening's employer move it, only along the allowed
steps; the candidate is told of each move (contact about employment or
non-acceptance) and alone may withdraw. The candidate's data is shown only
while their share grant is in force, and each showing is recorded (APPI
Arts. 29-30); the pipeline state outlives the grant, the data does not.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consents.models import AccessRecord, ProcessingRestriction, ShareGrant
from consents.services import subject_key_for
from matching import services
from matching.models import (
    CLOSED_STATES,
    EMPLOYER_TRANSITIONS,
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationState,
    Message,
)
from tests.accounts.factories import CandidateFactory
from tests.matching.factories import ApplicationFactory, EmployerWithAgreementFactory, admin_of, recruiter_of
from tests.matching.talk import signed_in

pytestmark = pytest.mark.django_db

NO_LONGER_SHARES = "The candidate no longer shares their profile with your company."


def page_of(application) -> str:
    return reverse("matching:employer_application", args=[application.pk])


def move(client, application, to_state):
    return client.post(page_of(application), {"action": "move", "to_state": to_state}, follow=True)


def label(state) -> str:
    return str(ApplicationState(state).label)


def application_in(state, job, profile) -> Application:
    return ApplicationFactory(opening=job, candidate=profile.user, state=state)


ALLOWED = [(from_, to) for from_, targets in EMPLOYER_TRANSITIONS.items() for to in sorted(targets)]
REFUSED = [
    ("applied", "hired"),
    ("applied", "offer"),
    ("screening", "applied"),
    ("interview", "screening"),
    *[("hired", to) for to in ApplicationState.values if to != "hired"],
    ("not_selected", "interview"),
    ("withdrawn", "screening"),
    *[(from_, "withdrawn") for from_ in ("applied", "screening", "interview", "offer")],
]


# --- Moves -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("from_state", "to_state"), ALLOWED, ids=[f"{a} to {b}" for a, b in ALLOWED])
def test_a_member_of_the_employer_makes_an_allowed_move_and_the_candidate_is_told(
    from_state, to_state, job, profile, recruiter, company
):
    application = application_in(from_state, job, profile)
    told_before = Message.objects.filter(recipient=profile.user).count()

    response = move(signed_in(recruiter), application, to_state)

    application.refresh_from_db()
    assert response.status_code == 200
    assert "Moved. The candidate is told." in response.content.decode()
    assert application.state == to_state
    assert (application.closed_at is not None) == (to_state in CLOSED_STATES)
    event = application.events.last()
    assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, recruiter)
    told = Message.objects.filter(recipient=profile.user).order_by("-pk")
    assert told.count() == told_before + 1
    assert told[0].subject == f"Your application to {company.legal_name}: {label(to_state)}"
    assert told[0].url == reverse("matching:my_application", args=[application.pk])


@pytest.mark.parametrize(("from_state", "to_state"), REFUSED, ids=[f"{a} to {b}" for a, b in REFUSED])
def test_a_move_not_allowed_is_refused_with_a_reason_and_changes_nothing(from_state, to_state, job, profile, recruiter):
    application = application_in(from_state, job, profile)
    events = ApplicationEvent.objects.count()
    told = Message.objects.filter(recipient=profile.user).count()

    response = move(signed_in(recruiter), application, to_state)

    application.refresh_from_db()
    assert application.state == from_state
    assert ApplicationEvent.objects.count() == events
    assert Message.objects.filter(recipient=profile.user).count() == told
    assert f"An application cannot go from “{label(from_state)}” to “{label(to_state)}”." in (response.content.decode())


def test_the_service_itself_refuses_a_move_not_allowed(job, profile, recruiter):
    application = application_in("applied", job, profile)

    with pytest.raises(ValidationError, match="cannot go from “Applied” to “Hired”"):
        services.application_move(actor=recruiter, application=application, to_state="hired")

    application.refresh_from_db()
    assert application.state == "applied"


def test_an_unknown_state_is_refused_without_an_error_page(job, profile, recruiter):
    application = application_in("applied", job, profile)

    response = signed_in(recruiter).post(page_of(application), {"action": "move", "to_state": "promoted"})

    application.refresh_from_db()
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert application.state == "applied"


# --- The candidate withdraws ---------------------------------------------------------------------


def test_the_candidate_withdraws_and_every_member_is_told(job, profile, company, recruiter):
    application = application_in("interview", job, profile)
    members = [admin_of(company), recruiter]

    response = signed_in(profile.user).post(
        reverse("matching:my_application_withdraw", args=[application.pk]), follow=True
    )

    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert application.closed_at is not None
    assert "You withdrew your application. The employer was told." in response.content.decode()
    event = application.events.last()
    assert (event.from_state, event.to_state, event.actor) == ("interview", "withdrawn", profile.user)
    for member in members:
        latest = Message.objects.filter(recipient=member).order_by("-pk").first()
        assert latest.subject == f"An application for “{job.title}” was withdrawn"
    # …and the employer cannot move it any more.
    move(signed_in(recruiter), application, "offer")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


def test_a_decided_application_cannot_be_withdrawn(job, profile):
    application = application_in("hired", job, profile)

    signed_in(profile.user).post(reverse("matching:my_application_withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert application.state == ApplicationState.HIRED
    assert not application.events.filter(to_state="withdrawn").exists()


def test_nobody_else_withdraws_a_candidates_application(job, profile):
    application = application_in("applied", job, profile)

    response = signed_in(CandidateFactory()).post(reverse("matching:my_application_withdraw", args=[application.pk]))

    application.refresh_from_db()
    assert response.status_code == 404
    assert application.state == ApplicationState.APPLIED


# --- Notes ------------------------------------------------------------------------------------------


def test_a_member_adds_a_note_that_the_application_page_shows(job, profile, recruiter, company):
    application = application_in("screening", job, profile)

    signed_in(recruiter).post(page_of(application), {"action": "note", "body": "Strong PLC experience; call Tuesday."})
    page = signed_in(admin_of(company)).get(page_of(application))

    note = ApplicationNote.objects.get()
    assert (note.application, note.author) == (application, recruiter)
    assert "Strong PLC experience; call Tuesday." in page.content.decode()


def test_no_note_after_the_candidate_withdrew_the_grant_and_old_notes_are_hidden(job, profile, recruiter):
    application = application_in("screening", job, profile)
    client = signed_in(recruiter)
    client.post(page_of(application), {"action": "note", "body": "Before the withdrawal."})
    withdraw_grant(application)

    response = client.post(page_of(application), {"action": "note", "body": "After the withdrawal."}, follow=True)

    html = response.content.decode()
    assert list(ApplicationNote.objects.values_list("body", flat=True)) == ["Before the withdrawal."]
    assert "The candidate no longer shares their profile with you: no new notes." in html
    assert "Before the withdrawal." not in html


# --- Never another employer's candidates --------------------------------------------------------------


def test_a_member_of_another_employer_never_sees_the_application_nor_the_opening(job, profile):
    application = application_in("screening", job, profile)
    stranger = recruiter_of(EmployerWithAgreementFactory())
    client = signed_in(stranger)

    assert client.get(page_of(application)).status_code == 404
    assert client.get(reverse("matching:employer_opening", args=[job.pk])).status_code == 404
    assert client.post(page_of(application), {"action": "move", "to_state": "interview"}).status_code == 404
    assert client.post(page_of(application), {"action": "note", "body": "peek"}).status_code == 404
    application.refresh_from_db()
    assert application.state == "screening"
    assert not ApplicationNote.objects.exists()
    assert not AccessRecord.objects.filter(viewer_id=stranger.pk).exists()


def test_the_service_refuses_a_member_of_another_employer(job, profile):
    application = application_in("applied", job, profile)
    stranger = recruiter_of(EmployerWithAgreementFactory())

    with pytest.raises(PermissionDenied):
        services.application_move(actor=stranger, application=application, to_state="screening")


# --- The grant decides what is shown ---------------------------------------------------------------------


def withdraw_grant(application) -> None:
    from consents.services import share_grant_withdraw

    share_grant_withdraw(actor=application.candidate, grant=ShareGrant.objects.get(pk=application.grant_id))


def test_withdrawing_the_grant_hides_the_data_at_once_but_keeps_the_state(job, profile, recruiter):
    application = application_in("interview", job, profile)
    client = signed_in(recruiter)
    shown = client.get(page_of(application)).content.decode()
    assert profile.name_passport in shown and profile.user.email in shown

    signed_in(profile.user).post(reverse("consents:grant_withdraw", args=[application.grant_id]))
    page = client.get(page_of(application))
    listing = client.get(reverse("matching:employer_opening", args=[job.pk])).content.decode()

    html = page.content.decode()
    assert page.status_code == 200
    assert profile.name_passport not in html
    assert profile.user.email not in html
    assert profile.phone not in html
    assert NO_LONGER_SHARES in html
    assert "Application — Interview" in html  # the state is still there, with its history
    assert "— Screening" in html and "— Interview" in html
    assert profile.name_passport not in listing
    assert "Candidate no longer shares their profile" in listing
    application.refresh_from_db()
    assert application.state == ApplicationState.INTERVIEW


def test_a_restriction_of_processing_hides_the_data_like_a_withdrawal(job, profile, recruiter):
    application = application_in("applied", job, profile)
    ProcessingRestriction.objects.create(user=profile.user, reason="Disputes the accuracy of the data")

    html = signed_in(recruiter).get(page_of(application)).content.decode()

    assert profile.name_passport not in html
    assert NO_LONGER_SHARES in html
    assert not AccessRecord.objects.exists()


def test_the_opening_lists_a_sharing_candidate_by_name(job, profile, recruiter):
    application_in("applied", job, profile)

    listing = signed_in(recruiter).get(reverse("matching:employer_opening", args=[job.pk])).content.decode()

    assert profile.name_passport in listing
    assert "Candidate no longer shares their profile" not in listing


# --- The record of each look -----------------------------------------------------------------------


def records_of(profile):
    return AccessRecord.objects.filter(subject_key=subject_key_for(profile.user))


def test_each_view_of_the_application_page_writes_exactly_one_access_record(job, profile, recruiter, company):
    application = application_in("applied", job, profile)
    client = signed_in(recruiter)

    client.get(page_of(application))

    record = records_of(profile).get()
    assert (record.viewer_id, record.employer_id, record.grant_id) == (recruiter.pk, company.pk, application.grant_id)
    assert record.field_groups == ["contact", "core"]
    assert record.channel == "web"
    client.get(page_of(application))
    assert records_of(profile).count() == 2


def test_a_move_records_only_the_page_shown_after_it(job, profile, recruiter):
    application = application_in("applied", job, profile)

    move(signed_in(recruiter), application, "screening")

    assert records_of(profile).count() == 1


def test_no_record_once_nothing_is_shown(job, profile, recruiter):
    application = application_in("applied", job, profile)
    withdraw_grant(application)

    signed_in(recruiter).get(page_of(application))
    move(signed_in(recruiter), application, "not_selected")

    assert not records_of(profile).exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.NOT_SELECTED  # telling the candidate "no" stays possible
