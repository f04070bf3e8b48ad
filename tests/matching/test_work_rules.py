"""The work rules around the engine (issue 12): an employer cannot accept a
status whose activity cannot cover the job, and is told why; the defaults
derived from the category include only statuses that can cover it; staff may
propose a candidate the rules mark ineligible only with a recorded reason,
which the candidate reads; the candidate's job board never hides an opening;
the rules are data staff read on their page and edit in the admin, and the
engine follows an edit at once.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from matching import services
from matching.engine import rank_candidates, rank_openings
from matching.exports import section
from matching.models import Message, Opening, Proposal
from profiles.models import EmploymentType, JobCategory, Prefecture, StatusOfResidence, StatusRule
from tests.matching.factories import (
    CompleteCandidateProfileFactory,
    EmployerWithAgreementFactory,
    OpeningFactory,
    admin_of,
    days_from_today,
    recruiter_of,
    taxonomy,
)

pytestmark = pytest.mark.django_db

ENGINEER = "Engineer/Specialist in Humanities/International Services"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(statuses) -> set[str]:
    return {s.code for s in statuses}


def defaults(category: str, employment_type: str = "full_time", weekly_hours: int = 40) -> set[str]:
    return codes(
        services.default_statuses(
            category=taxonomy("JobCategory", category),
            employment_type=taxonomy("EmploymentType", employment_type),
            weekly_hours=weekly_hours,
        )
    )


UNRESTRICTED = {
    "permanent_resident",
    "spouse_of_japanese",
    "spouse_of_permanent_resident",
    "long_term_resident",
    "special_permanent_resident",
}
NEVER_BY_DEFAULT = {
    "technical_intern_1",
    "technical_intern_2",
    "technical_intern_3",
    "intra_company_transferee",
    "designated_activities",
    "temporary_visitor",
    "cultural_activities",
    "trainee",
    "diplomat",
    "official",
}


# --- The statuses an opening accepts -------------------------------------------------------------


def test_defaults_for_an_it_job_are_the_statuses_that_can_cover_it():
    got = defaults("it_engineering")

    assert got >= UNRESTRICTED
    assert {"engineer_humanities", "highly_skilled_1b", "highly_skilled_2", "designated_activities_no46"} <= got
    assert "designated_activities_working_holiday" in got
    # 40 hours: beyond what permission for activity outside status allows.
    assert not {"student", "dependent", "designated_activities_job_hunting"} & got
    assert not {"ssw_1", "ssw_2", "nursing_care", "skilled_labor"} & got
    assert not NEVER_BY_DEFAULT & got


def test_defaults_for_part_time_factory_work_are_unrestricted_statuses_and_permission_holders():
    got = defaults("factory_warehouse", "part_time", 20)

    assert got == UNRESTRICTED | {
        "student",
        "dependent",
        "designated_activities_job_hunting",
        "designated_activities_working_holiday",
    }


def test_defaults_for_28_hours_include_students_and_for_29_do_not():
    assert "student" in defaults("retail_restaurant_staff", "part_time", 28)
    assert "student" not in defaults("retail_restaurant_staff", "part_time", 29)


def test_defaults_for_an_ssw_field_include_ssw_but_never_trainees():
    got = defaults("ssw_construction")

    assert {"ssw_1", "ssw_2"} <= got
    assert not NEVER_BY_DEFAULT & got
    assert "ssw_2" not in defaults("ssw_railway")  # no SSW (ii) in railway
    assert "nursing_care" in defaults("ssw_nursing_care")


def test_dispatch_defaults_keep_ssw_only_in_agriculture_and_fishery():
    assert not {"ssw_1", "ssw_2"} & defaults("ssw_construction", "dispatch")
    assert {"ssw_1", "ssw_2"} <= defaults("ssw_agriculture", "dispatch")
    assert {"ssw_1", "ssw_2"} <= defaults("ssw_fishery", "dispatch")


def test_language_teaching_is_open_to_engineer_humanities_international():
    assert {"engineer_humanities", "instructor", "professor"} <= defaults("teaching")


@pytest.mark.parametrize(
    ("status", "opening", "why"),
    [
        (
            "engineer_humanities",
            {"category": "factory_warehouse"},
            f"{ENGINEER} cannot be accepted: its activity does not cover Factory, warehouse and light work.",
        ),
        (
            "student",
            {"category": "factory_warehouse"},
            "Student cannot be accepted: it allows at most 28 hours a week; this job has 40.",
        ),
        (
            "technical_intern_2",
            {"category": "ssw_construction"},
            "Technical Intern Training (ii) cannot be accepted: it binds its holder to one organisation (the one "
            "named in the training plan, or the company group that transferred them): they cannot join another "
            "employer.",
        ),
        (
            "designated_activities",
            {"category": "it_engineering"},
            "Designated Activities (other designation) cannot be accepted: the work it allows depends on each "
            "person's designation, and our rules cannot tell whether it covers this job.",
        ),
        (
            "ssw_1",
            {"category": "ssw_construction", "employment_type": "dispatch"},
            "Specified Skilled Worker (i) cannot be accepted: it needs direct, full-time employment; dispatch is "
            "allowed only in agriculture and fishery.",
        ),
        (
            "ssw_1",
            {"category": "ssw_construction", "employment_type": "contract", "weekly_hours": 29},
            "Specified Skilled Worker (i) cannot be accepted: it needs at least 30 hours a week; this job has 29.",
        ),
        (
            "temporary_visitor",
            {"category": "retail_restaurant_staff", "employment_type": "part_time", "weekly_hours": 20},
            "Temporary Visitor cannot be accepted: it does not allow paid work.",
        ),
    ],
    ids=[
        "E/H/I for factory work",
        "student 40 h",
        "trainee",
        "unknown designation",
        "SSW dispatch",
        "SSW 29 h",
        "temporary visitor",
    ],
)
def test_the_service_refuses_a_status_that_cannot_cover_the_job_and_says_why(status, opening, why):
    with pytest.raises(ValidationError) as refused:
        OpeningFactory(**opening, statuses=["permanent_resident", status])

    assert refused.value.message_dict == {"accepted_statuses": [why]}
    assert not Opening.objects.exists()


def test_the_opening_form_refuses_it_too_and_saves_nothing():
    company = EmployerWithAgreementFactory()
    form = {
        "title": "Line worker",
        "description": "Packing.",
        "category": JobCategory.objects.get(code="factory_warehouse").pk,
        "employment_type": EmploymentType.objects.get(code="full_time").pk,
        "prefecture": Prefecture.objects.get(code="13").pk,
        "salary_min": 200_000,
        "salary_max": 250_000,
        "salary_period": "month",
        "weekly_hours": 40,
        "start_date": days_from_today(60).isoformat(),
        "accepted_statuses": [
            StatusOfResidence.objects.get(code=code).pk for code in ("permanent_resident", "engineer_humanities")
        ],
    }

    response = signed_in(recruiter_of(company)).post(reverse("matching:employer_opening_new"), form)

    assert response.status_code == 400
    assert (
        f"{ENGINEER} cannot be accepted: its activity does not cover Factory, warehouse and light work."
        in response.content.decode()
    )
    assert not Opening.objects.exists()

    form["accepted_statuses"] = form["accepted_statuses"][:1]
    response = signed_in(recruiter_of(company)).post(reverse("matching:employer_opening_new"), form)
    assert response.status_code == 302
    assert codes(Opening.objects.get().accepted_statuses.all()) == {"permanent_resident"}


def test_without_ticked_statuses_the_opening_gets_the_defaults():
    opening = OpeningFactory(category="ssw_food_service")

    assert codes(opening.accepted_statuses.all()) == defaults("ssw_food_service")


# --- The staff override, with its reason ---------------------------------------------------------------


@pytest.fixture
def factory_job():
    return OpeningFactory(
        title="Night shift packer", category="factory_warehouse", employer=EmployerWithAgreementFactory()
    )


@pytest.fixture
def student():
    return CompleteCandidateProfileFactory(status="student", name_passport="LE THI HOA")


REASON = "Graduating in March; the employer will hire her as engineer/humanities for the QA office instead."


def test_staff_see_the_candidates_the_rules_mark_ineligible_on_request_with_why(coordinator, factory_job, student):
    page = reverse("matching:staff_opening", args=[factory_job.pk])
    client = signed_in(coordinator)

    first = client.get(page).content.decode()
    listed = client.get(page, {"show": "ineligible"}).content.decode()

    assert f"#{student.pk}<" not in first  # not among the eligible, and not listed before asked
    assert f"#{student.pk}<" in listed
    assert "With the status Student you may work up to 28 hours a week; this job has 40." in listed
    assert 'name="override_reason"' in listed
    assert student.name_passport not in listed


def test_proposing_an_ineligible_candidate_needs_a_reason(coordinator, factory_job, student):
    with pytest.raises(ValidationError):
        services.proposal_create(actor=coordinator, opening=factory_job, candidate=student.user, override_reason="  ")

    assert not Proposal.objects.exists()
    assert not Message.objects.filter(recipient=student.user).exists()


def test_the_reason_is_kept_with_what_the_rules_said_and_the_candidate_reads_it(coordinator, factory_job, student):
    response = signed_in(coordinator).post(
        reverse("matching:staff_opening", args=[factory_job.pk]),
        {"candidate": student.pk, "message": "", "override_reason": REASON},
        follow=True,
    )

    assert "Proposed. The candidate decides; the employer sees nothing until then." in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.override_reason == REASON
    assert "With the status Student you may work up to 28 hours a week; this job has 40." in proposal.engine_advice

    page = signed_in(student.user).get(reverse("matching:my_proposal", args=[proposal.pk])).content.decode()
    assert "Our rules say this opening may not fit you" in page
    assert REASON in page
    assert "With the status Student you may work up to 28 hours a week; this job has 40." in page

    # Kept after the candidate decides, shown on the closed proposal, and in their data export.
    signed_in(student.user).post(reverse("matching:my_proposal", args=[proposal.pk]), {"decision": "decline"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.override_reason) == (Proposal.State.DECLINED, REASON)
    closed = signed_in(student.user).get(reverse("matching:my_proposal", args=[proposal.pk])).content.decode()
    assert REASON in closed
    exported = section(student.user)[1]["proposals"][0]
    assert exported["reason_despite_the_rules"] == REASON
    assert "28 hours" in exported["what_the_rules_said"]


def test_an_eligible_candidate_needs_no_reason_and_none_is_kept(coordinator):
    job = OpeningFactory()
    profile = CompleteCandidateProfileFactory()

    proposal = services.proposal_create(actor=coordinator, opening=job, candidate=profile.user, override_reason="x")

    assert (proposal.override_reason, proposal.engine_advice) == ("", "")


def test_the_database_refuses_what_the_rules_said_without_a_reason(coordinator, factory_job, student):
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            opening=factory_job, candidate=student.user, proposed_by=coordinator, engine_advice="Not eligible."
        )


# --- The candidate's board never hides an opening ------------------------------------------------------


def test_the_board_shows_a_student_every_opening_and_why_one_may_not_fit():
    company = EmployerWithAgreementFactory()
    OpeningFactory(
        employer=company,
        title="Evening cashier",
        category="retail_restaurant_staff",
        employment_type="part_time",
        weekly_hours=20,
    )
    OpeningFactory(employer=company, title="Warehouse full-time", category="factory_warehouse")
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )

    html = signed_in(student.user).get(reverse("matching:board")).content.decode()

    assert "Evening cashier" in html and "Warehouse full-time" in html
    assert html.count("May not fit your status:") == 1
    assert "With the status Student you may work up to 28 hours a week; this job has 40." in html
    assert "Read on: the employer decides, and you may apply anyway." in html
    assert "part-time only" not in html.lower()
    # Recommendations are the eligible ones, and say where the others are.
    recommended = signed_in(student.user).get(reverse("matching:recommendations")).content.decode()
    assert "Evening cashier" in recommended and "Warehouse full-time" not in recommended
    assert "the job board shows every opening, and says why one may not fit" in recommended


def test_anonymous_visitors_see_no_status_advice_on_the_board():
    OpeningFactory(title="Warehouse full-time", category="factory_warehouse")

    html = Client().get(reverse("matching:board")).content.decode()

    assert "Warehouse full-time" in html and "May not fit your status" not in html


def test_the_opening_page_names_the_status_needed_and_what_a_sponsor_would_apply_for():
    opening = OpeningFactory(title="Kitchen staff", category="ssw_food_service", sponsorship_offered=True)
    profile = CompleteCandidateProfileFactory(period_of_stay_expiry=days_from_today(30))

    html = signed_in(profile.user).get(reverse("matching:opening", args=[opening.pk])).content.decode()

    assert "The status of residence this job needs" in html
    assert (
        "With sponsorship, the employer would apply for Specified Skilled Worker (i); it needs the skills test "
        "for Food service (SSW), Japanese at JLPT N4 or JFT-Basic A2." in html
    )
    # The period-of-stay warning stays.
    assert "Your period of stay ends before this job starts." in html


# --- The rules are data: staff read them and edit them -------------------------------------------------


def test_coordinators_and_privacy_officers_read_the_rule_table_with_sources_and_dates(persona_client):
    for persona in ("coordinator", "privacy_officer"):
        html = persona_client(persona).get(reverse("profiles:work_rules")).content.decode()
        assert "Work rules of the statuses of residence" in html
        assert "Only with permission for activity outside status" in html
        assert "2026-12-04" in html and "[M]" in html
        assert "Nursing-care Japanese evaluation test" in html
        assert "No work (no rule)." in html  # temporary visitors and the like
        assert (
            "Japanese tests that count for Specified Skilled Worker (others do not, however high): JLPT, JFT-Basic."
            in html
        )
    assert (
        "Edit the rules in the admin"
        in persona_client("coordinator").get(reverse("profiles:work_rules")).content.decode()
    )
    assert (
        "Edit the rules in the admin"
        not in persona_client("privacy_officer").get(reverse("profiles:work_rules")).content.decode()
    )
    assert (
        reverse("profiles:work_rules")
        in persona_client("coordinator").get(reverse("accounts:dashboard")).content.decode()
    )


def test_an_edited_rule_applies_at_once():
    opening = OpeningFactory(category="retail_restaurant_staff", employment_type="part_time", weekly_hours=24)
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )
    assert rank_openings(student).filter(pk=opening.pk).exists()

    # As the admin saves it (the rule table is read again at the next request).
    rule = StatusRule.objects.get(code="student_with_permission")
    rule.max_weekly_hours = 20
    rule.save()

    fresh = Opening.objects.get(pk=opening.pk)
    assert not rank_candidates(fresh).filter(pk=student.pk).exists()
    assert not rank_openings(type(student).objects.get(pk=student.pk)).filter(pk=opening.pk).exists()


def test_a_coordinator_edits_a_rule_in_the_admin(coordinator):
    rule = StatusRule.objects.get(code="dependent_with_permission")
    client = signed_in(coordinator)
    url = reverse("admin:profiles_statusrule_change", args=[rule.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "Only with permission for activity outside status" in page.content.decode()
    assert signed_in(admin_of(EmployerWithAgreementFactory())).get(url).status_code in (302, 403)


def test_the_words_are_in_japanese_for_a_japanese_page():
    from django.utils import translation

    OpeningFactory(title="Warehouse full-time", category="factory_warehouse")
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )

    with translation.override("ja"):
        html = signed_in(student.user).get(reverse("matching:board")).content.decode()

    assert "あなたの在留資格に合わない可能性があります：" in html
    assert "在留資格「留学」で働けるのは週28時間までです。この仕事は週40時間です。" in html


def test_an_adult_entertainment_business_is_never_open_to_work_under_permission_or_a_working_holiday():
    """Permission for activity outside status limits the kind of business
    (never 風俗営業等), and so does a working holiday; staff mark such a kind
    of work in the admin and every rule follows."""
    bar = JobCategory.objects.create(
        code="night_bar", label_en="Night bar staff", label_ja="ナイトバー", adult_entertainment=True
    )
    opening = OpeningFactory(category="night_bar", employment_type="part_time", weekly_hours=10)
    student = CompleteCandidateProfileFactory(
        status="student", outside_activity_permission=True, outside_activity_hours=28
    )
    holiday = CompleteCandidateProfileFactory(status="designated_activities_working_holiday")
    resident = CompleteCandidateProfileFactory(status="permanent_resident", period_of_stay_expiry=None)

    assert codes(opening.accepted_statuses.all()) == UNRESTRICTED
    for profile in (student, holiday):
        assert not rank_openings(profile).filter(pk=opening.pk).exists()
    assert rank_openings(resident).filter(pk=opening.pk).exists()
    assert bar.adult_entertainment
