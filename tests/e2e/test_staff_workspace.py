"""The staff workspace in a real browser: each group's dashboard and the
statistics page pass axe (WCAG 2.x A/AA rules) with their SVG charts, work
without JavaScript, and load nothing from elsewhere (the traffic guard)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffGroup
from consents.privacy.models import Incident
from consents.privacy.services import incident_record, privacy_request_submit
from outbox.models import OutboundEmail
from tests.accounts.factories import StaffFactory
from tests.e2e.consent_helpers import load_migration_data, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture(autouse=True)
def _data():
    load_migration_data()


def _violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results.response["violations"]]


@pytest.mark.parametrize("group", [StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER, StaffGroup.SUPPORT])
def test_each_groups_dashboard_passes_axe_and_shows_its_charts(group, page, live_server):
    staff = StaffFactory(groups=[group])
    privacy_request_submit(
        requester=None,
        name="A",
        email="a@example.test",
        country="JP",
        us_state="",
        kind="appi_disclosure",
        details="",
        language="en",
    )
    incident_record(
        actor=StaffFactory(groups=[StaffGroup.PRIVACY_OFFICER]),
        incident=Incident(discovered_at=timezone.now(), description="Lost laptop", data_categories="contact"),
    )
    OutboundEmail.objects.create(to_email="x@example.test", subject="s", body_text="t", state="failed")
    sign_in_with_session(page.context, live_server.url, staff)
    page.goto(live_server.url + reverse("accounts:dashboard"))
    assert page.locator("svg.chart[role=img]").count() >= 1
    assert page.locator(".panel table").count() >= 1
    assert _violations(page) == []


def test_the_statistics_page_passes_axe_and_works_without_javascript(browser, live_server):
    staff = StaffFactory(groups=[StaffGroup.PRIVACY_OFFICER])
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in_with_session(context, live_server.url, staff)
        page.goto(live_server.url + reverse("consents:staff_statistics"))
        assert page.get_by_role("heading", name="Anonymised statistics").is_visible()
        assert page.get_by_role("link", name="Download as CSV").is_visible()
    finally:
        context.close()


def test_the_statistics_page_passes_axe(page, live_server):
    sign_in_with_session(page.context, live_server.url, StaffFactory(groups=[StaffGroup.SUPPORT]))
    page.goto(live_server.url + reverse("consents:staff_statistics"))
    assert _violations(page) == []
