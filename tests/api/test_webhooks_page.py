"""The company's webhooks page beyond adding a receiver
(tests/api/test_webhooks.py): start a stopped one again, give it a new
signing secret, change its events, remove it. Plain forms (no JavaScript),
through the API's services; the company's admins only, with a CSRF token;
another company's receiver is not found."""

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from matching.models import WebhookDelivery, WebhookEndpoint, WebhookEndpointChange
from matching.services import webhook_endpoint_add, webhook_endpoint_disable, webhook_test_send
from matching.webhook_delivery import signed_request

pytestmark = pytest.mark.django_db

EVENTS = ["application.created", "grant.withdrawn"]
PAGE = "matching:employer_webhooks"
# The new pages: name → whether GET shows something (a form or a question).
NEW = {
    "employer_webhook": True,
    "employer_webhook_delete": True,
    "employer_webhook_start": False,
    "employer_webhook_rotate": False,
    "employer_webhook_replace_secret": True,
}


@pytest.fixture
def endpoint(employer_admin):
    return webhook_endpoint_add(actor=employer_admin, url="https://ats.example.test/hook", events=EVENTS).endpoint


@pytest.fixture
def browser(client, employer_admin):
    client.force_login(employer_admin)
    return client


def url(name: str, endpoint) -> str:
    return reverse(f"matching:{name}", args=[endpoint.pk])


def flashed(answer) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in answer.context["messages"]]


def test_every_action_is_a_plain_form_or_link_on_the_page(browser, endpoint):
    page = browser.get(reverse(PAGE)).content.decode()
    for name in ("employer_webhook_test", "employer_webhook_stop", "employer_webhook_rotate"):
        assert f'<form method="post" action="{url(name, endpoint)}">' in page
    for name in ("employer_webhook", "employer_webhook_delete", "employer_webhook_replace_secret"):
        assert f'href="{url(name, endpoint)}"' in page
    assert url("employer_webhook_start", endpoint) not in page  # it is running


def test_a_new_secret_is_shown_once_and_the_old_one_signs_too_for_a_day(browser, endpoint):
    old = endpoint.secret
    answer = browser.post(url("employer_webhook_rotate", endpoint))
    assert answer.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    page = answer.content.decode()
    assert endpoint.secret in page and old not in page
    until = endpoint.previous_secret_signs_until
    assert until is not None and abs((until - timezone.now()).total_seconds() - 24 * 3600) < 60
    assert timezone.localtime(until).strftime("%Y-%m-%d %H:%M") in page  # in Japan time
    listed = browser.get(reverse(PAGE)).content.decode()
    assert endpoint.secret not in listed and timezone.localtime(until).strftime("%Y-%m-%d %H:%M") in listed
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type="webhook.test", payload={"id": "x"})
    body, headers = signed_request(delivery)
    assert Webhook(old).verify(body, headers) == Webhook(endpoint.secret).verify(body, headers) == {"id": "x"}


def test_a_leaked_secret_is_replaced_after_a_question_and_no_old_secret_verifies_the_next_delivery(
    browser, employer_admin, endpoint
):
    first = endpoint.secret
    browser.post(url("employer_webhook_rotate", endpoint))  # an overlap running: `first` still signs
    endpoint.refresh_from_db()
    leaked = endpoint.secret
    waiting = WebhookDelivery.objects.create(endpoint=endpoint, event_type="webhook.test", payload={"id": "earlier"})
    asked = browser.get(url("employer_webhook_replace_secret", endpoint))
    assert asked.status_code == 200 and endpoint.url in asked.content.decode()
    assert '<form method="post" class="button-row">' in asked.content.decode()
    assert WebhookEndpoint.objects.get().secret == leaked  # asking changes nothing

    answer = browser.post(url("employer_webhook_replace_secret", endpoint))
    assert answer.status_code == 200
    endpoint.refresh_from_db()
    new = endpoint.secret
    assert new not in (first, leaked) and new in answer.content.decode()
    assert "The previous secret stopped at once" in answer.content.decode()
    assert endpoint.previous_secret_signs_until is None
    # The next delivery, and the retry of one queued before, carry the new secret's signature alone.
    for delivery in (
        WebhookDelivery.objects.create(endpoint=endpoint, event_type="webhook.test", payload={"id": "next"}),
        waiting,
    ):
        body, headers = signed_request(delivery)
        assert Webhook(new).verify(body, headers) == delivery.payload
        for old in (leaked, first):
            with pytest.raises(WebhookVerificationError):
                Webhook(old).verify(body, headers)
    # Both changes are in the receiver's history, with who made them, on the page.
    history = list(WebhookEndpointChange.objects.filter(endpoint=endpoint).order_by("at", "pk"))
    assert [(c.action, c.actor, c.url) for c in history] == [
        (WebhookEndpointChange.Action.SECRET_ROTATED, employer_admin, endpoint.url),
        (WebhookEndpointChange.Action.SECRET_REPLACED, employer_admin, endpoint.url),
    ]
    listed = browser.get(reverse(PAGE)).content.decode()
    assert "New signing secret; the previous one stopped at once" in listed and new not in listed


def test_a_receiver_stopped_after_failures_starts_again_with_its_failures_forgotten(browser, endpoint):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=15)
    webhook_endpoint_disable(endpoint=endpoint, reason="15 failures in a row")
    page = browser.get(reverse(PAGE)).content.decode()
    assert url("employer_webhook_start", endpoint) in page and url("employer_webhook_test", endpoint) not in page
    answer = browser.post(url("employer_webhook_start", endpoint), follow=True)
    assert answer.redirect_chain == [(reverse(PAGE), 302)]
    assert [level for level, _ in flashed(answer)] == [message_levels.SUCCESS]
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0 and endpoint.disabled_reason == ""


def test_it_starts_again_only_while_its_address_is_public(browser, employer_admin, dns):
    dns["moving.example.test"] = ["93.184.215.14"]
    issued = webhook_endpoint_add(actor=employer_admin, url="https://moving.example.test/hook", events=EVENTS)
    endpoint = issued.endpoint
    webhook_endpoint_disable(endpoint=endpoint, reason="Stopped by your admin", actor=employer_admin)
    dns["moving.example.test"] = ["10.0.0.8"]
    answer = browser.post(url("employer_webhook_start", endpoint), follow=True)
    assert [level for level, _ in flashed(answer)] == [message_levels.ERROR]
    assert WebhookEndpoint.objects.get().disabled_at is not None


def test_its_events_are_changed(browser, endpoint):
    form = browser.get(url("employer_webhook", endpoint))
    assert form.status_code == 200 and form.context["form"]["events"].value() == EVENTS
    assert browser.post(url("employer_webhook", endpoint), {"events": []}).status_code == 400
    assert browser.post(url("employer_webhook", endpoint), {"events": ["grant.nonsense"]}).status_code == 400
    assert WebhookEndpoint.objects.get().events == EVENTS
    saved = browser.post(url("employer_webhook", endpoint), {"events": ["grant.withdrawn", "grant.expired"]})
    assert saved.status_code == 302 and saved.url == reverse(PAGE)
    assert WebhookEndpoint.objects.get().events == ["grant.expired", "grant.withdrawn"]


def test_removing_asks_first_and_takes_the_delivery_log_with_it(browser, employer_admin, endpoint):
    webhook_test_send(actor=employer_admin, endpoint=endpoint)
    asked = browser.get(url("employer_webhook_delete", endpoint))
    assert asked.status_code == 200 and endpoint.url in asked.content.decode()
    assert '<form method="post" class="button-row">' in asked.content.decode()
    assert WebhookEndpoint.objects.exists() and WebhookDelivery.objects.exists()
    removed = browser.post(url("employer_webhook_delete", endpoint))
    assert removed.status_code == 302 and removed.url == reverse(PAGE)
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert browser.post(url("employer_webhook_delete", endpoint)).status_code == 404


def test_actions_are_posts_with_a_csrf_token(employer_admin, endpoint):
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(employer_admin)
    for name in NEW:
        assert careful.post(url(name, endpoint), {"events": ["grant.expired"]}).status_code == 403, name
    for name, shows in NEW.items():
        assert careful.get(url(name, endpoint)).status_code == (200 if shows else 405), name
    unchanged = WebhookEndpoint.objects.get()
    assert unchanged.secret == endpoint.secret and unchanged.events == EVENTS and not unchanged.previous_secret


def test_recruiters_are_refused_and_another_companys_admin_finds_nothing(
    employer_recruiter, other_employer_admin, endpoint
):
    recruiter = Client()
    recruiter.force_login(employer_recruiter)
    stranger = Client()
    stranger.force_login(other_employer_admin)
    for name in NEW:
        data = {"events": ["grant.expired"]}
        assert recruiter.post(url(name, endpoint), data).status_code == 403, name
        assert stranger.post(url(name, endpoint), data).status_code == 404, name
        assert stranger.get(url(name, endpoint)).status_code == (404 if NEW[name] else 405), name
    unchanged = WebhookEndpoint.objects.get()
    assert unchanged.secret == endpoint.secret and unchanged.events == EVENTS and not unchanged.previous_secret


def test_the_pages_speak_the_admins_language(browser, endpoint):
    with translation.override("ja"):
        rotated = browser.post(url("employer_webhook_rotate", endpoint)).content.decode()
        webhook_endpoint_disable(endpoint=endpoint, reason="15 failures in a row")
        listed = browser.get(reverse(PAGE)).content.decode()
        events = browser.get(url("employer_webhook", endpoint)).content.decode()
        asked = browser.get(url("employer_webhook_delete", endpoint)).content.decode()
    assert "（日本時間）までは" in rotated and "までは以前のシークレットでも署名します" in rotated
    assert "署名用シークレットを新しくする" in listed and "再開する" in listed
    assert "イベントを変更する" in events and "この受信先を削除しますか？" in asked
    for english in ("Japan time", "New signing secret", "Start again", "Change the events", "Remove this receiver?"):
        assert not any(english in page for page in (rotated, listed, events, asked)), english
