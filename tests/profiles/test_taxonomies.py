"""The domain taxonomies as loaded by migration 0002 (../shared/domain/japan.md),
their labels in each language, `manage.py load_taxonomies`, and retiring an
entry: no longer offered, but kept on the profiles that have it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from profiles.models import (
    CandidateProfile,
    EmploymentType,
    JapaneseLevel,
    JapaneseTest,
    JobCategory,
    Prefecture,
    QualificationKind,
    StatusOfResidence,
    WorkRule,
)
from tests.profiles.factories import (
    CandidateProfileFactory,
    FullCandidateProfileFactory,
    QualificationFactory,
    entry_post,
    from_today,
    section_post,
)

pytestmark = pytest.mark.django_db

# The 16 Specified Skilled Worker fields (cabinet decision 29 Mar 2024), in
# Japanese, and the 5 without SSW (ii).
SSW_FIELDS_JA = {
    "介護",
    "ビルクリーニング",
    "工業製品製造業",
    "建設",
    "造船・舶用工業",
    "自動車整備",
    "航空",
    "宿泊",
    "農業",
    "漁業",
    "飲食料品製造業",
    "外食業",
    "自動車運送業",
    "鉄道",
    "林業",
    "木材産業",
}
NO_SSW_II_JA = {"介護", "自動車運送業", "鉄道", "林業", "木材産業"}


def field_name_ja(category: JobCategory) -> str:
    return category.label_ja.replace("（特定技能）", "")


# --- Statuses of residence ------------------------------------------------------------


def status(code: str) -> StatusOfResidence:
    return StatusOfResidence.objects.get(code=code)


@pytest.mark.parametrize(
    ("code", "official_ja", "rule"),
    [
        ("permanent_resident", "永住者", WorkRule.UNRESTRICTED),
        ("spouse_of_japanese", "日本人の配偶者等", WorkRule.UNRESTRICTED),
        ("spouse_of_permanent_resident", "永住者の配偶者等", WorkRule.UNRESTRICTED),
        ("long_term_resident", "定住者", WorkRule.UNRESTRICTED),
        ("engineer_humanities", "技術・人文知識・国際業務", WorkRule.WITHIN_SCOPE),
        ("nursing_care", "介護", WorkRule.WITHIN_SCOPE),
        ("skilled_labor", "技能", WorkRule.WITHIN_SCOPE),
        ("ssw_1", "特定技能1号", WorkRule.WITHIN_SCOPE),
        ("ssw_2", "特定技能2号", WorkRule.WITHIN_SCOPE),
        ("technical_intern_1", "技能実習1号", WorkRule.WITHIN_SCOPE),
        ("highly_skilled_2", "高度専門職2号", WorkRule.WITHIN_SCOPE),
        ("designated_activities", "特定活動", WorkRule.DESIGNATION),
        ("student", "留学", WorkRule.NOT_PERMITTED),
        ("dependent", "家族滞在", WorkRule.NOT_PERMITTED),
        ("cultural_activities", "文化活動", WorkRule.NOT_PERMITTED),
        ("temporary_visitor", "短期滞在", WorkRule.NOT_PERMITTED),
    ],
)
def test_statuses_carry_their_work_rule(code, official_ja, rule):
    s = status(code)
    assert s.label_ja_official == official_ja
    assert s.work_rule == rule
    assert s.active


def test_every_status_of_the_immigration_act_is_there():
    official = set(StatusOfResidence.objects.values_list("label_ja_official", flat=True))
    # Appended Tables I and II: 29 statuses, counting HSP, SSW and TITP once each.
    for name in [
        "外交",
        "公用",
        "教授",
        "芸術",
        "宗教",
        "報道",
        "経営・管理",
        "法律・会計業務",
        "医療",
        "研究",
        "教育",
        "技術・人文知識・国際業務",
        "企業内転勤",
        "介護",
        "興行",
        "技能",
        "文化活動",
        "短期滞在",
        "留学",
        "研修",
        "家族滞在",
        "特定活動",
        "永住者",
        "日本人の配偶者等",
        "永住者の配偶者等",
        "定住者",
    ]:
        assert name in official, name
    assert {"高度専門職1号イ", "高度専門職1号ロ", "高度専門職1号ハ", "高度専門職2号"} <= official
    assert {"技能実習1号", "技能実習2号", "技能実習3号"} <= official


@pytest.mark.parametrize("code", ["student", "dependent"])
def test_students_and_dependents_may_work_28_hours_with_permission(code):
    assert status(code).part_time_hours_limit == 28


def test_work_without_limits_has_no_hours_limit():
    for code in ("permanent_resident", "engineer_humanities", "ssw_1"):
        assert status(code).part_time_hours_limit is None


def test_ssw_i_covers_the_16_fields_and_ssw_ii_exactly_11():
    ssw_1 = {field_name_ja(c) for c in status("ssw_1").job_categories.all()}
    ssw_2 = {field_name_ja(c) for c in status("ssw_2").job_categories.all()}

    assert ssw_1 == SSW_FIELDS_JA
    assert len(ssw_2) == 11
    assert ssw_2 == SSW_FIELDS_JA - NO_SSW_II_JA


def test_employment_for_skill_development_waits_for_2027():
    """育成就労 (Act No. 60 of 2024) is in force from 1 Apr 2027."""
    future = StatusOfResidence.objects.get(label_ja_official="育成就労")
    assert future.active is False
    assert future.work_rule == WorkRule.WITHIN_SCOPE
    assert future not in StatusOfResidence.objects.filter(active=True)


# --- Job categories, Japanese tests, prefectures ------------------------------------------


def test_16_ssw_fields_of_which_11_allow_ssw_ii():
    fields = JobCategory.objects.filter(is_ssw_field=True)

    assert {field_name_ja(c) for c in fields} == SSW_FIELDS_JA
    assert fields.count() == 16
    assert {field_name_ja(c) for c in fields.filter(ssw_ii_allowed=True)} == SSW_FIELDS_JA - NO_SSW_II_JA
    assert not JobCategory.objects.filter(is_ssw_field=False, ssw_ii_allowed=True).exists()


def test_every_ssw_field_has_its_skills_test():
    tests = QualificationKind.objects.filter(group="ssw_skills_test")
    assert {t.job_category for t in tests} == set(JobCategory.objects.filter(is_ssw_field=True))
    assert QualificationKind.objects.get(code="other").free_text


def levels(test_code: str) -> dict[str, int]:
    return {
        level.label_ja: level.scale
        for level in JapaneseLevel.objects.filter(test=JapaneseTest.objects.get(code=test_code))
    }


def test_jlpt_levels_on_the_common_scale():
    assert levels("jlpt") == {"N1": 5, "N2": 4, "N3": 3, "N4": 2, "N5": 1}


def test_jft_basic_a1_and_a2():
    scales = {level.code: level.scale for level in JapaneseLevel.objects.filter(test__code="jft_basic")}
    assert scales == {"jft_a1": 1, "jft_a2": 2}
    assert "200" in JapaneseLevel.objects.get(code="jft_a2").label_en  # the SSW threshold


def test_bjt_j5_to_j1_plus():
    bjt = {level.code: level.scale for level in JapaneseLevel.objects.filter(test__code="bjt")}
    assert bjt == {"bjt_j5": 1, "bjt_j4": 2, "bjt_j3": 3, "bjt_j2": 4, "bjt_j1": 5, "bjt_j1plus": 5}
    assert "600–800" in JapaneseLevel.objects.get(code="bjt_j1plus").label_en


def test_nat_test_grades_match_jlpt():
    nat = {level.label_ja: level.scale for level in JapaneseLevel.objects.filter(test__code="nat_test")}
    assert nat == {"NAT-TEST 5級": 1, "NAT-TEST 4級": 2, "NAT-TEST 3級": 3, "NAT-TEST 2級": 4, "NAT-TEST 1級": 5}


def test_47_prefectures_with_their_jis_codes():
    prefectures = Prefecture.objects.all()

    assert prefectures.count() == 47
    assert [p.code for p in prefectures] == [f"{n:02d}" for n in range(1, 48)]
    assert (Prefecture.objects.get(code="13").label_en, Prefecture.objects.get(code="13").label_ja) == (
        "Tokyo",
        "東京都",
    )
    assert Prefecture.objects.get(code="01").label_ja == "北海道"
    assert Prefecture.objects.get(code="27").label_ja == "大阪府"
    assert Prefecture.objects.get(code="47").label_ja == "沖縄県"


# --- Labels follow the language -----------------------------------------------------------


def test_labels_follow_the_active_language():
    tokyo = Prefecture.objects.get(code="13")
    engineer = status("engineer_humanities")

    with translation.override("ja"):
        assert (tokyo.label, str(tokyo)) == ("東京都", "東京都")
        assert engineer.label == "技術・人文知識・国際業務"
    with translation.override("en"):
        assert (tokyo.label, str(tokyo)) == ("Tokyo", "Tokyo")
        assert engineer.label == "Engineer/Specialist in Humanities/International Services"


def test_a_language_without_labels_falls_back_to_english():
    with translation.override("vi"):
        assert Prefecture.objects.get(code="13").label == "Tokyo"


def test_pages_show_the_labels_of_the_language_in_the_address(candidate, persona_client):
    FullCandidateProfileFactory(user=candidate)
    client = persona_client("candidate")

    with translation.override("ja"):
        ja = client.get(reverse("consents:profile_preview")).content.decode()
        ja_status_form = client.get(reverse("profiles:section", args=["status"])).content.decode()
    with translation.override("en"):
        en = client.get(reverse("consents:profile_preview")).content.decode()

    assert "技術・人文知識・国際業務" in ja and "外食業（特定技能）" in ja
    assert "技術・人文知識・国際業務" in ja_status_form  # the options of the status form
    assert "Engineer/Specialist in Humanities/International Services" in en and "Food service (SSW)" in en
    assert "技術・人文知識・国際業務" not in en


# --- load_taxonomies ------------------------------------------------------------------


TAXONOMY_MODELS = [
    StatusOfResidence,
    JobCategory,
    JapaneseTest,
    JapaneseLevel,
    QualificationKind,
    Prefecture,
    EmploymentType,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TAXONOMY_MODELS}


def test_load_taxonomies_adds_nothing_to_a_loaded_database():
    before = counts()
    out = StringIO()

    call_command("load_taxonomies", stdout=out)

    assert counts() == before
    assert "Nothing to add" in out.getvalue()


def test_load_taxonomies_never_overwrites_what_staff_changed():
    StatusOfResidence.objects.filter(code="student").update(
        label_en="Student (college or university)", part_time_hours_limit=20, active=False
    )
    StatusOfResidence.objects.filter(label_ja_official="育成就労").update(active=True)
    Prefecture.objects.filter(code="13").update(label_ja="東京")
    ssw_2 = status("ssw_2")
    ssw_2.job_categories.remove(JobCategory.objects.get(code="ssw_aviation"))

    call_command("load_taxonomies", stdout=StringIO())

    student = status("student")
    assert (student.label_en, student.part_time_hours_limit, student.active) == (
        "Student (college or university)",
        20,
        False,
    )
    assert StatusOfResidence.objects.get(label_ja_official="育成就労").active is True
    assert Prefecture.objects.get(code="13").label_ja == "東京"
    assert status("ssw_2").job_categories.count() == 10


def test_load_taxonomies_adds_only_what_is_missing():
    EmploymentType.objects.filter(code="dispatch").delete()
    EmploymentType.objects.filter(code="contract").update(label_en="Fixed-term contract")
    before = counts()
    out = StringIO()

    call_command("load_taxonomies", stdout=out)

    assert counts() == {**before, "EmploymentType": before["EmploymentType"] + 1}
    assert "EmploymentType: 1 added" in out.getvalue()
    assert EmploymentType.objects.get(code="dispatch").label_ja == "派遣社員"
    assert EmploymentType.objects.get(code="contract").label_en == "Fixed-term contract"


# --- Retiring an entry ---------------------------------------------------------------------


def retire(model, code: str):
    model.objects.filter(code=code).update(active=False)
    return model.objects.get(code=code)


def test_a_retired_status_is_no_longer_offered(candidate, persona_client):
    intern = retire(StatusOfResidence, "technical_intern_1")
    client = persona_client("candidate")

    page = client.get(reverse("profiles:section", args=["status"]))

    assert intern not in page.context["form"].fields["status"].queryset
    assert f'value="{intern.pk}"' not in page.content.decode()
    assert status("engineer_humanities") in page.context["form"].fields["status"].queryset

    response = client.post(reverse("profiles:section", args=["status"]), section_post("status", status=intern.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert CandidateProfile.objects.get(user=candidate).status is None


def test_a_profile_with_a_retired_status_keeps_and_shows_it(candidate, persona_client):
    intern = status("technical_intern_2")
    FullCandidateProfileFactory(user=candidate, status=intern)
    retire(StatusOfResidence, "technical_intern_2")
    client = persona_client("candidate")

    assert "Technical Intern Training (ii)" in client.get(reverse("consents:profile_preview")).content.decode()
    form_page = client.get(reverse("profiles:section", args=["status"])).content.decode()
    assert f'<option value="{intern.pk}" selected>' in form_page

    # Correcting only the end of the period of stay keeps the status.
    later = from_today(500)
    response = client.post(
        reverse("profiles:section", args=["status"]),
        section_post("status", status=intern.pk, period_of_stay_expiry=later),
    )

    assert response.status_code == 302
    profile = CandidateProfile.objects.get(user=candidate)
    assert (profile.status, profile.period_of_stay_expiry) == (intern, later)


def test_retired_preferences_survive_saving_the_preferences_again(candidate, persona_client):
    profile = FullCandidateProfileFactory(user=candidate)
    retire(JobCategory, "hotel_guest_services")
    retire(EmploymentType, "full_time")
    client = persona_client("candidate")

    page = client.get(reverse("profiles:section", args=["preferences"])).content.decode()
    hotel = JobCategory.objects.get(code="hotel_guest_services")
    assert f'value="{hotel.pk}"' in page  # still ticked on this profile

    data = section_post(
        "preferences",
        desired_categories=list(profile.desired_categories.values_list("pk", flat=True)),
        desired_employment_types=list(profile.desired_employment_types.values_list("pk", flat=True)),
        expected_salary="280000",
    )
    assert client.post(reverse("profiles:section", args=["preferences"]), data).status_code == 302

    profile.refresh_from_db()
    assert profile.expected_salary == 280_000
    assert set(profile.desired_categories.values_list("code", flat=True)) == {
        "ssw_food_service",
        "hotel_guest_services",
    }
    assert set(profile.desired_employment_types.values_list("code", flat=True)) == {"full_time"}

    # Another candidate is not offered them.
    fresh = persona_client("other_candidate").get(reverse("profiles:section", args=["preferences"]))
    assert hotel not in fresh.context["form"].fields["desired_categories"].queryset


def test_an_entry_with_a_retired_kind_can_still_be_edited(candidate, persona_client):
    profile = CandidateProfileFactory(user=candidate)
    licence = QualificationFactory(profile=profile, kind=QualificationKind.objects.get(code="licence_foreign"))
    retire(QualificationKind, "licence_foreign")
    client = persona_client("candidate")

    response = client.post(
        reverse("profiles:entry_edit", args=["qualifications", licence.pk]),
        entry_post("qualifications", kind=licence.kind_id, obtained_on=from_today(-10)),
    )

    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.kind.code == "licence_foreign"
    assert licence.obtained_on == from_today(-10)
    add_page = client.get(reverse("profiles:entry_add", args=["qualifications"]))
    assert licence.kind not in add_page.context["form"].fields["kind"].queryset
