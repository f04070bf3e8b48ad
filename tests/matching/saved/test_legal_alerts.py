"""Job alerts saved with the board's "Only jobs I may legally take" filter
(issue 13): a digest never lists an opening the person may not legally take
under the engine's hard rules (status of residence, the 28-hour rule of a
permission for activity outside status, the field of a Specified Skilled
Worker's test), judged from their profile as it is when the digest is
written, not when the alert was saved."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.saved import services
from matching.saved.models import JobAlert
from outbox.models import OutboundEmail
from profiles.models import CandidateProfile, StatusOfResidence
from tests.matching.factories import CompleteCandidateProfileFactory, OpeningFactory
from tests.matching.saved.factories import alert_for, opted_in

pytestmark = pytest.mark.django_db

STUDENT = {"status": "student", "outside_activity_permission": True, "outside_activity_hours": 28}
FULL_TIME = "Full-time developer"
PART_TIME = "Part-time shop assistant"


def run(days_later: int = 0) -> int:
    return services.job_alerts_run(frequency="daily", now=timezone.now() + timedelta(days=days_later))


def digest_of(person) -> str:
    return OutboundEmail.objects.filter(kind="saved.alert_digest", recipient=person).get().body_text


def student(**fields):
    return CompleteCandidateProfileFactory(user=opted_in(), **{**STUDENT, **fields}).user


def full_and_part_time():
    OpeningFactory(title=FULL_TIME, category="it_engineering", employment_type="full_time", weekly_hours=40)
    OpeningFactory(title=PART_TIME, category="retail_restaurant_staff", employment_type="part_time", weekly_hours=20)


def test_a_student_with_the_legal_filter_is_never_sent_a_full_time_opening():
    lan = student()
    alert_for(lan, "legal=on")
    full_and_part_time()

    assert run() == 1
    body = digest_of(lan)
    assert PART_TIME in body
    assert FULL_TIME not in body


def test_without_the_filter_the_same_student_is_sent_both():
    """The filter, not the search, keeps the full-time opening out."""
    lan = student()
    alert_for(lan, "")
    full_and_part_time()

    assert run() == 1
    body = digest_of(lan)
    assert PART_TIME in body and FULL_TIME in body


def test_only_full_time_openings_send_the_student_nothing():
    lan = student()
    alert_for(lan, "legal=on")
    OpeningFactory(title=FULL_TIME, category="it_engineering", weekly_hours=40)

    assert run() == 0
    assert not OutboundEmail.objects.filter(kind="saved.alert_digest").exists()


def test_the_status_is_read_when_the_digest_is_written():
    """Saved as a student; a permanent resident by the next digest: the
    full-time opening is theirs to take now. And back: nothing illegal."""
    lan = student()
    alert_for(lan, "legal=on")
    CandidateProfile.objects.filter(user=lan).update(
        status=StatusOfResidence.objects.get(code="permanent_resident"), period_of_stay_expiry=None
    )
    OpeningFactory(title=FULL_TIME, category="it_engineering", weekly_hours=40)

    assert run() == 1
    assert FULL_TIME in digest_of(lan)


def test_a_specified_skilled_worker_is_sent_only_the_field_of_their_test():
    worker = opted_in()
    CompleteCandidateProfileFactory(
        user=worker, status="ssw_1", qualifications=["skills_test_food_service"], japanese=["jlpt_n4"]
    )
    alert_for(worker, "legal=on")
    OpeningFactory(title="Kitchen (food service)", category="ssw_food_service")
    OpeningFactory(title="Site work (construction)", category="ssw_construction")

    assert run() == 1
    body = digest_of(worker)
    assert "Kitchen (food service)" in body
    assert "Site work (construction)" not in body


def test_people_with_the_same_legal_search_each_get_their_own_answer():
    """One saved search, two people: the results are the person's."""
    lan = student()
    engineer = CompleteCandidateProfileFactory(user=opted_in(), status="engineer_humanities").user
    alert_for(lan, "legal=on")
    alert_for(engineer, "legal=on")
    OpeningFactory(title=FULL_TIME, category="it_engineering", weekly_hours=40)

    assert run() == 1
    assert FULL_TIME in digest_of(engineer)
    assert not OutboundEmail.objects.filter(recipient=lan).exists()


def test_a_legal_alert_without_a_profile_sends_nothing():
    """No status of residence to read: no opening is certainly legal."""
    nobody = opted_in()
    alert_for(nobody, "legal=on")
    OpeningFactory(title=FULL_TIME)

    assert run() == 0


def test_the_work_rules_are_read_once_per_run_not_once_per_person():
    def measure(people: int, days_later: int) -> int:
        for _ in range(people):
            alert_for(student(), "legal=on")
        OpeningFactory(category="retail_restaurant_staff", employment_type="part_time", weekly_hours=20)
        with CaptureQueriesContext(connection) as captured:
            assert run(days_later) >= people
        return len(captured)

    one, three = measure(1, 0), measure(3, 1)
    # The person's own reads (profile, status, history, tests) and their
    # search, per person; the rule table (eleven reads) once.
    per_person = (three - one) / 2
    assert per_person < 10


def test_the_board_search_saved_as_an_alert_keeps_the_legal_filter():
    """The filter was dropped when the board's search became an alert (the
    saved search used the visitor's form): the alert must keep it and say so."""
    lan = student()
    client = Client()
    client.force_login(lan)
    page = client.get(reverse("saved:alert_new"), {"legal": "on", "prefecture": "13"})
    assert page.status_code == 200
    assert "Only jobs I may legally take" in page.content.decode()
    query = page.context["form"].initial["query"]
    client.post(reverse("saved:alert_new"), {"name": "Legal Tokyo", "frequency": "daily", "query": query})

    alert = JobAlert.objects.get(user=lan)
    assert alert.filters == {"legal": "on", "prefecture": "13"}
    assert "Only jobs I may legally take" in client.get(reverse("saved:alerts")).content.decode()
