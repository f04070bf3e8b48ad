"""No page shows a stored code where a person expects words (issue 15):
the field groups of the access log, the country on the privacy desk and the
incident register's labels and history, in the reader's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from consents.models import AccessRecord, FieldGroup
from consents.privacy import services as privacy
from consents.privacy.models import Incident, IncidentEvent
from consents.services import subject_key_for

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Contact details, Core profile"), ("ja", "連絡先"), ("my", "ဆက်သွယ်ရန် အချက်အလက်"), ("ne", "सम्पर्क विवरण")],
)
def test_the_access_log_names_what_was_seen(candidate, language, expected):
    AccessRecord.objects.create(
        subject_key=subject_key_for(candidate),
        viewer_kind=AccessRecord.ViewerKind.EMPLOYER,
        viewer_id=1,
        viewer_name="山田",
        employer_name="株式会社例",
        field_groups=[FieldGroup.CONTACT, FieldGroup.CORE, "gone_group"],
        channel="web",
    )
    with translation.override(language):
        url = reverse("consents:access_log")
    page = signed_in(candidate).get(url).content.decode()
    assert expected in page
    assert "contact, core" not in page and "gone_group" not in page


@pytest.mark.parametrize(("language", "name"), [("en", "American Samoa"), ("ja", "米領サモア"), ("my", "ဆမိုးအား")])
def test_the_privacy_desk_names_the_country(privacy_officer, language, name):
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = privacy.privacy_request_submit(
            requester=None,
            name="Test Person",
            email="someone@example.test",
            country="AS",
            us_state="",
            kind="appi_disclosure",
            details="",
            language="en",
        )
    with translation.override(language):
        url = reverse("privacy:staff_request", args=[request.pk])
    page = signed_in(privacy_officer).get(url).content.decode()
    assert name in page
    assert "<dd>AS" not in page


def test_country_choices_are_in_the_page_language(client):
    page = client.get("/my/privacy/requests/new/").content.decode()
    assert "မြန်မာ" in page and "ဂျပန်" in page
    page = client.get("/ne/privacy/requests/new/").content.decode()
    assert "जापान" in page


def test_the_incident_register_speaks_japanese_on_ja(privacy_officer):
    incident = Incident.objects.create(
        discovered_at=datetime(2026, 11, 1, 10, tzinfo=TOKYO), description="x", data_categories="names"
    )
    IncidentEvent.objects.create(
        incident=incident,
        kind=IncidentEvent.Kind.CHANGED,
        changes={"people_notified_at": ["", "2026-11-02 10:00"], "removed_field": ["a", "b"]},
    )
    with translation.override("ja"):
        url = reverse("privacy:staff_incident", args=[incident.pk])
    page = signed_in(privacy_officer).get(url).content.decode()
    history = page.split("<ol class=\"timeline\">")[1].split("</ol>")[0]
    for english in ("Preliminary reported at", "Final reported at", "People notified at"):
        assert english not in page
    assert "people_notified_at" not in history and "removed_field" not in history
    assert "本人への通知の日時" in page and "その他の項目" in page
