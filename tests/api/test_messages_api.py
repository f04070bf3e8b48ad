"""The conversation on an application over the API: through the web's
service, only while the candidate shares their profile, each read recorded."""

import pytest
from django.utils import timezone

from consents.models import AccessRecord, Channel
from consents.services import share_grant_withdraw, subject_key_for
from matching.models import ApplicationMessage
from matching.services import application_message_send
from tests.api.factories import bearer, register, token
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory

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
