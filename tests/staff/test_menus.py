"""Navigation by group: every staff group's menu (header and My page), and
every link on the pages it leads to, answers 200 for that group. The menus
ask each view's own guard (accounts.navigation), so this crawl is the proof
that they never offer a page that answers 403."""

import re
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.navigation import STAFF_MENU, may_open, staff_menu
from consents.contact.services import inquiry_submit
from consents.privacy.models import Incident
from consents.privacy.services import incident_record, privacy_request_submit
from outbox.models import OutboundEmail
from tests.matching.factories import CompleteCandidateProfileFactory, submit
from tests.profiles.factories import ModerationCaseFactory

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]*)"')
STAFF = ["coordinator", "privacy_officer", "support"]
# Expected menu per group: what each group's work needs, and nothing else.
EXPECTED = {
    "coordinator": {
        "matching:staff_openings",
        "consents:staff_candidates",
        "accounts:staff_employer_list",
        "profiles:moderation_queue",
        "accounts:staff_screening",
        "saved:staff_alerts",
        "campaigns:staff_campaigns",
        "contact:staff_inquiries",
        "outbox:staff_outbox",
        "consents:staff_statistics",
        "profiles:work_rules",
    },
    "privacy_officer": {
        "consents:staff_candidates",
        "saved:staff_alerts",
        "contact:staff_inquiries",
        "privacy:staff_requests",
        "privacy:staff_incidents",
        "outbox:staff_outbox",
        "consents:staff_statistics",
        "profiles:work_rules",
    },
    "support": {
        "matching:staff_openings",
        "consents:staff_candidates",
        "accounts:staff_employer_list",
        "profiles:moderation_queue",
        "accounts:staff_screening",
        "contact:staff_inquiries",
        "outbox:staff_outbox",
        "consents:staff_statistics",
    },
}
# Links a crawl must not follow: signing out, the admin (its own test), mail.
SKIP = ("/en/accounts/logout/", "/en/staff/admin/", "mailto:", "tel:")


@pytest.fixture
def some_of_everything(opening, candidate, coordinator, privacy_officer):
    """Rows on every staff list, so their links are crawled too."""
    profile = CompleteCandidateProfileFactory()
    submit(profile.user, opening)
    ModerationCaseFactory()
    privacy_request_submit(
        requester=None,
        name="Ana Souza",
        email="ana@example.test",
        country="PT",
        us_state="",
        kind="gdpr_access",
        details="",
        language="en",
    )
    incident_record(
        actor=privacy_officer,
        incident=Incident(discovered_at=timezone.now(), description="Lost laptop", data_categories="contact"),
    )
    inquiry_submit(
        user=None, name="Ken", email="ken@example.test", phone="", topic="service", message="Hello", language="en"
    )
    OutboundEmail.objects.create(to_email="x@example.test", subject="s", body_text="t", state="failed")


@pytest.mark.parametrize("persona", STAFF)
def test_each_group_sees_the_menu_made_for_its_work(persona, persona_user):
    assert {item.url_name for item in staff_menu(persona_user(persona))} == EXPECTED[persona]


@pytest.mark.parametrize("persona", STAFF)
def test_no_menu_item_and_no_link_behind_it_answers_403(persona, persona_client, some_of_everything):
    client = persona_client(persona)
    home = reverse("accounts:dashboard")
    dashboard = client.get(home)
    assert dashboard.status_code == 200
    menu_urls = [reverse(item.url_name) for item in STAFF_MENU]
    shown = [url for url in menu_urls if f'href="{url}"' in dashboard.content.decode()]
    assert len(shown) == len(EXPECTED[persona])
    problems, seen = [], set()
    for page_url in [home, *shown]:
        page = client.get(page_url)
        if page.status_code != 200:
            problems.append(f"{page_url}: {page.status_code}")
            continue
        if "text/html" not in page.get("Content-Type", ""):
            continue
        for href in HREF.findall(page.content.decode()):
            url = urljoin(page_url, href.replace("&amp;", "&"))
            if not url.startswith("/en/") or url.startswith(SKIP) or url in seen:
                continue
            seen.add(url)
            answer = client.get(url)
            if answer.status_code != 200:
                problems.append(f"{url} (linked from {page_url}): {answer.status_code}")
    assert len(seen) > 20, seen  # the crawl went somewhere
    assert not problems, f"{persona}:\n" + "\n".join(problems)


FOOTER = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.S)


@pytest.mark.parametrize("persona", ["anonymous", "candidate", "employer_admin", "employer_recruiter", *STAFF])
def test_no_link_on_the_pages_of_the_footer_answers_an_error(persona, persona_client):
    """The footer's pages are read by everyone: none may offer a link that
    answers 404 or 403 to the reader (the California notice's "Make a
    request" led employer members and staff to the candidates' form, a 404)."""
    client = persona_client(persona)
    home = client.get(reverse("home")).content.decode()
    footer_pages = [urljoin("/en/", href) for href in HREF.findall(FOOTER.search(home).group(1))]
    assert reverse("privacy:california") in footer_pages
    problems, seen = [], set()
    for page_url in footer_pages:
        main = re.search(r"<main.*?</main>", client.get(page_url).content.decode(), re.S).group(0)
        for href in HREF.findall(main):
            url = urljoin(page_url, href.replace("&amp;", "&"))
            if not url.startswith("/en/") or url.startswith(SKIP) or url in seen:
                continue
            seen.add(url)
            status = client.get(url).status_code
            if status >= 400:
                problems.append(f"{url} (linked from {page_url}): {status}")
    assert not problems, f"{persona}:\n" + "\n".join(problems)


@pytest.mark.parametrize("persona", ["anonymous", "candidate", "employer_admin"])
def test_nobody_else_gets_a_staff_menu(persona, persona_user, persona_client):
    assert staff_menu(persona_user(persona)) == []
    html = persona_client(persona).get(reverse("home")).content.decode()
    assert reverse("privacy:staff_requests") not in html


def test_a_menu_follows_the_views_guard_not_a_list_of_its_own(persona_user):
    """may_open asks the view: a group that a view admits sees its link, one
    it refuses does not (matching:staff_opening is for coordinators only)."""
    assert may_open(persona_user("coordinator"), "matching:staff_opening", 1)
    assert not may_open(persona_user("support"), "matching:staff_opening", 1)
    assert not may_open(persona_user("privacy_officer"), "matching:staff_openings")
    assert not may_open(None, "matching:staff_openings")
    assert may_open(None, "matching:board")
    assert not may_open(persona_user("coordinator"), "no:such_page")


def test_support_sees_openings_but_no_link_to_the_coordinators_ranking(persona_client, opening):
    html = persona_client("support").get(reverse("matching:staff_openings")).content.decode()
    assert opening.title in html
    link = f'href="{reverse("matching:staff_opening", args=[opening.pk])}"'
    assert link not in html
    html = persona_client("coordinator").get(reverse("matching:staff_openings")).content.decode()
    assert link in html


@pytest.mark.parametrize(
    ("persona", "offered"),
    [("coordinator", True), ("support", True), ("privacy_officer", False)],
)
def test_a_candidates_staff_page_offers_only_the_actions_the_group_may_take(
    persona, offered, persona_client, candidate_profile
):
    page = persona_client(persona).post(
        reverse("consents:staff_candidate", args=[candidate_profile.pk]), {"reason": "Answering a question"}
    )
    html = page.content.decode()
    for name, arg in (
        ("consents:staff_status_verify", candidate_profile.pk),
        ("profiles:moderation_report", candidate_profile.pk),
        ("accounts:staff_account_screen", candidate_profile.user_id),
    ):
        assert (f'href="{reverse(name, args=[arg])}"' in html) is offered, name


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_the_staff_admin_names_itself_and_its_sections_in_the_staff_members_language(language, persona_client):
    with translation.override(language):
        html = persona_client("coordinator").get(reverse("admin:index")).content.decode()
        for english in ("Tsunagu staff", "Accounts and employers", "Profiles"):
            assert english not in html and translation.gettext(english) in html, english
