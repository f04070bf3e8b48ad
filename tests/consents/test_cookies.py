"""Cookies (PRODUCT §3.3, seed 004 Arts. 2-4): a banner with three choices of
equal weight, nothing non-essential set or loaded before consent, Global
Privacy Control counted as a refusal of advertising, analytics loaded (and
allowed by the CSP) only when configured and consented, "stay signed in" as
a preference, and choices made before signing in carried to the account."""

import re
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from consents import notices
from consents.models import ConsentEvent, ConsentEventType, ConsentKind, CookieConsent
from consents.selectors import subject_key_of
from tests.accounts.factories import TEST_PASSWORD
from tests.consents.factories import recruiter_of

pytestmark = pytest.mark.django_db

COOKIE = django_settings.TSUNAGU_COOKIE_NAME
SETTINGS = reverse("consents:cookie_settings")
HOME = reverse("home")
GA_ID = "G-TEST12345"


def choose(client: Client, action: str, **choices) -> tuple[CookieConsent, object]:
    data = {"action": action, **{name: "on" for name, on in choices.items() if on}}
    response = client.post(SETTINGS, data)
    assert response.status_code == 302
    value = response.cookies[COOKIE].value
    record = CookieConsent.objects.get(consent_id=uuid.UUID(value.split(":")[0]))
    return record, response


def cookie_rows(subject_key) -> dict[str, ConsentEvent]:
    rows = ConsentEvent.objects.filter(subject_key=subject_key, kind=ConsentKind.COOKIE).order_by("pk")
    return {row.cookie_category: row for row in rows}


def choices_of(record: CookieConsent) -> tuple[bool, bool, bool]:
    return record.preferences, record.analytics, record.advertising


# --- The banner and the first visit --------------------------------------------------


def test_a_first_visit_shows_the_banner_with_three_equal_choices(client):
    html = client.get(HOME).content.decode()
    banner = re.search(r'<section class="cookie-banner".*?</section>', html, re.S).group(0)
    buttons = re.findall(r'<(?:button|a)[^>]*class="button"[^>]*>([^<]+)<', banner)
    assert buttons == ["Accept all", "Reject all", "Choose"]  # same class, same weight
    assert 'value="accept_all"' in banner and 'value="reject_all"' in banner
    assert f'href="{SETTINGS}"' in banner


def test_a_first_anonymous_visit_sets_only_the_csrf_cookie_of_the_banner_form(client):
    for url in (HOME, reverse("consents:policy_list"), reverse("consents:policy", args=["privacy"])):
        response = client.get(url)
        # The banner is a form: its CSRF token is strictly necessary (it keeps
        # a third party from making choices for the visitor). Nothing else: no
        # session, no consent cookie before a choice, nothing for analytics.
        assert set(response.cookies) <= {django_settings.CSRF_COOKIE_NAME}, dict(response.cookies)
        assert "analytics.js" not in response.content.decode()
    assert not CookieConsent.objects.exists()
    assert not ConsentEvent.objects.exists()


def test_accept_all_stores_the_choices_sets_the_consent_cookie_and_ledgers_each_category(client):
    record, response = choose(client, "accept_all")
    assert choices_of(record) == (True, True, True)
    assert record.user is None and not record.gpc
    cookie = response.cookies[COOKIE]
    assert cookie.value == f"{record.consent_id}:111"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 180 * 24 * 3600
    rows = cookie_rows(record.consent_id)
    assert set(rows) == {"preferences", "analytics", "advertising"}
    for row in rows.values():
        assert (row.event, row.scope, row.channel, row.actor) == (
            ConsentEventType.GRANT,
            {"granted": True},
            "web",
            "subject",
        )
        assert row.language == "en"
        assert row.notice_sha256 == notices.sha256(notices.cookie_notice(dict.fromkeys(rows, True)))
    assert "cookie-banner" not in client.get(HOME).content.decode()


def test_reject_all_is_recorded_too_and_the_banner_does_not_come_back(client):
    record, response = choose(client, "reject_all")
    assert choices_of(record) == (False, False, False)
    assert response.cookies[COOKIE].value == f"{record.consent_id}:000"
    rows = cookie_rows(record.consent_id)
    assert {name: row.event for name, row in rows.items()} == dict.fromkeys(
        ("preferences", "analytics", "advertising"), ConsentEventType.WITHDRAW
    )
    page = client.get(HOME)
    assert "cookie-banner" not in page.content.decode()
    assert set(page.cookies) <= {"messages"}  # the "saved" message being consumed, nothing new


def test_choose_stores_exactly_the_ticked_categories_and_later_changes_only_ledger_what_changed(client):
    html = client.get(SETTINGS).content.decode()
    for name in ("preferences", "analytics", "advertising"):
        assert "checked" not in re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    record, response = choose(client, "choose", analytics=True)
    assert choices_of(record) == (False, True, False)
    assert response.cookies[COOKIE].value.endswith(":010")
    assert len(cookie_rows(record.consent_id)) == 3

    again, _ = choose(client, "choose", analytics=True, preferences=True)
    assert again.pk == record.pk  # same browser, same record
    assert choices_of(again) == (True, True, False)
    rows = ConsentEvent.objects.filter(subject_key=record.consent_id, kind=ConsentKind.COOKIE).order_by("pk")
    assert rows.count() == 4
    last = rows.last()
    assert (last.cookie_category, last.event) == ("preferences", ConsentEventType.GRANT)


def test_global_privacy_control_refuses_advertising_even_on_accept_all():
    client = Client(HTTP_SEC_GPC="1")
    assert "Global Privacy Control" in client.get(HOME).content.decode()
    record, response = choose(client, "accept_all")
    assert choices_of(record) == (True, True, False)
    assert record.gpc
    assert response.cookies[COOKIE].value.endswith(":110")
    assert cookie_rows(record.consent_id)["advertising"].scope == {"granted": False}


# --- Analytics: configured AND consented ----------------------------------------------


def _analytics_loaded(response) -> bool:
    html = response.content.decode()
    tag = re.search(r'<script src="/static/js/analytics[^"]*\.js"[^>]*>', html)
    csp = response["Content-Security-Policy"]
    allowed = "https://www.googletagmanager.com" in csp
    assert bool(tag) == allowed, "the script tag and the CSP must agree"
    if tag:
        assert f'data-ga-id="{GA_ID}"' in tag.group(0)
    return allowed


@pytest.mark.parametrize(
    "configured, action, loaded",
    [
        (True, None, False),  # no choice yet
        (True, "reject_all", False),
        (True, "accept_all", True),
        (False, "accept_all", False),  # consented but not configured
    ],
)
def test_analytics_loads_only_when_configured_and_consented(settings, client, configured, action, loaded):
    settings.GOOGLE_ANALYTICS_ID = GA_ID if configured else ""
    settings.MICROSOFT_CLARITY_ID = ""
    if action:
        choose(client, action)
    assert _analytics_loaded(client.get(HOME)) is loaded


def test_analytics_chosen_alone_is_enough_and_advertising_alone_is_not(settings, client):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    choose(client, "choose", advertising=True)
    assert not _analytics_loaded(client.get(HOME))
    choose(client, "choose", analytics=True)
    assert _analytics_loaded(client.get(HOME))


def test_a_forged_consent_cookie_is_treated_as_no_choice(client, settings):
    settings.GOOGLE_ANALYTICS_ID = GA_ID
    client.cookies[COOKIE] = "not-a-uuid:111"
    response = client.get(HOME)
    assert "cookie-banner" in response.content.decode()
    assert not _analytics_loaded(response)


# --- Staying signed in is a preference -----------------------------------------------


def _sign_in(client: Client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.session.get("_auth_user_id") == str(user.pk)
    return response


def test_without_the_preferences_category_the_session_ends_with_the_browser(client, employer):
    choose(client, "reject_all")
    session = _sign_in(client, recruiter_of(employer)).cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["max-age"] == "" and session["expires"] == ""
    # And it stays so on later pages.
    assert client.session.get_expire_at_browser_close()
    client.get(reverse("accounts:dashboard"))
    assert client.session.get_expire_at_browser_close()


def test_with_the_preferences_category_the_session_persists(client, employer):
    choose(client, "choose", preferences=True)
    session = _sign_in(client, recruiter_of(employer)).cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["max-age"] == django_settings.SESSION_COOKIE_AGE
    assert not client.session.get_expire_at_browser_close()


def test_a_signed_in_session_without_any_choice_ends_with_the_browser(employer):
    client = Client()
    client.force_login(recruiter_of(employer))
    session = client.get(reverse("accounts:dashboard")).cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["max-age"] == "" and session["expires"] == ""


# --- Choices made before signing in -------------------------------------------------------


def test_choices_made_before_signing_in_become_the_accounts(client, employer):
    record, _ = choose(client, "choose", analytics=True)
    user = recruiter_of(employer)
    _sign_in(client, user)

    record.refresh_from_db()
    assert record.user == user
    rows = cookie_rows(subject_key_of(user))
    assert {name: row.scope["granted"] for name, row in rows.items()} == {
        "preferences": False,
        "analytics": True,
        "advertising": False,
    }
    assert {row.actor for row in rows.values()} == {"subject"}
    # The visitor-key rows stay as they were: the history is not rewritten.
    assert len(cookie_rows(record.consent_id)) == 3


def test_a_signed_in_persons_choices_are_recorded_under_their_key(candidate):
    client = Client()
    client.force_login(candidate)
    record, _ = choose(client, "accept_all")
    assert record.user == candidate
    assert set(cookie_rows(subject_key_of(candidate))) == {"preferences", "analytics", "advertising"}
    assert not cookie_rows(record.consent_id)
