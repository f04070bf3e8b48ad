"""The conversation on an application over the API: through the web's
service, only while the candidate shares their profile, each read recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.oauth import EMPLOYER_SCOPES
from consents.models import AccessRecord, Channel
from consents.services import share_grant_withdraw, subject_key_for
from matching.models import ApplicationMessage, Interview, Message
from matching.services import application_message_send, interview_choose, interview_propose
from tests.api.factories import bearer, register, token
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory
from tests.matching.talk import invitations_to

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def application():
    return ApplicationFactory(opening=OpeningFactory(employer=EmployerWithAgreementFactory()))


@pytest.fixture
def api(application):
    return bearer(token(register(admin_of(application.opening.employer))))


def test_the_employer_writes_and_reads_the_conversation(api, application):
    path = f"/api/v1/applications/{application.pk}/messages/"
    application_message_send(author=application.candidate, application=application, body="Hello, I can start in May.")
    sent = api.post(path, {"body": "  Thank you: can you talk on Friday?  "}, content_type=JSON)
    assert sent.status_code == 201 and sent.json()["side"] == "employer"
    stored = ApplicationMessage.objects.get(pk=sent.json()["id"])
    assert stored.body == "Thank you: can you talk on Friday?" and stored.side == "employer"
    ApplicationMessage.objects.filter(side="candidate").update(hidden_at=timezone.now(), hidden_reason="reported")
    listed = api.get(path).json()
    assert [(m["side"], m["hidden"]) for m in listed] == [("candidate", True), ("employer", False)]
    assert listed[0]["body"] == ""
    assert AccessRecord.objects.filter(subject_key=subject_key_for(application.candidate), channel=Channel.API).exists()
    assert api.post(path, {"body": ""}, content_type=JSON).status_code == 400


def test_closed_when_the_candidate_withdraws(api, application):
    path = f"/api/v1/applications/{application.pk}/messages/"
    share_grant_withdraw(actor=application.candidate, grant=application.grant)
    assert api.get(path).status_code == 404
    assert api.post(path, {"body": "Still there?"}, content_type=JSON).status_code == 404
    assert not ApplicationMessage.objects.exists()


def test_the_employer_proposes_interview_times(api, application):
    path = f"/api/v1/applications/{application.pk}/interviews/"
    soon = timezone.now() + timedelta(days=3)
    times = [(soon + timedelta(hours=h)).isoformat() for h in (0, 2)]
    refused = api.post(path, {"slots": times}, content_type=JSON)  # neither a place nor a video link
    assert refused.status_code == 400
    past = api.post(path, {"slots": ["2001-01-01T10:00:00+09:00"], "place": "Head office"}, content_type=JSON)
    assert past.status_code == 400
    answer = api.post(
        path, {"slots": times, "place": "Head office, 3F", "duration_minutes": 45}, content_type=JSON
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["state"] == "proposed" and len(answer.json()["slots"]) == 2
    application.refresh_from_db()
    assert application.state == "interview"
    assert Message.objects.filter(recipient=application.candidate, subject__contains="interview").exists()
    listed = api.get(path).json()
    assert [i["id"] for i in listed] == [answer.json()["id"]] and listed[0]["duration_minutes"] == 45
    share_grant_withdraw(actor=application.candidate, grant=application.grant)
    assert api.get(path).status_code == 404


def _proposed(application) -> Interview:
    soon = timezone.now() + timedelta(days=3)
    return interview_propose(
        actor=admin_of(application.opening.employer),
        application=application,
        slots=[soon, soon + timedelta(hours=2)],
        place="Head office, 3F",
    )


def _cancel_path(application, interview) -> str:
    return f"/api/v1/applications/{application.pk}/interviews/{interview.pk}/cancel/"


def test_the_employer_cancels_an_interview_and_the_candidate_is_told(api, application):
    interview = _proposed(application)
    answer = api.post(_cancel_path(application, interview), {"reason": "The position was filled."}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == interview.pk and answer.json()["state"] == "cancelled"
    interview.refresh_from_db()
    assert interview.state == "cancelled" and interview.cancel_reason == "The position was filled."
    cancellations = Message.objects.filter(recipient=application.candidate, subject__startswith="Interview cancelled")
    told = cancellations.get()
    assert told.body.startswith("The position was filled.")
    again = api.post(_cancel_path(application, interview), content_type=JSON)  # no body: no reason
    assert again.status_code == 200 and again.json()["state"] == "cancelled"
    assert cancellations.count() == 1
    too_long = api.post(_cancel_path(application, _proposed(application)), {"reason": "x" * 501}, content_type=JSON)
    assert too_long.status_code == 400


def test_a_scheduled_interview_leaves_both_calendars(api, application):
    interview = _proposed(application)
    interview_choose(candidate=application.candidate, interview=interview, slot_id=interview.slots.first().pk)
    assert api.post(_cancel_path(application, interview), content_type=JSON).status_code == 200
    assert invitations_to(application.candidate)[-1]["METHOD"] == "CANCEL"


def test_cancelling_is_refused_without_the_grant_the_scope_or_the_application(api, application):
    interview = _proposed(application)
    path = _cancel_path(application, interview)
    admin = admin_of(application.opening.employer)
    reading = bearer(token(register(admin, scopes=[s for s in EMPLOYER_SCOPES if s != "applications:write"])))
    lacking = reading.post(path, content_type=JSON)
    assert lacking.status_code == 403 and lacking["Content-Type"] == "application/problem+json"
    stranger = bearer(token(register(admin_of(EmployerWithAgreementFactory()))))
    assert stranger.post(path, content_type=JSON).status_code == 404
    other = ApplicationFactory(opening=application.opening)
    assert api.post(_cancel_path(other, interview), content_type=JSON).status_code == 404
    assert api.post(_cancel_path(application, _proposed(other)), content_type=JSON).status_code == 404
    assert Interview.objects.filter(state="cancelled").count() == 0
    share_grant_withdraw(actor=application.candidate, grant=application.grant)
    Interview.objects.filter(pk=interview.pk).update(state="proposed")  # as if still on: the grant alone decides
    assert api.post(path, content_type=JSON).status_code == 404
    assert Interview.objects.get(pk=interview.pk).state == "proposed"
