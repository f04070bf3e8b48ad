"""The staff's alert figures (counts only) and the query counts of the
saved-jobs and alerts pages (constant per page)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consents.privacy.services import account_erase
from matching.saved import services
from tests.matching.factories import OpeningFactory
from tests.matching.saved.factories import alert_for, opted_in, save

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_staff_see_alert_volume_and_no_person(coordinator, privacy_officer, support):
    lan = opted_in("lan.private@example.test")
    alert = alert_for(lan, "prefecture=13", name="Lan's secret search")
    alert_for(opted_in(), "prefecture=14", frequency="weekly")
    OpeningFactory(prefecture="13")
    services.job_alerts_run(frequency="daily")
    services.alert_unsubscribe(link=services.UnsubscribeLink(user=lan, purpose="job_openings", alert_id=alert.pk))
    for person in (coordinator, privacy_officer):
        response = signed_in(person).get(reverse("saved:staff_alerts"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "lan.private" not in html and "secret search" not in html
        assert timezone.localdate().isoformat() in html
    counts = response.context["counts"]
    assert counts[0][1:] == (0, 1) and counts[1][1:] == (1, 0)  # daily: paused; weekly: active
    assert response.context["days"][-1][1:] == (1, 1)
    assert dict(response.context["unsubscribes"])["This alert"] == 1
    assert signed_in(support).get(reverse("saved:staff_alerts")).status_code == 403
    # Erasing the person leaves the figures of the days gone by as they were.
    account_erase(user=lan)
    response = signed_in(coordinator).get(reverse("saved:staff_alerts"))
    assert response.context["days"][-1][1:] == (1, 1)
    assert dict(response.context["unsubscribes"])["This alert"] == 1
    menu = signed_in(coordinator).get(reverse("accounts:dashboard")).content.decode()
    assert reverse("saved:staff_alerts") in menu
    assert reverse("saved:staff_alerts") not in signed_in(support).get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.parametrize("url_name", ["saved:saved_jobs", "accounts:dashboard", "matching:board"])
def test_saved_jobs_pages_ask_a_constant_number_of_queries(candidate, url_name):
    client = signed_in(candidate)
    url = reverse(url_name)
    for _ in range(2):
        save(candidate, OpeningFactory())
    client.get(url)
    few = queries(client, url)
    for _ in range(6):
        save(candidate, OpeningFactory())
    assert queries(client, url) == few


def test_the_alerts_page_asks_a_constant_number_of_queries(candidate):
    client = signed_in(candidate)
    url = reverse("saved:alerts")
    alert_for(candidate, "prefecture=13")
    client.get(url)
    few = queries(client, url)
    for code in ("14", "27", "01"):
        alert_for(candidate, f"prefecture={code}&category=care_worker")
    assert queries(client, url) == few
