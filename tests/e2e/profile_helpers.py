"""What a journey through the profile pages checks on every page (and,
from consent_helpers, how a browser is signed in without the sign-in pages)."""

from playwright.sync_api import Page, expect

from tests.e2e.consent_helpers import sign_in_with_session

__all__ = ["expect_message", "expect_phone_friendly_page", "save", "sign_in_with_session"]

# Every form control whose label is missing or empty.
UNLABELLED_FIELDS = """elements => elements
    .filter(el => !el.labels || !Array.from(el.labels).some(label => label.textContent.trim()))
    .map(el => el.outerHTML)"""


def expect_phone_friendly_page(page: Page, language: str) -> None:
    """The page is in `language`, has one main heading, does not scroll
    sideways on the phone, and every visible field in it has a label."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways on a {width}px screen: {scroll_width}px wide"
    fields = page.locator("main input:visible, main select:visible, main textarea:visible")
    assert fields.evaluate_all(UNLABELLED_FIELDS) == [], f"unlabelled fields on {page.url}"


def expect_message(page: Page, text: str) -> None:
    """The one-off message shown after a redirect (Django's messages)."""
    expect(page.locator("main ul.messages")).to_contain_text(text)


def save(page: Page, label: str = "保存") -> None:
    """Submit the page's profile form (not the small remove-entry forms)."""
    page.locator("main form.profile-form").get_by_role("button", name=label, exact=True).click()
