"""Reference data in every language: statuses of residence, SSW fields, job
categories, employment types, prefectures, Japanese tests and their levels
and qualifications carry a
label per language (profiles/taxonomy_i18n), staff may change them, and the
pages show the label of the page's language."""

import json

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from profiles.models import (
    EmploymentType,
    JapaneseLevel,
    JapaneseTest,
    JobCategory,
    Prefecture,
    QualificationKind,
    StatusOfResidence,
)
from profiles.taxonomy import CORRECTED_LABELS, I18N_DIR, correct_taxonomy_labels, load_taxonomy_labels

pytestmark = pytest.mark.django_db
LANGUAGES = ["vi", "zh_hans", "id", "ne", "my", "tl"]
TRANSLATED_MODELS = [
    StatusOfResidence,
    JobCategory,
    EmploymentType,
    Prefecture,
    JapaneseTest,
    JapaneseLevel,
    QualificationKind,
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", TRANSLATED_MODELS, ids=lambda m: m.__name__)
def test_every_entry_has_a_label_in_every_language(model, language):
    missing = list(model.objects.filter(**{f"label_{language}": ""}).values_list("code", flat=True))
    assert not missing, f"{model.__name__} without label_{language}: {missing}"


def test_the_data_files_name_only_existing_entries():
    for path in I18N_DIR.glob("*.json"):
        for model_name, labels in json.loads(path.read_text(encoding="utf-8")).items():
            model = apps.get_model("profiles", model_name)
            unknown = set(labels) - set(model.objects.values_list("code", flat=True))
            assert not unknown, (path.name, model_name, unknown)
            assert all(label.strip() and label != code for code, label in labels.items())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Specified Skilled Worker (i)"),
        ("ja", "特定技能1号"),
        ("vi", "Kỹ năng đặc định số 1"),
        ("zh-hans", "特定技能1号"),
        ("my", "သတ်မှတ်ကျွမ်းကျင်လုပ်သား (i)"),
        ("ne", "विशिष्ट सीपयुक्त कामदार (i)"),
    ],
)
def test_label_follows_the_active_language(language, expected):
    status = StatusOfResidence.objects.get(code="ssw_1")
    with translation.override(language):
        assert status.label == expected
        assert str(status) == expected


def test_an_empty_label_falls_back_to_english_never_to_the_code():
    tokyo = Prefecture.objects.get(code="13")
    with translation.override("my"):
        assert tokyo.label == "တိုကျို"
    tokyo.label_my = ""
    with translation.override("my"):
        assert tokyo.label == "Tokyo"
    with translation.override("zh-hans"):
        assert tokyo.label == "东京都"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ne", "ओसाका"), ("my", "အိုဆာကာ"), ("vi", "Osaka"), ("zh-hans", "大阪府")],
)
def test_prefectures_are_named_in_the_language(language, expected):
    with translation.override(language):
        assert Prefecture.objects.get(code="27").label == expected


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("vi", "jft_a2", "JFT-Basic A2 (từ 200 điểm)"),
        ("zh-hans", "bjt_j2", "BJT J2 (420–529分)"),
        ("ne", "nat_3", "NAT-TEST ग्रेड 3"),
        ("my", "jlpt_n2", "JLPT N2"),
        ("tl", "bjt_j1plus", "BJT J1+ (600–800 puntos)"),
    ],
)
def test_japanese_test_levels_are_in_the_language(language, code, expected):
    with translation.override(language):
        assert JapaneseLevel.objects.get(code=code).label == expected


def test_a_corrected_label_replaces_only_the_shipped_one():
    (model_name, code, field), (shipped, corrected) = next(iter(CORRECTED_LABELS.items()))
    entry = apps.get_model("profiles", model_name).objects.get(code=code)
    setattr(entry, field, shipped)
    entry.save()
    assert correct_taxonomy_labels(apps) == 1
    entry.refresh_from_db()
    assert getattr(entry, field) == corrected

    setattr(entry, field, "Lisensya (isinulat ng staff)")
    entry.save()
    assert correct_taxonomy_labels(apps) == 0
    entry.refresh_from_db()
    assert getattr(entry, field) == "Lisensya (isinulat ng staff)"


def test_a_label_staff_wrote_is_kept_when_the_data_is_loaded_again():
    status = StatusOfResidence.objects.get(code="student")
    status.label_tl = "Estudyante (Ryugaku)"
    status.save()
    load_taxonomy_labels(apps)
    status.refresh_from_db()
    assert status.label_tl == "Estudyante (Ryugaku)"


def test_staff_edit_the_labels_in_the_admin(coordinator):
    coordinator.is_staff = True
    coordinator.is_superuser = True
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    status = StatusOfResidence.objects.get(code="student")
    page = client.get(f"/en/staff/admin/profiles/statusofresidence/{status.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for language in LANGUAGES:
        assert f'name="label_{language}"' in html


def test_the_profile_form_offers_statuses_in_burmese(candidate):
    client = Client()
    client.force_login(candidate)
    page = client.get("/my/profile/status/").content.decode()
    assert "သတ်မှတ်ကျွမ်းကျင်လုပ်သား (i)" in page
    assert "Specified Skilled Worker (i)" not in page
