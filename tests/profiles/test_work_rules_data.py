"""The work rules as loaded by migration profiles.0005 (work_rules_data.py):
every row has its source and the date it was last checked, unsure rows say
so, the SSW field table has what each field needs, and `load_taxonomies`
adds missing rules without ever overwriting what staff changed."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from profiles import work_rules_data
from profiles.models import (
    JapaneseLevel,
    JapaneseTest,
    JobCategory,
    QualificationKind,
    SponsorshipRoute,
    SSWFieldRequirement,
    StatusOfResidence,
    StatusRule,
    WorkRule,
)
from profiles.taxonomy import apply_route_forms, correct_work_rules

pytestmark = pytest.mark.django_db

NO_WORK = {
    "designated_activities",
    "cultural_activities",
    "trainee",
    "temporary_visitor",
    "diplomat",
    "official",
}


def all_rule_rows():
    return [*StatusRule.objects.all(), *SSWFieldRequirement.objects.all(), *SponsorshipRoute.objects.all()]


def test_every_rule_has_a_source_and_a_date_and_unsure_ones_say_why():
    rows = all_rule_rows()

    assert len(rows) > 40
    for row in rows:
        assert row.source.strip(), row
        assert row.checked_on is not None, row
        if row.unconfirmed:
            assert "[M] unconfirmed" in row.note, row


def test_statuses_without_a_rule_are_exactly_those_that_allow_no_work():
    without = set(StatusOfResidence.objects.filter(rules__isnull=True).values_list("code", flat=True))

    assert without == NO_WORK


def test_unrestricted_statuses_allow_any_kind_of_work_and_permission_statuses_28_hours():
    for status in StatusOfResidence.objects.filter(work_rule=WorkRule.UNRESTRICTED):
        assert [r.any_kind_of_work for r in status.rules.all()] == [True], status
    for code in ("student", "dependent", "designated_activities_job_hunting"):
        rule = StatusRule.objects.get(status__code=code)
        assert (rule.needs_permission, rule.max_weekly_hours, rule.excludes_adult_entertainment) == (True, 28, True)
        assert not rule.employment_types.exists()  # the contract type is free


def test_trainees_and_transferees_are_bound_and_the_designations_are_modelled():
    for code in ("technical_intern_1", "technical_intern_2", "technical_intern_3"):
        rule = StatusRule.objects.get(status__code=code)
        assert (rule.employer_bound, rule.change_blocked) == (True, True)
    transferee = StatusRule.objects.get(status__code="intra_company_transferee")
    assert (transferee.employer_bound, transferee.change_blocked) == (True, False)
    designations = set(StatusOfResidence.objects.filter(label_ja_official="特定活動").values_list("code", flat=True))
    assert designations == {
        "designated_activities",
        "designated_activities_job_hunting",
        "designated_activities_working_holiday",
        "designated_activities_no46",
    }


def test_ssw_field_requirements():
    fields = {f.field.code: f for f in SSWFieldRequirement.objects.select_related("field", "skills_test")}

    assert set(fields) == set(JobCategory.objects.filter(is_ssw_field=True).values_list("code", flat=True))
    for code, requirement in fields.items():
        assert requirement.skills_test.job_category.code == code
        assert requirement.japanese_scale >= 2  # JLPT N4 / JFT-Basic A2 at least
        assert (requirement.ssw_ii_test is not None) == requirement.field.ssw_ii_allowed
    assert {c for c, f in fields.items() if f.dispatch_allowed} == {"ssw_agriculture", "ssw_fishery"}
    assert fields["ssw_automobile_transport"].japanese_scale == 3  # taxi and bus: JLPT N3
    assert fields["ssw_railway"].japanese_scale == 3  # station and train staff: JLPT N3
    assert fields["ssw_nursing_care"].extra_qualification.code == "nursing_care_japanese_test"
    assert {c for c, f in fields.items() if f.japanese_scale_ii} == {"ssw_food_service", "ssw_fishery"}


def test_only_jlpt_and_jft_basic_count_for_specified_skilled_worker():
    assert set(JapaneseTest.objects.filter(counts_for_ssw=True).values_list("code", flat=True)) == {
        "jlpt",
        "jft_basic",
    }


def test_artist_covers_no_kind_of_work_on_tsunagu_and_the_correction_leaves_a_staff_choice():
    artist = StatusOfResidence.objects.get(code="artist")
    assert not artist.job_categories.exists()
    artist.job_categories.set(JobCategory.objects.filter(code="entertainment"))
    correct_work_rules(apps)  # as shipped: corrected
    assert not artist.job_categories.exists()

    artist.job_categories.set(JobCategory.objects.filter(code__in=["entertainment", "teaching"]))
    correct_work_rules(apps)  # chosen by staff: kept
    assert artist.job_categories.count() == 2


def test_the_railway_correction_leaves_a_requirement_staff_changed():
    SSWFieldRequirement.objects.filter(field__code="ssw_railway").update(japanese_scale=2, note="")
    SSWFieldRequirement.objects.filter(field__code="ssw_automobile_transport").update(
        japanese_scale=2, note="Edited by staff: trucks only."
    )

    correct_work_rules(apps)

    assert SSWFieldRequirement.objects.get(field__code="ssw_railway").japanese_scale == 3
    assert SSWFieldRequirement.objects.get(field__code="ssw_automobile_transport").japanese_scale == 2


def test_the_nursing_care_japanese_evaluation_test_is_a_qualification():
    kind = QualificationKind.objects.get(code="nursing_care_japanese_test")

    assert (kind.label_en, kind.label_ja, kind.active) == (
        "Nursing-care Japanese evaluation test",
        "介護日本語評価試験",
        True,
    )


def test_simple_labour_has_no_sponsorship_route():
    covered = set()
    for route in SponsorshipRoute.objects.prefetch_related("categories", "status__job_categories"):
        covered |= {c.code for c in (route.categories.all() or route.status.job_categories.all())}

    assert not {"factory_warehouse", "retail_restaurant_staff", "cleaning", "delivery_driving"} & covered
    assert {"it_engineering", "interpretation", "teaching", "ssw_construction", "care_worker"} <= covered


def test_load_taxonomies_adds_a_missing_rule_and_never_overwrites_an_edited_one():
    StatusRule.objects.get(code="dependent_with_permission").delete()
    StatusRule.objects.filter(code="student_with_permission").update(max_weekly_hours=20, note="Edited by staff.")
    out = StringIO()

    call_command("load_taxonomies", stdout=out)

    assert "StatusRule: 1 added" in out.getvalue()
    assert StatusRule.objects.get(code="dependent_with_permission").max_weekly_hours == 28
    student = StatusRule.objects.get(code="student_with_permission")
    assert (student.max_weekly_hours, student.note) == (20, "Edited by staff.")


def test_japanese_tests_loaded_afresh_know_which_count_for_specified_skilled_worker():
    """An empty database filled by load_taxonomies (a new install, a flushed
    test database) marks JLPT and JFT-Basic as SSW tests, as migration 0009
    marked the existing rows."""
    JapaneseLevel.objects.all().delete()
    JapaneseTest.objects.all().delete()

    call_command("load_taxonomies", stdout=StringIO())

    test_only_jlpt_and_jft_basic_count_for_specified_skilled_worker()


def test_a_change_of_status_to_a_work_status_never_rests_on_a_part_time_contract():
    forms = {
        route.code: {t.code for t in route.employment_types.all()}
        for route in SponsorshipRoute.objects.prefetch_related("employment_types")
    }

    for code in ("engineer_humanities_professional", "engineer_humanities_international", "nursing_care"):
        assert forms[code] == {"full_time", "contract", "dispatch"}, code
    assert forms["skilled_labor_chef"] == {"full_time", "contract"}
    assert forms["researcher"] == forms["instructor"] == set()  # open: part-time lecturers may qualify [M]
    for route in SponsorshipRoute.objects.filter(code__in=["nursing_care", "engineer_humanities_international"]):
        assert route.unconfirmed and "[M]" in route.note, route.code


def test_the_route_forms_are_set_on_routes_as_shipped_and_left_alone_once_staff_edit_them():
    """As migration 0011 found them: the note as shipped, no employment types."""
    shipped = {code: note for code, *_rest, note in work_rules_data.SPONSORSHIP_ROUTES}
    for route in SponsorshipRoute.objects.filter(code__in=["engineer_humanities_professional", "nursing_care"]):
        route.employment_types.clear()
        route.note = shipped[route.code]
        route.save()
    staff_note = "Care work under a certified care worker's licence (edited by staff)."
    SponsorshipRoute.objects.filter(code="nursing_care").update(note=staff_note)

    assert apply_route_forms(apps) == 1
    assert apply_route_forms(apps) == 0  # idempotent

    assert SponsorshipRoute.objects.get(code="engineer_humanities_professional").employment_types.count() == 3
    nursing = SponsorshipRoute.objects.get(code="nursing_care")
    assert (nursing.employment_types.count(), nursing.note) == (0, staff_note)
