"""Requests received by post, telephone or email (seed 004 Art. 11(1)),
from the person or a legal or authorised representative (Art. 11(4)):
recorded by a privacy officer with the channel and the day received (the
due date runs from it), the representative's name and authority, and how
and by whom identity documents were checked; the documents are never kept."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from consents.privacy.models import PrivacyRequest
from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db
NEW = reverse("privacy:staff_request_new")


def form(**changes) -> dict:
    data = {
        "channel": "post",
        "received_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "name": "山田 花子",
        "email": "",
        "postal_address": "東京都渋谷区1-2-3",
        "country": "JP",
        "us_state": "",
        "kind": "appi_disclosure",
        "details": "Copy of my data, please.",
        "identity_checked_how": "Copy of a My Number card, domicile blacked out; returned by post",
        "representative_kind": "legal",
        "representative_name": "山田 太郎",
        "representative_authority": "Parent with parental authority",
        "representative_checked_how": "Health insurance card naming the parent; driver's licence of the parent",
    }
    data.update(changes)
    return data


def test_a_representatives_request_by_post_runs_from_the_day_it_was_received(persona_client, privacy_officer, settings):
    settings.TSUNAGU_APPI_TARGET_DAYS = 14
    response = persona_client("privacy_officer").post(NEW, form())
    item = PrivacyRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("privacy:staff_request", args=[item.pk])
    received = timezone.localdate() - timedelta(days=10)
    assert timezone.localdate(item.received_at) == received
    assert item.due_on == received + timedelta(days=14)
    assert (item.channel, item.recorded_by) == ("post", privacy_officer)
    assert (item.representative_kind, item.representative_name) == ("legal", "山田 太郎")
    assert item.representative_checked_by == privacy_officer and item.representative_check.startswith("Health")
    assert item.identity_verified_by == privacy_officer and "blacked out" in item.identity_method
    assert item.state == PrivacyRequest.State.IN_PROGRESS
    page = persona_client("privacy_officer").get(response.url).content.decode()
    assert "Legal representative" in page and "Parent with parental authority" in page
    assert "days left" in page
    # No email address: nothing is mailed; the answer goes by post.
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_day_received_starts_as_today_in_every_language(persona_client, language):
    """A date input shows only an ISO date: in Chinese and Indonesian the
    locale's format ("2026/12/05", "05-12-2026") left the field empty."""
    with translation.override(language):
        page = persona_client("privacy_officer").get(reverse("privacy:staff_request_new")).content.decode()
    assert f'name="received_on" value="{timezone.localdate().isoformat()}"' in page


def test_a_gdpr_request_by_email_gets_its_month_from_receipt_and_an_acknowledgement(persona_client):
    received = timezone.localdate() - timedelta(days=3)
    persona_client("privacy_officer").post(
        NEW,
        form(
            channel="email",
            email="ana@example.test",
            postal_address="",
            country="PT",
            kind="gdpr_access",
            received_on=received.isoformat(),
            representative_kind="",
            identity_checked_how="",
        ),
    )
    item = PrivacyRequest.objects.get()
    assert item.regime == "gdpr" and item.state == PrivacyRequest.State.VERIFYING
    assert item.due_on.month in ((received.month % 12) + 1,)
    assert OutboundEmail.objects.get().to_email == "ana@example.test"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"representative_authority": ""}, "representative_authority"),
        ({"representative_checked_how": ""}, "representative_checked_how"),
        ({"postal_address": "", "email": ""}, "postal_address"),
        ({"received_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, None),
        ({"kind": "gdpr_access"}, None),
        ({"channel": "web"}, "channel"),
        ({"name": "x" * 151}, "name"),
    ],
)
def test_an_incomplete_or_impossible_record_is_refused(persona_client, changes, field):
    response = persona_client("privacy_officer").post(NEW, form(**changes))
    assert response.status_code == 400
    assert not PrivacyRequest.objects.exists()
    if field:
        assert field in response.context["form"].errors


def test_identity_documents_are_never_stored():
    assert not [f for f in PrivacyRequest._meta.get_fields() if isinstance(f, models.FileField)]


def test_the_form_has_no_place_for_a_document(persona_client):
    html = persona_client("privacy_officer").get(NEW).content.decode()
    assert 'type="file"' not in html and "enctype" not in html
    assert "never upload" in html


def test_only_privacy_officers_record_requests(persona_client):
    for persona in ("coordinator", "support", "candidate"):
        assert persona_client(persona).post(NEW, form()).status_code == 403
    assert not PrivacyRequest.objects.exists()
