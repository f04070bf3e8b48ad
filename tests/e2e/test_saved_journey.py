"""Saved jobs and job alerts in a real browser, on a phone (issue 13).

A candidate finds Tokyo care openings on the job board, saves one with one
tap (the page's script: no reload, the change announced), saves the
board's search as a weekly alert, and sees both on their pages. A new
opening is published; the alert run writes a digest to the outbox (the
person agrees to job opening emails); the person's mail client stops the
alert with the one-click POST of its List-Unsubscribe header (RFC 8058),
and the confirm page the link opens stops every job opening email.

Every test also fails on a request leaving the live server or on a Content
Security Policy violation (tests/e2e/conftest.py)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from consents import services as consent_services
from consents.models import EmailPurpose
from consents.selectors import purpose_states
from matching.saved.models import JobAlert, SavedJob
from matching.saved.tasks import send_job_alerts
from outbox.models import OutboundEmail
from tests.e2e.consent_helpers import cookie_banner, load_migration_data, sign_in_with_session
from tests.e2e.matching_helpers import CARE_TITLE, care_employer, open_opening, ssw_candidate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _migration_data(transactional_db) -> None:
    load_migration_data()


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def main(page: Page):
    return page.get_by_role("main")


def test_a_candidate_saves_a_job_creates_an_alert_gets_the_digest_and_unsubscribes_in_one_click(
    page: Page, live_server, browser
):
    _employer, recruiter = care_employer()
    opening = open_opening(recruiter, title=CARE_TITLE, category="ssw_nursing_care", prefecture="13")
    open_opening(recruiter, title="介護スタッフ 大阪 Osaka", category="ssw_nursing_care", prefecture="27")
    candidate = ssw_candidate().user
    consent_services.purpose_consents_set(
        actor=candidate, user=candidate, choices={EmailPurpose.JOB_OPENINGS: True}, language="en"
    )

    # --- Tokyo care openings on the board; save one with one tap -----------------------------
    sign_in_with_session(page.context, live_server.url, candidate)
    page.goto(url("matching:board") + "?prefecture=13&category=ssw_nursing_care")
    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()
    cards = main(page).locator("article.opening-card")
    expect(cards).to_have_count(1)
    save = cards.first.get_by_role("button", name="Save job")
    save.click()
    saved = cards.first.get_by_role("button", name="Saved ✓ (remove)")
    expect(saved).to_have_attribute("aria-pressed", "true")
    expect(cards.first.locator(".save-job-status")).to_contain_text("Saved.")
    expect(page).to_have_url(re.compile(r"prefecture=13"))  # no reload, no redirect
    assert SavedJob.objects.filter(user=candidate, opening=opening).exists()

    # --- Save the search as a weekly alert ----------------------------------------------------
    main(page).get_by_role("button", name="Save this search as a job alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New job alert")
    main(page).get_by_label("Name of the alert").fill("東京 介護")
    main(page).get_by_label("Weekly").check()
    main(page).get_by_role("button", name="Save the alert").click()
    expect(page).to_have_url(re.compile(re.escape(url("saved:alerts")) + "$"))
    expect(main(page).get_by_role("heading", name="東京 介護")).to_be_visible()
    alert = JobAlert.objects.get(user=candidate)
    assert alert.filters == {"prefecture": "13", "category": "ssw_nursing_care"}

    page.goto(url("accounts:dashboard"))
    expect(main(page).get_by_role("region", name="Saved jobs")).to_contain_text(CARE_TITLE)

    # --- A new opening; the weekly run writes the digest ------------------------------------
    open_opening(recruiter, title="介護職員 新宿 Care staff Shinjuku", category="ssw_nursing_care", prefecture="13")
    assert send_job_alerts() == 1
    email = OutboundEmail.objects.get(recipient=candidate, kind="saved.alert_digest")
    assert "介護職員 新宿" in email.body_text and CARE_TITLE not in email.body_text
    # Delivered at once (Celery runs eagerly here): the mail as it arrived.
    (message,) = [m for m in mail.outbox if m.to == [candidate.email] and "Care staff Shinjuku" in m.body]
    alert_link = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # --- The mail client's one-click POST (no session, no CSRF token) ------------------------
    mail_client = browser.new_context(base_url=live_server.url)
    response = mail_client.request.post(alert_link, form={"List-Unsubscribe": "One-Click"})
    assert response.ok
    mail_client.close()
    alert.refresh_from_db()
    assert alert.paused

    # --- Opening the link asks; one more tap stops every job opening email ------------------
    page.goto(alert_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop these emails?")
    main(page).get_by_role("button", name="Stop all job opening emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert purpose_states(candidate)[EmailPurpose.JOB_OPENINGS] is False
