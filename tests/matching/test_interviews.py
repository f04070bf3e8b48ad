"""Interviews (issue 14): an employer member proposes times (entered in
Japan time, stored in UTC), the candidate picks one or asks for others; both
get an iCalendar invitation whose UID stays and whose SEQUENCE grows with
each update and the cancellation; a reminder the day before, once; the
pipeline moves to interview with the time shown."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import EmployerMember
from consents.models import ShareGrant
from consents.services import share_grant_withdraw
from matching import services
from matching.models import Application, Interview
from outbox import delivery
from outbox.models import OutboundEmail
from tests.matching.factories import ApplicationFactory, CompleteCandidateProfileFactory, admin_of
from tests.matching.talk import event_of, in_days, invitations_to, signed_in

pytestmark = pytest.mark.django_db


def propose_on_the_page(recruiter, application, *slots: datetime, **extra):
    data = {"action": "interview", "duration_minutes": 45, "place": "", "interviewers": "佐藤, 田中"}
    data["video_url"] = "https://meet.example/abc-defg"
    for n, moment in enumerate(slots, start=1):
        data[f"date_{n}"] = moment.strftime("%Y-%m-%d")
        data[f"time_{n}"] = moment.strftime("%H:%M")
    data.update(extra)
    return signed_in(recruiter).post(
        reverse("matching:employer_application", args=[application.pk]), data, follow=True
    )


def candidate_does(application, **data):
    return signed_in(application.candidate).post(
        reverse("matching:my_application_interview", args=[application.pk]), data, follow=True
    )


def test_propose_pick_reschedule_cancel_with_one_uid_and_a_growing_sequence(application, recruiter):
    first, second = in_days(3, 10), in_days(4, 15)
    response = propose_on_the_page(recruiter, application, first, second)
    assert response.status_code == 200
    interview = Interview.objects.get()
    # Entered in Japan time, stored in UTC.
    assert [s.starts_at for s in interview.slots.all()] == [first.astimezone(UTC), second.astimezone(UTC)]
    application.refresh_from_db()
    assert application.state == "interview"
    html = signed_in(application.candidate).get(reverse("matching:my_application", args=[application.pk])).content
    assert first.strftime("%Y-%m-%d 10:00 JST (UTC+09:00)") in html.decode()

    candidate_does(application, action="choose", slot=interview.slots.last().pk)
    interview.refresh_from_db()
    assert interview.state == "scheduled" and interview.starts_at == second.astimezone(UTC)
    [calendar] = invitations_to(application.candidate)
    [recruiter_calendar] = invitations_to(recruiter)
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DTSTART"].dt == second and event["DTSTART"].dt.astimezone(UTC) == second.astimezone(UTC)
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=45)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Tokyo"
    assert event["LOCATION"] == "https://meet.example/abc-defg"
    uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
    assert str(event_of(recruiter_calendar)["UID"]) == uid

    # The employer proposes new times; the candidate picks one: an update.
    third = in_days(5, 9)
    propose_on_the_page(recruiter, application, third)
    interview.refresh_from_db()
    candidate_does(application, action="choose", slot=interview.slots.get().pk)
    update = event_of(invitations_to(application.candidate)[-1])
    assert str(update["UID"]) == uid and int(update["SEQUENCE"]) > sequence
    assert update["DTSTART"].dt.astimezone(UTC) == third.astimezone(UTC)

    # The candidate cancels: METHOD:CANCEL, same UID, next SEQUENCE, to both.
    candidate_does(application, action="cancel")
    cancel = invitations_to(application.candidate)[-1]
    assert cancel["METHOD"] == "CANCEL"
    assert str(event_of(cancel)["UID"]) == uid and int(event_of(cancel)["SEQUENCE"]) > int(update["SEQUENCE"])
    assert event_of(cancel)["STATUS"] == "CANCELLED"
    assert invitations_to(recruiter)[-1]["METHOD"] == "CANCEL"


def test_the_candidate_asks_for_other_times_and_the_scheduled_time_is_cancelled(application, recruiter):
    propose_on_the_page(recruiter, application, in_days(2, 11))
    interview = Interview.objects.get()
    candidate_does(application, action="choose", slot=interview.slots.get().pk)
    candidate_does(application, action="other_times", note="平日の午後なら大丈夫です。")
    interview.refresh_from_db()
    assert interview.state == "other_times" and interview.starts_at is None
    assert invitations_to(application.candidate)[-1]["METHOD"] == "CANCEL"
    html = signed_in(recruiter).get(reverse("matching:employer_application", args=[application.pk])).content.decode()
    assert "平日の午後なら大丈夫です。" in html


def test_the_invitation_reaches_the_provider_as_a_calendar_part(application, recruiter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    propose_on_the_page(recruiter, application, in_days(2, 11))
    candidate_does(application, action="choose", slot=Interview.objects.get().slots.get().pk)
    row = OutboundEmail.objects.filter(recipient=application.candidate).exclude(attachments=[]).latest("pk")
    message = delivery.build_message(row)
    parsed = message_from_bytes(message.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert icalendar.Calendar.from_ical(part.get_payload(decode=True))["METHOD"] == "REQUEST"
    assert mail.outbox is not None


def test_bad_proposals_are_refused_with_the_form_kept(application, recruiter):
    past = in_days(-1, 10)
    response = propose_on_the_page(recruiter, application, past)
    assert response.status_code == 400 and "must be in the future" in response.content.decode()
    response = propose_on_the_page(recruiter, application, in_days(2, 10), video_url="")
    assert response.status_code == 400 and "Give the place or a video link." in response.content.decode()
    response = propose_on_the_page(recruiter, application, in_days(2, 10), video_url="javascript:alert(1)")
    assert response.status_code == 400
    data = {"action": "interview", "date_1": "2026-13-45", "time_1": "25:00", "place": "東京都千代田区" * 50}
    response = signed_in(recruiter).post(reverse("matching:employer_application", args=[application.pk]), data)
    assert response.status_code == 400
    assert not Interview.objects.exists()


def test_a_double_pick_sends_one_invitation(application, recruiter):
    propose_on_the_page(recruiter, application, in_days(2, 10))
    slot = Interview.objects.get().slots.get().pk
    candidate_does(application, action="choose", slot=slot)
    candidate_does(application, action="choose", slot=slot)
    assert len(invitations_to(application.candidate)) == 1


def test_nobody_else_picks_and_no_proposal_without_the_grant(application, recruiter):
    propose_on_the_page(recruiter, application, in_days(2, 10))
    other = CompleteCandidateProfileFactory().user
    response = signed_in(other).post(
        reverse("matching:my_application_interview", args=[application.pk]),
        {"action": "choose", "slot": Interview.objects.get().slots.get().pk},
    )
    assert response.status_code == 404
    share_grant_withdraw(actor=application.candidate, grant=ShareGrant.objects.get(pk=application.grant_id))
    with pytest.raises(services.ConversationClosed):
        services.interview_propose(
            actor=recruiter, application=application, slots=[in_days(3, 10)], video_url="https://meet.example/x"
        )


def test_a_reminder_the_day_before_once(application, recruiter):
    propose_on_the_page(recruiter, application, in_days(3, 10))
    candidate_does(application, action="choose", slot=Interview.objects.get().slots.get().pk)
    starts = Interview.objects.get().starts_at
    assert services.interview_reminders_send(now=starts - timedelta(hours=30)) == 0
    assert services.interview_reminders_send(now=starts - timedelta(hours=20)) == 1
    assert services.interview_reminders_send(now=starts - timedelta(hours=19)) == 0
    subjects = list(OutboundEmail.objects.filter(subject__startswith="Reminder").values_list("recipient", flat=True))
    assert sorted(subjects) == sorted([application.candidate.pk, recruiter.pk])


def test_the_pipeline_shows_the_interview_time_and_closing_cancels_it(application, recruiter):
    when = in_days(3, 14)
    propose_on_the_page(recruiter, application, when)
    candidate_does(application, action="choose", slot=Interview.objects.get().slots.get().pk)
    page = signed_in(recruiter).get(reverse("matching:employer_opening", args=[application.opening_id]))
    assert when.strftime("%Y-%m-%d 14:00 JST") in page.content.decode()
    mine = signed_in(application.candidate).get(reverse("matching:my_applications"))
    assert when.strftime("%Y-%m-%d 14:00 JST") in mine.content.decode()
    services.application_withdraw(candidate=application.candidate, application=Application.objects.get())
    assert Interview.objects.get().state == "cancelled"
    assert invitations_to(recruiter)[-1]["METHOD"] == "CANCEL"


def test_the_candidate_downloads_the_scheduled_interview_for_their_calendar(application, recruiter):
    download = reverse("matching:my_application_interview_ics", args=[application.pk])
    propose_on_the_page(recruiter, application, in_days(3, 10))
    assert signed_in(application.candidate).get(download).status_code == 404  # no time chosen yet
    candidate_does(application, action="choose", slot=Interview.objects.get().slots.get().pk)

    page = signed_in(application.candidate).get(reverse("matching:my_application", args=[application.pk]))
    assert download in page.content.decode()
    response = signed_in(application.candidate).get(download)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    mailed = event_of(invitations_to(application.candidate)[-1])
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event_of(calendar)["UID"]) == str(mailed["UID"])
    assert int(event_of(calendar)["SEQUENCE"]) == int(mailed["SEQUENCE"])
    assert event_of(calendar)["DTSTART"].dt.astimezone(UTC) == in_days(3, 10).astimezone(UTC)
    # Nobody else downloads it.
    other = CompleteCandidateProfileFactory().user
    assert signed_in(other).get(download).status_code == 404


def test_hiring_after_the_interview_took_place_cancels_nothing(application, recruiter):
    """Closing an application cancels only interviews still ahead: one that
    took place is not withdrawn from the calendars when the candidate is hired."""
    propose_on_the_page(recruiter, application, in_days(3, 10))
    candidate_does(application, action="choose", slot=Interview.objects.get().slots.get().pk)
    Interview.objects.update(starts_at=timezone.now() - timedelta(hours=2))  # it took place
    for state in ("offer", "hired"):
        services.application_move(actor=recruiter, application=Application.objects.get(), to_state=state)

    assert Interview.objects.get().state == "scheduled"
    assert [c["METHOD"] for c in invitations_to(recruiter)] == ["REQUEST"]
    assert not OutboundEmail.objects.filter(subject__startswith="Interview cancelled").exists()


def test_the_employers_invitation_names_the_candidates_email_only_if_they_share_contact_details(job, recruiter):
    """The calendar file mailed to the employer is candidate data shown to
    the employer: without the contact group in the grant, the candidate's
    email address is not in it (an ATTENDEE line would carry it)."""
    hidden = CompleteCandidateProfileFactory(user__email="core.only@example.test").user
    core_only = ApplicationFactory(opening=job, candidate=hidden, groups=())
    shown = CompleteCandidateProfileFactory(user__email="with.contact@example.test").user
    with_contact = ApplicationFactory(opening=job, candidate=shown, groups=("contact",))
    for application in (core_only, with_contact):
        interview = services.interview_propose(
            actor=recruiter, application=application, slots=[in_days(3, 10)], video_url="https://meet.example/x"
        )
        services.interview_choose(
            candidate=application.candidate, interview=interview, slot_id=interview.slots.get().pk
        )
        services.interview_cancel(actor=recruiter, interview=interview, reason="Sorry")

    def attendees(user) -> str:
        found = [event_of(calendar).get("ATTENDEE", []) for calendar in invitations_to(user)]
        return " ".join(str(a) for entry in found for a in (entry if isinstance(entry, list) else [entry]))

    to_recruiter = attendees(recruiter)
    assert "mailto:sato@fuji-care.test" in to_recruiter  # a REQUEST and a CANCEL per interview
    assert len(invitations_to(recruiter)) == 4
    assert "core.only@example.test" not in to_recruiter
    for row in OutboundEmail.objects.filter(recipient=recruiter):
        assert "core.only@example.test" not in row.body_text
    assert "mailto:with.contact@example.test" in to_recruiter
    # The candidate's own copy still names both sides.
    assert "mailto:sato@fuji-care.test" in attendees(hidden)


def test_a_member_who_left_the_company_is_sent_no_invitation_or_reminder(application, recruiter, company):
    """Someone removed from the company no longer sees its candidates: the
    invitation when the candidate picks a time, and the reminder, go to the
    company's current members instead."""
    interview = services.interview_propose(
        actor=recruiter, application=application, slots=[in_days(3, 10)], video_url="https://meet.example/x"
    )
    EmployerMember.objects.filter(user=recruiter).delete()  # removed in the staff admin
    services.interview_choose(candidate=application.candidate, interview=interview, slot_id=interview.slots.get().pk)
    starts = Interview.objects.get().starts_at
    services.interview_reminders_send(now=starts - timedelta(hours=20))

    assert invitations_to(recruiter) == []
    assert not OutboundEmail.objects.filter(recipient=recruiter, subject__startswith="Reminder").exists()
    assert invitations_to(admin_of(company))
    assert OutboundEmail.objects.filter(recipient=admin_of(company), subject__startswith="Reminder").exists()


def test_the_candidates_calendar_copy_no_longer_names_a_member_who_left(application, recruiter):
    interview = services.interview_propose(
        actor=recruiter, application=application, slots=[in_days(3, 10)], video_url="https://meet.example/x"
    )
    services.interview_choose(candidate=application.candidate, interview=interview, slot_id=interview.slots.get().pk)
    download = reverse("matching:my_application_interview_ics", args=[application.pk])

    def attendees() -> set[str]:
        calendar = icalendar.Calendar.from_ical(signed_in(application.candidate).get(download).content)
        found = event_of(calendar).get("ATTENDEE")
        return {str(a) for a in (found if isinstance(found, list) else [found])}

    assert attendees() == {f"mailto:{application.candidate.email}", f"mailto:{recruiter.email}"}
    EmployerMember.objects.filter(user=recruiter).delete()  # removed in the staff admin
    assert attendees() == {f"mailto:{application.candidate.email}"}
