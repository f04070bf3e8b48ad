"""When a candidate's profile stops reaching an employer (the share grant
is withdrawn or expires, their use of data is restricted, a screening
decision suspends them, their account is erased), each upcoming interview
there is cancelled through the interview service: both sides are told in
their own language, a scheduled one leaves both calendars (METHOD:CANCEL,
the same UID, SEQUENCE + 1), and the employer no longer sees its times,
place or link."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import ScreeningDecision
from accounts.services import account_screen
from consents.models import ShareGrant
from consents.privacy.services import account_erase, restriction_start
from consents.services import share_grant_withdraw, share_grants_expire_due
from matching import services
from matching.models import Interview
from outbox.models import OutboundEmail
from tests.matching.factories import ApplicationFactory, EmployerWithAgreementFactory, OpeningFactory, recruiter_of
from tests.matching.talk import event_of, in_days, invitations_to, signed_in

pytestmark = pytest.mark.django_db

VIDEO = "https://meet.example/fuji-care-interview"


def propose(application, recruiter, *slots):
    return services.interview_propose(
        actor=recruiter,
        application=application,
        slots=list(slots) or [in_days(3, 10)],
        video_url=VIDEO,
        place="東京都新宿区西新宿1-1-1",
        interviewers="佐藤, 田中",
    )


def scheduled(application, recruiter):
    interview = propose(application, recruiter, in_days(3, 10), in_days(4, 15))
    return services.interview_choose(
        candidate=application.candidate, interview=interview, slot_id=interview.slots.first().pk
    )


def attendees_of(calendar: icalendar.Calendar) -> str:
    found = event_of(calendar).get("ATTENDEE", [])
    return " ".join(str(a) for a in (found if isinstance(found, list) else [found]))


def last_mail(user) -> OutboundEmail:
    return OutboundEmail.objects.filter(recipient=user).latest("pk")


def withdraw(application):
    share_grant_withdraw(actor=application.candidate, grant=ShareGrant.objects.get(pk=application.grant_id))


def test_withdrawing_the_share_cancels_a_scheduled_interview_in_both_calendars(application, recruiter):
    candidate = application.candidate
    candidate.language = "ja"
    candidate.save(update_fields=["language"])
    interview = scheduled(application, recruiter)
    [invitation] = invitations_to(candidate)
    uid, sequence = str(event_of(invitation)["UID"]), int(event_of(invitation)["SEQUENCE"])

    withdraw(application)

    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    for person in (candidate, recruiter):
        cancel = invitations_to(person)[-1]
        assert cancel["METHOD"] == "CANCEL"
        assert str(event_of(cancel)["UID"]) == uid
        assert int(event_of(cancel)["SEQUENCE"]) == sequence + 1
        assert event_of(cancel)["STATUS"] == "CANCELLED"
    # Each told in their own language, with the reason that is theirs.
    to_candidate, to_recruiter = last_mail(candidate), last_mail(recruiter)
    assert to_candidate.language == "ja"
    with translation.override("ja"):
        assert str(services._why_for_candidate("withdrawn", "富士ケア株式会社")) in to_candidate.body_text
    assert to_recruiter.language == "en"
    assert "no longer shared with your company" in to_recruiter.body_text
    # The employer's copy of the calendar no longer names the candidate.
    assert candidate.email not in attendees_of(invitations_to(recruiter)[-1])
    assert candidate.email in attendees_of(invitations_to(candidate)[-1])


def test_the_employer_no_longer_sees_the_interview_details(application, recruiter):
    scheduled(application, recruiter)
    page = reverse("matching:employer_application", args=[application.pk])
    before = signed_in(recruiter).get(page).content.decode()
    assert VIDEO in before and "佐藤, 田中" in before

    withdraw(application)

    after = signed_in(recruiter).get(page).content.decode()
    assert VIDEO not in after and "東京都新宿区西新宿" not in after
    assert in_days(3, 10).strftime("%Y-%m-%d 10:00") not in after


def test_proposed_times_are_withdrawn_too_and_both_sides_told_without_a_calendar(application, recruiter):
    interview = propose(application, recruiter)
    withdraw(application)

    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    assert invitations_to(application.candidate) == [] and invitations_to(recruiter) == []
    assert last_mail(application.candidate).subject.startswith("Interview cancelled")
    assert last_mail(recruiter).subject.startswith("Interview cancelled")
    # The candidate can no longer pick one of the times.
    with pytest.raises(services.ValidationError):
        services.interview_choose(
            candidate=application.candidate, interview=interview, slot_id=interview.slots.first().pk
        )


def test_an_expired_grant_cancels_the_interview(application, recruiter):
    interview = scheduled(application, recruiter)
    grant = ShareGrant.objects.get(pk=application.grant_id)

    assert share_grants_expire_due(now=grant.expires_at + timedelta(minutes=1)) == 1

    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    assert invitations_to(recruiter)[-1]["METHOD"] == "CANCEL"
    assert "expired" in last_mail(application.candidate).body_text


def test_only_the_employer_whose_grant_ended_loses_the_interview(application, recruiter):
    other_company = EmployerWithAgreementFactory(legal_name="Kansai Robotics K.K.")
    other_recruiter = recruiter_of(other_company)
    elsewhere = ApplicationFactory(opening=OpeningFactory(employer=other_company), candidate=application.candidate)
    here, there = scheduled(application, recruiter), scheduled(elsewhere, other_recruiter)

    withdraw(application)

    here.refresh_from_db()
    there.refresh_from_db()
    assert here.state == Interview.State.CANCELLED
    assert there.state == Interview.State.SCHEDULED
    assert invitations_to(other_recruiter)[-1]["METHOD"] == "REQUEST"


def test_a_restriction_of_use_cancels_interviews_at_every_employer(application, recruiter):
    other_company = EmployerWithAgreementFactory(legal_name="Kansai Robotics K.K.")
    other_recruiter = recruiter_of(other_company)
    elsewhere = ApplicationFactory(opening=OpeningFactory(employer=other_company), candidate=application.candidate)
    scheduled(application, recruiter)
    propose(elsewhere, other_recruiter)

    restriction_start(user=application.candidate)

    assert set(Interview.objects.values_list("state", flat=True)) == {Interview.State.CANCELLED}
    assert invitations_to(recruiter)[-1]["METHOD"] == "CANCEL"
    # The employers are not told why: a restriction is the candidate's business.
    for member in (recruiter, other_recruiter):
        assert "restrict" not in last_mail(member).body_text
    assert "You restricted the use of your data" in last_mail(application.candidate).body_text


def test_a_screening_decision_cancels_interviews(application, recruiter, coordinator):
    interview = scheduled(application, recruiter)

    account_screen(
        actor=coordinator,
        user=application.candidate,
        decision=ScreeningDecision.Decision.SUSPENDED,
        reason="Reported for fraud.",
    )

    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    assert invitations_to(recruiter)[-1]["METHOD"] == "CANCEL"
    assert "fraud" not in last_mail(recruiter).body_text


def test_erasing_the_account_cancels_interviews_and_tells_the_employer(application, recruiter):
    interview = scheduled(application, recruiter)

    account_erase(user=application.candidate)

    interview.refresh_from_db()
    assert interview.state == Interview.State.CANCELLED
    cancel = invitations_to(recruiter)[-1]
    assert cancel["METHOD"] == "CANCEL"
    assert "hoa@example.test" not in cancel.to_ical().decode()


def test_a_past_interview_stays_as_it_was(application, recruiter):
    interview = scheduled(application, recruiter)
    Interview.objects.filter(pk=interview.pk).update(starts_at=timezone.now() - timedelta(days=1))
    before = OutboundEmail.objects.count()

    withdraw(application)

    interview.refresh_from_db()
    assert interview.state == Interview.State.SCHEDULED
    assert not OutboundEmail.objects.filter(pk__gt=before, subject__startswith="Interview cancelled").exists()
