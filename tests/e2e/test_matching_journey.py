"""Applying for a job in a real browser, on phones (PRODUCT.md §5).

1. A candidate finds an opening on the public job board with the search
   form, reads how it fits them, applies through the consent screen (a
   second click while the server is still on the first submit makes no
   second application), and lands on their application. A
   recruiter of the employer, on another phone, finds the application with
   the candidate's name and email (contact details were shared), moves it to
   screening and then interview, and adds a note. The candidate sees the new
   state, its history, and the messages telling them (linked from My page).
2. The candidate withdraws the share grant: the recruiter's application page
   keeps the pipeline but no longer shows who the candidate is.

Every test also fails on a request leaving the live server or on a Content
Security Policy violation (tests/e2e/conftest.py), in both browsers.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from consents.models import AccessRecord, ConsentEvent, ConsentEventType, ConsentKind, ShareGrant
from matching.models import Application, ApplicationEvent, ApplicationNote, ApplicationState, Message
from tests.e2e import consent_helpers, matching_helpers
from tests.e2e.consent_helpers import load_migration_data, sign_in_with_session
from tests.e2e.matching_helpers import (
    CANDIDATE_EMAIL,
    CANDIDATE_NAME,
    CARE_TITLE,
    LEGAL_NAME,
    apply_in_python,
    at,
    care_employer,
    dismiss_cookie_banner,
    expect_message,
    main,
    open_opening,
    ssw_candidate,
    url,
    wait_in_browser_until,
)

# Fixtures: a second person's phone watched by the same guard, and overlapping double submits.
other_browser = consent_helpers.other_browser
overlapping_submits = matching_helpers.overlapping_submits

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "面接は5月10日 14時。Interview on 10 May at 14:00, bring the residence card."
NO_LONGER_SHARES = "The candidate no longer shares their profile with your company."


@pytest.fixture(autouse=True)
def _migration_data(transactional_db) -> None:
    """The policies (the Data Use Agreement above all) and the taxonomies
    come from data migrations, which an earlier transactional test's flush
    removes: add back what is missing (see consent_helpers.load_migration_data)."""
    load_migration_data()


def expect_history(page: Page, *states: str) -> None:
    items = main(page).locator("ol.timeline li")
    expect(items).to_have_count(len(states))
    for item, state in zip(items.all(), states, strict=True):
        expect(item).to_contain_text(re.compile(rf"— {re.escape(state)}$"))


def test_a_candidate_applies_from_the_job_board_and_sees_the_employer_move_it_to_interview(
    page: Page, live_server, other_browser, overlapping_submits
):
    employer, recruiter = care_employer()
    opening = open_opening(
        recruiter, title=CARE_TITLE, category="ssw_nursing_care", prefecture="13", required_level="jlpt_n3"
    )
    # Two more openings the filters must leave out: same work in Osaka, other work in Tokyo.
    open_opening(recruiter, title="介護スタッフ 大阪 Care worker Osaka", category="ssw_nursing_care", prefecture="27")
    open_opening(recruiter, title="調理スタッフ Kitchen staff", category="ssw_food_service", prefecture="13")
    profile = ssw_candidate()
    candidate = profile.user

    # --- The candidate finds the opening on the public job board ------------------------
    sign_in_with_session(page.context, live_server.url, candidate)
    page.goto(url("matching:board"))
    dismiss_cookie_banner(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs in Japan")
    expect(main(page).locator("article.opening-card")).to_have_count(3)

    search = main(page).get_by_role("search")
    search.get_by_text("Filters", exact=True).click()  # folded away on a phone
    search.get_by_label("Prefecture").select_option(label="Tokyo (2)")
    search.get_by_label("Kind of work").select_option(label="Nursing care (SSW) (2)")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/en/jobs/\?.*prefecture=13.*category=ssw_nursing_care"))
    expect(main(page).get_by_role("status")).to_have_text("1 opening")
    cards = main(page).locator("article.opening-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(LEGAL_NAME)
    expect(cards.first).to_contain_text("Tokyo")
    cards.first.get_by_role("link", name=CARE_TITLE).click()

    # --- How the opening fits them ------------------------------------------------------------
    expect(page).to_have_url(at("matching:opening", opening.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text(CARE_TITLE)
    fit = main(page).get_by_role("region", name="How this opening fits you")
    expect(fit).to_be_visible()
    reasons = fit.locator("ul.reasons li")
    expect(reasons).to_contain_text(
        [
            "Your status of residence (Specified Skilled Worker (i)) allows this work.",
            "Requires JLPT N3; you have JLPT N3.",
            "It is in a prefecture you chose (Tokyo).",
            "The salary reaches what you expect.",
        ]
    )
    expect(fit.locator("ul.gaps")).to_have_count(0)
    main(page).get_by_role("link", name="Apply", exact=True).click()

    # --- The consent screen -------------------------------------------------------------------
    expect(page).to_have_url(at("matching:apply", opening.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Share your profile with {LEGAL_NAME}?")
    expect(main(page)).to_contain_text(f"Applying to {CARE_TITLE}")
    facts = main(page).locator("dl.facts")
    expect(facts).to_contain_text(f"{LEGAL_NAME} (corporate number {employer.corporate_number})")
    expect(facts).to_contain_text(
        "to decide whether to hire you, and to contact you about employment or non-acceptance"
    )
    optional = main(page).get_by_role("group", name=re.compile("^Also share"))
    for label in (
        "Contact details: email and telephone",
        "Postal address",
        "Exact date of birth (otherwise your age only)",
        "Photo",
    ):
        expect(optional.get_by_label(label)).not_to_be_checked()
    agree = main(page).get_by_label("I agree to share my profile as described above.")
    expect(agree).not_to_be_checked()
    assert not Application.objects.exists()

    optional.get_by_label("Contact details: email and telephone").check()
    agree.check()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    # An impatient double click: the second click comes while the server is
    # still on the first submit (see OverlappingSubmits), and must not make a
    # second application.
    share = main(page).get_by_role("button", name="Share my profile")
    share.scroll_into_view_if_needed()
    box = share.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse, not the locator: a locator waits for the first submit's
    # navigation, which the server holds until the second click arrives.
    page.mouse.click(x, y)
    wait_in_browser_until(page, overlapping_submits.first_arrived.is_set)
    page.mouse.click(x, y)

    expect(page).to_have_url(re.compile(re.escape(url("matching:my_applications")) + r"\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CARE_TITLE)
    expect(main(page).locator("p.state")).to_have_text("State: Applied")
    # The page shows the answer to the second submit, whichever of the two won.
    expect(main(page).locator("ul.messages")).to_contain_text(
        re.compile(
            f"Your application was sent to {re.escape(LEGAL_NAME)}."
            "|You have already applied to this opening. Here is your application."
        )
    )
    expect_history(page, "Applied")
    assert posts == [live_server.url + url("matching:apply", opening.pk)] * 2, posts
    assert overlapping_submits.wait_for_both() == ["already applied", "applied"]
    application = Application.objects.get()  # one, however many submits arrived
    assert (application.opening_id, application.candidate_id) == (opening.pk, candidate.pk)
    assert page.url.endswith(url("matching:my_application", application.pk))
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    grant = ShareGrant.objects.get(candidate=candidate, employer=employer)
    assert application.grant_id == grant.pk
    assert (grant.include_contact, grant.include_address, grant.include_date_of_birth, grant.include_photo) == (
        True,
        False,
        False,
        False,
    )
    assert list(ConsentEvent.objects.filter(kind=ConsentKind.SHARE).values_list("event", "grant_id")) == [
        (ConsentEventType.GRANT, grant.pk)
    ]
    assert list(Message.objects.filter(recipient=recruiter).values_list("subject", "url")) == [
        (f"New application for “{CARE_TITLE}”", url("matching:employer_application", application.pk))
    ]

    # --- The recruiter, on another phone, finds the application ---------------------------------
    recruiter_page = other_browser.new_page()
    sign_in_with_session(recruiter_page.context, live_server.url, recruiter)
    recruiter_page.goto(url("matching:employer_opening", opening.pk))
    dismiss_cookie_banner(recruiter_page)
    expect(recruiter_page.get_by_role("heading", level=1)).to_have_text(CARE_TITLE)
    rows = main(recruiter_page).locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Applied")
    rows.first.get_by_role("link", name=CANDIDATE_NAME).click()

    expect(recruiter_page).to_have_url(at("matching:employer_application", application.pk))
    expect(recruiter_page.get_by_role("heading", level=1)).to_have_text("Application — Applied")
    card = main(recruiter_page).locator("article.profile-card")
    expect(card.get_by_role("heading", name=CANDIDATE_NAME)).to_be_visible()
    expect(card).to_contain_text(CANDIDATE_EMAIL)  # contact details were shared
    expect(card).not_to_contain_text(profile.street)  # the address was not
    assert AccessRecord.objects.filter(viewer_id=recruiter.pk, grant_id=grant.pk).count() == 1

    # --- Screening, then interview, with the pipeline form --------------------------------------
    for state in ("Screening", "Interview"):
        main(recruiter_page).get_by_label("Move to").select_option(label=state)
        main(recruiter_page).get_by_role("button", name="Move", exact=True).click()
        expect(recruiter_page).to_have_url(at("matching:employer_application", application.pk))
        expect_message(recruiter_page, "Moved. The candidate is told.")
        expect(recruiter_page.get_by_role("heading", level=1)).to_have_text(f"Application — {state}")
    expect_history(recruiter_page, "Applied", "Screening", "Interview")
    # From interview on, only an offer or "not selected" are offered.
    options = main(recruiter_page).get_by_label("Move to").locator("option")
    expect(options).to_have_text(["Not selected", "Offer"])

    main(recruiter_page).get_by_label("Note").fill(NOTE)
    main(recruiter_page).get_by_role("button", name="Add note").click()
    expect(recruiter_page).to_have_url(at("matching:employer_application", application.pk))
    expect(main(recruiter_page).locator("article.card", has_text=NOTE)).to_contain_text("Tanaka Ken")
    assert list(ApplicationNote.objects.values_list("application_id", "author_id", "body")) == [
        (application.pk, recruiter.pk, NOTE)
    ]

    # --- The candidate sees the change ---------------------------------------------------------------
    page.reload()
    expect(main(page).locator("p.state")).to_have_text("State: Interview")
    expect_history(page, "Applied", "Screening", "Interview")
    expect(main(page)).not_to_contain_text(NOTE)  # notes are the employer's

    page.get_by_role("banner").get_by_role("link", name="My page").click()
    main(page).get_by_role("link", name="Messages", exact=True).click()
    expect(page).to_have_url(at("matching:messages"))
    subjects = main(page).locator("article.card h2")
    expect(subjects).to_have_text(
        [
            f"Your application to {LEGAL_NAME}: Interview",
            f"Your application to {LEGAL_NAME}: Screening",
            f"Your application to {LEGAL_NAME} was sent",
        ]
    )
    newest = main(page).locator("article.card").first
    expect(newest).to_contain_text(f"The opening: {CARE_TITLE}.")
    newest.get_by_role("link").click()
    expect(page).to_have_url(at("matching:my_application", application.pk))
    expect(main(page).locator("p.state")).to_have_text("State: Interview")

    application.refresh_from_db()
    assert application.state == ApplicationState.INTERVIEW
    other_browser.finish()


def test_after_the_candidate_withdraws_the_grant_the_recruiter_no_longer_sees_who_applied(
    page: Page, live_server, other_browser
):
    _employer, recruiter = care_employer()
    opening = open_opening(recruiter, title=CARE_TITLE, category="ssw_nursing_care", prefecture="13")
    profile = ssw_candidate()
    application = apply_in_python(profile.user, opening)

    # The recruiter sees who applied.
    recruiter_page = other_browser.new_page()
    sign_in_with_session(recruiter_page.context, live_server.url, recruiter)
    recruiter_page.goto(url("matching:employer_application", application.pk))
    dismiss_cookie_banner(recruiter_page)
    card = main(recruiter_page).locator("article.profile-card")
    expect(card.get_by_role("heading", name=CANDIDATE_NAME)).to_be_visible()
    expect(card).to_contain_text(CANDIDATE_EMAIL)

    # The candidate withdraws the grant on the sharing page.
    sign_in_with_session(page.context, live_server.url, profile.user)
    page.goto(url("consents:sharing"))
    dismiss_cookie_banner(page)
    page.get_by_role("button", name=f"Withdraw access for {LEGAL_NAME}").click()
    expect(page).to_have_url(at("consents:sharing"))
    expect_message(page, f"{LEGAL_NAME} can no longer see your profile.")
    assert ShareGrant.objects.get(pk=application.grant_id).ended_at is not None

    # The recruiter's application page keeps the pipeline, not the person.
    views_before = AccessRecord.objects.filter(viewer_id=recruiter.pk).count()
    recruiter_page.reload()
    expect(recruiter_page.get_by_role("heading", level=1)).to_have_text("Application — Applied")
    expect(main(recruiter_page)).to_contain_text(NO_LONGER_SHARES)
    expect(main(recruiter_page).locator("article.profile-card")).to_have_count(0)
    for hidden in (CANDIDATE_NAME, CANDIDATE_EMAIL, profile.phone, "Nguyen Thi Lan"):
        expect(recruiter_page.locator("body")).not_to_contain_text(hidden)
    expect(main(recruiter_page).get_by_role("button", name="Add note")).to_have_count(0)
    expect_history(recruiter_page, "Applied")
    assert AccessRecord.objects.filter(viewer_id=recruiter.pk).count() == views_before  # nothing was shown

    recruiter_page.goto(url("matching:employer_opening", opening.pk))
    row = main(recruiter_page).locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Candidate no longer shares their profile")
    expect(main(recruiter_page)).not_to_contain_text(CANDIDATE_NAME)

    other_browser.finish()
