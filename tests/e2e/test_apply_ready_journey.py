"""A brand-new candidate on a phone, from the home page to a submitted
application (issue 14): at most 20 interactions (clicks, fills, selects,
checks) and 8 page loads. The opening is kept through the whole detour:
sign-up, the emailed code, one page of what is still missing (the prefecture
and city come from the postal code), the consent screen."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from matching.models import Application
from profiles.models import StatusOfResidence
from tests.e2e.consent_helpers import employer_with_agreement, load_migration_data
from tests.e2e.helpers import login_code_from_mail
from tests.matching.factories import OpeningFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_INTERACTIONS = 20
MAX_PAGE_LOADS = 8
TITLE = "Care worker in Chiyoda"


class Counted:
    """The page, with every interaction a person makes counted."""

    def __init__(self, page: Page):
        self.page = page
        self.interactions: list[str] = []
        self.loads: list[str] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self.loads.append(frame.url))

    def click(self, locator, what: str) -> None:
        self.interactions.append(f"click {what}")
        locator.click()

    def fill(self, locator, value: str, what: str) -> None:
        self.interactions.append(f"fill {what}")
        locator.fill(value)

    def select(self, locator, value: str, what: str) -> None:
        self.interactions.append(f"select {what}")
        locator.select_option(value)

    def check(self, locator, what: str) -> None:
        self.interactions.append(f"check {what}")
        locator.check()


def test_a_new_candidate_applies_from_the_home_page_in_few_steps(page: Page):
    load_migration_data()
    employer = employer_with_agreement(legal_name="Sakura Care Services")
    opening = OpeningFactory(employer=employer, title=TITLE, category="care_worker", prefecture="13")
    person = Counted(page)
    main = page.get_by_role("main")

    page.goto("/en/")
    person.click(page.get_by_role("banner").get_by_role("link", name="Jobs", exact=True), "Jobs")
    person.click(main.get_by_role("link", name=TITLE), "the opening")
    person.click(main.get_by_role("link", name="Apply", exact=True), "Apply")

    # Sign up: only an email address and the terms.
    expect(page).to_have_url(re.compile(re.escape(reverse("account_signup")) + r"\?next="))
    person.fill(main.locator('input[name="email"]'), "new.person@example.test", "email")
    person.check(main.locator('input[name="accept_policies"]'), "accept the terms")
    person.click(main.get_by_role("button", name="Create my account"), "Create my account")

    person.fill(main.locator('input[name="code"]'), login_code_from_mail("new.person@example.test"), "code")
    person.click(main.get_by_role("button", name="Confirm"), "Confirm")

    # One page: only what the application still needs, the opening kept.
    expect(page).to_have_url(re.compile(re.escape(reverse("ready_to_apply")) + rf"\?opening={opening.pk}$"))
    expect(main).to_contain_text(TITLE)
    person.fill(main.get_by_label("Name as in your passport", exact=False), "NGUYEN THI LAN", "name")
    person.fill(main.get_by_label("Date of birth", exact=False), "1998-04-01", "date of birth")
    person.select(main.get_by_label("Nationality", exact=False), "VN", "nationality")
    person.select(main.get_by_label("Country you live in", exact=False), "JP", "country")
    person.fill(main.locator('input[name="postal_code"]'), "100-0013", "postal code")
    # The prefecture and city fill themselves while typing (no interaction).
    expect(main.locator('input[name="city"]')).to_have_value("千代田区")
    person.select(main.locator('select[name="status"]'), label_of_status("ssw_1"), "status of residence")
    person.fill(main.locator('input[name="period_of_stay_expiry"]'), "2030-03-31", "end of stay")
    person.select(main.locator('select[name="japanese_speaking"]'), "daily", "Japanese")
    person.click(main.get_by_role("button", name="Save and continue"), "Save and continue")

    # The consent screen of the opening, then the application.
    expect(page).to_have_url(re.compile(re.escape(reverse("matching:apply", args=[opening.pk])) + "$"))
    person.check(main.locator('input[name="agree"]'), "I agree")
    person.click(main.get_by_role("button", name="Share my profile"), "Share my profile")
    expect(main).to_contain_text("Your application was sent")

    user = User.objects.get(email="new.person@example.test")
    assert Application.objects.filter(candidate=user, opening=opening).count() == 1
    assert user.candidate_profile.city == "千代田区"
    print(f"apply-ready: {len(person.interactions)} interactions, {len(person.loads)} page loads")
    assert len(person.interactions) <= MAX_INTERACTIONS, person.interactions
    assert len(person.loads) <= MAX_PAGE_LOADS, person.loads


def label_of_status(code: str) -> str:
    return str(StatusOfResidence.objects.get(code=code).pk)
