"""Job alerts (issue 13): a candidate saves a board search, daily or weekly;
the run mails a digest of NEW matching openings through the outbox, in the
person's language, only while they agree to "job openings you can apply
for" — checked when the digest is written and again when it goes out —,
never while their data's use is restricted, never the same opening twice to
the same alert, one digest per period."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consents.privacy.services import account_erase, restriction_lift, restriction_start
from consents.unsubscribe import UnsubscribeLink
from matching.saved import services
from matching.saved.exports import section
from matching.saved.models import AlertDigest, AlertSentOpening, AlertUnsubscribe, JobAlert
from matching.saved.tasks import send_job_alerts
from outbox import delivery
from outbox.models import OutboundEmail
from tests.matching.factories import OpeningFactory
from tests.matching.saved.factories import alert_for, opt, opted_in

pytestmark = pytest.mark.django_db

DIGEST = "saved.alert_digest"
TOKYO_CARE = "prefecture=13&category=care_worker"


def digests(person=None):
    rows = OutboundEmail.objects.filter(kind=DIGEST)
    return rows.filter(recipient=person) if person else rows


def run(days_later: int = 0, frequency: str = "daily") -> int:
    return services.job_alerts_run(frequency=frequency, now=timezone.now() + timedelta(days=days_later))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_digest_lists_new_matching_openings_in_the_persons_language():
    yuki = opted_in("yuki@example.test", language="ja")
    alert_for(yuki, TOKYO_CARE, name="東京の介護")
    OpeningFactory(title="Before the alert? no: after", category="care_worker", prefecture="13")
    OpeningFactory(title="介護スタッフ 新宿", category="care_worker", prefecture="13", city="新宿区")
    OpeningFactory(title="Osaka care", category="care_worker", prefecture="27")
    OpeningFactory(title="Tokyo IT", category="it_engineering", prefecture="13")

    assert run() == 1
    email = digests(yuki).get()
    assert email.language == "ja" and email.stream == OutboundEmail.Stream.BROADCAST
    assert email.purpose == "job_openings"
    assert "東京の介護" in email.subject
    assert "介護スタッフ 新宿" in email.body_text and "新宿区" in email.body_text
    assert "Osaka care" not in email.body_text and "Tokyo IT" not in email.body_text
    assert "/ja/jobs/" in email.body_text
    # Both one-click links are sealed, shown as labels (outbox.kinds).
    assert "/alerts/unsubscribe/" not in email.body_text and "/unsubscribe/" not in email.headers["List-Unsubscribe"]
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = delivery.build_message(email)
    assert "/ja/alerts/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert "/ja/unsubscribe/" in message.body


def test_openings_published_before_the_alert_are_not_new():
    lan = opted_in()
    OpeningFactory(title="Old one", prefecture="13")
    alert_for(lan, "prefecture=13")
    assert run() == 0
    OpeningFactory(title="New one", prefecture="13")
    assert run(1) == 1
    body = digests(lan).get().body_text
    assert "New one" in body and "Old one" not in body


def test_one_digest_per_period_and_never_the_same_opening_twice():
    lan = opted_in()
    alert = alert_for(lan, "prefecture=13")
    OpeningFactory(title="First", prefecture="13")
    assert run() == 1
    OpeningFactory(title="Second", prefecture="13")
    assert run() == 0  # the same day: the day's digest is written
    assert send_job_alerts() == 0  # the beat task, any hour of the same day
    assert run(1) == 1  # the next day: only what is new
    first, second = digests(lan).order_by("pk")
    assert "First" in first.body_text and "Second" not in first.body_text
    assert "Second" in second.body_text and "First" not in second.body_text
    # Even if the alert's clock were set back, a mailed opening is not mailed again.
    JobAlert.objects.filter(pk=alert.pk).update(checked_until=timezone.now() - timedelta(days=30), last_period="")
    assert run(2) == 0
    assert AlertSentOpening.objects.filter(alert=alert).count() == 2
    assert AlertDigest.objects.filter(alert=alert).count() == 2


def test_weekly_alerts_get_one_digest_a_week():
    lan = opted_in()
    alert_for(lan, "prefecture=13", frequency="weekly")
    OpeningFactory(prefecture="13")
    assert run(frequency="daily") == 0
    assert run(frequency="weekly") == 1
    OpeningFactory(prefecture="13")
    assert services.period_of("weekly", timezone.now()) == services.period_of("weekly", timezone.now())
    assert run(7, frequency="weekly") == 1


def test_consent_is_checked_when_the_digest_is_written():
    """Opted out between saving the alert (the schedule) and the run: nothing."""
    lan = opted_in()
    alert = alert_for(lan, "prefecture=13")
    OpeningFactory(prefecture="13")
    opt(lan, False)
    assert run() == 0 and not digests().exists()
    # Opting in again later does not bring back what came while opted out.
    opt(lan, True)
    assert run(1) == 0
    alert.refresh_from_db()
    assert alert.last_period


def test_consent_is_checked_again_when_the_digest_goes_out():
    lan = opted_in()
    alert_for(lan, "prefecture=13")
    OpeningFactory(prefecture="13")
    assert run() == 1
    opt(lan, False)  # after the digest was written, before delivery
    email = digests(lan).get()
    delivery.deliver(email.pk)
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SUPPRESSED


def test_a_restriction_stops_alerts_and_lifting_it_starts_them_again():
    lan = opted_in()
    alert_for(lan, "prefecture=13")
    OpeningFactory(prefecture="13")
    restriction_start(user=lan)
    assert run() == 0
    restriction_lift(user=lan)
    OpeningFactory(title="After the restriction", prefecture="13")
    assert run(1) == 1
    assert "After the restriction" in digests(lan).get().body_text


def test_paused_alerts_send_nothing_and_resume_from_now(candidate):
    opt(candidate, True)
    alert = alert_for(candidate, "prefecture=13")
    services.job_alert_pause(user=candidate, alert=alert, paused=True)
    OpeningFactory(title="While paused", prefecture="13")
    assert run() == 0
    services.job_alert_pause(user=candidate, alert=alert, paused=False)
    OpeningFactory(title="After resuming", prefecture="13")
    assert run(1) == 1
    body = digests(candidate).get().body_text
    assert "After resuming" in body and "While paused" not in body


def test_alerts_with_the_same_search_run_it_once(monkeypatch):
    calls = []
    real = services.board_search

    def counting(filters, *, profile=None):
        calls.append(filters)
        return real(filters, profile=profile)

    monkeypatch.setattr(services, "board_search", counting)
    people = [opted_in(language="ja" if i % 2 else "en") for i in range(6)]
    for person in people:
        alert_for(person, TOKYO_CARE)
    alert_for(people[0], "prefecture=13")
    OpeningFactory(title="Shared", category="care_worker", prefecture="13")
    assert run() == 7
    assert len(calls) == 2  # two distinct searches, seven alerts
    assert all("Shared" in e.body_text for e in digests())
    assert {e.language for e in digests()} == {"en", "ja"}


def test_the_run_asks_the_same_number_of_queries_for_more_alerts():
    def measure(count: int, days_later: int) -> int:
        for _ in range(count):
            alert_for(opted_in(), TOKYO_CARE)
        OpeningFactory(category="care_worker", prefecture="13")
        with CaptureQueriesContext(connection) as captured:
            assert run(days_later) >= count
        return len(captured)

    assert measure(2, 0) == measure(8, 1)


def test_a_saved_search_with_a_vanished_filter_sends_nothing():
    lan = opted_in()
    alert = alert_for(lan, "prefecture=13")
    JobAlert.objects.filter(pk=alert.pk).update(filters={"prefecture": "99"})
    OpeningFactory(prefecture="13")
    assert run() == 0


# --- Pages -----------------------------------------------------------------------------------


def test_a_candidate_saves_the_board_search_as_an_alert(candidate):
    client = signed_in(candidate)
    board = client.get(reverse("matching:board"), {"q": "介護", "prefecture": "13", "page": "2"})
    html = board.content.decode()
    assert f'action="{reverse("saved:alert_new")}"' in html
    assert 'name="prefecture" value="13"' in html and 'name="page"' not in html
    page = client.get(reverse("saved:alert_new"), {"q": "介護", "prefecture": "13"})
    assert page.status_code == 200 and "介護" in page.content.decode()
    query = page.context["form"].initial["query"]
    response = client.post(reverse("saved:alert_new"), {"name": "東京 介護", "frequency": "weekly", "query": query})
    assert response.status_code == 302
    alert = JobAlert.objects.get(user=candidate)
    assert alert.filters == {"q": "介護", "prefecture": "13"} and alert.frequency == "weekly"
    # The same search again (a double submit) keeps one alert.
    client.post(reverse("saved:alert_new"), {"name": "again", "frequency": "daily", "query": query})
    assert JobAlert.objects.filter(user=candidate).count() == 1
    listing = client.get(reverse("saved:alerts")).content.decode()
    assert "東京 介護" in listing and "Weekly" in listing


@pytest.mark.parametrize(
    "name, query",
    [
        ("", "prefecture=13"),
        ("   ", "prefecture=13"),
        ("x" * 101, "prefecture=13"),
    ],
)
def test_bad_alert_names_are_refused(candidate, name, query):
    response = signed_in(candidate).post(
        reverse("saved:alert_new"), {"name": name, "frequency": "daily", "query": query}
    )
    assert response.status_code == 400
    assert not JobAlert.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["prefecture=99", "level=7", "prefecture=13%27%20OR%201%3D1", "q=" + "x" * 300],
)
def test_hostile_or_invalid_searches_are_not_saved(candidate, query):
    response = signed_in(candidate).post(
        reverse("saved:alert_new"), {"name": "Hostile", "frequency": "daily", "query": query}
    )
    assert response.status_code == 302 and response["Location"] == reverse("matching:board")
    assert not JobAlert.objects.exists()


def test_burmese_names_and_searches_are_kept(candidate):
    alert_for(candidate, "q=စားဖိုမှူး", name="ရန်ကုန် အလုပ်")
    html = signed_in(candidate).get(reverse("saved:alerts")).content.decode()
    assert "ရန်ကုန် အလုပ်" in html and "စားဖိုမှူး" in html


def test_a_person_has_at_most_twenty_alerts(candidate):
    for i in range(services.MAX_ALERTS):
        alert_for(candidate, f"q=word{i}")
    response = signed_in(candidate).post(
        reverse("saved:alert_new"), {"name": "one more", "frequency": "daily", "query": "q=more"}
    )
    assert response.status_code == 400
    assert JobAlert.objects.filter(user=candidate).count() == services.MAX_ALERTS


def test_pause_rename_and_delete_only_ones_own(candidate, other_candidate):
    alert = alert_for(candidate, "prefecture=13", name="Mine")
    other = signed_in(other_candidate)
    assert other.get(reverse("saved:alert", args=[alert.pk])).status_code == 404
    assert other.post(reverse("saved:alert", args=[alert.pk]), {"action": "delete"}).status_code == 404
    client = signed_in(candidate)
    client.post(reverse("saved:alert", args=[alert.pk]), {"action": "pause"})
    alert.refresh_from_db()
    assert alert.paused
    client.post(reverse("saved:alert", args=[alert.pk]), {"action": "save", "name": "Renamed", "frequency": "weekly"})
    alert.refresh_from_db()
    assert (alert.name, alert.frequency) == ("Renamed", "weekly")
    client.post(reverse("saved:alert", args=[alert.pk]), {"action": "delete"})
    assert not JobAlert.objects.exists()


def test_alerts_are_in_the_export_and_go_with_the_account(candidate):
    opt(candidate, True)
    alert_for(candidate, TOKYO_CARE, name="Tokyo care")
    OpeningFactory(category="care_worker", prefecture="13")
    run()
    _name, data = section(candidate)
    (exported,) = data["job_alerts"]
    assert exported["name"] == "Tokyo care" and exported["search_as_saved"] == {
        "prefecture": "13",
        "category": "care_worker",
    }
    assert len(exported["digests"]) == 1
    account_erase(user=candidate)
    assert not JobAlert.objects.exists() and not AlertSentOpening.objects.exists()
    # The staff's figure of that day stays, linked to nobody.
    assert list(AlertDigest.objects.values_list("alert", "openings")) == [(None, 1)]


def test_erasure_leaves_nothing_of_the_alert_log_that_names_the_person(candidate):
    """What stays of a person's job alerts after their account is erased:
    the outbox's record that a digest went out (kind, when, state), to
    nobody; the one-click stop counted for staff, naming nobody."""
    opt(candidate, True)
    alert = alert_for(candidate, TOKYO_CARE, name="Nguyễn's Tokyo care")
    OpeningFactory(title="介護スタッフ 新宿", category="care_worker", prefecture="13")
    run()
    email = digests(candidate).get()
    delivery.deliver(email.pk)
    services.alert_unsubscribe(link=UnsubscribeLink(user=candidate, purpose="job_openings", alert_id=alert.pk))
    address, person = candidate.email, candidate.pk

    account_erase(user=candidate)

    kept = OutboundEmail.objects.get(pk=email.pk)
    assert (kept.kind, kept.state, kept.recipient_id) == (DIGEST, OutboundEmail.State.SENT, None)
    stored = " ".join(
        str(value)
        for value in OutboundEmail.objects.filter(pk=email.pk)
        .values("to_email", "subject", "body_text", "body_html", "headers", "sealed_secrets", "template_model")
        .get()
        .values()
    )
    assert address not in stored and "Tokyo care" not in stored and "介護スタッフ" not in stored
    assert stored.strip("{} ") == ""  # nothing but empty fields
    assert not JobAlert.objects.exists() and not AlertSentOpening.objects.exists()
    assert not AlertDigest.objects.filter(alert__isnull=False).exists()
    assert {f.name for f in AlertDigest._meta.concrete_fields} == {"id", "alert", "period", "openings", "created_at"}
    assert AlertUnsubscribe.objects.count() == 1  # a count: it has no field that could name anyone
    assert {f.name for f in AlertUnsubscribe._meta.get_fields()} == {"id", "scope", "created_at"}
    assert not OutboundEmail.objects.filter(recipient_id=person).exists()
