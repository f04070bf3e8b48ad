"""Recommendations cached per candidate and language (matching.recommended):
never another person's or another language's, refreshed when the profile or
the openings change, and behind the checks that change without a write (a
restriction of use, a screening decision, an opening that closed) at the
very next request even with the cache warm."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consents.privacy.services import restriction_lift, restriction_start
from matching.models import Opening
from matching.recommended import recommended_for
from profiles.models import Prefecture
from profiles.services import profile_update
from tests.matching.factories import CompleteCandidateProfileFactory, EmployerWithAgreementFactory, OpeningFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("accounts:dashboard")
PAGE = reverse("matching:recommendations")
RESTRICTED = "While the use of your data is restricted, we do not match you with openings."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        html(client, url)
    return len(captured)


@pytest.fixture
def company():
    return EmployerWithAgreementFactory()


@pytest.mark.parametrize("url", [DASHBOARD, PAGE])
def test_two_candidates_never_see_each_others_recommendations(company, url):
    OpeningFactory(employer=company, title="Tokyo developer", prefecture="13")
    OpeningFactory(employer=company, title="Osaka developer", prefecture="27")
    tokyo = CompleteCandidateProfileFactory(desired_prefectures=["13"])
    osaka = CompleteCandidateProfileFactory(desired_prefectures=["27"])

    for profile in (tokyo, osaka, tokyo, osaka):  # the second round reads the cache
        page = html(signed_in(profile.user), url)
        mine, theirs = ("Tokyo", "Osaka") if profile == tokyo else ("Osaka", "Tokyo")
        assert f"It is in a prefecture you chose ({mine}" in page
        assert f"It is in a prefecture you chose ({theirs}" not in page


def test_each_language_has_its_own_recommendations(company):
    OpeningFactory(employer=company, title="Tokyo developer", category="it_engineering")
    profile = CompleteCandidateProfileFactory(experience_in=["it_engineering"])
    client = signed_in(profile.user)
    assert "You have experience in" in html(client, PAGE)
    with translation.override("ja"):
        japanese = html(client, reverse("matching:recommendations"))
    assert "の経験があります。" in japanese and "You have experience in" not in japanese
    assert "You have experience in" in html(client, PAGE)


def test_a_restriction_hides_the_recommendations_at_the_very_next_request(company):
    OpeningFactory(employer=company, title="Tokyo developer")
    profile = CompleteCandidateProfileFactory()
    client = signed_in(profile.user)
    assert "Tokyo developer" in html(client, DASHBOARD)  # the cache is warm

    restriction_start(user=profile.user, reason="APPI Art. 35")
    for url in (DASHBOARD, PAGE):
        page = html(client, url)
        assert "Tokyo developer" not in page and RESTRICTED in page

    restriction_lift(user=profile.user)
    assert "Tokyo developer" in html(client, DASHBOARD)


def test_a_screening_decision_hides_the_recommendations_at_the_very_next_request(company):
    OpeningFactory(employer=company, title="Tokyo developer")
    profile = CompleteCandidateProfileFactory()
    client = signed_in(profile.user)
    assert "Tokyo developer" in html(client, PAGE)
    type(profile.user).objects.filter(pk=profile.user.pk).update(screening="suspended")
    response = client.get(PAGE)  # the account guard sends them to their notice
    assert response.status_code == 302 and "Tokyo developer" not in response.content.decode()
    profile.user.refresh_from_db()
    assert recommended_for(profile.user, profile) == []  # and the cache would not answer either


def test_an_opening_that_closed_without_a_save_is_gone_at_the_next_request(company):
    closing = OpeningFactory(employer=company, title="Closing soon", closes_on=timezone.localdate())
    stopped = OpeningFactory(employer=company, title="Stopped hiring")
    profile = CompleteCandidateProfileFactory()
    client = signed_in(profile.user)
    page = html(client, PAGE)
    assert "Closing soon" in page and "Stopped hiring" in page

    # Neither writes through the model (no signal, no bump): the date passes,
    # and a bulk update closes the other.
    Opening.objects.filter(pk=closing.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    Opening.objects.filter(pk=stopped.pk).update(state=Opening.State.CLOSED)
    page = html(client, PAGE)
    assert "Closing soon" not in page and "Stopped hiring" not in page


def test_a_new_opening_and_a_profile_change_refresh_the_recommendations(company):
    profile = CompleteCandidateProfileFactory(desired_prefectures=["13"])
    OpeningFactory(employer=company, title="Osaka developer", prefecture="27")
    client = signed_in(profile.user)
    assert "Osaka developer" in html(client, PAGE)
    assert "It is in a prefecture you chose (Osaka" not in html(client, PAGE)

    OpeningFactory(employer=company, title="Nagoya developer", prefecture="23")
    assert "Nagoya developer" in html(client, PAGE)

    profile_update(
        actor=profile.user,
        profile=profile,
        data={"desired_prefectures": list(Prefecture.objects.filter(code__in=["27"]))},
    )
    assert "It is in a prefecture you chose (Osaka" in html(client, PAGE)


@pytest.mark.parametrize("url", [DASHBOARD, PAGE])
def test_a_warm_cache_does_not_rank_again(company, url):
    for i in range(5):
        OpeningFactory(employer=company, title=f"Recommended job {i}")
    profile = CompleteCandidateProfileFactory()
    client = signed_in(profile.user)
    html(client, url)  # warm up: session, policy stamp
    cold = count_queries(client, url)  # the cache holds the ranking from the warm-up
    client_cold = signed_in(CompleteCandidateProfileFactory().user)
    html(client_cold, reverse("accounts:language"))  # everything warm but the ranking
    first = count_queries(client_cold, url)
    assert cold < first, f"{url}: {cold} queries from the cache, {first} when ranking"
