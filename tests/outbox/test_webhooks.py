"""Postmark's webhooks (PRODUCT §6): verified (HTTP basic auth with
ANYMAIL WEBHOOK_SECRET), they move an email's state and suppress an address
that hard-bounced or complained, so that the person gets no more purpose
mail. The payloads are Postmark's documented webhook bodies."""

import base64
import json

import pytest
from django.urls import reverse

from accounts.models import StaffGroup
from consents import services
from consents.campaigns.models import Campaign
from consents.campaigns.services import audience, campaign_run, campaign_save, campaign_schedule
from consents.models import EmailPurpose
from outbox.models import OutboundEmail, OutboundEmailEvent, Suppression
from tests.accounts.factories import CandidateFactory, StaffFactory
from tests.postmark_standin import serve_postmark

pytestmark = pytest.mark.django_db

WEBHOOK = reverse("postmark_tracking_webhook")
SECRET = "postmark:test-webhook-secret"  # config.settings.test
PURPOSE = EmailPurpose.JOB_OPENINGS


@pytest.fixture
def postmark(settings):
    yield from serve_postmark(settings)


@pytest.fixture
def lan(db):
    person = CandidateFactory(email="lan@example.test")
    services.purpose_consents_set(actor=person, user=person, choices={PURPOSE: True}, language="en")
    return person


def new_campaign(subject="New openings in Aichi"):
    staff = StaffFactory(groups=[StaffGroup.COORDINATOR])
    campaign = campaign_save(
        actor=staff,
        campaign=Campaign(
            purpose=PURPOSE, subject_en=subject, body_en="Hello", subject_ja="求人のお知らせ", body_ja="こんにちは"
        ),
    )
    return campaign_schedule(actor=staff, campaign=campaign, when=None)


def send_campaign(django_capture_on_commit_callbacks, subject="New openings in Aichi") -> Campaign:
    campaign = new_campaign(subject)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_run(campaign.pk)
    return campaign


def post(client, payload: dict, *, secret: str | None = SECRET):
    headers = {}
    if secret is not None:
        headers["authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(WEBHOOK, data=json.dumps(payload), content_type="application/json", headers=headers)


def delivery(message: dict) -> dict:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": message["MessageStream"],
        "MessageID": message["MessageID"],
        "Recipient": message["To"],
        "Tag": message.get("Tag", ""),
        "DeliveredAt": "2025-06-02T07:33:54.9070259Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": message["Metadata"],
    }


def bounce(message: dict, kind: str = "HardBounce", *, event_id: int = 4323372036854775807) -> dict:
    names = {
        "HardBounce": (1, "Hard bounce", True),
        "SoftBounce": (4096, "Soft bounce", False),
        "SpamComplaint": (512, "Spam complaint", True),
    }
    code, name, inactive = names[kind]
    return {
        "RecordType": "SpamComplaint" if kind == "SpamComplaint" else "Bounce",
        "MessageStream": message["MessageStream"],
        "ID": event_id,
        "Type": kind,
        "TypeCode": code,
        "Name": name,
        "Tag": message.get("Tag", ""),
        "MessageID": message["MessageID"],
        "Metadata": message["Metadata"],
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": message["To"],
        "From": "no-reply@tsunagu.example",
        "BouncedAt": "2025-06-02T07:34:10.1230000Z",
        "DumpAvailable": True,
        "Inactive": inactive,
        "CanActivate": True,
        "Subject": message["Subject"],
    }


def row_of(message: dict) -> OutboundEmail:
    return OutboundEmail.objects.get(key=message["Metadata"]["outbox_key"])


# --- Verification --------------------------------------------------------------------------


def test_a_webhook_without_the_secret_is_refused_and_changes_nothing(
    client, postmark, lan, django_capture_on_commit_callbacks
):
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    assert post(client, bounce(message), secret=None).status_code == 400
    assert post(client, bounce(message), secret="postmark:guessed").status_code == 400
    assert not Suppression.objects.exists()
    assert row_of(message).state == OutboundEmail.State.SENT
    assert audience(PURPOSE).filter(pk=lan.pk).exists()


# --- Delivery ----------------------------------------------------------------------------------


def test_a_delivery_marks_the_email_delivered(client, postmark, lan, django_capture_on_commit_callbacks):
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    assert post(client, delivery(message)).status_code == 200
    email = row_of(message)
    assert email.state == OutboundEmail.State.DELIVERED
    assert email.events.filter(kind="provider:delivered").count() == 1


def test_the_same_event_twice_is_recorded_once(client, postmark, lan, django_capture_on_commit_callbacks):
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    for _ in range(2):
        assert post(client, delivery(message)).status_code == 200
        assert post(client, bounce(message, "SoftBounce", event_id=77)).status_code == 200
    email = row_of(message)
    assert OutboundEmailEvent.objects.filter(email=email, kind="provider:delivered").count() == 1
    assert OutboundEmailEvent.objects.filter(email=email, kind="provider:bounced").count() == 1


# --- Bounces and complaints ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "state", "reason"),
    [
        ("HardBounce", OutboundEmail.State.BOUNCED, Suppression.Reason.HARD_BOUNCE),
        ("SpamComplaint", OutboundEmail.State.COMPLAINED, Suppression.Reason.COMPLAINT),
    ],
)
def test_a_hard_bounce_or_a_complaint_suppresses_the_address_and_stops_purpose_mail(
    client, postmark, lan, django_capture_on_commit_callbacks, kind, state, reason
):
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    # A second campaign is already written to the outbox when the report comes in.
    later = new_campaign("More openings")
    with django_capture_on_commit_callbacks() as pending_delivery:
        campaign_run(later.pk)

    assert post(client, bounce(message, kind)).status_code == 200

    assert row_of(message).state == state
    suppression = Suppression.objects.get(email="lan@example.test")
    assert suppression.reason == reason
    for deliver in pending_delivery:
        deliver()
    queued = OutboundEmail.objects.get(campaign_id=later.pk)
    assert queued.state == OutboundEmail.State.SUPPRESSED
    assert len(postmark.accepted_for("lan@example.test")) == 1
    # And the next campaign does not even count them.
    assert not audience(PURPOSE).filter(pk=lan.pk).exists()
    third = send_campaign(django_capture_on_commit_callbacks, "Even more openings")
    assert not OutboundEmail.objects.filter(campaign_id=third.pk).exists()
    assert len(postmark.accepted_for("lan@example.test")) == 1


def test_a_soft_bounce_does_not_suppress(client, postmark, lan, django_capture_on_commit_callbacks):
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    assert post(client, bounce(message, "SoftBounce")).status_code == 200
    assert not Suppression.objects.exists()
    assert row_of(message).state == OutboundEmail.State.SENT
    send_campaign(django_capture_on_commit_callbacks, "More openings")
    assert len(postmark.accepted_for("lan@example.test")) == 2


def test_a_bounce_of_an_address_in_other_letter_case_still_suppresses_it(
    client, postmark, django_capture_on_commit_callbacks
):
    person = CandidateFactory(email="Lan.Nguyen@Example.test")
    services.purpose_consents_set(actor=person, user=person, choices={PURPOSE: True}, language="en")
    send_campaign(django_capture_on_commit_callbacks)
    [message] = postmark.accepted()
    assert post(client, bounce({**message, "To": "lan.nguyen@example.test"})).status_code == 200
    assert not audience(PURPOSE).filter(pk=person.pk).exists()
