"""The contact desk (seed 004 Art. 1(4)): anyone writes, told what the data
is used for and how long it is kept; staff assign, answer by email through
the outbox, close; inquiries follow the retention rules, are in the data
export and go with the account."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consents.contact.exports import erase, section
from consents.contact.models import Inquiry
from consents.contact.retention import inquiries as inquiry_retention
from consents.contact.services import inquiry_assign
from consents.privacy.retention import apply_retention
from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db
FORM = reverse("contact:contact")


def write(client: Client | None = None, **data):
    client = client or Client()
    payload = {"name": "Aung Kyaw", "email": "aung@example.test", "topic": "service", "message": "How do I apply?"}
    payload.update(data)
    return client.post(FORM, payload)


def test_anyone_writes_and_is_told_the_purpose_and_how_long_it_is_kept(client, settings):
    settings.TSUNAGU_RETENTION = {**settings.TSUNAGU_RETENTION, "contact_inquiries": 200}
    page = client.get(FORM).content.decode()
    assert "only to answer your message" in page and "200 days" in page
    assert settings.TSUNAGU_OPERATOR["phone"] in page and settings.TSUNAGU_OPERATOR["address"] in page
    response = write(client, phone="+81 90-1234-5678")
    assert response.status_code == 302 and response.url == reverse("contact:contact_thanks")
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.email, inquiry.phone, inquiry.state) == (
        "Aung Kyaw",
        "aung@example.test",
        "+81 90-1234-5678",
        "new",
    )
    assert inquiry.notice_version_id is not None  # the privacy policy in force
    ack = OutboundEmail.objects.get(kind="contact.inquiry_received")
    assert ack.to_email == "aung@example.test" and "How do I apply?" in ack.body_text


def test_staff_assign_answer_by_email_in_the_persons_language_and_close(persona_client, support, coordinator):
    write(Client(), message="日本語で質問です。")
    Inquiry.objects.update(language="ja")
    inquiry = Inquiry.objects.get()
    desk = persona_client("support")
    page = reverse("contact:staff_inquiry", args=[inquiry.pk])
    assert desk.post(page, {"action": "assign", "assignee": coordinator.pk}).status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.state == "assigned" and inquiry.assigned_to == coordinator
    mine = persona_client("coordinator").get(reverse("contact:staff_inquiries"), {"show": "mine"}).content.decode()
    assert page in mine
    desk.post(page, {"action": "answer", "text": "ご質問ありがとうございます。"})
    answer = OutboundEmail.objects.get(kind="contact.inquiry_answer")
    assert answer.to_email == "aung@example.test" and answer.language == "ja"
    assert "ご質問ありがとうございます。" in answer.body_text
    desk.post(page, {"action": "close"})
    inquiry.refresh_from_db()
    assert inquiry.state == "closed"
    kinds = list(inquiry.events.values_list("kind", flat=True))
    assert kinds == ["received", "assigned", "answered", "closed"]
    # An empty answer sends nothing.
    desk.post(page, {"action": "answer", "text": ""})
    assert OutboundEmail.objects.filter(kind="contact.inquiry_answer").count() == 1


def test_only_desk_staff_are_assigned(support, candidate):
    from django.core.exceptions import ValidationError

    write()
    with pytest.raises(ValidationError):
        inquiry_assign(actor=support, inquiry=Inquiry.objects.get(), assignee=candidate)


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address"},
        {"message": ""},
        {"message": "x" * 5001},
        {"name": "n" * 151},
        {"phone": "call me maybe"},
        {"topic": "<script>"},
    ],
)
def test_bad_input_is_explained_and_nothing_is_kept(data):
    response = write(**data)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_burmese_japanese_and_markup_round_trip_as_text(persona_client):
    write(name="အောင်ကျော်", message="<b>日本で働きたい</b> ကျေးဇူးတင်ပါတယ်")
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "အောင်ကျော်"
    html = persona_client("support").get(reverse("contact:staff_inquiry", args=[inquiry.pk])).content.decode()
    assert "&lt;b&gt;日本で働きたい&lt;/b&gt;" in html


def test_robots_and_floods_are_turned_away():
    assert write(website="http://spam.example").status_code == 302
    assert not Inquiry.objects.exists()
    client = Client()
    for _ in range(10):
        assert write(client).status_code == 302
    assert write(client).status_code == 400
    assert Inquiry.objects.count() == 10


def test_a_signed_in_person_writes_from_their_account(persona_client, candidate):
    response = persona_client("candidate").post(FORM, {"name": "Lan", "topic": "account", "message": "Hello"})
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.user == candidate and inquiry.email == candidate.email


def test_answered_and_closed_inquiries_go_after_their_period_and_open_ones_stay(settings):
    settings.TSUNAGU_RETENTION = {**settings.TSUNAGU_RETENTION, "contact_inquiries": 30}
    for _ in range(3):
        write()
    old_closed, open_one, recent = Inquiry.objects.order_by("pk")
    long_ago = timezone.now() - timedelta(days=31)
    Inquiry.objects.filter(pk=old_closed.pk).update(state="closed", closed_at=long_ago)
    Inquiry.objects.filter(pk=open_one.pk).update(received_at=long_ago - timedelta(days=400))
    Inquiry.objects.filter(pk=recent.pk).update(state="answered", answered_at=timezone.now() - timedelta(days=5))
    assert inquiry_retention(timezone.now(), dry_run=True) == {"contact_inquiries_deleted": 1}
    results = apply_retention()  # the rule is found by the privacy registry
    assert results["contact_inquiries_deleted"] == 1
    assert set(Inquiry.objects.values_list("pk", flat=True)) == {open_one.pk, recent.pk}


def test_inquiries_are_in_the_data_export_and_go_with_the_account(candidate):
    write(email=candidate.email, message="Written before signing up")
    _name, data = section(candidate)
    assert [i["message"] for i in data["inquiries"]] == ["Written before signing up"]
    erase(candidate)
    assert not Inquiry.objects.exists()


def test_the_operator_address_and_phone_are_on_the_policies(client, settings):
    html = client.get(reverse("consents:policy", args=["privacy"])).content.decode()
    for key in ("address", "phone", "email"):
        assert settings.TSUNAGU_OPERATOR[key] in html
    assert "by post, by telephone and by email" in html


@pytest.mark.parametrize("language", ["ja", "my"])
def test_the_desk_and_its_hours_are_in_the_readers_language(client, language):
    """Unset in the environment, the desk's name and its hours are sentences
    of the catalogue: they were shown in English on every language's page."""
    with translation.override(language):
        for url in (reverse("contact:contact"), reverse("consents:policy", args=["privacy"])):
            html = client.get(url).content.decode()
            assert "Personal Information Desk" not in html and "except Japanese holidays" not in html
            assert translation.gettext("Personal Information Desk") in html
