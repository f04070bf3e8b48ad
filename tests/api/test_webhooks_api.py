"""Webhook receivers over the API (scope webhooks:manage): the same services
and address rule as the company's webhooks page; the signing secret is in
the answer that creates or rotates it, and nowhere else."""

from datetime import datetime

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accounts.models import EmployerMember
from matching.models import WebhookDelivery, WebhookEndpoint, WebhookEndpointChange
from matching.services import webhook_endpoint_disable
from tests.api.factories import bearer, register, token
from tests.api.test_webhooks import Receiver
from tests.consents.factories import EmployerWithAgreementFactory, admin_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"
EVENTS = ["application.created", "grant.withdrawn"]
JSON = "application/json"


@pytest.fixture
def employer():
    return EmployerWithAgreementFactory()


@pytest.fixture
def admin(employer):
    return admin_of(employer)


@pytest.fixture
def api(admin):
    return bearer(token(register(admin)))


def create(api, url="https://ats.example.test/hook", events=EVENTS, **headers):
    return api.post(URL, {"url": url, "events": events}, content_type="application/json", **headers)


def test_a_receiver_is_added_and_its_secret_shown_once(api, employer):
    answer = create(api)
    assert answer.status_code == 201
    body = answer.json()
    assert body["secret"].startswith("whsec_") and body["events"] == sorted(EVENTS) and body["active"] is True
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.employer == employer and endpoint.secret == body["secret"]
    listed = api.get(URL)
    assert listed.status_code == 200 and [e["id"] for e in listed.json()] == [endpoint.pk]
    one = api.get(f"{URL}{endpoint.pk}/").content.decode()
    assert body["secret"] not in listed.content.decode() and body["secret"] not in one


def test_private_addresses_are_refused_with_a_clear_error_in_the_callers_language(api):
    answer = create(api, url="https://[::ffff:169.254.169.254]/latest", HTTP_ACCEPT_LANGUAGE="ja")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    errors = answer.json()["errors"]
    assert errors[0]["field"] == "url" and "公開されたインターネット" in errors[0]["message"]
    assert create(api, url="http://2130706433/").status_code == 400
    assert create(api, url="https://good.example.test@127.0.0.1/").json()["errors"][0]["field"] == "url"
    assert create(api, events=["grant.nonsense"]).status_code == 400
    assert create(api, events=[]).status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_a_receiver_is_changed_stopped_and_started_again(api, admin):
    pk = create(api).json()["id"]
    path = f"{URL}{pk}/"
    refused = api.patch(path, {"url": "https://localhost/hook"}, content_type="application/json")
    assert refused.status_code == 400 and WebhookEndpoint.objects.get().url == "https://ats.example.test/hook"
    changed = api.patch(
        path, {"url": "https://ats.example.test/v2", "events": ["grant.expired"]}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["events"] == ["grant.expired"]
    stopped = api.patch(path, {"active": False}, content_type="application/json").json()
    assert stopped["active"] is False and stopped["disabled_at"]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == "https://ats.example.test/v2" and endpoint.disabled_at is not None
    WebhookEndpoint.objects.filter(pk=pk).update(consecutive_failures=15)
    started = api.patch(path, {"active": True}, content_type="application/json").json()
    assert started["active"] is True and started["consecutive_failures"] == 0 and started["disabled_reason"] == ""


def test_a_receiver_stopped_after_failures_is_started_only_if_its_address_is_still_public(api, admin, dns):
    dns["moving.example.test"] = ["93.184.215.14"]
    pk = create(api, url="https://moving.example.test/hook").json()["id"]
    webhook_endpoint_disable(endpoint=WebhookEndpoint.objects.get(pk=pk), reason="15 failures in a row")
    dns["moving.example.test"] = ["10.0.0.8"]
    answer = api.patch(f"{URL}{pk}/", {"active": True}, content_type="application/json")
    assert answer.status_code == 400 and WebhookEndpoint.objects.get().disabled_at is not None


def test_a_receiver_is_removed_with_its_log(api):
    pk = create(api).json()["id"]
    api.post(f"{URL}{pk}/test/", content_type=JSON)
    assert WebhookDelivery.objects.exists()
    assert api.delete(f"{URL}{pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert api.get(f"{URL}{pk}/").status_code == 404


def test_test_event_delivery_log_and_secret_rotation(api, settings, django_capture_on_commit_callbacks):
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = True
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with Receiver() as receiver:
        created = create(api, url=receiver.url).json()
        pk = created["id"]
        with django_capture_on_commit_callbacks(execute=True):
            sent = api.post(f"{URL}{pk}/test/", content_type=JSON)
        assert sent.status_code == 202 and sent.json()["event_type"] == "webhook.test"
        rotated = api.post(f"{URL}{pk}/rotate-secret/", content_type=JSON)
        assert rotated.status_code == 200
        new_secret = rotated.json()["secret"]
        assert new_secret != created["secret"]
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"{URL}{pk}/test/", content_type=JSON)
    first, second = receiver.received
    assert Webhook(created["secret"]).verify(first[1], first[0])["type"] == "webhook.test"
    assert Webhook(new_secret).verify(second[1], second[0])["type"] == "webhook.test"
    # For 24 hours the old secret signs too (tests/api/test_webhooks.py: and not after).
    assert Webhook(created["secret"]).verify(second[1], second[0])["type"] == "webhook.test"
    until = datetime.fromisoformat(rotated.json()["previous_secret_signs_until"])
    assert abs((until - timezone.now()).total_seconds() - 24 * 3600) < 60
    assert api.get(f"{URL}{pk}/").json()["previous_secret_signs_until"] == rotated.json()["previous_secret_signs_until"]
    assert created["previous_secret_signs_until"] is None
    log = api.get(f"{URL}{pk}/deliveries/").json()
    assert [d["state"] for d in log] == ["delivered", "delivered"]
    assert log[0]["event_id"] == second[0]["webhook-id"]  # newest first
    assert "payload" not in log[0]


def test_a_leaked_secret_stops_at_once_the_next_delivery_verifies_only_with_the_new_one(
    api, admin, settings, django_capture_on_commit_callbacks
):
    settings.TSUNAGU_WEBHOOK_ALLOW_HTTP = True
    settings.TSUNAGU_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with Receiver() as receiver:
        created = create(api, url=receiver.url).json()
        pk = created["id"]
        assert api.post(f"{URL}{pk}/rotate-secret/", {"stop_previous": "maybe"}, content_type=JSON).status_code == 400
        replaced = api.post(f"{URL}{pk}/rotate-secret/", {"stop_previous": True}, content_type=JSON)
        assert replaced.status_code == 200 and replaced.json()["previous_secret_signs_until"] is None
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"{URL}{pk}/test/", content_type=JSON)
    [(headers, body)] = receiver.received
    assert Webhook(replaced.json()["secret"]).verify(body, headers)["type"] == "webhook.test"
    with pytest.raises(WebhookVerificationError):
        Webhook(created["secret"]).verify(body, headers)
    [change] = WebhookEndpointChange.objects.all()
    assert (change.action, change.actor, change.endpoint_id) == ("secret_replaced", admin, pk)


def test_the_delivery_log_keeps_the_last_50(api, employer):
    pk = create(api).json()["id"]
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event_type="webhook.test", payload={}) for _ in range(55)
    )
    assert len(api.get(f"{URL}{pk}/deliveries/").json()) == 50


def test_a_stopped_receiver_gets_no_test_event(api):
    pk = create(api).json()["id"]
    api.patch(f"{URL}{pk}/", {"active": False}, content_type="application/json")
    answer = api.post(f"{URL}{pk}/test/", content_type=JSON)
    assert answer.status_code == 400 and not WebhookDelivery.objects.exists()


def test_another_company_sees_nothing_and_a_client_of_a_demoted_admin_stops(api, admin, employer):
    pk = create(api).json()["id"]
    other = bearer(token(register(admin_of(EmployerWithAgreementFactory()))))
    assert other.get(URL).json() == []
    for method, path in [("get", ""), ("patch", ""), ("delete", ""), ("post", "test/"), ("post", "rotate-secret/")]:
        assert getattr(other, method)(f"{URL}{pk}/{path}", {}, content_type="application/json").status_code == 404
    EmployerMember.objects.filter(user=admin, employer=employer).update(role=EmployerMember.Role.RECRUITER)
    assert api.post(f"{URL}{pk}/rotate-secret/", content_type=JSON).status_code in (401, 403)
    assert WebhookEndpoint.objects.get().secret != ""
