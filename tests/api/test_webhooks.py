"""Webhooks: signed per Standard Webhooks (checked with the package's own
verifier), sent after the commit from delivery rows, retried after 500s,
stopped after repeated failures (the admins are told), payloads without the
candidate's data."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accounts.models import EmployerMember
from consents.services import share_grant_withdraw, share_grants_expire_due
from matching.models import WebhookDelivery, WebhookEndpoint
from matching.services import webhook_endpoint_add, webhook_endpoint_rotate_secret, webhook_previous_secrets_drop
from matching.webhook_delivery import signed_request
from tests.consents.factories import EmployerWithAgreementFactory, admin_of
from tests.matching.factories import ApplicationFactory, OpeningFactory, move_to

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP receiver answering the statuses it is given in turn (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    # The local receiver is allowed by the documented development/test
    # allowance, not by a weaker rule (tests/api/test_webhook_addresses.py).
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = True
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.TSUNAGU_WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def employer():
    return EmployerWithAgreementFactory()


@pytest.fixture
def admin(employer):
    return admin_of(employer)


ALL_EVENTS = ["application.created", "application.state_changed", "grant.withdrawn", "grant.expired"]


def test_events_are_signed_and_carry_their_id(admin, employer, django_capture_on_commit_callbacks):
    opening = OpeningFactory(employer=employer)
    with Receiver() as receiver:
        issued = webhook_endpoint_add(actor=admin, url=receiver.url, events=ALL_EVENTS)
        with django_capture_on_commit_callbacks(execute=True):
            application = ApplicationFactory(opening=opening, state="applied")
        with django_capture_on_commit_callbacks(execute=True):
            move_to(application, "screening")
    assert len(receiver.received) == 2
    verifier = Webhook(issued.secret)
    created = verifier.verify(receiver.received[0][1], receiver.received[0][0])
    assert created["type"] == "application.created"
    assert created["id"] == receiver.received[0][0]["webhook-id"]
    assert created["data"] == {
        "application": application.pk,
        "opening": opening.pk,
        "state": "applied",
        "candidate_profile": application.candidate.candidate_profile.pk,
    }
    moved = verifier.verify(receiver.received[1][1], receiver.received[1][0])
    assert moved["data"]["from_state"] == "applied" and moved["data"]["state"] == "screening"
    # Identifiers only: nothing the candidate shares travels in a webhook.
    text = receiver.received[0][1].decode()
    assert application.candidate.email not in text and application.candidate.candidate_profile.name_passport not in text
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_forged_or_altered_event_fails_the_verifier(admin):
    endpoint = webhook_endpoint_add(actor=admin, url="http://127.0.0.1:9/x", events=ALL_EVENTS)
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint.endpoint, event_type="webhook.test", payload={"id": "x", "data": {"n": 1}}
    )
    body, headers = signed_request(delivery)
    Webhook(endpoint.secret).verify(body, headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(body.replace(b"1", b"2"), headers)
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43).verify(body, headers)


def _signed_after_rotating(admin, hours_ago: float):
    """A receiver whose secret was rotated `hours_ago`, and a delivery to it
    signed now: (old secret, new secret, body, headers)."""
    issued = webhook_endpoint_add(actor=admin, url="https://ats.example.test/hook", events=ALL_EVENTS)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(hours=hours_ago)):
        rotated = webhook_endpoint_rotate_secret(actor=admin, endpoint=issued.endpoint)
    delivery = WebhookDelivery.objects.create(endpoint=rotated.endpoint, event_type="webhook.test", payload={"id": "x"})
    body, headers = signed_request(WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk))
    return issued.secret, rotated.secret, body, headers


def test_after_a_rotation_the_old_secret_signs_too_for_24_hours_and_the_new_one_at_once(admin):
    for hours_ago in (0, 23.9):
        old, new, body, headers = _signed_after_rotating(admin, hours_ago)
        assert len(headers["webhook-signature"].split(" ")) == 2
        assert Webhook(new).verify(body, headers) == {"id": "x"}
        assert Webhook(old).verify(body, headers) == {"id": "x"}
    old, new, body, headers = _signed_after_rotating(admin, 24.1)
    assert len(headers["webhook-signature"].split(" ")) == 1
    assert Webhook(new).verify(body, headers) == {"id": "x"}
    with pytest.raises(WebhookVerificationError, match="signature"):
        Webhook(old).verify(body, headers)


def test_rotating_again_ends_the_overlap_of_the_secret_before(admin):
    first = webhook_endpoint_add(actor=admin, url="https://ats.example.test/hook", events=ALL_EVENTS)
    second = webhook_endpoint_rotate_secret(actor=admin, endpoint=first.endpoint)
    third = webhook_endpoint_rotate_secret(actor=admin, endpoint=second.endpoint)
    delivery = WebhookDelivery.objects.create(endpoint=third.endpoint, event_type="webhook.test", payload={"id": "x"})
    body, headers = signed_request(delivery)
    assert Webhook(third.secret).verify(body, headers) and Webhook(second.secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError, match="signature"):
        Webhook(first.secret).verify(body, headers)


def test_previous_secrets_are_dropped_once_their_overlap_is_over(admin):
    _signed_after_rotating(admin, 25)
    _signed_after_rotating(admin, 1)
    assert webhook_previous_secrets_drop() == 1
    kept = WebhookEndpoint.objects.exclude(previous_secret="").get()
    assert kept.previous_secret_until > timezone.now()
    dropped = WebhookEndpoint.objects.exclude(pk=kept.pk).get()
    assert dropped.previous_secret_until is None and dropped.previous_secret_signs_until is None


def test_withdrawal_tells_the_receiver_to_delete(admin, employer, django_capture_on_commit_callbacks):
    application = ApplicationFactory(opening=OpeningFactory(employer=employer))
    with Receiver() as receiver:
        issued = webhook_endpoint_add(actor=admin, url=receiver.url, events=["grant.withdrawn"])
        with django_capture_on_commit_callbacks(execute=True):
            share_grant_withdraw(actor=application.candidate, grant=application.grant)
    event = Webhook(issued.secret).verify(receiver.received[0][1], receiver.received[0][0])
    assert event["type"] == "grant.withdrawn"
    assert event["data"]["action"] == "delete_candidate_data"
    assert event["data"]["applications"] == [application.pk]


def test_expiry_is_an_event_too(admin, employer, django_capture_on_commit_callbacks):
    application = ApplicationFactory(opening=OpeningFactory(employer=employer))
    with Receiver() as receiver:
        webhook_endpoint_add(actor=admin, url=receiver.url, events=["grant.expired"])
        with django_capture_on_commit_callbacks(execute=True):
            share_grants_expire_due(now=timezone.now() + timedelta(days=3650))
    assert json.loads(receiver.received[0][1])["type"] == "grant.expired"
    assert json.loads(receiver.received[0][1])["data"]["applications"] == [application.pk]


def test_retried_after_500s_with_the_same_event_id(admin, django_capture_on_commit_callbacks):
    with Receiver(statuses=[500, 503]) as receiver:
        issued = webhook_endpoint_add(actor=admin, url=receiver.url, events=ALL_EVENTS)
        client_url = reverse("matching:employer_webhook_test", args=[issued.endpoint.pk])
        from django.test import Client

        web = Client()
        web.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            assert web.post(client_url).status_code == 302
    assert len(receiver.received) == 3
    assert len({headers["webhook-id"] for headers, _ in receiver.received}) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "delivered" and delivery.attempts == 3
    assert WebhookEndpoint.objects.get().consecutive_failures == 0


def test_stopped_after_repeated_failures_and_the_admin_is_told(admin, settings, django_capture_on_commit_callbacks):
    from matching.models import Message

    settings.TSUNAGU_WEBHOOK_DISABLE_AFTER = 4
    with Receiver(statuses=[500] * 20) as receiver:
        issued = webhook_endpoint_add(actor=admin, url=receiver.url, events=ALL_EVENTS)
        from matching.services import webhook_test_send

        with django_capture_on_commit_callbacks(execute=True):
            webhook_test_send(actor=admin, endpoint=issued.endpoint)
    assert len(receiver.received) == 4
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.disabled_at is not None
    assert WebhookDelivery.objects.get().state == "failed"
    assert Message.objects.filter(recipient=admin, subject__contains="stopped").exists()


def test_unreachable_receiver_counts_as_a_failure(admin, settings, django_capture_on_commit_callbacks):
    settings.TSUNAGU_WEBHOOK_DISABLE_AFTER = 2
    issued = webhook_endpoint_add(actor=admin, url="http://127.0.0.1:9/nobody", events=ALL_EVENTS)
    from matching.services import webhook_test_send

    with django_capture_on_commit_callbacks(execute=True):
        webhook_test_send(actor=admin, endpoint=issued.endpoint)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "failed" and delivery.last_error


def test_the_page_adds_shows_the_secret_once_and_refuses_plain_http_in_production(admin, client, settings):
    client.force_login(admin)
    url = reverse("matching:employer_webhooks")
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = False
    refused = client.post(url, {"url": "http://example.test/hook", "events": ["grant.withdrawn"]})
    assert refused.status_code == 400 and not WebhookEndpoint.objects.exists()
    added = client.post(url, {"url": "https://ats.example.test/hook", "events": ["grant.withdrawn"]})
    assert added.status_code == 200
    secret = added.context["issued"].secret
    assert secret in added.content.decode()
    assert secret not in client.get(url).content.decode()


def test_recruiters_and_other_companies_cannot(admin, client):
    issued = webhook_endpoint_add(actor=admin, url="https://ats.example.test/hook", events=ALL_EVENTS)
    other = admin_of(EmployerWithAgreementFactory())
    client.force_login(other)
    assert client.post(reverse("matching:employer_webhook_test", args=[issued.endpoint.pk])).status_code == 404
    assert client.post(reverse("matching:employer_webhook_stop", args=[issued.endpoint.pk])).status_code == 404
    recruiter = EmployerMember.objects.filter(role="recruiter").first()
    assert recruiter is None or recruiter.employer_id != issued.endpoint.employer_id
