"""On a phone (390 px), what a candidate is doing comes first (issue 14): a
compact header whose menu opens without JavaScript, a cookie banner that
takes little height and never hides the field being filled, and the consent
screen's "Share my profile" within the first two screen heights of a fresh
visit (the cookie banner still up)."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from accounts.models import StaffGroup
from tests.accounts.factories import StaffFactory
from tests.e2e.conftest import PHONE
from tests.e2e.consent_helpers import employer_with_agreement, load_migration_data, sign_in_with_session
from tests.matching.factories import ApplicationFactory, CompleteCandidateProfileFactory, OpeningFactory

pytestmark = pytest.mark.django_db(transaction=True)


def candidate_on_the_consent_screen(page: Page, live_server, context, language: str = "en"):
    load_migration_data()
    employer = employer_with_agreement(legal_name="株式会社さくら介護サービス (Sakura Care Services Co., Ltd.)")
    opening = OpeningFactory(employer=employer, title="介護スタッフ / Care worker")
    profile = CompleteCandidateProfileFactory()
    sign_in_with_session(context, live_server.url, profile.user)
    with translation.override(language):
        page.goto(reverse("matching:apply", args=[opening.pk]))


def test_share_my_profile_is_within_two_screen_heights_of_a_fresh_visit(page: Page, live_server, context):
    candidate_on_the_consent_screen(page, live_server, context)
    expect(page.locator(".cookie-banner")).to_be_visible()  # a fresh visit: nothing chosen yet
    button = page.get_by_role("button", name="Share my profile")
    top = button.evaluate("b => b.getBoundingClientRect().bottom + window.scrollY")
    assert top <= 2 * PHONE["height"], f"'Share my profile' ends {top}px down the page"


def test_header_and_cookie_banner_take_little_height(page: Page, live_server, context):
    candidate_on_the_consent_screen(page, live_server, context)
    header = page.get_by_role("banner").bounding_box()
    banner = page.locator(".cookie-banner").bounding_box()
    assert header["height"] <= 150, header
    assert banner["height"] <= PHONE["height"] * 0.2, banner
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


# The banner is taller where its sentence is longer (Vietnamese wraps its
# buttons, Burmese takes five lines): it covered the last field there.
@pytest.mark.parametrize("language", ["en", "vi", "my"])
def test_the_banner_never_hides_the_field_being_filled(page: Page, live_server, context, language):
    candidate_on_the_consent_screen(page, live_server, context, language)
    banner = page.locator(".cookie-banner")
    for control in (page.locator('input[name="agree"]'), page.locator("main form button[type=submit]").last):
        control.focus()
        # Where the browser puts a field it brings into view from below the
        # screen (the space kept free under it is scroll-padding-bottom).
        control.evaluate("element => element.scrollIntoView({block: 'end'})")
        field = control.bounding_box()
        assert field["y"] + field["height"] <= banner.bounding_box()["y"], (language, field, banner.bounding_box())
    agree = page.locator('input[name="agree"]')
    agree.check()  # a click that reaches the box, not the banner
    expect(agree).to_be_checked()


@pytest.mark.parametrize("browser_context_args", [{"viewport": PHONE, "locale": "en-US", "java_script_enabled": False}])
def test_the_menu_opens_without_javascript(page: Page, live_server, context):
    candidate_on_the_consent_screen(page, live_server, context)
    header = page.get_by_role("banner")
    applications = header.get_by_role("link", name="Applications")
    expect(applications).to_be_hidden()
    header.locator("details.site-menu > summary").click()
    expect(applications).to_be_visible()
    applications.click()
    expect(page).to_have_url(live_server.url + reverse("matching:my_applications"))


def test_burmese_lines_have_room_for_their_marks(page: Page, live_server):
    """Burmese stacks marks above and below the letters: at the 1.3 line
    height of the phone's cookie banner and of headings, one line's marks
    touched the next."""
    load_migration_data()
    page.goto("/my/contact/")
    for selector in (".cookie-banner p", "h1"):
        ratio = page.locator(selector).first.evaluate(
            "e => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize)"
        )
        assert ratio >= 1.6, (selector, ratio)


NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("browser_context_args", [{"viewport": NARROW, "locale": "en-US"}])
def test_no_page_scrolls_sideways_at_320px_because_of_what_is_hidden_for_the_eye(page: Page, live_server, context):
    """WCAG 1.4.10 (reflow): a label hidden for the eye inside a scrolling
    table (each reason box on the staff openings list) or a scrolling header
    strip (the words of the unread badge, long in Tagalog) was positioned
    outside its scrolling box and made the whole page scroll sideways."""
    load_migration_data()
    employer = employer_with_agreement(legal_name="株式会社さくら介護サービス (Sakura Care Services Co., Ltd.)")
    OpeningFactory.create_batch(2, employer=employer, title="介護スタッフ / Care worker (night shifts)")
    application = ApplicationFactory()  # the candidate's header counts the notice as unread
    coordinator = StaffFactory(groups=[StaffGroup.COORDINATOR])
    for user, path in (
        (coordinator, reverse("matching:staff_openings")),
        (application.candidate, reverse("accounts:dashboard")),
    ):
        context.clear_cookies()
        sign_in_with_session(context, live_server.url, user)
        for language in ("en", "tl", "my"):
            page.goto(live_server.url + path.replace("/en/", f"/{language}/", 1))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= NARROW["width"], (language, page.url, width)
            # However wide a table grows, its hidden labels scroll inside it.
            escaping = page.locator(".table-wrap .visually-hidden").evaluate_all(
                "labels => labels.filter(label => !label.offsetParent?.classList.contains('table-wrap')).length"
            )
            assert escaping == 0, (language, page.url)
