"""Finding work in a real browser, on a phone (issue 13): a new visitor
types `東京 介護`, sees the Tokyo care opening with why it matched (and not
the Osaka one or the Tokyo kitchen), opens it, and goes on to the company's
page. The filters stay folded until asked for. The test fails on a request
leaving the live server or a Content Security Policy violation
(tests/e2e/conftest.py): the page's JSON-LD data block raises none.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.consent_helpers import cookie_banner, load_migration_data
from tests.e2e.matching_helpers import CARE_TITLE, LEGAL_NAME, care_employer, open_opening

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _migration_data(transactional_db) -> None:
    load_migration_data()


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_a_visitor_finds_tokyo_care_work_in_japanese_and_reads_the_company(page: Page):
    employer, recruiter = care_employer()
    opening = open_opening(recruiter, title=CARE_TITLE, category="ssw_nursing_care", prefecture="13")
    open_opening(recruiter, title="介護スタッフ 大阪 Care worker Osaka", category="ssw_nursing_care", prefecture="27")
    open_opening(recruiter, title="調理スタッフ Kitchen staff", category="ssw_food_service", prefecture="13")

    page.goto(url("matching:board"))
    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()
    main = page.get_by_role("main")
    search = main.get_by_role("search")
    expect(search.get_by_label("Prefecture")).to_be_hidden()  # folded on a phone
    search.get_by_label("Keyword").fill("東京 介護")
    search.get_by_role("button", name="Search").click()

    expect(main.get_by_role("status")).to_have_text("1 opening")
    cards = main.locator("article.opening-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(CARE_TITLE)
    expect(cards.first.locator(".matched")).to_have_text(
        "Matched: Tokyo (prefecture), Nursing care (SSW) (kind of work)"
    )
    cards.first.get_by_role("link", name=CARE_TITLE).click()

    expect(page).to_have_url(re.compile(re.escape(url("matching:opening", opening.pk)) + "$"))
    expect(page.locator('script[type="application/ld+json"]')).to_have_count(1)
    page.get_by_role("main").get_by_role("link", name=LEGAL_NAME).click()

    expect(page).to_have_url(re.compile(re.escape(url("matching:company", employer.pk)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LEGAL_NAME)
    company_jobs = page.get_by_role("main").locator("article.opening-card")
    expect(company_jobs).to_have_count(3)
