"""A job at the premises of an adult entertainment business (風俗営業等:
hostess and snack bars, pachinko and mahjong parlours, licensed game
centres, love hotels): the employer says so on the opening, whatever the
kind of work, and people whose status never allows work there (permission
for activity outside status, working holiday, No. 46, Specified Skilled
Worker) are neither accepted nor shown it as eligible. The engine's verdicts
are in test_eligibility_audit.py; here the form, the API, the opening page
and the rule data."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from matching import services
from matching.models import Opening
from profiles import work_rules_data as data
from profiles.models import EmploymentType, JobCategory, Prefecture, StatusOfResidence, StatusRule
from profiles.taxonomy import correct_work_rules
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    days_from_today,
    recruiter_of,
    taxonomy,
)

pytestmark = pytest.mark.django_db

NOTICE = "An adult entertainment business (風俗営業等)"
REFUSAL = (
    "Student cannot be accepted: it does not allow work at an adult entertainment business (風俗営業), in any role."
)
NEVER_THERE = {
    "student",
    "dependent",
    "designated_activities_job_hunting",
    "designated_activities_working_holiday",
    "ssw_1",
    "ssw_2",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def defaults(*, premises: bool) -> set[str]:
    return {
        s.code
        for s in services.default_statuses(
            category=taxonomy("JobCategory", "cleaning"),
            employment_type=taxonomy("EmploymentType", "part_time"),
            weekly_hours=20,
            adult_entertainment_premises=premises,
        )
    }


def test_at_such_premises_the_default_statuses_leave_out_those_that_may_never_work_there():
    elsewhere, there = defaults(premises=False), defaults(premises=True)

    assert {"student", "dependent", "designated_activities_working_holiday"} <= elsewhere
    assert not there & NEVER_THERE
    assert {"permanent_resident", "spouse_of_japanese", "long_term_resident"} <= there


def _form(**overrides) -> dict:
    form = {
        "title": "Hall cleaning",
        "description": "Cleaning the hall of a pachinko parlour before opening.",
        "category": JobCategory.objects.get(code="cleaning").pk,
        "employment_type": EmploymentType.objects.get(code="part_time").pk,
        "prefecture": Prefecture.objects.get(code="13").pk,
        "salary_min": 1_200,
        "salary_max": 1_400,
        "salary_period": "hour",
        "weekly_hours": 10,
        "start_date": days_from_today(60).isoformat(),
        "adult_entertainment_premises": "on",
        "accepted_statuses": [StatusOfResidence.objects.get(code=c).pk for c in ("permanent_resident", "student")],
    }
    form.update(overrides)
    return form


def test_the_opening_form_asks_saves_the_answer_and_refuses_a_student_there():
    recruiter = recruiter_of(EmployerWithAgreementFactory())
    page = signed_in(recruiter).get(reverse("matching:employer_opening_new")).content.decode()
    assert 'name="adult_entertainment_premises"' in page
    assert "pachinko parlour" in page  # the help text names examples

    refused = signed_in(recruiter).post(reverse("matching:employer_opening_new"), _form())
    assert refused.status_code == 400
    assert REFUSAL in refused.content.decode()
    assert not Opening.objects.exists()

    saved = signed_in(recruiter).post(reverse("matching:employer_opening_new"), _form(accepted_statuses=[]))
    assert saved.status_code == 302
    opening = Opening.objects.get()
    assert opening.adult_entertainment_premises
    assert not {s.code for s in opening.accepted_statuses.all()} & NEVER_THERE


def test_left_unticked_the_opening_is_not_at_such_premises():
    recruiter = recruiter_of(EmployerWithAgreementFactory())
    form = _form(accepted_statuses=[])
    del form["adult_entertainment_premises"]

    assert signed_in(recruiter).post(reverse("matching:employer_opening_new"), form).status_code == 302
    opening = Opening.objects.get()
    assert not opening.adult_entertainment_premises
    assert "student" in {s.code for s in opening.accepted_statuses.all()}


def test_candidates_read_it_on_the_opening_page_and_a_student_reads_why_not():
    there = OpeningFactory(
        category="cleaning", employment_type="part_time", weekly_hours=10, adult_entertainment_premises=True
    )
    elsewhere = OpeningFactory(category="cleaning", employment_type="part_time", weekly_hours=10)
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )
    client = signed_in(student.user)

    page = client.get(reverse("matching:opening", args=[there.pk])).content.decode()
    assert NOTICE in page
    assert "your status does not allow work there, in any role." in page
    assert NOTICE not in client.get(reverse("matching:opening", args=[elsewhere.pk])).content.decode()
    assert NOTICE in Client().get(reverse("matching:opening", args=[there.pk])).content.decode()


def test_specified_skilled_worker_rules_exclude_such_premises_and_the_correction_leaves_a_staff_choice():
    rules = StatusRule.objects.filter(code__in=["ssw_1_field", "ssw_2_field"])
    assert rules.count() == 2
    assert all(r.excludes_adult_entertainment and "[M]" in r.note for r in rules)

    # As first shipped: corrected.
    rules.filter(code="ssw_1_field").update(
        excludes_adult_entertainment=False,
        note=data.SSW_1_SHIPPED_NOTE,
        source=f"{data.SSW_GENERAL} {data.SSW_TESTS}",
    )
    correct_work_rules(apps)
    assert StatusRule.objects.get(code="ssw_1_field").excludes_adult_entertainment

    # Changed by staff since (another note): kept.
    rules.filter(code="ssw_1_field").update(excludes_adult_entertainment=False, note="Staff: checked with ISA.")
    correct_work_rules(apps)
    assert not StatusRule.objects.get(code="ssw_1_field").excludes_adult_entertainment


def test_the_staff_rule_page_says_the_exclusion_covers_premises_and_specified_skilled_workers(persona_client):
    html = persona_client("coordinator").get(reverse("profiles:work_rules")).content.decode()
    assert "nor any job at premises the employer marks as one" in html
    # Students, working holiday, No. 46, SSW (i) and (ii), at least.
    assert html.count("nor any job at premises the employer marks as one") >= 6
    assert "banquet halls of licensed hotels" in html  # the SSW note, [M]
