"""Purpose campaigns in all eight languages: a text per language, the
English one (then the Japanese one) where staff wrote none, the frame
(why, unsubscribe) always in the reader's language, and the confirmation
showing staff who gets a fallback."""

import pytest
from django.urls import reverse
from django.utils import translation

from consents.campaigns.forms import CampaignForm
from consents.campaigns.models import Campaign
from consents.campaigns.services import campaign_run, campaign_save, campaign_schedule
from consents.models import EmailPurpose
from consents.services import purpose_consents_set
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory

pytestmark = pytest.mark.django_db
PURPOSE = EmailPurpose.LIVING_IN_JAPAN


def opted_in(language: str):
    person = CandidateFactory(language=language)
    purpose_consents_set(actor=person, user=person, choices={PURPOSE: True}, language=language)
    return person


@pytest.fixture
def campaign(coordinator) -> Campaign:
    return campaign_save(
        actor=coordinator,
        campaign=Campaign(
            purpose=PURPOSE,
            subject_en="Housing tips",
            body_en="Here is how renting works.",
            subject_ja="住まいのヒント",
            body_ja="部屋の借り方です。",
            subject_my="အိမ်ငှားခြင်း အကြံပြုချက်များ",
            body_my="အိမ်ငှားပုံကို ဤတွင် ဖော်ပြထားပါသည်။",
        ),
    )


def test_text_for_falls_back_to_english_then_japanese(campaign):
    assert campaign.text_for("my") == ("အိမ်ငှားခြင်း အကြံပြုချက်များ", "အိမ်ငှားပုံကို ဤတွင် ဖော်ပြထားပါသည်။")
    assert campaign.text_language("ne") == "en"
    assert campaign.text_language("zh-hans") == "en"
    campaign.subject_en = campaign.body_en = ""
    assert campaign.text_language("ne") == "ja"


def test_each_reader_gets_their_text_or_the_fallback_with_the_frame_in_their_language(
    campaign, django_capture_on_commit_callbacks
):
    burmese, nepali = opted_in("my"), opted_in("ne")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_schedule(actor=campaign.created_by, campaign=campaign, when=None)
        campaign_run(campaign.pk)
    mine = OutboundEmail.objects.get(campaign_id=campaign.pk, recipient=burmese)
    theirs = OutboundEmail.objects.get(campaign_id=campaign.pk, recipient=nepali)
    assert (mine.language, mine.subject) == ("my", "အိမ်ငှားခြင်း အကြံပြုချက်များ")
    assert (theirs.language, theirs.subject) == ("ne", "Housing tips")
    with translation.override("ne"):
        stop = translation.gettext("Stop these emails with one click:")
    assert stop in theirs.body_text and stop != "Stop these emails with one click:"
    assert "इमेल" in theirs.headers["List-Unsubscribe"]  # the sealed link's label, in Nepali


def test_the_confirmation_shows_who_gets_a_fallback(campaign, persona_client):
    opted_in("my")
    opted_in("ne")
    opted_in("ne")
    client = persona_client("coordinator")
    url = reverse("campaigns:staff_campaign_confirm", args=[campaign.pk]) + "?when=now"
    html = client.get(url).content.decode()
    assert '<th scope="row">Nepali</th><td>2 people</td><td>Housing tips</td><td><strong>English (no text in' in html
    assert '<th scope="row">Burmese</th><td>1 person</td><td>အိမ်ငှားခြင်း အကြံပြုချက်များ</td><td>Their own' in html


@pytest.mark.parametrize(("subject", "body"), [("Only a subject", ""), ("", "Only a text")])
def test_a_language_needs_its_subject_and_its_text(subject, body):
    form = CampaignForm(
        data={
            "purpose": PURPOSE,
            "subject_en": "s",
            "body_en": "b",
            "subject_ja": "件名",
            "body_ja": "本文",
            "subject_vi": subject,
            "body_vi": body,
        }
    )
    assert not form.is_valid()
    assert "body_vi" in form.errors
