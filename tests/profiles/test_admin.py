"""The Django admin for staff (signed in with MFA): what candidates entered
about themselves cannot be changed, added or deleted there (they correct it
themselves; erasure goes through the privacy-rights flow), while the
taxonomies are staff's to keep up to date."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.urls import reverse

from profiles.models import CandidateProfile, JobCategory, Prefecture, StatusOfResidence
from tests.profiles.factories import FullCandidateProfileFactory

pytestmark = pytest.mark.django_db

# Every field the candidate fills in (profiles.forms), and the ones staff set
# through their own pages (moderation, verification), not through the admin.
CANDIDATE_FIELDS = [
    "name_passport",
    "name_kana",
    "nationality",
    "country_of_residence",
    "date_of_birth",
    "gender",
    "phone",
    "postal_code",
    "prefecture",
    "city",
    "street",
    "overseas_address",
    "status",
    "period_of_stay_expiry",
    "outside_activity_permission",
    "outside_activity_hours",
    "japanese_speaking",
    "desired_categories",
    "desired_prefectures",
    "desired_employment_types",
    "expected_salary",
    "expected_salary_period",
    "earliest_start_date",
    "open_to_proposals",
    "self_introduction",
    "self_introduction_hidden",
    "status_verified_at",
    "status_verified_by",
    "status_verification_method",
    "photo",
]


@pytest.fixture
def profile(candidate):
    return FullCandidateProfileFactory(user=candidate)


@pytest.fixture
def coordinator_client(persona_client):
    return persona_client("coordinator")


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:profiles_{name}", args=args)


def snapshot(profile: CandidateProfile) -> dict:
    profile = CandidateProfile.objects.get(pk=profile.pk)
    values = {f.name: getattr(profile, f.name) for f in CandidateProfile._meta.concrete_fields}
    for m2m in ("desired_categories", "desired_prefectures", "desired_employment_types"):
        values[m2m] = set(getattr(profile, m2m).values_list("pk", flat=True))
    return values


def editable_controls(html: str) -> set[str]:
    """Names of the form controls on a page (inputs, selects, text areas)."""
    return set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', html))


def tampered(profile: CandidateProfile) -> dict:
    return {
        "name_passport": "CHANGED BY STAFF",
        "name_kana": "カエタ",
        "date_of_birth": "1990-01-01",
        "phone": "+819000000000",
        "city": "Changed",
        "self_introduction": "Changed by staff.",
        "status": StatusOfResidence.objects.get(code="permanent_resident").pk,
        "status_verified_at_0": "2020-01-01",
        "status_verified_at_1": "00:00:00",
        "_save": "Save",
    }


# --- Candidate profiles --------------------------------------------------------------


def test_a_coordinator_can_list_candidate_profiles(coordinator_client, profile):
    response = coordinator_client.get(admin_url("candidateprofile_changelist"))

    assert response.status_code == 200
    assert admin_url("candidateprofile_change", profile.pk) in response.content.decode()


def test_the_change_page_offers_nothing_the_candidate_entered_to_edit(coordinator_client, profile):
    response = coordinator_client.get(admin_url("candidateprofile_change", profile.pk), follow=True)

    assert response.status_code == 200
    controls = editable_controls(response.content.decode())
    assert not controls & set(CANDIDATE_FIELDS), controls & set(CANDIDATE_FIELDS)


@pytest.mark.parametrize("with_change_permission", [False, True], ids=["as-configured", "even-with-change-permission"])
def test_posting_a_change_does_not_alter_the_profile(coordinator_client, coordinator, profile, with_change_permission):
    if with_change_permission:
        # Should a group ever be given the permission, the data stays read-only.
        coordinator.user_permissions.add(Permission.objects.get(codename="change_candidateprofile"))
    before = snapshot(profile)

    response = coordinator_client.post(admin_url("candidateprofile_change", profile.pk), tampered(profile))

    assert response.status_code in (200, 302, 403)
    assert snapshot(profile) == before


def test_a_coordinator_cannot_add_a_profile(coordinator_client, coordinator, other_candidate):
    coordinator.user_permissions.add(Permission.objects.get(codename="add_candidateprofile"))
    count = CandidateProfile.objects.count()

    assert coordinator_client.get(admin_url("candidateprofile_add")).status_code == 403
    response = coordinator_client.post(
        admin_url("candidateprofile_add"), {"user": other_candidate.pk, "name_passport": "MADE BY STAFF"}
    )

    assert response.status_code == 403
    assert CandidateProfile.objects.count() == count


@pytest.mark.parametrize("with_delete_permission", [False, True])
def test_a_coordinator_cannot_delete_a_profile(coordinator_client, coordinator, profile, with_delete_permission):
    if with_delete_permission:
        coordinator.user_permissions.add(Permission.objects.get(codename="delete_candidateprofile"))

    assert coordinator_client.get(admin_url("candidateprofile_delete", profile.pk)).status_code == 403
    assert coordinator_client.post(admin_url("candidateprofile_delete", profile.pk), {"post": "yes"}).status_code == 403
    bulk = coordinator_client.post(
        admin_url("candidateprofile_changelist"),
        {"action": "delete_selected", "_selected_action": [profile.pk], "post": "yes"},
    )

    assert bulk.status_code in (200, 302, 403)
    assert CandidateProfile.objects.filter(pk=profile.pk).exists()


# --- Taxonomies ---------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """The admin change form as the browser would post it back, unchanged."""
    form = response.context["adminform"].form
    data = {"_save": "Save"}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = "" if value is None else value
    return data


def test_a_coordinator_can_edit_a_taxonomy_label(coordinator_client):
    tokyo = Prefecture.objects.get(code="13")
    url = admin_url("prefecture_change", tokyo.pk)
    data = admin_form_data(coordinator_client.get(url))

    response = coordinator_client.post(url, {**data, "label_en": "Tokyo Metropolis", "code": "99"})

    assert response.status_code == 302
    tokyo.refresh_from_db()
    assert tokyo.label_en == "Tokyo Metropolis"
    assert tokyo.label_ja == "東京都"
    assert tokyo.code == "13"  # codes are referenced by rules and data: fixed once created


def test_a_coordinator_can_retire_a_status_keeping_its_rules(coordinator_client):
    ssw_2 = StatusOfResidence.objects.get(code="ssw_2")
    categories = set(ssw_2.job_categories.values_list("pk", flat=True))
    url = admin_url("statusofresidence_change", ssw_2.pk)
    data = admin_form_data(coordinator_client.get(url))
    data.pop("active", None)

    response = coordinator_client.post(url, {**data, "label_en": "Specified Skilled Worker (ii) — edited"})

    assert response.status_code == 302
    ssw_2.refresh_from_db()
    assert ssw_2.label_en == "Specified Skilled Worker (ii) — edited"
    assert ssw_2.active is False
    assert set(ssw_2.job_categories.values_list("pk", flat=True)) == categories
    assert ssw_2.work_rule == "within_scope"


def test_taxonomy_entries_are_retired_not_deleted(coordinator_client, coordinator):
    coordinator.user_permissions.add(Permission.objects.get(codename="delete_jobcategory"))
    category = JobCategory.objects.get(code="cleaning")

    response = coordinator_client.post(admin_url("jobcategory_delete", category.pk), {"post": "yes"})

    assert response.status_code == 403
    assert JobCategory.objects.filter(pk=category.pk).exists()


def test_support_cannot_change_a_taxonomy(persona_client):
    client = persona_client("support")
    tokyo = Prefecture.objects.get(code="13")
    data = {"label_en": "Changed by support", "label_ja": "東京都", "sort_order": "12", "active": "on", "_save": "Save"}

    response = client.post(admin_url("prefecture_change", tokyo.pk), data)

    assert response.status_code == 403
    tokyo.refresh_from_db()
    assert tokyo.label_en == "Tokyo"
    page = client.get(admin_url("prefecture_change", tokyo.pk))
    assert page.status_code == 403 or 'name="label_en"' not in page.content.decode()


@pytest.mark.parametrize("persona", ["candidate", "employer_admin", "anonymous"])
def test_the_admin_is_closed_to_everyone_else(persona, persona_client, profile):
    client = persona_client(persona)
    tokyo = Prefecture.objects.get(code="13")

    for url in (admin_url("candidateprofile_changelist"), admin_url("prefecture_change", tokyo.pk)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/staff/admin/" not in response["Location"] or "login" in response["Location"]
    client.post(admin_url("prefecture_change", tokyo.pk), {"label_en": "Hacked", "label_ja": "x", "_save": "Save"})
    tokyo.refresh_from_db()
    assert tokyo.label_en == "Tokyo"
