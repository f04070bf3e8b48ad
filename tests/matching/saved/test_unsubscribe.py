"""One-click unsubscribe from an alert's mail (RFC 8058): the
List-Unsubscribe link stops that alert — GET asks, POST (a mail client's
"List-Unsubscribe=One-Click", no session, no CSRF token) stops it —; the
body's purpose link (the campaigns' page, same signing) withdraws "job
openings you can apply for" with a ledger row. A tampered or expired link
is a clear 400."""

import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from consents.models import Channel, ConsentEvent, EmailPurpose
from consents.selectors import purpose_states
from consents.unsubscribe import UNSUBSCRIBE_SALT, unsubscribe_url
from matching.saved import services
from matching.saved.models import AlertUnsubscribe, JobAlert
from outbox import delivery
from tests.matching.factories import OpeningFactory
from tests.matching.saved.factories import alert_for, opted_in

pytestmark = pytest.mark.django_db

PURPOSE = EmailPurpose.JOB_OPENINGS
DAY = 24 * 3600


def links_of_a_digest(person) -> tuple[str, str]:
    """(alert link from List-Unsubscribe, purpose link from the body) as
    the person's mail client sees them."""
    services.job_alerts_run(frequency="daily")
    email = services.OutboundEmail.objects.get(recipient=person, kind="saved.alert_digest")
    message = delivery.build_message(email)
    alert_link = message.extra_headers["List-Unsubscribe"].strip("<>")
    purpose_link = next(word for word in message.body.split() if "/unsubscribe/" in word and "/alerts/" not in word)
    return urlsplit(alert_link).path, urlsplit(purpose_link).path


@pytest.fixture
def lan():
    person = opted_in("lan@example.test")
    alert_for(person, "prefecture=13", name="Tokyo")
    OpeningFactory(prefecture="13")
    return person


def test_one_click_post_stops_the_alert_without_a_session(lan):
    alert_path, _purpose_path = links_of_a_digest(lan)
    client = Client(enforce_csrf_checks=True)
    response = client.post(alert_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert JobAlert.objects.get(user=lan).paused
    assert purpose_states(lan)[PURPOSE] is True  # only the alert
    assert AlertUnsubscribe.objects.filter(scope="alert").count() == 1
    client.post(alert_path, {"List-Unsubscribe": "One-Click"})  # twice counts once
    assert AlertUnsubscribe.objects.count() == 1


def test_get_only_asks(lan):
    alert_path, _ = links_of_a_digest(lan)
    response = Client().get(alert_path)
    assert response.status_code == 200 and "Stop this alert" in response.content.decode()
    assert not JobAlert.objects.get(user=lan).paused


def test_the_alert_page_also_stops_every_job_opening_email(lan):
    alert_path, _ = links_of_a_digest(lan)
    Client().post(alert_path, {"action": "purpose"})
    assert purpose_states(lan)[PURPOSE] is False
    event = ConsentEvent.objects.filter(purpose=PURPOSE).order_by("pk").last()
    assert event.channel == Channel.EMAIL_LINK
    assert AlertUnsubscribe.objects.filter(scope="purpose").count() == 1


def test_the_purpose_link_withdraws_the_purpose_in_one_click(lan):
    _alert_path, purpose_path = links_of_a_digest(lan)
    response = Client(enforce_csrf_checks=True).post(purpose_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert purpose_states(lan)[PURPOSE] is False
    assert services.job_alerts_run(frequency="daily") == 0


def test_tampered_and_foreign_links_are_refused(lan, other_candidate):
    alert_path, _ = links_of_a_digest(lan)
    token = alert_path.rstrip("/").rsplit("/", 1)[1]
    alert = JobAlert.objects.get(user=lan)
    bad = [
        token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1],
        "not-signed",
        signing.dumps({"u": lan.pk, "p": PURPOSE, "a": "1; DROP TABLE"}, salt=UNSUBSCRIBE_SALT),
        signing.dumps({"u": lan.pk, "p": PURPOSE}, salt="another-salt"),
        # The campaigns' purpose link carries no alert: not for this page.
        signing.dumps({"u": lan.pk, "p": PURPOSE}, salt=UNSUBSCRIBE_SALT, compress=True),
    ]
    for value in bad:
        response = Client().post(reverse("saved:alert_unsubscribe", kwargs={"token": value}))
        assert response.status_code == 400, value
        assert "does not work" in response.content.decode()
    # A well-signed link naming someone else's alert stops nothing of theirs.
    foreign = unsubscribe_url(other_candidate, PURPOSE, "en", url_name="saved:alert_unsubscribe", alert_id=alert.pk)
    Client().post(urlsplit(foreign).path)
    assert not JobAlert.objects.get(pk=alert.pk).paused


def test_an_expired_link_is_refused_and_a_60_day_old_one_works(lan, monkeypatch, settings):
    alert_path, _ = links_of_a_digest(lan)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61 * DAY)
    assert Client().post(alert_path).status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + settings.TSUNAGU_UNSUBSCRIBE_MAX_AGE + DAY)
    assert Client().post(alert_path).status_code == 400


def test_a_deleted_alerts_link_says_so(lan):
    alert_path, _ = links_of_a_digest(lan)
    JobAlert.objects.filter(user=lan).delete()
    response = Client().post(alert_path)
    assert response.status_code == 200 and "no longer exists" in response.content.decode()
