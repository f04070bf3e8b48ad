"""Every input rule of the profile (profiles/forms.py, profiles/validators.py).

Each refusal is a form error with a message that says what to do, answered
with 400 and never with a server error; nothing of a refused section is saved.
Driven through the real section and entry views as the candidate persona."""

import pytest
from django.urls import reverse

from profiles.models import CandidateProfile
from profiles.validators import today
from tests.profiles.factories import (
    CandidateProfileFactory,
    FullCandidateProfileFactory,
    WorkEntryFactory,
    entry_post,
    from_today,
    section_post,
    taxonomy_pk,
    years_ago,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(persona_client):
    return persona_client("candidate")


def section_url(slug: str) -> str:
    return reverse("profiles:section", args=[slug])


def own_profile(user) -> CandidateProfile:
    return CandidateProfile.objects.get(user=user)


def refused(response, field: str, message: str) -> None:
    """The section was refused with `message` on `field`, shown to the candidate."""
    assert response.status_code == 400, response.status_code
    errors = [str(e) for e in response.context["form"].errors.get(field, [])]
    assert any(message in e for e in errors), (field, errors)
    assert message in response.content.decode().replace("&#x27;", "'")


def saved(response) -> None:
    assert response.status_code == 302, response.context["form"].errors if response.context else response


# --- Name in katakana --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("グエン・ティ・ラン", "グエン・ティ・ラン"),
        ("ｸﾞｴﾝ ﾃｨ ﾗﾝ", "グエン ティ ラン"),  # half-width katakana, as some keyboards type it
        ("アウン　チョー", "アウン チョー"),  # a full-width space
        ("マリア＝ホセ", "マリア=ホセ"),
    ],
)
def test_a_name_in_katakana_is_accepted(candidate, candidate_client, typed, stored):
    saved(candidate_client.post(section_url("basics"), section_post("basics", name_kana=typed)))
    assert own_profile(candidate).name_kana == stored


@pytest.mark.parametrize("typed", ["ぐえん てぃ らん", "阮氏蘭", "Nguyen Thi Lan", "グエン lan", "グエン1"])
def test_a_name_in_anything_but_katakana_is_refused(candidate, candidate_client, typed):
    response = candidate_client.post(section_url("basics"), section_post("basics", name_kana=typed))

    refused(response, "name_kana", "Write your name in katakana only")
    assert own_profile(candidate).name_kana == ""


# --- Telephone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "residence", "stored"),
    [
        ("090-1234-5678", "JP", "+819012345678"),
        ("０９０－１２３４－５６７８", "JP", "+819012345678"),  # full-width digits and dashes
        ("+81 90 1234 5678", "JP", "+819012345678"),
        ("+81 (0)90-1234-5678", "JP", "+819012345678"),  # as printed on business cards
        ("0912 345 678", "VN", "+84912345678"),  # domestic in the country of residence
        ("+84 912 345 678", "JP", "+84912345678"),
    ],
)
def test_a_telephone_number_is_stored_in_international_form(candidate, candidate_client, typed, residence, stored):
    data = section_post("basics", phone=typed, country_of_residence=residence)

    saved(candidate_client.post(section_url("basics"), data))

    assert own_profile(candidate).phone == stored


@pytest.mark.parametrize("typed", ["call me", "12", "090-1234", "+81 90 1234 5678 9999"])
def test_a_telephone_number_that_is_not_one_is_refused(candidate, candidate_client, typed):
    response = candidate_client.post(section_url("basics"), section_post("basics", phone=typed))

    refused(response, "phone", "This is not a valid telephone number")
    assert own_profile(candidate).phone == ""


def test_the_telephone_field_lets_a_formatted_number_be_typed(candidate_client):
    page = candidate_client.get(section_url("basics")).content.decode()
    maxlength = int(page.split('name="phone"')[1].split("maxlength=")[1].split('"')[1])
    assert maxlength >= len("+81 (0)90-1234-5678")


# --- Postal code and address ---------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["123-4567", "1234567", "１２３－４５６７", "〒123-4567", "〒１２３－４５６７", " 123 4567 "]
)
def test_a_postal_code_is_stored_as_seven_digits(candidate, candidate_client, typed):
    saved(candidate_client.post(section_url("address"), section_post("address", postal_code=typed)))
    assert own_profile(candidate).postal_code == "1234567"


@pytest.mark.parametrize("typed", ["123-456", "12345678", "abc-defg", "〒", "100-0013-1"])
def test_a_postal_code_without_seven_digits_is_refused(candidate, candidate_client, typed):
    response = candidate_client.post(section_url("address"), section_post("address", postal_code=typed))

    refused(response, "postal_code", "A Japanese postal code has 7 digits")
    assert own_profile(candidate).postal_code == ""


def test_the_postal_code_field_lets_the_postal_mark_be_typed(candidate_client):
    page = candidate_client.get(section_url("address")).content.decode()
    maxlength = int(page.split('name="postal_code"')[1].split("maxlength=")[1].split('"')[1])
    assert maxlength >= len("〒123-4567")


def test_an_address_in_japan_clears_the_overseas_one(candidate, candidate_client):
    CandidateProfileFactory(user=candidate, overseas_address="12 Pho Hue, Hanoi")

    saved(candidate_client.post(section_url("address"), section_post("address", overseas_address="ignored")))

    profile = own_profile(candidate)
    assert profile.overseas_address == ""
    assert (profile.postal_code, profile.prefecture.code, profile.city) == ("1000013", "13", "千代田区")


def test_an_overseas_address_clears_the_japanese_one(candidate, candidate_client):
    saved(candidate_client.post(section_url("address"), section_post("address")))

    saved(
        candidate_client.post(
            section_url("address"), section_post("address", where="overseas", overseas_address="12 Pho Hue, Hanoi")
        )
    )

    profile = own_profile(candidate)
    assert profile.overseas_address == "12 Pho Hue, Hanoi"
    assert (profile.postal_code, profile.prefecture, profile.city, profile.street) == ("", None, "", "")


@pytest.mark.parametrize("missing", ["postal_code", "prefecture", "city", "street"])
def test_an_address_in_japan_needs_every_part(candidate, candidate_client, missing):
    response = candidate_client.post(section_url("address"), section_post("address", **{missing: ""}))

    refused(response, missing, "Needed for an address in Japan.")
    assert own_profile(candidate).city == ""


def test_an_overseas_address_needs_the_address(candidate, candidate_client):
    response = candidate_client.post(
        section_url("address"), section_post("address", where="overseas", overseas_address="")
    )
    refused(response, "overseas_address", "Write your address, including the country.")


def test_where_one_lives_must_be_said(candidate_client):
    response = candidate_client.post(section_url("address"), section_post("address", where=""))
    assert response.status_code == 400
    assert "where" in response.context["form"].errors


# --- Date of birth and age -----------------------------------------------------------


def test_a_date_of_birth_in_the_future_is_refused(candidate, candidate_client):
    response = candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=from_today(1)))

    refused(response, "date_of_birth", "The date of birth is in the future.")
    assert own_profile(candidate).date_of_birth is None


def test_a_date_of_birth_over_a_century_ago_is_queried(candidate_client):
    response = candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=years_ago(101)))
    refused(response, "date_of_birth", "Please check the year of your date of birth.")


def test_under_the_minimum_working_age_is_refused(candidate, candidate_client):
    response = candidate_client.post(
        section_url("basics"), section_post("basics", date_of_birth=years_ago(15, days=-1))
    )

    refused(response, "date_of_birth", "You must be at least 15 years old")
    profile = own_profile(candidate)
    assert profile.date_of_birth is None
    assert profile.name_passport == ""


def test_the_minimum_working_age_is_accepted_on_the_birthday(candidate, candidate_client):
    saved(candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=years_ago(15))))
    assert own_profile(candidate).date_of_birth == years_ago(15)


def test_the_minimum_working_age_follows_the_setting(candidate, candidate_client, settings):
    settings.TSUNAGU_MINIMUM_WORKING_AGE = 18

    response = candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=years_ago(17)))
    refused(response, "date_of_birth", "You must be at least 18 years old")
    assert own_profile(candidate).date_of_birth is None

    saved(candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=years_ago(18))))
    assert own_profile(candidate).date_of_birth == years_ago(18)


def test_thirteen_is_refused_like_any_age_under_the_minimum(candidate, candidate_client):
    response = candidate_client.post(section_url("basics"), section_post("basics", date_of_birth=years_ago(13)))
    refused(response, "date_of_birth", "You must be at least 15 years old")


@pytest.mark.parametrize("age", [12, 5])
def test_under_thirteen_nothing_of_the_submission_is_kept(candidate, candidate_client, age):
    born = years_ago(age, days=3)
    data = section_post(
        "basics",
        name_passport="TRAN MINH ANH",
        name_kana="チャン・ミン・アイン",
        date_of_birth=born.isoformat(),
        phone="090-8765-4321",
    )

    response = candidate_client.post(section_url("basics"), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "We could not accept your registration and have not kept the date you entered." in page
    for shown in (born.isoformat(), born.strftime("%Y/%m/%d"), born.strftime("%d/%m/%Y"), "TRAN MINH ANH"):
        assert shown not in page
    assert 'name="date_of_birth"' not in page  # no form to hand the date back in
    assert born.isoformat() not in str(dict(candidate_client.session))

    profile = own_profile(candidate)
    assert profile.date_of_birth is None
    assert (profile.name_passport, profile.name_kana, profile.phone, profile.nationality) == ("", "", "", "")
    assert profile.gender == "" and profile.country_of_residence == ""


def test_under_thirteen_keeps_nothing_even_with_other_errors(candidate, candidate_client):
    born = years_ago(9)
    data = section_post("basics", date_of_birth=born.isoformat(), phone="nonsense", name_kana="ぐえん")

    response = candidate_client.post(section_url("basics"), data)

    assert response.status_code == 400
    assert born.isoformat() not in response.content.decode()
    assert "nonsense" not in response.content.decode()
    assert own_profile(candidate).date_of_birth is None


# --- Status of residence -------------------------------------------------------------


def status_post(code: str | None, **overrides) -> dict:
    return section_post("status", status=taxonomy_pk("StatusOfResidence", code) if code else "", **overrides)


def test_an_ended_period_of_stay_is_saved_but_flagged(candidate, candidate_client):
    ended = today().replace(year=today().year - 1)

    response = candidate_client.post(section_url("status"), status_post("student", period_of_stay_expiry=ended))

    saved(response)
    assert own_profile(candidate).period_of_stay_expiry == ended
    next_page = candidate_client.get(response["Location"]).content.decode()
    assert "The period of stay you entered has already ended." in next_page
    for name in ("profiles:overview", "consents:profile_preview"):
        page = candidate_client.get(reverse(name)).content.decode()
        assert "The period of stay entered has ended." in page, name


def test_a_future_period_of_stay_is_not_flagged(candidate, candidate_client):
    response = candidate_client.post(section_url("status"), status_post("student"), follow=True)

    assert "has already ended" not in response.content.decode()
    assert "has ended" not in candidate_client.get(reverse("profiles:overview")).content.decode()


@pytest.mark.parametrize("code", ["student", "dependent"])
def test_permission_outside_status_up_to_28_hours(candidate, candidate_client, code):
    data = status_post(code, outside_activity_permission="on", outside_activity_hours="28")

    saved(candidate_client.post(section_url("status"), data))

    profile = own_profile(candidate)
    assert profile.outside_activity_permission is True
    assert profile.outside_activity_hours == 28


@pytest.mark.parametrize("code", ["student", "dependent"])
def test_permission_outside_status_over_28_hours_is_refused(candidate, candidate_client, code):
    data = status_post(code, outside_activity_permission="on", outside_activity_hours="30")

    response = candidate_client.post(section_url("status"), data)

    refused(response, "outside_activity_hours", "is limited to 28 hours a week")
    assert own_profile(candidate).status is None


def test_permission_outside_status_needs_its_hours(candidate_client):
    response = candidate_client.post(section_url("status"), status_post("student", outside_activity_permission="on"))
    refused(response, "outside_activity_hours", "How many hours a week does your permission allow?")


def test_hours_without_permission_are_not_kept(candidate, candidate_client):
    saved(candidate_client.post(section_url("status"), status_post("student", outside_activity_hours="20")))
    profile = own_profile(candidate)
    assert (profile.outside_activity_permission, profile.outside_activity_hours) == (False, None)


@pytest.mark.parametrize("code", ["engineer_humanities", "permanent_resident", "ssw_1", "designated_activities"])
def test_permission_outside_status_is_cleared_for_statuses_that_allow_work(candidate, candidate_client, code):
    data = status_post(code, outside_activity_permission="on", outside_activity_hours="28")

    saved(candidate_client.post(section_url("status"), data))

    profile = own_profile(candidate)
    assert profile.status.code == code
    assert (profile.outside_activity_permission, profile.outside_activity_hours) == (False, None)


@pytest.mark.parametrize("code", ["engineer_humanities", "student", "spouse_of_japanese", "ssw_1"])
def test_the_end_of_the_period_of_stay_is_needed(candidate, candidate_client, code):
    response = candidate_client.post(section_url("status"), status_post(code, period_of_stay_expiry=""))

    refused(response, "period_of_stay_expiry", "Enter the date your period of stay ends.")
    assert own_profile(candidate).status is None


@pytest.mark.parametrize("code", ["permanent_resident", "special_permanent_resident"])
def test_permanent_residents_have_no_end_of_stay(candidate, candidate_client, code):
    saved(candidate_client.post(section_url("status"), status_post(code, period_of_stay_expiry="")))
    assert own_profile(candidate).status.code == code


def test_no_status_keeps_no_dates(candidate, candidate_client):
    saved(candidate_client.post(section_url("status"), status_post(None)))
    profile = own_profile(candidate)
    assert (profile.status, profile.period_of_stay_expiry) == (None, None)


def test_the_status_form_has_no_place_for_the_card_number(candidate_client):
    response = candidate_client.get(section_url("status"))
    form = response.context["form"]
    assert set(form.fields) == {
        "status",
        "period_of_stay_expiry",
        "outside_activity_permission",
        "outside_activity_hours",
    }
    assert "Tsunagu never asks for it" in response.content.decode()


# --- What they look for ----------------------------------------------------------------


def test_a_salary_needs_its_period(candidate, candidate_client):
    response = candidate_client.post(section_url("preferences"), section_post("preferences", expected_salary_period=""))

    refused(response, "expected_salary_period", "Say whether the salary is per hour, month or year.")
    assert own_profile(candidate).expected_salary is None


@pytest.mark.parametrize(
    ("period", "amount", "ok"),
    [
        ("hour", 499, False),
        ("hour", 1_200, True),
        ("hour", 20_001, False),
        ("month", 30_000, False),
        ("month", 250_000, True),
        ("month", 5_000_001, False),
        ("year", 250_000, False),
        ("year", 4_000_000, True),
        ("year", 60_000_001, False),
    ],
)
def test_a_salary_must_be_plausible_for_its_period(candidate, candidate_client, period, amount, ok):
    data = section_post("preferences", expected_salary=str(amount), expected_salary_period=period)

    response = candidate_client.post(section_url("preferences"), data)

    if ok:
        saved(response)
        assert (own_profile(candidate).expected_salary, own_profile(candidate).expected_salary_period) == (
            amount,
            period,
        )
    else:
        refused(response, "expected_salary", "please check the amount")
        assert own_profile(candidate).expected_salary is None


def test_no_salary_keeps_no_period(candidate, candidate_client):
    data = section_post("preferences", expected_salary="", expected_salary_period="month")
    saved(candidate_client.post(section_url("preferences"), data))
    assert (own_profile(candidate).expected_salary, own_profile(candidate).expected_salary_period) == (None, "")


def test_the_earliest_start_cannot_be_in_the_past(candidate, candidate_client):
    response = candidate_client.post(
        section_url("preferences"), section_post("preferences", earliest_start_date=from_today(-1))
    )
    refused(response, "earliest_start_date", "The earliest start date cannot be before today.")
    assert own_profile(candidate).earliest_start_date is None

    saved(candidate_client.post(section_url("preferences"), section_post("preferences", earliest_start_date=today())))
    assert own_profile(candidate).earliest_start_date == today()


# --- Education and work ----------------------------------------------------------------


@pytest.fixture
def adult_profile(candidate):
    return CandidateProfileFactory(user=candidate, date_of_birth=years_ago(30))


def add(client, entry_kind: str, /, **overrides):
    return client.post(reverse("profiles:entry_add", args=[entry_kind]), entry_post(entry_kind, **overrides))


@pytest.mark.parametrize("kind", ["education", "work"])
def test_an_end_before_the_start_is_refused(candidate_client, adult_profile, kind):
    response = add(candidate_client, kind, started_on=years_ago(2), ended_on=years_ago(3))

    refused(response, "ended_on", "The end date is before the start date.")
    assert getattr(adult_profile, "education" if kind == "education" else "work_history").count() == 0


@pytest.mark.parametrize("kind", ["education", "work"])
def test_a_start_before_birth_is_refused(candidate_client, adult_profile, kind):
    response = add(candidate_client, kind, started_on=years_ago(31), ended_on=years_ago(20))
    refused(response, "started_on", "This date is before your date of birth.")


@pytest.mark.parametrize("kind", ["education", "work"])
def test_a_start_in_the_future_is_refused(candidate_client, adult_profile, kind):
    response = add(candidate_client, kind, started_on=from_today(10), ended_on="", graduated="")
    refused(response, "started_on", "The start date is in the future.")


def test_a_job_cannot_end_in_the_future(candidate_client, adult_profile):
    response = add(candidate_client, "work", ended_on=from_today(30))

    refused(response, "ended_on", "leave it empty if this is still going on")
    assert adult_profile.work_history.count() == 0


def test_a_current_job_has_no_end(candidate_client, adult_profile):
    saved(add(candidate_client, "work", ended_on=""))
    assert adult_profile.work_history.get().ended_on is None


def test_studies_may_end_in_the_future(candidate_client, adult_profile):
    """An expected graduation date."""
    saved(add(candidate_client, "education", started_on=years_ago(1), ended_on=from_today(300), graduated=""))
    assert adult_profile.education.get().ended_on == from_today(300)


def test_a_graduation_cannot_be_in_the_future(candidate_client, adult_profile):
    response = add(candidate_client, "education", started_on=years_ago(1), ended_on=from_today(300), graduated="on")

    refused(response, "graduated", "A graduation needs an end date that has passed.")
    assert adult_profile.education.count() == 0


def test_a_graduation_needs_an_end(candidate_client, adult_profile):
    response = add(candidate_client, "education", ended_on="", graduated="on")
    refused(response, "graduated", "A graduation needs an end date that has passed.")


def test_two_overlapping_jobs_at_the_same_employer_are_refused(candidate_client, adult_profile):
    WorkEntryFactory(profile=adult_profile, employer_name="Mandalay Builders", started_on=years_ago(5), ended_on=None)

    response = add(candidate_client, "work", employer_name="MANDALAY BUILDERS", started_on=years_ago(2))

    refused(response, "started_on", "This overlaps with your other entry at Mandalay Builders")
    assert adult_profile.work_history.count() == 1


def test_jobs_at_different_employers_may_overlap(candidate_client, adult_profile):
    WorkEntryFactory(profile=adult_profile, employer_name="Yangon Kitchen", started_on=years_ago(5), ended_on=None)

    saved(add(candidate_client, "work", employer_name="Mandalay Builders", started_on=years_ago(2)))

    assert adult_profile.work_history.count() == 2


def test_the_same_employer_again_later_is_not_an_overlap(candidate_client, adult_profile):
    WorkEntryFactory(
        profile=adult_profile, employer_name="Mandalay Builders", started_on=years_ago(8), ended_on=years_ago(6)
    )

    saved(add(candidate_client, "work", employer_name="Mandalay Builders", started_on=years_ago(4)))

    assert adult_profile.work_history.count() == 2


def test_editing_a_job_does_not_overlap_with_itself(candidate_client, adult_profile):
    job = WorkEntryFactory(profile=adult_profile, employer_name="Mandalay Builders", started_on=years_ago(4))

    response = candidate_client.post(
        reverse("profiles:entry_edit", args=["work", job.pk]),
        entry_post("work", employer_name="Mandalay Builders", job_title="Foreman"),
    )

    saved(response)
    job.refresh_from_db()
    assert job.job_title == "Foreman"


# --- Japanese tests, languages, qualifications ----------------------------------------


def test_the_same_test_result_twice_is_refused(candidate_client, adult_profile):
    saved(add(candidate_client, "japanese-tests"))

    response = add(candidate_client, "japanese-tests", obtained_on=years_ago(2))

    refused(response, "level", "You have already added this result.")
    assert adult_profile.japanese_certificates.count() == 1


def test_a_different_level_of_the_same_test_may_be_added(candidate_client, adult_profile):
    saved(add(candidate_client, "japanese-tests"))
    saved(add(candidate_client, "japanese-tests", level=taxonomy_pk("JapaneseLevel", "jlpt_n2")))
    assert adult_profile.japanese_certificates.count() == 2


@pytest.mark.parametrize("kind", ["japanese-tests", "qualifications"])
def test_a_result_obtained_in_the_future_is_refused(candidate_client, adult_profile, kind):
    response = add(candidate_client, kind, obtained_on=from_today(5))
    refused(response, "obtained_on", "This date is in the future.")


@pytest.mark.parametrize("kind", ["japanese-tests", "qualifications"])
def test_a_result_obtained_before_birth_is_refused(candidate_client, adult_profile, kind):
    response = add(candidate_client, kind, obtained_on=years_ago(31))
    refused(response, "obtained_on", "This date is before your date of birth.")


def test_japanese_is_not_one_of_the_other_languages(candidate_client, adult_profile):
    response = add(candidate_client, "languages", language="ja")

    refused(response, "language", "Japanese has its own part of this section, above.")
    assert adult_profile.languages.count() == 0


def test_the_same_language_twice_is_refused(candidate_client, adult_profile):
    saved(add(candidate_client, "languages", language="my"))

    response = add(candidate_client, "languages", language="my", level="basic")

    refused(response, "language", "You have already added this language.")
    assert adult_profile.languages.get().level == "native"


def test_a_language_not_on_the_list_is_refused(candidate_client, adult_profile):
    response = add(candidate_client, "languages", language="klingon")
    assert response.status_code == 400
    assert "language" in response.context["form"].errors


def test_an_other_qualification_needs_its_name(candidate_client, adult_profile):
    other = taxonomy_pk("QualificationKind", "other")

    refused(
        add(candidate_client, "qualifications", kind=other, name=""), "name", "Write the name of the qualification."
    )

    saved(add(candidate_client, "qualifications", kind=other, name="Halal food handling certificate"))
    assert adult_profile.qualifications.get().name == "Halal food handling certificate"


def test_a_listed_qualification_keeps_no_free_text_name(candidate_client, adult_profile):
    saved(add(candidate_client, "qualifications", name="anything typed here"))
    assert adult_profile.qualifications.get().name == ""


# --- Length limits and NUL characters on every text field -------------------------------

LONG = "ア" * 10_000

SECTION_TEXT_FIELDS = [
    ("basics", "name_passport", {}),
    ("basics", "name_kana", {}),
    ("basics", "phone", {}),
    ("address", "postal_code", {}),
    ("address", "city", {}),
    ("address", "street", {}),
    ("address", "overseas_address", {"where": "overseas"}),
    ("introduction", "self_introduction", {}),
]
ENTRY_TEXT_FIELDS = [
    ("education", "school", {}),
    ("education", "field_of_study", {}),
    ("work", "employer_name", {}),
    ("work", "job_title", {}),
    ("work", "description", {}),
    ("qualifications", "name", {"kind": "other"}),
]


def _entry_extra(extra: dict) -> dict:
    if extra.get("kind") == "other":
        return {"kind": taxonomy_pk("QualificationKind", "other")}
    return extra


def _snapshot(profile: CandidateProfile) -> dict:
    profile.refresh_from_db()
    return {f.name: getattr(profile, f.name) for f in CandidateProfile._meta.concrete_fields if f.name != "updated_at"}


@pytest.mark.parametrize("value", [LONG, "Lan\x00Nguyen"], ids=["10000-characters", "NUL"])
@pytest.mark.parametrize(("slug", "field", "extra"), SECTION_TEXT_FIELDS)
def test_every_section_text_field_refuses_overlong_text_and_nul(candidate, candidate_client, slug, field, extra, value):
    profile = FullCandidateProfileFactory(user=candidate)
    before = _snapshot(profile)

    response = candidate_client.post(section_url(slug), section_post(slug, **extra, **{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert _snapshot(profile) == before  # neither saved nor cut short


@pytest.mark.parametrize("value", [LONG, "Lan\x00Nguyen"], ids=["10000-characters", "NUL"])
@pytest.mark.parametrize(("kind", "field", "extra"), ENTRY_TEXT_FIELDS)
def test_every_entry_text_field_refuses_overlong_text_and_nul(
    candidate_client, adult_profile, kind, field, extra, value
):
    response = add(candidate_client, kind, **_entry_extra(extra), **{field: value})

    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not adult_profile.education.exists()
    assert not adult_profile.work_history.exists()
    assert not adult_profile.qualifications.exists()


@pytest.mark.parametrize(("slug", "field", "limit"), [("introduction", "self_introduction", 2000)])
def test_text_at_its_limit_is_accepted_whole(candidate, candidate_client, slug, field, limit):
    text = "မ" * limit
    saved(candidate_client.post(section_url(slug), section_post(slug, **{field: text})))
    assert getattr(own_profile(candidate), field) == text


def test_a_work_description_at_its_limit_is_accepted_whole(candidate_client, adult_profile):
    text = "👩‍🍳" * (1000 // len("👩‍🍳"))
    saved(add(candidate_client, "work", description=text))
    assert adult_profile.work_history.get().description == text
