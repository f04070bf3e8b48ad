"""The foundation's journeys, in a real browser on a phone-sized screen.

Pages are found the way a person finds them: the header's links and buttons.
Where a label's wording depends on a translation catalogue, the element is
found by where it leads (its href or form action) instead.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from accounts import services
from accounts.models import EmployerMember, User
from tests.accounts.factories import CandidateFactory, EmployerFactory, StaffFactory
from tests.e2e.helpers import AuthenticatorApp, login_code_from_mail

pytestmark = pytest.mark.django_db(transaction=True)

STRONG_PASSWORD = "violet-Kettle-42-harbour"


def url(name: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name)


def header(page: Page):
    return page.get_by_role("banner")


def sign_out(page: Page, language: str = "en") -> None:
    header(page).locator(f'form[action="{url("account_logout", language)}"]').get_by_role("button").click()


# --- a. A candidate in Japanese, signed in by an emailed code ---------------------


def test_candidate_switches_to_japanese_and_signs_in_with_an_emailed_code(page: Page):
    candidate = CandidateFactory(email="lan.nguyen@example.test")

    page.goto("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs in Japan, on your terms")

    header(page).get_by_role("navigation", name="Language").locator('a[hreflang="ja"]').click()
    expect(page).to_have_url(re.compile(r"/ja/$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    header(page).locator(f'a[href="{url("account_login", "ja")}"]').click()
    expect(page).to_have_url(re.compile(re.escape(url("account_login", "ja")) + "$"))
    page.locator(f'a[href="{url("account_request_login_code", "ja")}"]').click()
    expect(page).to_have_url(re.compile(re.escape(url("account_request_login_code", "ja")) + "$"))

    request_form = page.locator(f'form[action="{url("account_request_login_code", "ja")}"]')
    request_form.locator('input[name="email"]').fill(candidate.email)
    request_form.get_by_role("button").click()
    expect(page).to_have_url(re.compile(re.escape(url("account_confirm_login_code", "ja")) + "$"))

    code = login_code_from_mail(candidate.email)
    confirm_form = page.locator(f'form[action="{url("account_confirm_login_code", "ja")}"]')
    confirm_form.locator('input[name="code"]').fill(code)
    confirm_form.locator('button[type="submit"]').first.click()

    expect(page).to_have_url(re.compile(re.escape(url("accounts:dashboard", "ja")) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(header(page)).to_contain_text(candidate.email)

    sign_out(page, "ja")
    expect(header(page)).not_to_contain_text(candidate.email)
    expect(header(page).locator(f'a[href="{url("account_login", "ja")}"]')).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.goto(url("accounts:dashboard", "ja"))
    expect(page).to_have_url(re.compile(re.escape(url("account_login", "ja")) + r"\?next="))


# --- b. An employer admin accepts an invitation, sets up TOTP, signs in again ---


def test_employer_admin_accepts_invitation_sets_up_totp_and_signs_in_again(page: Page):
    staff = StaffFactory(email="coordinator@tsunagu.test")
    employer = EmployerFactory(legal_name="Sakura Care Services Co., Ltd.")
    issued = services.invitation_create(
        actor=staff, employer=employer, email="new.admin@employer.test", member_role="admin", language="en"
    )

    page.goto(issued.path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    expect(page.get_by_role("main")).to_contain_text("Sakura Care Services Co., Ltd.")
    page.get_by_label("Your name").fill("Sato Hanako")
    page.locator('input[name="password1"]').fill(STRONG_PASSWORD)
    page.locator('input[name="password2"]').fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Employer admins must have a second factor before anything else.
    expect(page).to_have_url(re.compile(re.escape(url("mfa_activate_totp")) + "$"))
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    app = AuthenticatorApp(secret)
    page.get_by_label("Authenticator code").fill(app.code(signs_in=False))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")

    header(page).get_by_role("link", name="My page").click()
    # A new member accepts the Terms of Use and the Privacy Policy in force
    # before anything else, then goes on to where they were going.
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you start")
    page.get_by_label("I have read and accept these documents.").check()
    page.get_by_role("button", name="Accept and continue").click()
    expect(page).to_have_url(re.compile(re.escape(url("accounts:dashboard")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My page")
    expect(page.get_by_role("main")).to_contain_text("You work for Sakura Care Services Co., Ltd. as Admin.")
    expect(header(page)).to_contain_text("Signed in as new.admin@employer.test")

    user = User.objects.get(email="new.admin@employer.test")
    assert user.employer_membership.role == EmployerMember.Role.ADMIN
    assert user.authenticator_set.filter(type="totp").exists()

    sign_out(page)
    expect(header(page)).not_to_contain_text("new.admin@employer.test")

    header(page).get_by_role("link", name="Sign in").click()
    login_form = page.locator(f'form[action="{url("account_login")}"]')
    login_form.locator('input[name="login"]').fill("new.admin@employer.test")
    login_form.locator('input[name="password"]').fill(STRONG_PASSWORD)
    login_form.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(re.escape(url("mfa_authenticate")) + "$"))
    page.locator('input[name="code"]').fill(app.code(signs_in=True))
    page.locator(f'form[action="{url("mfa_authenticate")}"]').get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(re.escape(url("accounts:dashboard")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My page")
    expect(header(page)).to_contain_text("Signed in as new.admin@employer.test")


# --- c. A keyboard and screen-reader user -----------------------------------------


def test_keyboard_user_reaches_the_skip_link_first_and_pages_have_landmarks(page: Page):
    page.goto("/en/")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)


def test_every_visible_field_on_the_sign_in_page_has_a_label(page: Page):
    page.goto(url("account_login"))
    fields = page.locator("input:visible, select:visible, textarea:visible")
    expect(fields.first).to_be_visible()
    unlabelled = fields.evaluate_all(
        """elements => elements
            .filter(el => !el.labels || !Array.from(el.labels).some(label => label.textContent.trim()))
            .map(el => el.outerHTML)"""
    )
    assert fields.count() >= 2  # the address and the password at least
    assert unlabelled == []


# --- d. A phone screen ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/en/", "/ja/"])
def test_home_page_fits_a_390px_phone_without_horizontal_scroll(page: Page, path: str):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("window.innerWidth") == 390
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"{path} scrolls sideways: {scroll_width}px wide"
