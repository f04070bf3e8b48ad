"""The public pages kept in the cache (matching.page_cache): the job board,
a search with filters, an opening and a company page, for visitors who are
not signed in. No cached page ever reaches a signed-in person or another
language, no one's page is kept for anyone else, a change shows on the very
next request, per-visitor parts (the CSRF token, cookies, flash messages,
the cookie banner) are never shared, and a warm page runs no query."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import generations
from matching import services
from matching.forms import BoardSearchForm
from matching.page_cache import TOPICS
from profiles.models import Prefecture, SponsorshipRoute, StatusOfResidence, StatusRule
from tests.matching.factories import EmployerWithAgreementFactory, OpeningFactory, admin_of

pytestmark = pytest.mark.django_db

COOKIE = django_settings.TSUNAGU_COOKIE_NAME
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def company():
    employer = EmployerWithAgreementFactory(legal_name="Sakura Care K.K.")
    services.company_page_save(actor=admin_of(employer), description="We care for Osaka.", prefecture=None)
    return employer


@pytest.fixture
def job(company):
    return OpeningFactory(employer=company, title="Care worker in Tokyo", prefecture="13", category="ssw_nursing_care")


def pages(job) -> dict[str, str]:
    """Every cached page, in English."""
    return {
        "board": reverse("matching:board"),
        "search": reverse("matching:board") + "?prefecture=13&category=ssw_nursing_care&sort=salary",
        "opening": reverse("matching:opening", args=[job.pk]),
        "company": reverse("matching:company", args=[job.employer_id]),
    }


def in_language(language: str, url: str) -> str:
    return f"/{language}/" + url.split("/", 2)[2]


def get(client: Client, url: str) -> tuple[str, int]:
    """(html, number of queries)"""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def consented() -> Client:
    """A visitor who has made their cookie choices (no banner)."""
    client = Client()
    client.cookies[COOKIE] = "3f2504e0-4f89-41d3-9a0c-0305e82c3301:000"
    return client


@pytest.mark.parametrize("page", ["board", "search", "opening", "company"])
def test_a_warm_page_runs_no_query_and_is_the_same_page(job, page):
    url = pages(job)[page]
    first, cold = get(consented(), url)
    again, warm = get(consented(), url)

    assert "Care worker in Tokyo" in first
    assert again == first
    assert cold > 2
    assert warm == 0


@pytest.mark.parametrize("page", ["board", "search", "opening", "company"])
def test_no_cached_page_crosses_people(job, candidate, other_candidate, page):
    url = pages(job)[page]
    lan, aung = Client(), Client()
    lan.force_login(candidate)
    aung.force_login(other_candidate)

    visitor_before, _ = get(consented(), url)
    lans = lan.get(url)
    auns = aung.get(url).content.decode()
    visitor_after, _ = get(consented(), url)

    assert "Signed in as" not in visitor_before
    assert "Signed in as candidate@example.test" in lans.content.decode()
    assert "other.candidate" not in lans.content.decode()
    assert "Signed in as other.candidate@example.test" in auns
    assert "Signed in as candidate@example.test" not in auns
    assert "Signed in as" not in visitor_after
    # A signed-in person's page is theirs alone; a visitor's is not marked so.
    assert "no-store" in lans["Cache-Control"]
    assert "no-store" not in consented().get(url).get("Cache-Control", "")


@pytest.mark.parametrize("page", ["board", "search", "opening", "company"])
def test_languages_are_never_mixed(job, page):
    english_url = pages(job)[page]
    japanese_url = in_language("ja", english_url)

    english, _ = get(consented(), english_url)
    japanese, _ = get(consented(), japanese_url)
    english_again, _ = get(consented(), english_url)
    japanese_again, _ = get(consented(), japanese_url)

    assert '<html lang="en">' in english and '<html lang="en">' in english_again
    assert '<html lang="ja">' in japanese and '<html lang="ja">' in japanese_again
    assert "東京都" in japanese_again and "東京都" not in english_again
    assert "Skip to main content" in english_again and "Skip to main content" not in japanese_again


def test_a_closed_opening_leaves_every_page_at_the_next_request(job):
    urls = pages(job)
    for url in urls.values():
        get(consented(), url)

    services.opening_close(actor=admin_of(job.employer), opening=job)

    for name in ("board", "search", "company"):
        html, _ = get(consented(), urls[name])
        assert "Care worker in Tokyo" not in html, name
    assert consented().get(urls["opening"]).status_code == 404


def test_an_edited_opening_shows_at_the_next_request(job):
    urls = pages(job)
    for url in urls.values():
        get(consented(), url)

    job.title = "Senior care worker in Tokyo"
    services.opening_save(actor=admin_of(job.employer), opening=job)

    for name, url in urls.items():
        html, _ = get(consented(), url)
        assert "Senior care worker in Tokyo" in html, name


def test_a_new_opening_shows_on_the_board_at_once(job):
    get(consented(), pages(job)["board"])

    OpeningFactory(employer=job.employer, title="Cook in Tokyo")

    assert "Cook in Tokyo" in get(consented(), pages(job)["board"])[0]


def test_a_company_page_edit_and_a_new_company_name_show_at_once(job, company):
    url = pages(job)["company"]
    get(consented(), url)

    services.company_page_save(actor=admin_of(company), description="Now also in Kobe.", prefecture=None)
    assert "Now also in Kobe." in get(consented(), url)[0]

    company.legal_name = "Sakura Kaigo K.K."
    company.save()
    for page in ("company", "opening", "board"):
        assert "Sakura Kaigo K.K." in get(consented(), pages(job)[page])[0], page


def test_a_taxonomy_label_edited_by_staff_shows_at_once(job):
    url = in_language("ja", pages(job)["opening"])
    get(consented(), url)

    tokyo = Prefecture.objects.get(code="13")
    tokyo.label_ja = "東京都（首都）"
    tokyo.save()

    assert "東京都（首都）" in get(consented(), url)[0]


def test_a_lost_generation_counter_never_brings_back_an_old_page(job):
    """Redis restarted or evicted the counters: they start again from the
    clock, never at a number an old entry was keyed with."""
    url = pages(job)["opening"]
    get(consented(), url)
    before = generations.current_many(TOPICS)

    cache.delete_many([generations.PREFIX + topic for topic in TOPICS])

    assert all(now > then for now, then in zip(generations.current_many(TOPICS), before, strict=True))


# --- Per-visitor parts -----------------------------------------------------------------


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page(job):
    """The cookie banner's form carries the visitor's CSRF token: a cached
    page gets each visitor's own put back in, with their own cookie."""
    url = pages(job)["board"]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    html_1, _ = get(first, url)
    html_2, warm = get(second, url)

    secret_1 = first.cookies["csrftoken"].value
    secret_2 = second.cookies["csrftoken"].value
    assert secret_1 != secret_2
    tokens_1, tokens_2 = TOKEN.findall(html_1), TOKEN.findall(html_2)
    assert tokens_1 and tokens_2
    assert {_unmask_cipher_token(t) for t in tokens_1} == {secret_1}
    assert {_unmask_cipher_token(t) for t in tokens_2} == {secret_2}
    assert "csrf-placeholder" not in html_2
    assert warm == 0
    # and the banner's form works for the second visitor
    response = second.post(
        reverse("consents:cookie_settings"),
        {"action": "reject_all", "next": url, "csrfmiddlewaretoken": tokens_2[0]},
    )
    assert response.status_code == 302


def test_the_cookie_banner_follows_each_visitors_choice(job):
    url = pages(job)["opening"]
    newcomer, decided = Client(), consented()

    assert 'class="cookie-banner"' in get(newcomer, url)[0]
    assert 'class="cookie-banner"' not in get(decided, url)[0]
    assert 'class="cookie-banner"' in get(Client(), url)[0]
    gpc = Client(headers={"Sec-GPC": "1"})
    assert "Global Privacy Control" in get(gpc, url)[0]
    assert "Global Privacy Control" not in get(Client(), url)[0]


def test_a_pending_message_is_shown_on_a_cached_page_and_never_kept(job):
    url = pages(job)["board"]
    get(Client(), url)  # warm, with the banner
    visitor = Client()

    response = visitor.post(reverse("consents:cookie_settings"), {"action": "reject_all", "next": url}, follow=True)

    html = response.content.decode()
    assert "Your cookie choices are saved" in html
    assert 'class="cookie-banner"' not in html
    assert "Your cookie choices are saved" not in get(consented(), url)[0]
    assert "Your cookie choices are saved" not in get(visitor, url)[0]


def test_no_cookie_is_ever_served_from_the_cache(job):
    url = pages(job)["company"]
    first = Client().get(url)
    second = Client().get(url)

    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert set(second.cookies) == set(first.cookies) == {"csrftoken"}
    # The same headers as a page rendered for this visitor.
    assert {k for k, _ in second.items()} == {k for k, _ in first.items()}
    assert second["Vary"] == first["Vary"]


def test_an_altered_page_link_is_said_each_time_and_not_kept(job):
    url = pages(job)["board"] + "?cursor=altered"

    for _ in range(2):
        assert "That page link was altered" in get(consented(), url)[0]
    assert "That page link was altered" not in get(consented(), pages(job)["board"])[0]


def test_the_cache_can_be_turned_off(job, settings):
    settings.TSUNAGU_PUBLIC_PAGE_SECONDS = 0
    url = pages(job)["opening"]
    get(consented(), url)

    assert get(consented(), url)[1] > 0


def test_the_key_ignores_the_order_of_parameters_but_not_their_values(job):
    base = reverse("matching:board")
    get(consented(), base + "?prefecture=13&sort=salary")

    assert get(consented(), base + "?sort=salary&prefecture=13")[1] == 0
    assert get(consented(), base + "?sort=newest&prefecture=13")[1] > 0


# --- The board form's choices ----------------------------------------------------------

TAXONOMY_TABLES = ("profiles_prefecture", "profiles_jobcategory", "profiles_employmenttype")


def taxonomy_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured if any(f'FROM "{table}"' in q["sql"] for table in TAXONOMY_TABLES)]


def option(html: str, value: str) -> str:
    found = re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', html)
    assert found, value
    return found.group(1)


def test_the_form_choices_are_read_once_per_language_and_keep_their_counts(job, candidate):
    """A signed-in candidate's board is never cached whole: its form's
    choices are, per language."""
    client = Client()
    client.force_login(candidate)
    url = reverse("matching:board") + "?q=care&prefecture=13"
    japanese = in_language("ja", url)

    assert taxonomy_queries(client, url)
    assert taxonomy_queries(client, url) == []
    assert taxonomy_queries(client, japanese)  # another language: its own labels
    assert taxonomy_queries(client, japanese) == []

    english, ja = client.get(url).content.decode(), client.get(japanese).content.decode()
    assert option(english, "13") == "Tokyo (1)"
    assert option(ja, "13") == "東京都 (1)"
    assert option(english, "ssw_nursing_care").endswith("(1)")
    assert option(english, "14").endswith("(0)")


def test_a_label_staff_edit_is_offered_at_the_next_request(job, candidate):
    client = Client()
    client.force_login(candidate)
    url = in_language("ja", reverse("matching:board"))
    client.get(url)

    tokyo = Prefecture.objects.get(code="13")
    tokyo.label_ja = "東京都（首都）"
    tokyo.save()

    assert option(client.get(url).content.decode(), "13").startswith("東京都（首都）")


def test_the_form_is_built_once_per_board_page(job, candidate, monkeypatch, settings):
    settings.TSUNAGU_PUBLIC_PAGE_SECONDS = 0
    built = []
    original = BoardSearchForm.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(BoardSearchForm, "__init__", counting)
    signed_in = Client()
    signed_in.force_login(candidate)
    for client in (Client(), signed_in):
        built.clear()
        client.get(reverse("matching:board") + "?prefecture=13")
        assert built == [1]


@pytest.mark.parametrize("params", [{"prefecture": "99"}, {"category": "astronaut"}, {"employment_type": "x"}])
def test_a_choice_not_offered_is_refused_with_the_usual_message(job, params):
    response = consented().get(reverse("matching:board"), params)

    assert response.status_code == 400
    assert "Select a valid choice. That choice is not one of the available choices." in response.content.decode()


@pytest.mark.parametrize(
    "edit",
    [
        lambda: StatusOfResidence.objects.get(code="student").job_categories.clear(),
        lambda: StatusRule.objects.get(code="student_with_permission").employment_types.clear(),
        lambda: SponsorshipRoute.objects.get(code="engineer_humanities_professional").categories.clear(),
        lambda: SponsorshipRoute.objects.get(code="nursing_care").employment_types.clear(),
    ],
    ids=["status kinds of work", "rule employment types", "route kinds of work", "route employment types"],
)
def test_every_link_of_a_work_rule_staff_edit_is_a_new_rule_table(edit):
    """What was cached from the work rules (recommendations, the job board's
    fit) is made again after staff change any of a rule's lists in the admin."""
    before = generations.current(generations.TAXONOMY)
    edit()
    assert generations.current(generations.TAXONOMY) != before
