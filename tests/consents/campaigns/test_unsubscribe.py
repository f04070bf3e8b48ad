"""One-click unsubscribe (PRODUCT §6, RFC 8058): every purpose mail carries a
signed link for its purpose, in the body and in the List-Unsubscribe header.
Following the link shows one button; a mail client's one-click POST needs no
session and no CSRF token. Either withdraws exactly that purpose, with a
ledger row for the channel "email_link". A broken link is a 400, never a
500, and a link keeps working for at least 60 days."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts.models import User
from consents import services
from consents.campaigns.models import Campaign
from consents.campaigns.services import UNSUBSCRIBE_SALT, campaign_save, campaign_schedule, unsubscribe_url
from consents.models import Channel, ConsentEvent, ConsentEventType, ConsentKind, EmailPurpose
from consents.selectors import purpose_states, subject_key_of
from consents.unsubscribe import UnsubscribeLinks
from tests.accounts.factories import CandidateFactory
from tests.postmark_standin import serve_postmark

pytestmark = pytest.mark.django_db

PURPOSE = EmailPurpose.WORK_SURVEYS
OTHER = EmailPurpose.JOB_OPENINGS
THIRD = EmailPurpose.LIVING_IN_JAPAN
DAY = 24 * 3600


@pytest.fixture
def postmark(settings):
    yield from serve_postmark(settings)


@pytest.fixture
def lan(db):
    person = CandidateFactory(email="lan@example.test")
    services.purpose_consents_set(
        actor=person, user=person, choices={PURPOSE: True, OTHER: True, THIRD: True}, language="en"
    )
    return person


@pytest.fixture
def mailed(lan, postmark, django_capture_on_commit_callbacks, coordinator) -> dict:
    """The survey campaign as it reached Lan through Postmark."""
    campaign = campaign_save(
        actor=coordinator,
        campaign=Campaign(
            purpose=PURPOSE,
            subject_en="How are your working hours?",
            body_en="Five questions, two minutes.",
            subject_ja="労働時間について",
            body_ja="5つの質問です。",
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign_schedule(actor=coordinator, campaign=campaign, when=None)
    [message] = postmark.accepted_for(lan.email)
    return message


def body_link(message: dict) -> str:
    """The path of the unsubscribe link a reader clicks in the text."""
    found = re.search(r"Stop these emails with one click: (\S+)", message["TextBody"])
    assert found, message["TextBody"]
    return urlsplit(found.group(1)).path


def header_link(message: dict) -> str:
    return urlsplit(message["Headers"]["List-Unsubscribe"].strip("<>")).path


def purpose_rows(user: User) -> list[ConsentEvent]:
    return list(ConsentEvent.objects.filter(subject_key=subject_key_of(user), kind=ConsentKind.PURPOSE).order_by("pk"))


def stranger() -> Client:
    """A browser or mail client with no session, whose requests are checked for CSRF."""
    return Client(enforce_csrf_checks=True)


def assert_only_purpose_withdrawn_by_link(user: User, rows_before: int) -> None:
    states = purpose_states(user)
    assert states[PURPOSE] is False
    assert states[OTHER] is True and states[THIRD] is True
    rows = purpose_rows(user)
    assert len(rows) == rows_before + 1
    assert rows[-1].purpose == PURPOSE
    assert rows[-1].event == ConsentEventType.WITHDRAW
    assert rows[-1].channel == Channel.EMAIL_LINK


# --- Following the link ---------------------------------------------------------------------


def test_the_link_in_the_mail_shows_one_button_that_withdraws_that_purpose(lan, mailed):
    path = body_link(mailed)
    assert path == header_link(mailed)
    before = len(purpose_rows(lan))
    browser = stranger()

    page = browser.get(path)
    assert page.status_code == 200
    main = re.search(r"<main.*</main>", page.content.decode(), re.S).group(0)
    assert main.count("<form") == 1 and main.count('type="submit"') == 1
    assert ">Unsubscribe</button>" in main
    assert "Questionnaires about services and working conditions in Japan" in main
    # Opening the link (or a mail scanner prefetching it) changes nothing.
    assert purpose_states(lan)[PURPOSE] is True
    assert len(purpose_rows(lan)) == before

    done = browser.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert_only_purpose_withdrawn_by_link(lan, before)


def test_a_mail_clients_one_click_post_withdraws_that_purpose(lan, mailed):
    assert mailed["Headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = header_link(mailed)
    before = len(purpose_rows(lan))
    client = stranger()

    response = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert_only_purpose_withdrawn_by_link(lan, before)
    # Mail clients may send it again: still fine, nothing more recorded.
    again = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200
    assert len(purpose_rows(lan)) == before + 1


def test_after_unsubscribing_the_page_offers_the_other_purposes_and_saves_them(lan, mailed):
    path = body_link(mailed)
    browser = stranger()
    html = browser.post(path).content.decode()
    for purpose in (OTHER, THIRD):
        checkbox = re.search(rf'<input[^>]*name="{purpose}"[^>]*>', html).group(0)
        assert "checked" in checkbox
    assert "checked" not in re.search(rf'<input[^>]*name="{PURPOSE}"[^>]*>', html).group(0)
    before = len(purpose_rows(lan))

    saved = browser.post(path, {"action": "manage", THIRD: "on"})  # OTHER unticked

    assert saved.status_code == 200
    assert "Your choices are saved." in saved.content.decode()
    assert purpose_states(lan) == {**dict.fromkeys(EmailPurpose.values, False), THIRD: True}
    [row] = purpose_rows(lan)[before:]
    assert (row.purpose, row.event, row.channel) == (OTHER, ConsentEventType.WITHDRAW, Channel.EMAIL_LINK)


# --- Broken and old links -----------------------------------------------------------------------


def path_for(token: str, language: str = "en") -> str:
    return f"/{language}/unsubscribe/{token}/"


def tampered_tokens(user: User) -> list[str]:
    good = signing.dumps({"u": user.pk, "p": PURPOSE}, salt=UNSUBSCRIBE_SALT, compress=True)
    flipped = good[:-1] + ("A" if good[-1] != "A" else "B")
    payload = signing.b64_encode(b'{"u":%d,"p":"%s"}' % (user.pk + 1, PURPOSE.encode())).decode()
    someone_else = payload + good[good.index(":") :]
    return [
        flipped,  # signature changed
        good[:-6],  # cut short
        good + "x",  # something appended
        someone_else,  # another person's id with this link's signature
        signing.dumps({"u": user.pk, "p": PURPOSE}, salt="another.salt", compress=True),  # other purpose of signing
        signing.dumps({"u": user.pk, "p": "not_a_purpose"}, salt=UNSUBSCRIBE_SALT, compress=True),
        signing.dumps([user.pk, PURPOSE], salt=UNSUBSCRIBE_SALT),  # well signed, wrong shape
        signing.dumps({"u": "1 OR 1=1", "p": PURPOSE}, salt=UNSUBSCRIBE_SALT),
        "x",
        "%E3%81%82%00",
        "a" * 5000,
    ]


def test_a_tampered_link_is_refused_with_a_400_and_changes_nothing(lan):
    before = purpose_states(lan), len(purpose_rows(lan))
    client = stranger()
    for token in tampered_tokens(lan):
        for response in (
            client.get(path_for(token)),
            client.post(path_for(token)),
            client.post(
                path_for(token), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
            ),
        ):
            assert response.status_code == 400, token
            assert "This link does not work" in response.content.decode()
    assert (purpose_states(lan), len(purpose_rows(lan))) == before


def test_a_link_of_a_closed_account_is_refused(lan):
    path = urlsplit(unsubscribe_url(lan, PURPOSE, "en")).path
    User.objects.filter(pk=lan.pk).update(is_active=False)
    assert stranger().post(path).status_code == 400


def mailed_days_ago(user: User, days: int, monkeypatch) -> str:
    """The link of a mail sent `days` ago (the signature carries its time)."""
    real = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: real - days * DAY)
        return urlsplit(unsubscribe_url(user, PURPOSE, "en")).path


def test_a_link_from_a_mail_sent_61_days_ago_still_works(lan, monkeypatch, settings):
    assert settings.TSUNAGU_UNSUBSCRIBE_MAX_AGE >= 60 * DAY
    path = mailed_days_ago(lan, 61, monkeypatch)
    before = len(purpose_rows(lan))
    client = stranger()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert_only_purpose_withdrawn_by_link(lan, before)


def test_a_link_past_its_validity_is_refused_politely(lan, monkeypatch, settings):
    days = settings.TSUNAGU_UNSUBSCRIBE_MAX_AGE // DAY + 1
    response = stranger().post(mailed_days_ago(lan, days, monkeypatch))
    assert response.status_code == 400
    assert reverse("consents:email_preferences") in response.content.decode()
    assert purpose_states(lan)[PURPOSE] is True


def test_the_link_of_a_japanese_reader_opens_in_japanese(db, monkeypatch):
    yuki = CandidateFactory(email="yuki@example.test", language="ja")
    services.purpose_consents_set(actor=yuki, user=yuki, choices={PURPOSE: True}, language="ja")
    path = urlsplit(unsubscribe_url(yuki, PURPOSE, "ja")).path
    assert path.startswith("/ja/unsubscribe/")
    response = stranger().get(path)
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_campaigns_batch_links_are_the_same_links_as_one_persons(lan, monkeypatch, language):
    """Campaign batches sign with one signer and one reversed path
    (UnsubscribeLinks): the link is exactly the one unsubscribe_url makes,
    and it works."""
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)  # the same second for both
    batch = UnsubscribeLinks(PURPOSE)
    assert batch.url(lan.pk, language) == unsubscribe_url(lan, PURPOSE, language)
    other = CandidateFactory()
    assert batch.url(other.pk, language) == unsubscribe_url(other, PURPOSE, language)
    monkeypatch.undo()
    before = len(purpose_rows(lan))
    assert stranger().post(urlsplit(UnsubscribeLinks(PURPOSE).url(lan.pk, language)).path).status_code == 200
    assert_only_purpose_withdrawn_by_link(lan, before)
