"""Consent in a real browser on a phone (PRODUCT.md §3).

1. The cookie banner: three choices of equal weight, usable without
   JavaScript, nothing optional set or loaded before a choice, the analytics
   tag loaded only when configured and consented, and the Global Privacy
   Control signal counted as a refusal of advertising.
2. Sharing: a candidate shares with one employer, a recruiter there sees only
   what was shared, the candidate sees the view recorded, withdraws, and the
   recruiter loses the profile at once.
3. A revised policy that needs consent is accepted at the next page load,
   and the person continues where they were going.

Every test also fails on a request leaving the live server or on a Content
Security Policy violation (tests/e2e/conftest.py); the one foreign request a
test allows is the analytics tag, answered by the test itself.
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from playwright.sync_api import BrowserContext, Page, expect

from consents.models import (
    AccessRecord,
    CookieConsent,
    PolicyAcceptance,
    PolicyKind,
    PolicyText,
    PolicyVersion,
    ShareGrant,
)
from consents.services import current_policy, policy_version_publish
from tests.accounts.factories import CandidateFactory, EmployerMemberFactory, StaffFactory
from tests.e2e import consent_helpers
from tests.e2e.conftest import PHONE
from tests.e2e.consent_helpers import (
    STRICTLY_NECESSARY_BEFORE_CHOICE,
    RoutedForeignRequests,
    consent_cookie,
    cookie_banner,
    cookie_names,
    employer_with_agreement,
    expect_equal_weight,
    load_migration_data,
    sign_in_with_session,
)
from tests.profiles.factories import FullCandidateProfileFactory

# Fixtures of consent_helpers, available to this module's tests.
other_browser = consent_helpers.other_browser
routed_foreign_requests = consent_helpers.routed_foreign_requests

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _migration_data(transactional_db) -> None:
    """The policies and the profile taxonomies come from data migrations,
    which the flush after an earlier transactional test removes: add back
    what is missing. (Not serialized_rollback: once Playwright's event loop
    runs, Django hands the test a connection without the snapshot, so the
    rollback depends on test order; see consent_helpers.load_migration_data.)"""
    load_migration_data()


GA_ID = "G-TEST123"
GTAG_URL = f"https://www.googletagmanager.com/gtag/js?id={GA_ID}"


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def at(name: str, *args) -> re.Pattern:
    """The URL of a named page (no query string)."""
    return re.compile(re.escape(url(name, *args)) + "$")


def main(page: Page):
    return page.get_by_role("main")


def expect_message(page: Page, text: str) -> None:
    expect(main(page).locator("ul.messages")).to_contain_text(text)


def record_analytics_requests(context: BrowserContext) -> list[str]:
    """Every request to an analytics host the browser attempts, allowed or not."""
    seen: list[str] = []
    hosts = ("googletagmanager.com", "google-analytics.com", "clarity.ms")

    def on_request(request) -> None:
        if any(host in request.url for host in hosts):
            seen.append(request.url)

    context.on("request", on_request)
    return seen


def expect_only_strictly_necessary_cookies(context: BrowserContext, *, chosen: bool) -> None:
    allowed = STRICTLY_NECESSARY_BEFORE_CHOICE | ({settings.TSUNAGU_COOKIE_NAME} if chosen else set())
    names = cookie_names(context)
    assert names <= allowed, f"cookies other than strictly necessary ones: {sorted(names - allowed)}"
    if chosen:
        assert settings.TSUNAGU_COOKIE_NAME in names, "the choice was not remembered"


def the_only_cookie_consent() -> CookieConsent:
    records = list(CookieConsent.objects.all())
    assert len(records) == 1, records
    return records[0]


# --- 1. The cookie banner ---------------------------------------------------------


def test_first_visit_banner_offers_three_equal_choices_and_sets_nothing_optional(page: Page, settings):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    analytics = record_analytics_requests(page.context)

    page.goto("/en/")
    expect(cookie_banner(page)).to_be_visible()
    expect(cookie_banner(page)).to_contain_text("Nothing optional is set until you choose.")
    expect_equal_weight(page)
    page.wait_for_load_state("load")
    expect(page.locator("#analytics-loader")).to_have_count(0)
    assert analytics == []
    expect_only_strictly_necessary_cookies(page.context, chosen=False)
    assert not CookieConsent.objects.exists()

    # Choosing leads to the settings page, every optional category off.
    cookie_banner(page).get_by_role("link", name="Choose", exact=True).click()
    expect(page).to_have_url(at("consents:cookie_settings"))
    expect(page.get_by_label("Strictly necessary (always on)")).to_be_checked()
    for category in ("Preferences", "Analytics", "Advertising"):
        expect(main(page).get_by_label(re.compile(f"^{category}:"))).not_to_be_checked()
    assert analytics == []
    expect_only_strictly_necessary_cookies(page.context, chosen=False)


def test_reject_all_loads_no_analytics_and_is_remembered(page: Page, settings):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    analytics = record_analytics_requests(page.context)

    page.goto("/en/")
    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()

    expect(page).to_have_url(re.compile(r"/en/$"))
    expect_message(page, "Your cookie choices are saved.")
    expect(cookie_banner(page)).to_have_count(0)
    page.wait_for_load_state("load")
    expect(page.locator("#analytics-loader")).to_have_count(0)

    record = the_only_cookie_consent()
    assert (record.preferences, record.analytics, record.advertising, record.gpc) == (False, False, False, False)
    assert consent_cookie(page.context)["value"] == f"{record.consent_id}:000"

    # The next pages remember it, and still load nothing.
    page.goto(url("consents:policy_list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(cookie_banner(page)).to_have_count(0)
    page.wait_for_load_state("load")
    assert analytics == []
    expect_only_strictly_necessary_cookies(page.context, chosen=True)


def test_accept_all_loads_the_configured_analytics_tag_only_then(
    page: Page, settings, routed_foreign_requests: RoutedForeignRequests
):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    analytics = record_analytics_requests(page.context)

    page.goto("/en/")
    expect(cookie_banner(page)).to_be_visible()
    page.wait_for_load_state("load")
    assert analytics == []

    # Only now may the tag load: the test answers it, nothing leaves the machine.
    routed_foreign_requests.answer(page, GTAG_URL, body="/* gtag stand-in */")
    with page.expect_request(GTAG_URL) as tag:
        cookie_banner(page).get_by_role("button", name="Accept all", exact=True).click()
    loaded = tag.value.response()
    assert loaded is not None and loaded.status == 200, f"the tag did not load: {tag.value.failure}"

    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(cookie_banner(page)).to_have_count(0)
    expect(page.locator("#analytics-loader")).to_have_attribute("data-ga-id", GA_ID)
    expect_message(page, "Your cookie choices are saved.")
    assert analytics == [GTAG_URL]
    assert routed_foreign_requests.fulfilled == [GTAG_URL]

    record = the_only_cookie_consent()
    assert (record.preferences, record.analytics, record.advertising, record.gpc) == (True, True, True, False)
    expect_only_strictly_necessary_cookies(page.context, chosen=True)


def test_choosing_analytics_alone_loads_the_tag(page: Page, settings, routed_foreign_requests: RoutedForeignRequests):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    analytics = record_analytics_requests(page.context)

    page.goto("/en/")
    cookie_banner(page).get_by_role("link", name="Choose", exact=True).click()
    expect(page).to_have_url(at("consents:cookie_settings"))
    page.wait_for_load_state("load")
    assert analytics == []

    routed_foreign_requests.answer(page, GTAG_URL)
    main(page).get_by_label(re.compile("^Analytics:")).check()
    with page.expect_request(GTAG_URL):
        main(page).get_by_role("button", name="Save my choices").click()

    expect(page).to_have_url(at("consents:cookie_settings"))
    expect_message(page, "Your cookie choices are saved.")
    expect(main(page).get_by_label(re.compile("^Analytics:"))).to_be_checked()
    expect(main(page).get_by_label(re.compile("^Preferences:"))).not_to_be_checked()
    expect(main(page).get_by_label(re.compile("^Advertising:"))).not_to_be_checked()
    record = the_only_cookie_consent()
    assert (record.preferences, record.analytics, record.advertising) == (False, True, False)
    assert analytics == [GTAG_URL]
    assert routed_foreign_requests.fulfilled == [GTAG_URL]


@pytest.mark.parametrize(
    "browser_context_args",
    [{"viewport": PHONE, "locale": "en-US", "java_script_enabled": False}],
    ids=["javascript-off"],
)
def test_the_banner_works_without_javascript(page: Page, browser_context_args):
    page.goto("/en/")
    expect(cookie_banner(page)).to_be_visible()
    expect_equal_weight(page)
    expect_only_strictly_necessary_cookies(page.context, chosen=False)

    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()

    expect(page).to_have_url(re.compile(r"/en/$"))
    expect_message(page, "Your cookie choices are saved.")
    expect(cookie_banner(page)).to_have_count(0)
    record = the_only_cookie_consent()
    assert (record.preferences, record.analytics, record.advertising) == (False, False, False)
    expect_only_strictly_necessary_cookies(page.context, chosen=True)

    page.goto(url("consents:policy_list"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(cookie_banner(page)).to_have_count(0)


@pytest.mark.parametrize(
    "browser_context_args",
    [{"viewport": PHONE, "locale": "en-US", "extra_http_headers": {"Sec-GPC": "1"}}],
    ids=["sec-gpc"],
)
def test_global_privacy_control_refuses_advertising_even_after_accept_all(page: Page, browser_context_args):
    page.goto("/en/")
    expect(cookie_banner(page)).to_contain_text("Your browser's Global Privacy Control signal refuses advertising.")

    cookie_banner(page).get_by_role("button", name="Accept all", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(cookie_banner(page)).to_have_count(0)

    record = the_only_cookie_consent()
    assert (record.preferences, record.analytics, record.advertising, record.gpc) == (True, True, False, True)
    assert consent_cookie(page.context)["value"] == f"{record.consent_id}:110"

    page.goto(url("consents:cookie_settings"))
    expect(main(page)).to_contain_text(
        "Your browser sends the Global Privacy Control signal: we treat it as a refusal of advertising cookies."
    )
    expect(main(page).get_by_label(re.compile("^Preferences:"))).to_be_checked()
    expect(main(page).get_by_label(re.compile("^Analytics:"))).to_be_checked()
    expect(main(page).get_by_label(re.compile("^Advertising:"))).not_to_be_checked()


# --- 2. Sharing with an employer, seeing the view, withdrawing ------------------------


def dismiss_cookie_banner(page: Page) -> None:
    """A person on a phone answers the banner first (it sits over the page's foot)."""
    cookie_banner(page).get_by_role("button", name="Reject all", exact=True).click()
    expect(cookie_banner(page)).to_have_count(0)


def test_candidate_shares_with_an_employer_sees_the_view_and_withdraws(page: Page, live_server, other_browser):
    employer = employer_with_agreement(legal_name="Sakura Care Services Co., Ltd.")
    recruiter = EmployerMemberFactory(
        employer=employer, user__email="tanaka@sakura-care.test", user__full_name="Tanaka Ken"
    ).user
    candidate = CandidateFactory(email="lan.nguyen@example.test", full_name="Nguyen Thi Lan")
    profile = FullCandidateProfileFactory(user=candidate)
    street = profile.street

    # --- The candidate, on the consent screen --------------------------------------
    sign_in_with_session(page.context, live_server.url, candidate)
    page.goto(url("consents:share_with_employer", employer.pk))
    dismiss_cookie_banner(page)
    expect(page).to_have_url(at("consents:share_with_employer", employer.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Share your profile with Sakura Care Services Co., Ltd.?")
    facts = main(page).locator("dl.facts")
    expect(facts).to_contain_text(f"Sakura Care Services Co., Ltd. (corporate number {employer.corporate_number})")
    expect(facts).to_contain_text("to decide whether to hire you, and to contact you about employment")
    optional = main(page).get_by_role("group", name=re.compile("^Also share"))
    for label in (
        "Contact details: email and telephone",
        "Postal address",
        "Exact date of birth (otherwise your age only)",
        "Photo",
    ):
        expect(optional.get_by_label(label)).not_to_be_checked()
    expect(main(page).get_by_label("I agree to share my profile as described above.")).not_to_be_checked()

    optional.get_by_label("Contact details: email and telephone").check()
    main(page).get_by_label("I agree to share my profile as described above.").check()
    main(page).get_by_role("button", name="Share my profile").click()

    expect(page).to_have_url(at("consents:sharing"))
    expect_message(page, "Your profile is now shared with Sakura Care Services Co., Ltd.")
    grant_card = main(page).locator("article.grant", has_text="Sakura Care Services Co., Ltd.")
    expect(grant_card).to_contain_text("Core profile; contact details")
    expect(grant_card).not_to_contain_text("postal address")
    expect(grant_card).to_contain_text("Active")
    grant = ShareGrant.objects.get(candidate=candidate, employer=employer)
    assert (grant.include_contact, grant.include_address, grant.include_date_of_birth, grant.include_photo) == (
        True,
        False,
        False,
        False,
    )

    # --- The recruiter, on another phone ------------------------------------------------
    recruiter_page = other_browser.new_page()
    sign_in_with_session(recruiter_page.context, live_server.url, recruiter)
    recruiter_page.goto(url("consents:employer_candidates"))
    dismiss_cookie_banner(recruiter_page)
    expect(recruiter_page).to_have_url(at("consents:employer_candidates"))
    candidate_link = main(recruiter_page).get_by_role("link", name=profile.name_passport)
    expect(candidate_link).to_have_count(1)
    candidate_link.click()

    expect(recruiter_page).to_have_url(at("consents:employer_candidate", profile.pk))
    card = main(recruiter_page).locator("article.profile-card")
    expect(card.get_by_role("heading", name=profile.name_passport)).to_be_visible()
    expect(card).to_contain_text("lan.nguyen@example.test")
    expect(card).to_contain_text(profile.phone)
    expect(card).not_to_contain_text(street)
    expect(card).not_to_contain_text(profile.city)
    expect(card).not_to_contain_text("〒")
    expect(card.locator("dt", has_text="Address")).to_have_count(0)
    looks = AccessRecord.objects.filter(viewer_id=recruiter.pk, employer_id=employer.pk)
    assert looks.filter(field_groups=["contact", "core"]).count() == 1  # the profile page
    assert looks.filter(field_groups=["core"]).exists()  # the list showed her too (APPI Art. 29)
    looks_before_withdrawal = looks.count()

    # --- The candidate sees the view recorded --------------------------------------------
    page.goto(url("consents:access_log"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who viewed my profile")
    rows = main(page).locator("tbody tr")
    expect(rows).to_have_count(looks_before_withdrawal)
    expect(rows.first).to_contain_text("Sakura Care Services Co., Ltd. (Tanaka Ken)")
    expect(rows.first).to_contain_text("Contact details, Core profile")  # labels, never raw codes

    # --- The candidate withdraws; the recruiter loses the profile at once ------------------
    page.goto(url("consents:sharing"))
    page.get_by_role("button", name="Withdraw access for Sakura Care Services Co., Ltd.").click()
    expect(page).to_have_url(at("consents:sharing"))
    expect_message(page, "Sakura Care Services Co., Ltd. can no longer see your profile.")
    expect(main(page).get_by_role("button", name=re.compile("^Withdraw access"))).to_have_count(0)

    response = recruiter_page.reload()
    assert response is not None and response.status == 404
    expect(recruiter_page.locator("body")).to_contain_text("Not found")
    expect(recruiter_page.locator("body")).not_to_contain_text("lan.nguyen@example.test")
    recruiter_page.goto(url("consents:employer_candidates"))
    expect(main(recruiter_page)).to_contain_text("No candidate shares their profile with your company at the moment.")
    # The refused view and the empty list saw nothing.
    assert AccessRecord.objects.filter(viewer_id=recruiter.pk).count() == looks_before_withdrawal

    other_browser.finish()


# --- 3. A revised policy is accepted at the next visit ---------------------------------


def publish_privacy_policy_revision(summary: str) -> PolicyVersion:
    current = current_policy(PolicyKind.PRIVACY)
    assert current is not None
    version = PolicyVersion.objects.create(kind=PolicyKind.PRIVACY, version="2099-01-01")
    for language, what_changed in (("en", summary), ("ja", "保存期間を明記しました。")):
        old = current.text_for(language)
        PolicyText.objects.create(
            version=version,
            language=language,
            title=old.title,
            body=old.body + "\n\nRevised for the journey test.\n",
            summary=what_changed,
        )
    staff = StaffFactory(email="privacy.officer@tsunagu.test", groups=["privacy_officer"])
    return policy_version_publish(actor=staff, version=version)


def accept_page_for(next_path: str) -> re.Pattern:
    return re.compile(re.escape(url("consents:policy_accept") + "?" + urlencode({"next": next_path})) + "$")


def test_a_revised_privacy_policy_is_accepted_at_the_next_page_load(page: Page, live_server):
    candidate = CandidateFactory(email="aung.kyaw@example.test")
    FullCandidateProfileFactory(user=candidate)
    sign_in_with_session(page.context, live_server.url, candidate)
    page.goto(url("accounts:dashboard"))
    dismiss_cookie_banner(page)
    expect(page).to_have_url(at("accounts:dashboard"))

    summary = "We now say how long we keep access records (3 years)."
    version = publish_privacy_policy_revision(summary)

    # The next page load asks first, and shows what changed.
    page.get_by_role("banner").get_by_role("link", name="My consents").click()
    expect(page).to_have_url(accept_page_for(url("consents:my_consents")))
    expect(page.get_by_role("heading", level=1)).to_have_text("We have updated our policies")
    section = main(page).locator("section", has_text="2099-01-01")
    expect(section).to_contain_text(f"What changed: {summary}")
    assert not PolicyAcceptance.objects.filter(user=candidate, version=version).exists()

    # Withdrawing a consent never waits for new terms: the sharing page stays open.
    page.goto(url("consents:sharing"))
    expect(page).to_have_url(at("consents:sharing"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has my profile")

    # Anywhere else asks again; accepting continues to where they were going.
    page.get_by_role("banner").get_by_role("link", name="My profile").click()
    expect(page).to_have_url(accept_page_for(url("profiles:overview")))
    main(page).get_by_label("I have read and accept these documents.").check()
    main(page).get_by_role("button", name="Accept and continue").click()

    expect(page).to_have_url(at("profiles:overview"))
    expect_message(page, "Thank you. You accepted the current versions.")
    assert PolicyAcceptance.objects.filter(user=candidate, version=version).exists()

    page.get_by_role("banner").get_by_role("link", name="My consents").click()
    expect(page).to_have_url(at("consents:my_consents"))
