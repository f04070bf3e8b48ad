"""Working together in a real browser (issue 14): a candidate in Vietnam
applies (sharing their profile), the recruiter in Tokyo writes to them, the
candidate answers, the recruiter proposes interview times, the candidate
picks one (shown in Japan time and in their own time zone) and downloads it
for their calendar, the recruiter moves the application to offer and then
hired, and the candidate sees it. The unread count in the header follows
each step on both sides; the conversation page passes axe; no script
throws, and nothing leaves the live server (tests/e2e/conftest.py).
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from matching.invitations import JST
from matching.models import Application, ApplicationMessage, ApplicationState, Interview
from outbox.models import OutboundEmail
from tests.e2e import consent_helpers
from tests.e2e.consent_helpers import load_migration_data, sign_in_with_session
from tests.e2e.matching_helpers import (
    CARE_TITLE,
    LEGAL_NAME,
    at,
    care_employer,
    dismiss_cookie_banner,
    expect_message,
    main,
    open_opening,
    ssw_candidate,
    url,
)

# A second person's phone (the recruiter's), watched by the same guard.
other_browser = consent_helpers.other_browser

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
HELLO = "はじめまして。Thank you for applying. Could you tell us when you can start?"
ANSWER = "Xin chào! I can start on 1 April. 4月1日から働けます。"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def browser_context_args() -> dict:
    """The candidate's phone: in Vietnam (UTC+7)."""
    return {"viewport": PHONE, "locale": "en-US", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(autouse=True)
def _migration_data(transactional_db) -> None:
    load_migration_data()


def unread(page: Page):
    """The header's count of unread messages and notices (absent at zero)."""
    return page.get_by_role("banner").locator(".main-nav .badge")


def expect_unread(page: Page, count: int) -> None:
    if count:
        expect(unread(page)).to_have_text(f"{count} unread")
    else:
        expect(unread(page)).to_have_count(0)


def conversation(page: Page):
    return main(page).get_by_role("region", name="Messages")


def interview_section(page: Page):
    return main(page).get_by_role("region", name="Interview")


def in_days(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(JST).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=JST)


def test_candidate_and_recruiter_agree_on_an_interview_and_the_offer(page: Page, live_server, other_browser):
    employer, recruiter = care_employer()
    opening = open_opening(recruiter, title=CARE_TITLE, category="ssw_nursing_care", prefecture="13")
    profile = ssw_candidate()
    candidate = profile.user

    # A script that throws (localtime.js did, silently) fails the journey.
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    # --- The candidate applies, sharing their profile -----------------------------------------
    sign_in_with_session(page.context, live_server.url, candidate)
    page.goto(url("matching:opening", opening.pk))
    dismiss_cookie_banner(page)
    main(page).get_by_role("link", name="Apply", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Share your profile with {LEGAL_NAME}?")
    main(page).get_by_label("I agree to share my profile as described above.").check()
    main(page).get_by_role("button", name="Share my profile").click()
    application = Application.objects.get()
    expect(page).to_have_url(at("matching:my_application", application.pk, fragment=True))
    expect_message(page, f"Your application was sent to {LEGAL_NAME}.")
    expect_unread(page, 1)  # the notice that it was sent
    page.get_by_role("banner").get_by_role("link", name=re.compile("^Messages")).click()
    expect(main(page).locator("article.card h2").first).to_have_text(f"Your application to {LEGAL_NAME} was sent")
    expect_unread(page, 0)  # read on the Messages page

    # --- The recruiter, on another phone in Tokyo, writes first -------------------------------
    recruiter_page = other_browser.new_page(timezone_id="Asia/Tokyo")
    recruiter_page.on("pageerror", lambda error: script_errors.append(str(error)))
    sign_in_with_session(recruiter_page.context, live_server.url, recruiter)
    recruiter_page.goto(url("matching:messages"))
    dismiss_cookie_banner(recruiter_page)
    expect_unread(recruiter_page, 0)  # the "new application" notice, now read
    recruiter_page.goto(url("matching:employer_application", application.pk))
    expect(conversation(recruiter_page)).to_contain_text(f"About “{CARE_TITLE}” at {LEGAL_NAME}.")
    expect(conversation(recruiter_page)).to_contain_text("No messages yet.")
    conversation(recruiter_page).get_by_label("Your message").fill(HELLO)
    conversation(recruiter_page).get_by_role("button", name="Send").click()
    expect_message(recruiter_page, "Message sent.")
    expect(conversation(recruiter_page).locator("article.chat-mine")).to_contain_text(HELLO)

    # --- The candidate sees one unread message and answers ------------------------------------------
    page.goto(url("accounts:dashboard"))
    expect_unread(page, 1)
    page.get_by_role("banner").get_by_role("link", name=re.compile("^Messages")).click()
    main(page).get_by_role("link", name=re.compile(re.escape(CARE_TITLE))).first.click()
    expect(page).to_have_url(at("matching:my_application", application.pk, fragment=True))
    expect(conversation(page).locator("article.chat-employer")).to_contain_text(HELLO)
    expect(conversation(page).locator("article.chat-employer")).to_contain_text(LEGAL_NAME)
    expect_unread(page, 0)  # read now that the conversation is open
    conversation(page).get_by_label("Your message").fill(ANSWER)
    conversation(page).get_by_role("button", name="Send").click()
    expect_message(page, "Message sent.")
    expect(conversation(page).locator("article.chat-mine")).to_contain_text(ANSWER)
    assert list(ApplicationMessage.objects.order_by("pk").values_list("side", "body")) == [
        ("employer", HELLO),
        ("candidate", ANSWER),
    ]

    # --- The recruiter reads the answer and proposes two times -------------------------------------
    recruiter_page.goto(url("matching:employer_openings"))
    expect_unread(recruiter_page, 1)
    recruiter_page.goto(url("matching:employer_application", application.pk))
    expect(conversation(recruiter_page).locator("article.chat-candidate")).to_contain_text(ANSWER)
    expect_unread(recruiter_page, 0)
    first, second = in_days(5, 10), in_days(6, 15)
    section = interview_section(recruiter_page)
    for n, moment in enumerate((first, second), start=1):
        section.get_by_label(f"Date {n} (Japan time)").fill(moment.strftime("%Y-%m-%d"))
        section.get_by_label(f"Time {n} (Japan time)").fill(moment.strftime("%H:%M"))
    section.get_by_label("Length (minutes)").fill("45")
    section.get_by_label("Video link").fill("https://meet.example/sakura-care")
    section.get_by_label("Interviewers' names").fill("Tanaka Ken")
    section.get_by_role("button", name="Send the times").click()
    expect(recruiter_page).to_have_url(at("matching:employer_application", application.pk, fragment=True))
    expect(recruiter_page.get_by_role("heading", level=1)).to_have_text("Application — Interview")
    expect(interview_section(recruiter_page)).to_contain_text("Times proposed: waiting for the candidate")

    # --- The candidate picks the second time --------------------------------------------------------
    page.goto(url("accounts:dashboard"))
    expect_unread(page, 1)  # the invitation
    page.goto(url("matching:my_application", application.pk))
    section = interview_section(page)
    expect(section).to_contain_text(first.strftime("%Y-%m-%d 10:00 JST (UTC+09:00)"))
    # Japan time, and the candidate's own (Vietnam, two hours behind).
    expect(section.locator(".local-time").first).to_contain_text("8:00")
    expect(section.locator(".local-time").first).to_contain_text("GMT+7")
    section.get_by_label(re.compile(re.escape(second.strftime("%Y-%m-%d 15:00 JST")))).check()
    section.get_by_role("button", name="Accept this time").click()
    expect_message(page, "The interview is set.")
    section = interview_section(page)
    expect(section).to_contain_text("Your interview: " + second.strftime("%Y-%m-%d 15:00 JST (UTC+09:00)"))
    interview = Interview.objects.get()
    assert interview.state == Interview.State.SCHEDULED
    assert interview.starts_at == second.astimezone(UTC)

    # The same event as the invitation mailed: one UID, one SEQUENCE.
    with page.expect_download() as download:
        section.get_by_role("link", name="Add to my calendar (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    mailed = [
        icalendar.Calendar.from_ical(a["content"])
        for row in OutboundEmail.objects.filter(recipient=candidate).order_by("pk")
        for a in row.attachments
    ]
    [invitation] = mailed[-1].walk("VEVENT")
    assert mailed[-1]["METHOD"] == "REQUEST"
    assert str(event["UID"]) == str(invitation["UID"])
    assert int(event["SEQUENCE"]) == int(invitation["SEQUENCE"])
    assert event["DTSTART"].dt.astimezone(UTC) == second.astimezone(UTC)
    assert event["LOCATION"] == "https://meet.example/sakura-care"

    # One accessibility check: the conversation page with the interview on it.
    results = Axe().run(page, options=WCAG)
    assert [f"{v['id']}: {v['help']}" for v in results.response["violations"]] == []

    # --- The recruiter sees the time and moves to offer, then hired --------------------------------
    recruiter_page.goto(url("matching:employer_opening", opening.pk))
    expect(main(recruiter_page).locator("tbody tr").first).to_contain_text(second.strftime("%Y-%m-%d 15:00 JST"))
    recruiter_page.goto(url("matching:employer_application", application.pk))
    expect(interview_section(recruiter_page)).to_contain_text("Scheduled")
    expect(interview_section(recruiter_page)).to_contain_text(second.strftime("%Y-%m-%d 15:00 JST"))
    # The interview takes place.
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    for state in ("Offer", "Hired"):
        main(recruiter_page).get_by_label("Move to").select_option(label=state)
        main(recruiter_page).get_by_role("button", name="Move", exact=True).click()
        expect_message(recruiter_page, "Moved. The candidate is told.")
        expect(recruiter_page.get_by_role("heading", level=1)).to_have_text(f"Application — {state}")

    # --- The candidate sees it ------------------------------------------------------------------------
    page.goto(url("matching:my_application", application.pk))
    expect(main(page).locator("p.state")).to_have_text("State: Hired")
    expect(main(page).locator("ol.timeline li")).to_have_count(4)  # applied, interview, offer, hired
    # Unread: the times proposed, the invitation for the calendar, the offer, hired.
    expect_unread(page, 4)
    page.get_by_role("banner").get_by_role("link", name=re.compile("^Messages")).click()
    subjects = main(page).locator("article.card h2")
    expect(subjects.nth(0)).to_have_text(f"Your application to {LEGAL_NAME}: Hired")
    expect(subjects.nth(1)).to_have_text(f"Your application to {LEGAL_NAME}: Offer")
    expect(subjects.nth(2)).to_have_text(re.compile(r"^Interview on .*" + re.escape(CARE_TITLE)))
    expect(subjects.nth(3)).to_have_text(f"{LEGAL_NAME} invites you to an interview")
    # The interview took place: being hired does not cancel it.
    expect(main(page)).not_to_contain_text("Interview cancelled")
    expect_unread(page, 0)

    application.refresh_from_db()
    assert application.state == ApplicationState.HIRED
    assert script_errors == []
    other_browser.finish()
