"""The breach register (APPI Art. 26; PPC Rules 7-10; PRODUCT §7): privacy
officers record incidents; a report to the PPC is needed for sensitive data,
a risk of financial loss or a wrongful purpose (from a single person), or
more than 1,000 people; the preliminary report falls 3-5 days after
discovery, the final one at 30 days, or 60 for a wrongful purpose."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.privacy.models import Incident, IncidentEvent

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
REGISTER = "privacy:staff_incidents"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**overrides) -> dict:
    data = {
        "discovered_at": "2026-11-01T10:00",
        "description": "A recruiter's laptop with exported candidate lists was stolen.",
        "data_categories": "names, telephone numbers",
        "people_affected": "12",
        "preliminary_reported_at": "",
        "final_reported_at": "",
        "people_notified_at": "",
    }
    data.update(overrides)
    return data


def record(client: Client, **overrides) -> Incident:
    response = client.post(reverse(REGISTER), form(**overrides))
    assert response.status_code == 302, response.content.decode()[-3000:]
    incident = Incident.objects.latest("pk")
    assert response["Location"] == reverse("privacy:staff_incident", args=[incident.pk])
    return incident


def page_of(client: Client, incident: Incident) -> str:
    """The incident's own part of its page (the register follows it)."""
    page = client.get(reverse("privacy:staff_incident", args=[incident.pk])).content.decode()
    return page.split("All incidents")[0]


def local(value: str) -> str:
    return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M")


def test_a_privacy_officer_records_an_incident(privacy_officer):
    client = signed_in(privacy_officer)
    incident = record(client)
    assert incident.created_by == privacy_officer
    assert incident.discovered_at == datetime(2026, 11, 1, 10, tzinfo=TOKYO)
    assert incident.people_affected == 12
    page = page_of(client, incident)
    assert f"Incident {incident.pk}" in page
    assert "names, telephone numbers" in client.get(reverse(REGISTER)).content.decode()


@pytest.mark.parametrize(
    ("overrides", "reportable"),
    [
        ({}, False),
        ({"sensitive_data": "on", "people_affected": "1"}, True),
        ({"financial_loss_risk": "on", "people_affected": "1"}, True),
        ({"wrongful_purpose": "on", "people_affected": "1"}, True),
        ({"people_affected": "1001"}, True),
        ({"people_affected": "1000"}, False),  # "more than 1,000"
        ({"people_affected": "0"}, False),
    ],
)
def test_what_must_be_reported_to_the_ppc(privacy_officer, overrides, reportable):
    client = signed_in(privacy_officer)
    incident = record(client, **overrides)
    assert incident.reportable is reportable
    page = page_of(client, incident)
    if reportable:
        assert "<strong>Required</strong>" in page and "<dt>Preliminary report</dt>" in page
    else:
        assert "Not required" in page and "<dt>Preliminary report</dt>" not in page and "OVERDUE" not in page


@pytest.mark.parametrize(
    ("overrides", "final_by"),
    [
        ({"sensitive_data": "on"}, "2026-12-01"),  # 30 days
        ({"people_affected": "5000"}, "2026-12-01"),
        ({"wrongful_purpose": "on"}, "2026-12-31"),  # 60 days
        ({"wrongful_purpose": "on", "sensitive_data": "on"}, "2026-12-31"),
    ],
)
def test_the_report_deadlines_are_shown(privacy_officer, overrides, final_by):
    client = signed_in(privacy_officer)
    incident = record(client, discovered_at="2026-11-01T10:00", **overrides)
    page = page_of(client, incident)
    assert "2026-11-04 – 2026-11-06" in page  # preliminary: 3-5 days after discovery
    assert final_by in page
    register = client.get(reverse(REGISTER)).content.decode()
    assert f"report due 2026-11-06 / {final_by}" in register


def test_a_late_preliminary_report_is_flagged_until_it_is_made(privacy_officer):
    client = signed_in(privacy_officer)
    six_days_ago = timezone.localtime() - timedelta(days=6)
    incident = record(client, discovered_at=local(six_days_ago.isoformat()), sensitive_data="on")
    assert page_of(client, incident).count("OVERDUE") == 1
    assert "OVERDUE" in client.get(reverse(REGISTER)).content.decode()

    edit = form(
        discovered_at=local(six_days_ago.isoformat()),
        sensitive_data="on",
        preliminary_reported_at=local(timezone.localtime().isoformat()),
    )
    assert client.post(reverse("privacy:staff_incident", args=[incident.pk]), edit).status_code == 302
    incident.refresh_from_db()
    assert incident.preliminary_reported_at is not None
    assert "OVERDUE" not in page_of(client, incident)
    assert "OVERDUE" not in client.get(reverse(REGISTER)).content.decode()


def test_a_late_final_report_is_flagged_at_30_days_or_60_for_a_wrongful_purpose(privacy_officer):
    client = signed_in(privacy_officer)
    now = timezone.localtime()
    reported = local((now - timedelta(days=28)).isoformat())
    late = record(
        client,
        discovered_at=local((now - timedelta(days=31)).isoformat()),
        financial_loss_risk="on",
        preliminary_reported_at=reported,
    )
    not_yet = record(
        client,
        discovered_at=local((now - timedelta(days=31)).isoformat()),
        wrongful_purpose="on",
        preliminary_reported_at=reported,
    )
    assert "OVERDUE" in page_of(client, late)
    assert "OVERDUE" not in page_of(client, not_yet)


def test_an_incident_below_the_thresholds_is_never_overdue(privacy_officer):
    client = signed_in(privacy_officer)
    incident = record(client, discovered_at=local((timezone.localtime() - timedelta(days=90)).isoformat()))
    assert "OVERDUE" not in page_of(client, incident)


@pytest.mark.parametrize("persona", ["coordinator", "support", "candidate", "employer_admin"])
def test_only_privacy_officers_keep_the_register(persona, persona_client, privacy_officer):
    incident = record(signed_in(privacy_officer))
    client = persona_client(persona)
    assert client.get(reverse(REGISTER)).status_code == 403
    assert client.get(reverse("privacy:staff_incident", args=[incident.pk])).status_code == 403
    assert client.post(reverse(REGISTER), form(description="Forged")).status_code == 403
    assert not Incident.objects.filter(description="Forged").exists()


def test_anonymous_is_sent_to_sign_in():
    response = Client().get(reverse(REGISTER))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"people_affected": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"discovered_at": ""}, "This field is required."),
        ({"discovered_at": "yesterday"}, "Enter a valid date/time."),
        ({"description": "x" * 10_001}, "Ensure this value has at most 10000 characters"),
    ],
)
def test_bad_input_gets_a_clear_error(privacy_officer, overrides, message):
    response = signed_in(privacy_officer).post(reverse(REGISTER), form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()


def test_japanese_text_round_trips(privacy_officer):
    client = signed_in(privacy_officer)
    incident = record(
        client, description="委託先のサーバーに不正アクセスがありました。", data_categories="氏名、在留資格"
    )
    assert incident.description == "委託先のサーバーに不正アクセスがありました。"
    assert "氏名、在留資格" in page_of(client, incident)


def test_the_register_keeps_who_recorded_and_changed_what(privacy_officer):
    """A register the PPC may ask for shows how it came to say what it says."""
    client = signed_in(privacy_officer)
    incident = record(client, people_affected=3)
    response = client.post(
        reverse("privacy:staff_incident", args=[incident.pk]),
        form(people_affected=1200, preliminary_reported_at=local("2026-11-20T10:00")),
    )
    assert response.status_code == 302
    recorded, changed = IncidentEvent.objects.filter(incident=incident)
    assert (recorded.kind, recorded.actor) == (IncidentEvent.Kind.RECORDED, privacy_officer)
    assert changed.kind == IncidentEvent.Kind.CHANGED and changed.actor == privacy_officer
    assert changed.changes["people_affected"] == ["3", "1200"]
    assert "preliminary_reported_at" in changed.changes
    assert "description" not in changed.changes  # unchanged fields are not listed
    page = page_of(client, incident)
    assert "people_affected" in page and "3 → 1200" in page

    # Saving without a change writes no event.
    client.post(
        reverse("privacy:staff_incident", args=[incident.pk]),
        form(people_affected=1200, preliminary_reported_at=local("2026-11-20T10:00")),
    )
    assert IncidentEvent.objects.filter(incident=incident).count() == 2
