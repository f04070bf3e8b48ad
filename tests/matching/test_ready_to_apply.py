"""Apply-ready in one go (issue 14, docs/apply-ready.md): after signing up,
one page asks only what an application still needs, fills the prefecture and
city from a Japanese postal code, notes what the opening says they look for,
and returns to the consent screen. Nothing is asked twice."""

import pytest
from django.test import Client
from django.urls import reverse

from matching.models import Application
from profiles.models import CandidateProfile
from tests.accounts.factories import CandidateFactory
from tests.matching.factories import CompleteCandidateProfileFactory, OpeningFactory, days_from_today

pytestmark = pytest.mark.django_db

MINIMAL = {
    "name_passport",
    "date_of_birth",
    "nationality",
    "country_of_residence",
    "postal_code",
    "prefecture",
    "city",
    "street",
    "status",
    "period_of_stay_expiry",
    "japanese_speaking",
    "note_preferences",
}
LIVES_IN_JAPAN = {
    "name_passport": "NGUYEN THI LAN",
    "date_of_birth": "1998-04-01",
    "nationality": "VN",
    "country_of_residence": "JP",
    "postal_code": "〒100-0013",
    "status": "",  # filled per test
    "period_of_stay_expiry": "",
    "japanese_speaking": "daily",
    "note_preferences": "on",
}


@pytest.fixture
def opening():
    return OpeningFactory(category="care_worker", employment_type="full_time", prefecture="14", title="Care worker")


@pytest.fixture
def newcomer():
    user = CandidateFactory(full_name="Nguyen Thi Lan")
    client = Client()
    client.force_login(user)
    return user, client


def ready_url(opening) -> str:
    return f"{reverse('ready_to_apply')}?opening={opening.pk}"


def status_pk(code: str) -> str:
    from profiles.models import StatusOfResidence

    return str(StatusOfResidence.objects.get(code=code).pk)


def test_a_new_candidate_is_asked_only_what_an_application_needs(newcomer, opening):
    user, client = newcomer
    response = client.get(ready_url(opening))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == MINIMAL
    page = response.content.decode()
    assert "Care worker" in page
    # What the site knows is filled in: the name from sign-up, the opening's wishes ticked.
    assert form.initial["name_passport"] == "Nguyen Thi Lan"
    assert form.fields["note_preferences"].initial is True
    assert "data-postal-lookup" in page and "js/postal-code.js" in page


def test_a_postal_code_fills_prefecture_and_city_on_save_and_the_opening_comes_next(newcomer, opening):
    user, client = newcomer
    data = {**LIVES_IN_JAPAN, "status": status_pk("ssw_1"), "period_of_stay_expiry": "2030-03-31"}

    response = client.post(ready_url(opening), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:apply", args=[opening.pk])
    profile = CandidateProfile.objects.get(user=user)
    assert (profile.postal_code, profile.prefecture.code, profile.city) == ("1000013", "13", "千代田区")
    assert profile.country_of_residence == "JP" and profile.status.code == "ssw_1"
    # Asked nothing twice: the opening's kind of work, prefecture and employment type.
    assert [c.code for c in profile.desired_categories.all()] == ["care_worker"]
    assert [p.code for p in profile.desired_prefectures.all()] == ["14"]
    assert [e.code for e in profile.desired_employment_types.all()] == ["full_time"]
    # The consent screen, not "complete your profile" (education, introduction can wait).
    assert client.get(reverse("matching:apply", args=[opening.pk])).status_code == 200
    assert client.post(reverse("matching:apply", args=[opening.pk]), {"agree": "on"}).status_code == 302
    assert Application.objects.filter(candidate=user, opening=opening).exists()


def test_living_abroad_asks_no_address_and_no_status(newcomer, opening):
    user, client = newcomer
    data = {
        "name_passport": "AUNG KYAW MIN",
        "date_of_birth": "1995-01-15",
        "nationality": "MM",
        "country_of_residence": "MM",
        "postal_code": "",
        "japanese_speaking": "basic",
    }
    response = client.post(ready_url(opening), data)
    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=user)
    assert profile.status is None and profile.postal_code == "" and profile.prefecture is None
    assert not profile.desired_categories.exists()  # the box was left unticked
    # Next time nothing is missing: straight to the consent screen.
    again = client.get(ready_url(opening))
    assert again.status_code == 302 and again["Location"] == reverse("matching:apply", args=[opening.pk])


def test_an_unknown_postal_code_is_explained_and_nothing_is_saved(newcomer, opening):
    user, client = newcomer
    data = {**LIVES_IN_JAPAN, "postal_code": "0000000", "status": status_pk("permanent_resident")}
    response = client.post(ready_url(opening), data)
    assert response.status_code == 400
    assert "could not find this postal code" in response.content.decode()
    assert CandidateProfile.objects.get(user=user).name_passport == ""


def test_living_in_japan_needs_the_status_and_its_end(newcomer, opening):
    user, client = newcomer
    response = client.post(ready_url(opening), {**LIVES_IN_JAPAN, "status": ""})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    data = {**LIVES_IN_JAPAN, "status": status_pk("ssw_1"), "period_of_stay_expiry": ""}
    response = client.post(ready_url(opening), data)
    assert response.status_code == 400
    assert "period_of_stay_expiry" in response.context["form"].errors


@pytest.mark.parametrize(
    "name",
    ["<script>alert(1)</script>", "X" * 5000, "အောင်ကျော်မင်း", "グエン・ティ・ラン"],
)
def test_hostile_huge_burmese_and_japanese_names_are_refused_or_kept_safely(newcomer, opening, name):
    user, client = newcomer
    data = {**LIVES_IN_JAPAN, "name_passport": name, "status": status_pk("permanent_resident")}
    response = client.post(ready_url(opening), data)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    if response.status_code == 302:
        assert CandidateProfile.objects.get(user=user).name_passport == name
    else:
        assert response.status_code == 400 and "name_passport" in response.context["form"].errors


def test_a_double_submit_lands_on_the_consent_screen_both_times(newcomer, opening):
    user, client = newcomer
    data = {**LIVES_IN_JAPAN, "status": status_pk("permanent_resident")}
    first = client.post(ready_url(opening), data)
    second = client.post(ready_url(opening), data)
    assert first["Location"] == second["Location"] == reverse("matching:apply", args=[opening.pk])
    assert CandidateProfile.objects.get(user=user).desired_categories.count() == 1


def test_too_young_keeps_nothing(newcomer, opening):
    user, client = newcomer
    data = {**LIVES_IN_JAPAN, "date_of_birth": days_from_today(-10 * 365).isoformat(), "status": ""}
    response = client.post(ready_url(opening), data)
    assert response.status_code == 400
    assert CandidateProfile.objects.get(user=user).date_of_birth is None


@pytest.mark.parametrize("query", ["", "?opening=", "?opening=abc", "?opening=99999999", "?opening=" + "9" * 40])
def test_without_a_real_opening_there_is_nothing_to_get_ready_for(newcomer, query):
    _user, client = newcomer
    assert client.get(reverse("ready_to_apply") + query).status_code == 404


def test_a_ready_candidate_goes_straight_to_the_consent_screen(opening):
    profile = CompleteCandidateProfileFactory()
    client = Client()
    client.force_login(profile.user)
    response = client.get(ready_url(opening))
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:apply", args=[opening.pk])


def test_the_opening_page_sends_a_newcomer_to_sign_up_and_back(client, opening):
    page = client.get(reverse("matching:opening", args=[opening.pk])).content.decode()
    back = f"%2Fen%2Fprofile%2Fready-to-apply%2F%3Fopening%3D{opening.pk}"
    assert f'{reverse("account_signup")}?next={back}' in page
    assert f'{reverse("account_login")}?next={back}' in page


def test_the_ready_page_costs_a_fixed_number_of_queries(newcomer, opening, django_assert_max_num_queries):
    _user, client = newcomer
    client.get(ready_url(opening))
    with django_assert_max_num_queries(16):
        assert client.get(ready_url(opening)).status_code == 200


# --- Postal codes -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1000013", "100-0013", "〒100-0013", "１００－００１３"])
def test_postal_code_lookup_answers_the_prefecture_and_city(newcomer, typed):
    _user, client = newcomer
    response = client.get(reverse("profiles:postal_code", args=[typed]))
    assert response.status_code == 200
    area = response.json()
    assert area["city"] == "千代田区" and area["town"] == "霞が関" and area["postal_code"] == "1000013"


@pytest.mark.parametrize("typed", ["0000000", "abc", "1" * 200])
def test_postal_code_lookup_of_an_unknown_code_is_404(newcomer, typed):
    _user, client = newcomer
    assert client.get(reverse("profiles:postal_code", args=[typed])).status_code == 404
