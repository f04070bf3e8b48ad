"""Purpose campaigns (PRODUCT §3.2, §6): coordinators write them, preview
them, send themselves a test and schedule them; who receives one is decided
when it goes out — a current opt-in, no restriction of use, an address that
did not bounce or complain, an active account — and it goes out through
Postmark's batch endpoint (here the local stand-in) 500 at a time, every
message with its own one-click unsubscribe (RFC 8058)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffGroup, User
from consents import services
from consents.campaigns.models import Campaign
from consents.campaigns.services import campaign_run, campaign_save, campaign_schedule, read_unsubscribe_token
from consents.campaigns.tasks import dispatch_due_campaigns, send_campaign
from consents.models import EmailPurpose, EmailPurposeConsent
from consents.privacy.services import restriction_start
from outbox.models import OutboundEmail, Suppression
from tests.accounts.factories import CandidateFactory, StaffFactory
from tests.postmark_standin import serve_postmark

pytestmark = pytest.mark.django_db

PURPOSE = EmailPurpose.LIVING_IN_JAPAN
OTHER_PURPOSE = EmailPurpose.JOB_OPENINGS
CAMPAIGNS = reverse("campaigns:staff_campaigns")
NEW = reverse("campaigns:staff_campaign_new")


@pytest.fixture
def postmark(settings):
    yield from serve_postmark(settings)


def page(campaign: Campaign) -> str:
    return reverse("campaigns:staff_campaign", args=[campaign.pk])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opted_in(email: str, *, purpose=PURPOSE, language="en", **fields) -> User:
    person = CandidateFactory(email=email, language=language, **fields)
    services.purpose_consents_set(actor=person, user=person, choices={purpose: True}, language=language)
    return person


def opt(person: User, wanted: bool, purpose=PURPOSE) -> None:
    services.purpose_consents_set(actor=person, user=person, choices={purpose: wanted}, language="en")


def scheduled(*, when=None, purpose=PURPOSE) -> Campaign:
    staff = StaffFactory(groups=[StaffGroup.COORDINATOR])
    campaign = campaign_save(
        actor=staff,
        campaign=Campaign(
            purpose=purpose,
            subject_en="Health insurance in Japan, explained",
            body_en="Everyone living in Japan joins a health insurance scheme.",
            subject_ja="日本の健康保険について",
            body_ja="日本に住む人は健康保険に加入します。",
        ),
    )
    return campaign_schedule(actor=staff, campaign=campaign, when=when)


def time_comes(campaign: Campaign) -> None:
    """The scheduled time passes (the row's time is moved, not the clock)."""
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_for=timezone.now() - timedelta(seconds=1))


def recipients(postmark) -> set[str]:
    return {m["To"] for m in postmark.accepted()}


# --- Staff pages ------------------------------------------------------------------------------


def test_a_coordinator_writes_previews_tests_and_schedules_a_campaign(
    coordinator, postmark, django_capture_on_commit_callbacks
):
    opted_in("lan@example.test")
    client = signed_in(coordinator)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "purpose": PURPOSE,
            "subject_en": "Health insurance in Japan, explained",
            "body_en": "Everyone living in Japan joins a health insurance scheme.",
            "subject_ja": "日本の健康保険について",
            "body_ja": "日本に住む人は健康保険に加入します。",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == page(campaign)
    assert campaign.state == Campaign.State.DRAFT
    assert campaign.created_by == coordinator

    preview = client.get(page(campaign)).content.decode()
    assert "Health insurance in Japan, explained" in preview
    assert "日本に住む人は健康保険に加入します。" in preview
    assert "(unsubscribe link)" in preview  # where each person's own link goes

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(campaign), {"action": "test_en"})
    [test_copy] = postmark.accepted()
    assert test_copy["To"] == coordinator.email
    assert test_copy["Subject"] == "[TEST] Health insurance in Japan, explained"
    assert "Everyone living in Japan joins" in test_copy["TextBody"]
    assert test_copy["MessageStream"] == "outbound"  # a test copy is not purpose mail to staff

    when = timezone.localtime() + timedelta(days=2)
    response = client.post(page(campaign), {"action": "schedule", "send_at": when.strftime("%Y-%m-%dT%H:%M")})
    # Nothing is scheduled before the confirmation step.
    assert response.status_code == 302 and "/confirm/" in response.url
    assert Campaign.objects.get(pk=campaign.pk).state == Campaign.State.DRAFT
    confirm = client.get(response.url)
    assert "1 person" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        parts = urlsplit(response.url)
        response = client.post(parts.path, {"when": parse_qs(parts.query)["when"][0]})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SCHEDULED
    assert timezone.localtime(campaign.scheduled_for).strftime("%Y-%m-%d %H:%M") == when.strftime("%Y-%m-%d %H:%M")
    # Scheduling sends nothing, and the periodic dispatcher waits for the time.
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_campaigns.delay()
    assert recipients(postmark) == {coordinator.email}
    assert not OutboundEmail.objects.filter(campaign_id=campaign.pk).exists()


def test_a_campaign_cannot_be_scheduled_in_the_past(coordinator):
    campaign = campaign_save(
        actor=coordinator, campaign=Campaign(purpose=PURPOSE, subject_en="s", body_en="b", subject_ja="s", body_ja="b")
    )
    when = timezone.localtime() - timedelta(hours=1)
    signed_in(coordinator).post(page(campaign), {"action": "schedule", "send_at": when.strftime("%Y-%m-%dT%H:%M")})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT


@pytest.mark.parametrize("persona", ["support", "privacy_officer", "candidate", "employer_admin"])
def test_only_coordinators_reach_campaigns(persona, persona_client, coordinator):
    campaign = campaign_save(
        actor=coordinator, campaign=Campaign(purpose=PURPOSE, subject_en="s", body_en="b", subject_ja="s", body_ja="b")
    )
    client = persona_client(persona)
    for url in (CAMPAIGNS, NEW, page(campaign), reverse("campaigns:staff_campaign_edit", args=[campaign.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(page(campaign), {"action": "send_now"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT


# --- Who receives it: decided when it goes out ------------------------------------------------


def test_the_audience_is_decided_when_the_campaign_goes_out(postmark, django_capture_on_commit_callbacks):
    stays = opted_in("stays@example.test")
    leaves = opted_in("leaves@example.test")
    joins = CandidateFactory(email="joins@example.test")
    restricted = opted_in("restricted@example.test")
    bounced = opted_in("bounced@example.test")
    closed = opted_in("closed@example.test")
    opted_in("other.purpose@example.test", purpose=OTHER_PURPOSE)
    campaign = scheduled(when=timezone.now() + timedelta(hours=3))

    # Between scheduling and sending:
    opt(leaves, False)
    opt(joins, True)
    restriction_start(user=restricted, reason="requested by the candidate")
    Suppression.objects.create(email=bounced.email, reason=Suppression.Reason.HARD_BOUNCE)
    User.objects.filter(pk=closed.pk).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_campaigns.delay()
    assert postmark.accepted() == []  # not yet its time

    time_comes(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_campaigns.delay()

    assert recipients(postmark) == {stays.email, joins.email}
    assert set(OutboundEmail.objects.filter(campaign_id=campaign.pk).values_list("to_email", flat=True)) == {
        stays.email,
        joins.email,
    }
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT
    assert campaign.audience_size == 2


def test_a_withdrawal_after_the_email_was_written_still_stops_it(postmark, django_capture_on_commit_callbacks):
    lan = opted_in("lan@example.test")
    campaign = scheduled()
    with django_capture_on_commit_callbacks() as delivery:
        campaign_run(campaign.pk)
    opt(lan, False)  # before the batch task ran
    for deliver in delivery:
        deliver()
    assert postmark.accepted() == []
    assert OutboundEmail.objects.get(campaign_id=campaign.pk).state == OutboundEmail.State.SUPPRESSED


def test_each_person_gets_the_campaign_in_their_language(postmark, django_capture_on_commit_callbacks):
    opted_in("lan@example.test", language="en")
    opted_in("yuki@example.test", language="ja")
    with django_capture_on_commit_callbacks(execute=True):
        scheduled()
    [english] = postmark.accepted_for("lan@example.test")
    [japanese] = postmark.accepted_for("yuki@example.test")
    assert english["Subject"] == "Health insurance in Japan, explained"
    assert "日本に住む人は健康保険に加入します。" in japanese["TextBody"]
    assert japanese["Subject"] == "日本の健康保険について"
    assert "/ja/unsubscribe/" in japanese["Headers"]["List-Unsubscribe"]


# --- Going out in batches, each with its own unsubscribe ------------------------------------------


def many_opted_in(count: int) -> list[User]:
    password = make_password(None)
    people = User.objects.bulk_create(
        User(email=f"reader{n:05d}@example.test", language="en", password=password) for n in range(count)
    )
    if people[0].pk is None:  # backends that do not return ids from bulk inserts
        people = list(User.objects.filter(email__startswith="reader").order_by("pk"))
    EmailPurposeConsent.objects.bulk_create(EmailPurposeConsent(user=p, purpose=PURPOSE, granted=True) for p in people)
    return people


def test_1203_recipients_go_out_in_three_batches_each_with_their_own_one_click_unsubscribe(
    postmark, coordinator, django_capture_on_commit_callbacks
):
    people = many_opted_in(1203)
    campaign = scheduled()
    with django_capture_on_commit_callbacks(execute=True):
        send_campaign.delay(campaign.pk)

    batches = postmark.calls_to("/email/batchWithTemplates")
    assert [len(call.json["Messages"]) for call in batches] == [500, 500, 203]
    assert all(call.headers["X-Postmark-Server-Token"] == "test-token" for call in batches)
    assert postmark.calls_to("/email") == [] and postmark.calls_to("/email/batch") == []
    messages = postmark.accepted()
    assert len(messages) == 1203
    assert {m["To"] for m in messages} == {p.email for p in people}
    rows = OutboundEmail.objects.filter(campaign_id=campaign.pk).values_list("key", "recipient")
    recipient_of = {str(key): pk for key, pk in rows}
    by_id = {p.pk: p for p in people}
    for message in messages:
        assert message["MessageStream"] == "broadcast"
        header = message["Headers"]["List-Unsubscribe"]
        assert message["Headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = re.fullmatch(r"<(https?://[^>]+)>", header).group(1)
        assert url in message["TextBody"]
        assert f'href="{url}"' in message["HtmlBody"]
        token = urlsplit(url).path.rstrip("/").rsplit("/", 1)[1]
        person, purpose = read_unsubscribe_token(token)
        assert person == by_id[person.pk] and person.email == message["To"]
        assert purpose == PURPOSE
        assert recipient_of[message["Metadata"]["outbox_key"]] == person.pk
    assert OutboundEmail.objects.filter(campaign_id=campaign.pk, state=OutboundEmail.State.SENT).count() == 1203

    # Progress on the campaign page.
    html = signed_in(coordinator).get(page(campaign)).content.decode()
    assert "sent: 1203" in html

    # Run again (a redelivered task, or one that died half-way): nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        send_campaign.delay(campaign.pk)
        Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENDING)
        send_campaign.delay(campaign.pk)
    assert len(postmark.accepted()) == 1203
    assert OutboundEmail.objects.filter(campaign_id=campaign.pk).count() == 1203
