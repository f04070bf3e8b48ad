"""Before a campaign goes out: a confirmation step with the audience now,
per language, in correct plurals; the name merge field; cancelling while
it goes out stops the messages still queued."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffGroup
from consents.campaigns.models import Campaign
from consents.campaigns.services import campaign_cancel, campaign_run, campaign_save, campaign_send_test
from consents.models import EmailPurpose
from consents.services import purpose_consents_set
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, StaffFactory

pytestmark = pytest.mark.django_db
PURPOSE = EmailPurpose.LIVING_IN_JAPAN


def opted_in(n: int, *, language: str = "en", name: str = "") -> list:
    people = []
    for _ in range(n):
        person = CandidateFactory(language=language, full_name=name)
        purpose_consents_set(actor=person, user=person, choices={PURPOSE: True}, language=language)
        people.append(person)
    return people


@pytest.fixture
def campaign(coordinator) -> Campaign:
    return campaign_save(
        actor=coordinator,
        campaign=Campaign(
            purpose=PURPOSE,
            subject_en="{{ name }}, housing tips",
            body_en="Dear {{name}},\nHere is how renting works.",
            subject_ja="{{ name }}様、住まいのヒント",
            body_ja="{{ name }}様\n部屋の借り方です。",
        ),
    )


def page(campaign):
    return reverse("campaigns:staff_campaign", args=[campaign.pk])


def test_send_now_asks_first_with_the_audience_now_per_language(
    campaign, persona_client, django_capture_on_commit_callbacks
):
    opted_in(2)
    opted_in(1, language="ja")
    client = persona_client("coordinator")
    response = client.post(page(campaign), {"action": "send_now"})
    assert response.status_code == 302 and "/confirm/" in response.url
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT and not OutboundEmail.objects.filter(campaign_id=campaign.pk)
    html = client.get(response.url).content.decode()
    assert "<strong>3 people</strong>" in html
    assert '<th scope="row">English</th><td>2 people</td>' in html
    assert '<th scope="row">Japanese</th><td>1 person</td>' in html
    assert "Send it now to 3 people" in html
    parts = urlsplit(response.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(parts.path, {"when": parse_qs(parts.query)["when"][0]})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.SENT
    assert OutboundEmail.objects.filter(campaign_id=campaign.pk).count() == 3


def test_one_person_is_one_person(campaign, persona_client):
    opted_in(1)
    html = persona_client("coordinator").get(page(campaign)).content.decode()
    assert "1 person (decided again" in html and "1 people" not in html


@pytest.mark.parametrize("when", ["", "yesterday", "2001-01-01T10:00:00+09:00", "x" * 100])
def test_a_confirmation_for_no_time_or_a_past_time_sends_nothing(campaign, persona_client, when):
    opted_in(1)
    client = persona_client("coordinator")
    confirm = reverse("campaigns:staff_campaign_confirm", args=[campaign.pk])
    assert client.post(confirm, {"when": when}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.DRAFT


def test_each_person_gets_their_own_name_escaped_in_html(campaign, coordinator):
    opted_in(1, name="Nguyễn <Lan>")
    opted_in(1, language="ja", name="アウン")
    opted_in(1, name="")
    campaign.state = Campaign.State.SCHEDULED
    campaign.scheduled_for = timezone.now()
    campaign.save()
    campaign_run(campaign.pk)
    rows = {row.to_email: row for row in OutboundEmail.objects.filter(campaign_id=campaign.pk)}
    texts = sorted((row.subject, row.body_text.splitlines()[0]) for row in rows.values())
    assert ("Nguyễn <Lan>, housing tips", "Dear Nguyễn <Lan>,") in texts
    assert ("アウン様、住まいのヒント", "アウン様") in texts
    assert ("Tsunagu member, housing tips", "Dear Tsunagu member,") in texts
    html = next(r.body_html for r in rows.values() if "Lan" in r.subject)
    assert "Nguyễn &lt;Lan&gt;" in html and "<Lan>" not in html
    assert all("{{" not in row.body_text for row in rows.values())


def test_a_test_copy_carries_the_senders_name(campaign):
    staff = StaffFactory(groups=[StaffGroup.COORDINATOR], full_name="Sato Aiko")
    copy = campaign_send_test(actor=staff, campaign=campaign, language="en")
    assert copy.subject == "[TEST] Sato Aiko, housing tips"


def test_cancelling_while_it_goes_out_stops_the_queued_messages(campaign, coordinator):
    opted_in(3)
    campaign.state = Campaign.State.SCHEDULED
    campaign.scheduled_for = timezone.now()
    campaign.save()
    campaign_run(campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENDING)
    sent = OutboundEmail.objects.filter(campaign_id=campaign.pk).first()
    OutboundEmail.objects.filter(pk=sent.pk).update(state=OutboundEmail.State.SENT)
    campaign_cancel(actor=coordinator, campaign=campaign)
    states = sorted(OutboundEmail.objects.filter(campaign_id=campaign.pk).values_list("state", flat=True))
    assert states == ["cancelled", "cancelled", "sent"]
    assert not OutboundEmail.objects.filter(campaign_id=campaign.pk, state="cancelled").exclude(sealed_secrets="")
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CANCELLED
    # Run again (a retried task): nothing more is written.
    assert campaign_run(campaign.pk) == 0
    assert OutboundEmail.objects.filter(campaign_id=campaign.pk).count() == 3


def test_the_cancel_button_is_offered_while_it_goes_out(campaign, persona_client):
    Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENDING)
    client = persona_client("coordinator")
    assert "Cancel: stop the messages still queued" in client.get(page(campaign)).content.decode()
    client.post(page(campaign), {"action": "cancel"})
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CANCELLED
