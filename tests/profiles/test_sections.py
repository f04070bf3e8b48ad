"""The candidate fills in the profile one section at a time (PRODUCT §2).

Driven through the real views as the candidate persona: each section saves on
its own and a failed section loses nothing, the candidate is led from section
to section, completeness says what is missing, and the employer preview shows
the core profile only. Also: the candidate's entries are theirs alone, text
in any script survives, markup is shown as text, and what the Employment
Security Act forbids collecting has no field at all."""

import re
from html import escape

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from profiles import selectors, services
from profiles.forms import IntroductionForm
from profiles.models import CandidateProfile, StatusOfResidence
from profiles.photos import profile_photo_store
from profiles.sections import ENTRY_KINDS, SECTIONS
from profiles.validators import age_on, today
from tests.profiles.factories import (
    CandidateProfileFactory,
    EducationEntryFactory,
    FullCandidateProfileFactory,
    JapaneseCertificateFactory,
    LanguageSkillFactory,
    QualificationFactory,
    WorkEntryFactory,
    entry_post,
    sample_jpeg,
    section_post,
    years_ago,
)

pytestmark = pytest.mark.django_db

SECTION_SLUGS = [s.slug for s in SECTIONS]
FORM_SECTIONS = [s.slug for s in SECTIONS if s.form_class]
ENTRY_SLUGS = list(ENTRY_KINDS)
ENTRY_FACTORIES = {
    "japanese-tests": JapaneseCertificateFactory,
    "languages": LanguageSkillFactory,
    "qualifications": QualificationFactory,
    "education": EducationEntryFactory,
    "work": WorkEntryFactory,
}


@pytest.fixture
def candidate_client(persona_client):
    return persona_client("candidate")


@pytest.fixture
def full_profile(candidate):
    return FullCandidateProfileFactory(user=candidate)


def section_url(slug: str) -> str:
    return reverse("profiles:section", args=[slug])


def profile_card(html: str) -> str:
    """The profile card of a page: what an employer would be shown."""
    match = re.search(r'<article class="profile-card".*?</article>', html, re.DOTALL)
    assert match, "no profile card on the page"
    return match.group(0)


def own_profile(user) -> CandidateProfile:
    return CandidateProfile.objects.get(user=user)


# --- Each section on its own ---------------------------------------------------


def test_a_failed_section_keeps_what_was_saved_before(candidate, candidate_client):
    basics = section_post("basics")
    assert candidate_client.post(section_url("basics"), basics).status_code == 302

    response = candidate_client.post(section_url("address"), section_post("address", postal_code="123-45"))

    assert response.status_code == 400
    assert "A Japanese postal code has 7 digits" in response.content.decode()
    profile = own_profile(candidate)
    assert profile.name_passport == "NGUYEN THI LAN"
    assert profile.name_kana == "グエン・ティ・ラン"
    assert profile.nationality == "VN"
    assert profile.date_of_birth.isoformat() == basics["date_of_birth"]
    assert profile.phone == "+819012345678"
    # Nothing of the failed address was written either.
    assert (profile.postal_code, profile.city, profile.street, profile.prefecture) == ("", "", "", None)

    # Fixing the address saves it; the basics are still there.
    assert candidate_client.post(section_url("address"), section_post("address")).status_code == 302
    profile = own_profile(candidate)
    assert profile.postal_code == "1000013"
    assert profile.city == "千代田区"
    assert profile.name_passport == "NGUYEN THI LAN"


def test_a_section_saves_only_its_own_fields(candidate, candidate_client, full_profile):
    response = candidate_client.post(section_url("japanese"), {"japanese_speaking": "business"})

    assert response.status_code == 302
    profile = own_profile(candidate)
    assert profile.japanese_speaking == "business"
    assert profile.self_introduction == full_profile.self_introduction
    assert profile.expected_salary == 260_000
    assert set(profile.desired_categories.values_list("code", flat=True)) == {
        "ssw_food_service",
        "hotel_guest_services",
    }
    assert profile.education.count() == 1


@pytest.mark.parametrize("slug", SECTION_SLUGS)
def test_every_section_page_opens_on_a_new_empty_profile(candidate, candidate_client, slug):
    response = candidate_client.get(section_url(slug))

    assert response.status_code == 200
    assert CandidateProfile.objects.filter(user=candidate).count() == 1


@pytest.mark.parametrize("slug", SECTION_SLUGS)
def test_every_section_page_opens_on_a_full_profile(candidate_client, full_profile, slug):
    response = candidate_client.get(section_url(slug))

    assert response.status_code == 200
    if slug == "education":
        assert "Hanoi University" in response.content.decode()
    if slug == "basics":
        assert 'value="NGUYEN THI LAN"' in response.content.decode()


@pytest.mark.parametrize("kind", ENTRY_SLUGS)
def test_every_entry_page_opens(candidate_client, full_profile, kind):
    entry = getattr(full_profile, ENTRY_KINDS[kind].related_name).get()

    assert candidate_client.get(reverse("profiles:entry_add", args=[kind])).status_code == 200
    assert candidate_client.get(reverse("profiles:entry_edit", args=[kind, entry.pk])).status_code == 200


def test_an_unknown_section_is_not_found(candidate_client):
    assert candidate_client.get(section_url("religion")).status_code == 404
    assert candidate_client.get(reverse("profiles:entry_add", args=["religion"])).status_code == 404


@pytest.mark.parametrize("slug", FORM_SECTIONS)
def test_saving_a_section_leads_to_the_next(candidate, candidate_client, slug):
    following = SECTION_SLUGS[SECTION_SLUGS.index(slug) + 1 :]
    expected = section_url(following[0]) if following else reverse("profiles:overview")

    response = candidate_client.post(section_url(slug), section_post(slug))

    assert response.status_code == 302
    assert response["Location"] == expected
    saved = candidate_client.get(expected)
    assert "Saved:" in saved.content.decode()


@pytest.mark.parametrize("slug", [s.slug for s in SECTIONS if not s.form_class])
def test_sections_made_of_entries_have_nothing_to_post(candidate_client, slug):
    assert candidate_client.post(section_url(slug), {"school": "x"}).status_code == 404


@pytest.mark.parametrize("kind", ENTRY_SLUGS)
def test_adding_an_entry_returns_to_its_section(candidate, candidate_client, kind):
    profile = CandidateProfileFactory(user=candidate, date_of_birth=years_ago(30))

    response = candidate_client.post(reverse("profiles:entry_add", args=[kind]), entry_post(kind))

    assert response.status_code == 302
    section = next(s.slug for s in SECTIONS if kind in s.entry_kinds)
    assert response["Location"] == section_url(section)
    assert getattr(profile, ENTRY_KINDS[kind].related_name).count() == 1


@pytest.mark.parametrize("kind", ENTRY_SLUGS)
def test_editing_and_removing_own_entries(candidate, candidate_client, full_profile, kind):
    entry = getattr(full_profile, ENTRY_KINDS[kind].related_name).get()
    edit_url = reverse("profiles:entry_edit", args=[kind, entry.pk])
    data = entry_post(kind)
    if kind == "languages":
        data["language"] = "vi"  # editing keeps the same language: not a duplicate
        data["level"] = "business"

    assert candidate_client.post(edit_url, data).status_code == 302
    entry.refresh_from_db()
    if kind == "languages":
        assert entry.level == "business"
    elif kind == "work":
        assert entry.employer_name == "Mandalay Builders"

    response = candidate_client.post(reverse("profiles:entry_delete", args=[kind, entry.pk]))
    assert response.status_code == 302
    assert not type(entry).objects.filter(pk=entry.pk).exists()


# --- Completeness ------------------------------------------------------------------


def test_an_empty_profile_misses_every_required_section(candidate, candidate_client, candidate_profile):
    profile = selectors.profile_for_display(candidate_profile.pk)
    states = selectors.profile_completeness(profile)

    assert selectors.completeness_percent(states) == 0
    required = {s.slug for s in SECTIONS if s.required}
    assert {s.slug for s in selectors.missing_required_sections(profile)} == required
    assert required == {"basics", "address", "status", "japanese", "education", "preferences", "introduction"}

    page = candidate_client.get(reverse("profiles:overview")).content.decode()
    assert "Your profile is 0% complete." in page
    assert "Still missing:" in page
    assert "name in katakana" in page
    assert "at least one school" in page


def test_a_full_profile_is_complete(candidate_client, full_profile):
    profile = selectors.profile_for_display(full_profile.pk)

    assert selectors.completeness_percent(selectors.profile_completeness(profile)) == 100
    assert selectors.missing_required_sections(profile) == []
    page = candidate_client.get(reverse("profiles:overview")).content.decode()
    assert "Your profile is 100% complete." in page
    assert "Still missing:" not in page


def test_optional_sections_do_not_count(candidate_client, full_profile):
    full_profile.work_history.all().delete()
    full_profile.qualifications.all().delete()

    profile = selectors.profile_for_display(full_profile.pk)
    states = {s.slug: s for s in selectors.profile_completeness(profile)}

    assert not states["work"].complete and not states["work"].required
    assert selectors.completeness_percent(list(states.values())) == 100
    page = candidate_client.get(reverse("profiles:overview")).content.decode()
    assert "Your profile is 100% complete." in page
    assert "Optional:" in page


def test_completeness_follows_the_sections_saved(candidate, candidate_client):
    candidate_client.post(section_url("basics"), section_post("basics"))
    candidate_client.post(section_url("address"), section_post("address"))

    profile = selectors.profile_for_display(own_profile(candidate).pk)
    states = {s.slug: s for s in selectors.profile_completeness(profile)}

    assert states["basics"].complete and states["address"].complete
    assert not states["status"].complete
    assert selectors.completeness_percent(list(states.values())) == round(100 * 2 / 7)
    page = candidate_client.get(reverse("profiles:overview")).content.decode()
    assert f"Your profile is {round(100 * 2 / 7)}% complete." in page


def test_status_needs_its_expiry_to_be_complete(full_profile):
    CandidateProfile.objects.filter(pk=full_profile.pk).update(period_of_stay_expiry=None)
    states = {s.slug: s for s in selectors.profile_completeness(selectors.profile_for_display(full_profile.pk))}
    assert [str(m) for m in states["status"].missing] == ["end of your period of stay"]

    CandidateProfile.objects.filter(pk=full_profile.pk).update(
        status=StatusOfResidence.objects.get(code="permanent_resident")
    )
    states = {s.slug: s for s in selectors.profile_completeness(selectors.profile_for_display(full_profile.pk))}
    assert states["status"].complete


def test_someone_living_abroad_needs_no_status(full_profile):
    CandidateProfile.objects.filter(pk=full_profile.pk).update(
        country_of_residence="MM", status=None, period_of_stay_expiry=None
    )
    states = {s.slug: s for s in selectors.profile_completeness(selectors.profile_for_display(full_profile.pk))}
    assert states["status"].complete


# --- The employer preview ----------------------------------------------------------


def test_preview_shows_the_core_profile(candidate_client, full_profile):
    card = profile_card(candidate_client.get(reverse("consents:profile_preview")).content.decode())

    assert "NGUYEN THI LAN" in card
    assert "グエン・ティ・ラン" in card
    assert "Vietnam" in card
    assert f"<dd>{age_on(full_profile.date_of_birth, today())}</dd>" in card
    assert "Engineer/Specialist in Humanities/International Services" in card
    assert "JLPT N2" in card
    assert "Hanoi University" in card
    assert "Cook" in card and "Saigon Kitchen" in card
    assert "Food service (SSW)" in card
    assert full_profile.self_introduction in card
    assert "not verified yet" in card


def test_preview_leaves_out_contact_address_birth_date_and_photo(candidate, candidate_client, full_profile):
    profile_photo_store(profile=full_profile, data=sample_jpeg(), source="upload")
    profile = own_profile(candidate)
    assert profile.photo

    response = candidate_client.get(reverse("consents:profile_preview"))
    page = response.content.decode()
    card = profile_card(page)

    view = response.context["view"]
    assert view.field_groups == ["core"]
    assert (view.email, view.phone, view.address, view.date_of_birth, view.show_photo) == (
        None,
        None,
        None,
        None,
        False,
    )

    assert "NGUYEN THI LAN" in card
    assert candidate.email not in card
    assert "+819012345678" not in card and "9012345678" not in card
    assert "1000013" not in card and "霞が関" not in card and "千代田区" not in card
    assert profile.date_of_birth.isoformat() not in page
    assert f"<dd>{age_on(profile.date_of_birth, today())}</dd>" in card
    assert "<img" not in card
    for size in ("full", "thumb"):
        assert reverse("profiles:photo_own", args=[size]) not in page


# --- Text in every script, and markup shown as text --------------------------------

BURMESE = "မြန်မာစာ"
VIETNAMESE = "Nguyễn Thị Lan"
CHEF = "👩‍🍳"


def test_text_in_any_script_survives_save_and_display(candidate, candidate_client):
    intro = f"{VIETNAMESE} です。{BURMESE} も話せます。料理が好き {CHEF}"
    address = f"No. 12, {BURMESE} Street\nYangon, Myanmar"
    responses = [
        candidate_client.post(section_url("basics"), section_post("basics", name_passport=VIETNAMESE)),
        candidate_client.post(
            section_url("address"),
            section_post("address", where="overseas", overseas_address=address, postal_code=""),
        ),
        candidate_client.post(section_url("introduction"), {"self_introduction": intro}),
        candidate_client.post(
            reverse("profiles:entry_add", args=["work"]),
            entry_post("work", employer_name=f"{BURMESE} {CHEF}", description=f"{CHEF} 調理 {VIETNAMESE}"),
        ),
    ]
    assert [r.status_code for r in responses] == [302] * 4

    profile = own_profile(candidate)
    assert profile.name_passport == VIETNAMESE
    assert profile.overseas_address == address
    assert profile.self_introduction == intro
    work = profile.work_history.get()
    assert work.employer_name == f"{BURMESE} {CHEF}"
    assert work.description == f"{CHEF} 調理 {VIETNAMESE}"

    preview = candidate_client.get(reverse("consents:profile_preview")).content.decode()
    assert VIETNAMESE in preview and intro in preview and f"{CHEF} 調理 {VIETNAMESE}" in preview
    assert f"{BURMESE} {CHEF}" in candidate_client.get(section_url("work")).content.decode()
    assert intro in candidate_client.get(section_url("introduction")).content.decode()
    assert BURMESE in candidate_client.get(section_url("address")).content.decode()


SCRIPT = "<script>alert(1)</script>"
ESCAPED = escape(SCRIPT)


def test_markup_in_the_self_introduction_is_shown_as_text(candidate, candidate_client, full_profile):
    response = candidate_client.post(section_url("introduction"), {"self_introduction": f"Hello {SCRIPT}"})
    assert response.status_code == 302
    assert own_profile(candidate).self_introduction == f"Hello {SCRIPT}"

    for url in (reverse("consents:profile_preview"), section_url("introduction")):
        page = candidate_client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert ESCAPED in page, url
    assert SCRIPT not in candidate_client.get(reverse("profiles:overview")).content.decode()


def test_markup_in_a_work_description_is_shown_as_text(candidate, candidate_client, full_profile):
    work = full_profile.work_history.get()
    response = candidate_client.post(
        reverse("profiles:entry_edit", args=["work", work.pk]),
        entry_post("work", description=f"Cooked.\n{SCRIPT}", employer_name=f"{SCRIPT} Ltd"),
    )
    assert response.status_code == 302

    for url in (
        reverse("consents:profile_preview"),
        section_url("work"),
        reverse("profiles:entry_edit", args=["work", work.pk]),
    ):
        page = candidate_client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert ESCAPED in page, url
    assert SCRIPT not in candidate_client.get(reverse("profiles:overview")).content.decode()


# --- Entries are the candidate's own ----------------------------------------------


@pytest.mark.parametrize("kind", ENTRY_SLUGS)
def test_another_candidates_entry_cannot_be_seen_changed_or_removed(
    candidate_client, other_candidate, candidate_profile, kind
):
    others = FullCandidateProfileFactory(user=other_candidate)
    entry = getattr(others, ENTRY_KINDS[kind].related_name).get()
    before = {f.name: getattr(entry, f.name) for f in type(entry)._meta.concrete_fields}
    edit_url = reverse("profiles:entry_edit", args=[kind, entry.pk])
    delete_url = reverse("profiles:entry_delete", args=[kind, entry.pk])

    assert candidate_client.get(edit_url).status_code == 404
    assert candidate_client.post(edit_url, entry_post(kind)).status_code == 404
    assert candidate_client.post(delete_url).status_code == 404

    entry.refresh_from_db()
    assert {f.name: getattr(entry, f.name) for f in type(entry)._meta.concrete_fields} == before
    # Nor was a copy made on the candidate's own profile.
    assert getattr(candidate_profile, ENTRY_KINDS[kind].related_name).count() == 0


@pytest.mark.parametrize("kind", ENTRY_SLUGS)
def test_removing_an_entry_needs_a_post(candidate_client, full_profile, kind):
    entry = getattr(full_profile, ENTRY_KINDS[kind].related_name).get()

    response = candidate_client.get(reverse("profiles:entry_delete", args=[kind, entry.pk]))

    assert response.status_code == 405
    assert type(entry).objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("persona", ["employer_admin", "employer_recruiter", "coordinator", "support"])
def test_profile_pages_are_for_candidates_only(persona, persona_client, persona_user):
    client = persona_client(persona)
    urls = [
        reverse("profiles:overview"),
        reverse("consents:profile_preview"),
        *[section_url(slug) for slug in SECTION_SLUGS],
        *[reverse("profiles:entry_add", args=[kind]) for kind in ENTRY_SLUGS],
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(section_url("basics"), section_post("basics")).status_code == 403
    assert not CandidateProfile.objects.filter(user=persona_user(persona)).exists()


# --- Never collected (Employment Security Act Art. 5-5, MHLW guidelines) ---------

FORBIDDEN_FIELD_WORDS = [
    "domicile",
    "honseki",
    "birthplace",
    "birth_place",
    "religion",
    "belief",
    "union",
    "health",
    "disability",
    "criminal",
    "race",
    "ethnic",
    "card_number",
    "residence_card",
]


def test_no_model_of_the_profiles_app_has_a_field_for_what_must_not_be_collected():
    models = list(apps.get_app_config("profiles").get_models())
    assert CandidateProfile in models and len(models) >= 10

    offending = [
        f"{model.__name__}.{field.name}"
        for model in models
        for field in model._meta.get_fields()
        if any(word in field.name.lower() for word in FORBIDDEN_FIELD_WORDS)
    ]

    assert offending == []


def test_the_self_introduction_tells_what_not_to_write(candidate_client):
    help_text = str(IntroductionForm().fields["self_introduction"].help_text)
    assert "本籍" in help_text
    assert "religion" in help_text
    assert "union membership" in help_text

    page = candidate_client.get(section_url("introduction")).content.decode()
    assert "本籍" in page and "religion" in page


def test_the_services_refuse_to_write_another_candidates_profile(other_candidate, full_profile):
    entry = full_profile.work_history.get()
    before = full_profile.name_passport

    with pytest.raises(PermissionDenied):
        services.profile_update(actor=other_candidate, profile=full_profile, data={"name_passport": "TAKEN OVER"})
    with pytest.raises(PermissionDenied):
        services.profile_entry_delete(actor=other_candidate, profile=full_profile, entry=entry)

    full_profile.refresh_from_db()
    assert full_profile.name_passport == before
    assert full_profile.work_history.filter(pk=entry.pk).exists()
