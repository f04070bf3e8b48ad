"""Consent receipts (PRODUCT §3): any consent, downloaded as JSON with the
fields of an ISO/IEC TS 27560 consent record, by its owner only."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consents import services
from consents.models import ConsentEvent, ConsentKind, FieldGroup, PolicyKind
from consents.selectors import subject_key_of
from tests.consents.factories import ContactShareGrantFactory, give

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def receipt_url(event: ConsentEvent) -> str:
    return reverse("consents:consent_receipt", args=[event.pk])


def download(client: Client, event: ConsentEvent) -> dict:
    response = client.get(receipt_url(event))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="tsunagu-consent-{event.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


@pytest.fixture
def withdrawn_grant(candidate):
    """Given with contact details, changed to add the address, then withdrawn."""
    grant = ContactShareGrantFactory(candidate=candidate, language="ja")
    give(candidate, grant.employer, {FieldGroup.CONTACT, FieldGroup.ADDRESS})
    services.share_grant_withdraw(actor=candidate, grant=grant)
    return grant


def test_a_share_grant_receipt_has_the_27560_fields_and_its_whole_history(candidate, withdrawn_grant):
    events = list(ConsentEvent.objects.filter(grant_id=withdrawn_grant.pk).order_by("occurred_at", "pk"))
    assert [e.event for e in events] == ["grant", "change", "withdraw"]

    # Any event of the consent gives the same record.
    receipt = download(signed_in(candidate), events[0])
    assert receipt == download(signed_in(candidate), events[-1])

    assert receipt["controller"]["name"].startswith("Tsunagu Operations K.K.")
    assert receipt["controller"]["contact"]
    assert receipt["data_subject"] == {"pseudonymous_id": str(subject_key_of(candidate))}
    [purpose] = receipt["purposes"]
    assert purpose["purpose_id"] == "hiring_decision_and_contact"
    assert "consent" in purpose["legal_basis"]
    assert receipt["personal_data_categories"] == ["address", "contact", "core"]  # what the consent covered
    assert receipt["recipients"] == [
        {
            "name": withdrawn_grant.employer.legal_name,
            "id": withdrawn_grant.employer_id,
            "type": "third party (employer)",
        }
    ]
    assert receipt["state"] == "withdrawn"
    assert receipt["jurisdiction"] == "JP"
    assert [(e["event"], e["state"], e["method"], e["actor"]) for e in receipt["events"]] == [
        ("grant", "given", "web", "subject"),
        ("change", "given", "web", "subject"),
        ("withdraw", "withdrawn", "web", "subject"),
    ]
    stamps = [e["timestamp"] for e in receipt["events"]]
    assert stamps == sorted(stamps)
    assert receipt["events"][0]["scope"]["field_groups"] == ["contact", "core"]
    assert receipt["events"][1]["scope"]["field_groups"] == ["address", "contact", "core"]
    assert receipt["events"][0]["language"] == "ja"
    assert receipt["events"][0]["notice_sha256"] == events[0].notice_sha256 != ""
    # The notice is the last one agreed to (the change), not the withdrawal's empty one.
    assert receipt["notice"]["sha256"] == events[1].notice_sha256 != ""
    assert receipt["notice"]["language"] == "en"
    # Nothing in it names the person.
    text = json.dumps(receipt, ensure_ascii=False)
    assert candidate.email not in text and candidate.full_name not in text


def test_an_active_grants_receipt_is_given_with_its_notice_and_categories(candidate):
    grant = ContactShareGrantFactory(candidate=candidate)
    event = ConsentEvent.objects.get(grant_id=grant.pk)
    receipt = download(signed_in(candidate), event)
    assert receipt["state"] == "given"
    assert receipt["personal_data_categories"] == ["contact", "core"]
    assert receipt["expiry"] == grant.expires_at.isoformat()
    privacy = services.current_policy(PolicyKind.PRIVACY)
    assert event.notice_version_id == privacy.pk
    assert receipt["notice"] == {
        "version_id": privacy.pk,
        "sha256": event.notice_sha256,
        "language": "en",
        "url": settings.SITE_URL.rstrip("/") + reverse("consents:policy_version", args=["privacy", privacy.version]),
    }


def test_a_policy_receipt_points_to_the_exact_version_accepted(candidate):
    event = ConsentEvent.objects.filter(subject_key=subject_key_of(candidate), kind=ConsentKind.POLICY).first()
    version = services.current_policy(event.scope["document"])
    receipt = download(signed_in(candidate), event)
    assert receipt["state"] == "given"
    assert receipt["notice"]["version_id"] == version.pk
    assert receipt["notice"]["sha256"] == version.texts.get(language="en").sha256
    assert receipt["notice"]["url"].endswith(reverse("consents:policy_version", args=[version.kind, version.version]))
    assert receipt["recipients"] == []


def test_a_purpose_receipt_names_the_purpose(candidate):
    services.purpose_consents_set(actor=candidate, user=candidate, choices={"job_openings": True}, language="en")
    services.purpose_consents_set(actor=candidate, user=candidate, choices={"job_openings": False}, language="en")
    event = ConsentEvent.objects.filter(kind=ConsentKind.PURPOSE).first()
    receipt = download(signed_in(candidate), event)
    assert receipt["purposes"][0]["purpose_id"] == "job_openings"
    assert receipt["state"] == "withdrawn"
    assert [e["event"] for e in receipt["events"]] == ["grant", "withdraw"]
    assert receipt["notice"]["version_id"] == services.current_policy(PolicyKind.PRIVACY).pk


def test_my_consents_links_a_receipt_for_every_row(candidate, withdrawn_grant):
    html = signed_in(candidate).get(reverse("consents:my_consents")).content.decode()
    for event in ConsentEvent.objects.filter(subject_key=subject_key_of(candidate)):
        assert receipt_url(event) in html


def test_only_the_owner_can_download_a_receipt(candidate, other_candidate, withdrawn_grant, employer_with_grant):
    event = ConsentEvent.objects.filter(grant_id=withdrawn_grant.pk).first()
    assert signed_in(other_candidate).get(receipt_url(event)).status_code == 404
    assert signed_in(employer_with_grant).get(receipt_url(event)).status_code == 403
    assert Client().get(receipt_url(event)).status_code == 302  # to sign-in
