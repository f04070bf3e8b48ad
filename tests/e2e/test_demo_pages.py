"""No page of the demo asks the browser for something that is not there (a
favicon, an app icon, a manifest): the console stays free of 404s and other
errors, for a visitor, a candidate and a recruiter (issue 14)."""

import pytest
from playwright.sync_api import Page

from tests.accounts.factories import CandidateFactory, EmployerMemberFactory
from tests.e2e.consent_helpers import employer_with_agreement, load_migration_data, sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/en/",
    "/ja/",
    "/en/accounts/login/",
    "/en/accounts/login/password/",
    "/en/accounts/signup/",
    "/en/jobs/",
    "/en/policies/",
    "/en/contact/",
    "/en/cookies/",
]
CANDIDATE_PAGES = ["/en/me/", "/en/profile/", "/en/me/applications/", "/en/me/consents/"]
RECRUITER_PAGES = ["/en/me/", "/en/employer/openings/", "/en/company/"]


def visit_all(page: Page, paths: list[str]) -> list[str]:
    problems: list[str] = []
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        # The icons and the manifest are fetched after the page (or only when
        # installed): ask for each the page links to.
        links = page.evaluate(
            """() => [...document.querySelectorAll(
                'link[rel~="icon"], link[rel="manifest"], link[rel="apple-touch-icon"]')].map(l => l.href)"""
        )
        for href in links:
            status = page.request.get(href).status
            if status >= 400:
                problems.append(f"{status} {href}")
    return problems


def test_no_page_has_a_404_or_a_console_error(page: Page, live_server, context):
    load_migration_data()
    assert visit_all(page, PUBLIC_PAGES) == []
    # What a browser asks by itself on a page without an icon link (the admin's).
    assert page.request.get("/favicon.ico").status == 200

    sign_in_with_session(context, live_server.url, CandidateFactory())
    assert visit_all(page, CANDIDATE_PAGES) == []


def test_no_recruiter_page_has_a_404(page: Page, live_server, context):
    load_migration_data()
    employer = employer_with_agreement(legal_name="Sakura Care")
    recruiter = EmployerMemberFactory(employer=employer).user
    sign_in_with_session(context, live_server.url, recruiter)
    problems = visit_all(page, RECRUITER_PAGES)
    assert problems == []
