"""The conversation on an application (issue 14): the candidate and the
employer's members write to each other while the candidate shares their
profile; the other side is emailed one digest per conversation, never one
mail per message; unread counts in the header; messages are personal data
(export, erasure), can be reported by either side and hidden by staff."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from consents.models import AccessRecord, ShareGrant
from consents.services import share_grant_withdraw
from matching import exports, selectors, services
from matching.models import ApplicationMessage, Message, MessageReport, PendingNotification
from outbox.models import OutboundEmail
from tests.accounts.factories import CandidateFactory, StaffFactory
from tests.matching.factories import EmployerWithAgreementFactory, admin_of, recruiter_of
from tests.matching.talk import signed_in

pytestmark = pytest.mark.django_db


def my_page(application) -> str:
    return reverse("matching:my_application", args=[application.pk])


def their_page(application) -> str:
    return reverse("matching:employer_application", args=[application.pk])


def candidate_writes(application, body: str):
    return signed_in(application.candidate).post(
        reverse("matching:my_application_message", args=[application.pk]), {"body": body}, follow=True
    )


def recruiter_writes(recruiter, application, body: str):
    return signed_in(recruiter).post(
        reverse("matching:employer_application_message", args=[application.pk]), {"body": body}, follow=True
    )


def digests(user) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(recipient=user, kind="matching.conversation_digest").order_by("pk"))


# --- Both sides write while the grant is active ------------------------------------------------


def test_recruiter_and_candidate_talk_naming_the_opening_and_employer(application, recruiter):
    response = recruiter_writes(recruiter, application, "面接の日程についてご相談させてください。")
    assert response.status_code == 200
    html = signed_in(application.candidate).get(my_page(application)).content.decode()
    assert "面接の日程についてご相談させてください。" in html
    assert "Care worker (介護職員)" in html and "富士ケア株式会社" in html

    response = candidate_writes(application, "ありがとうございます。ဟုတ်ကဲ့ 来週は空いています。")
    assert "Message sent." in response.content.decode()
    html = signed_in(recruiter).get(their_page(application)).content.decode()
    assert "ဟုတ်ကဲ့ 来週は空いています。" in html
    sides = list(ApplicationMessage.objects.values_list("side", "author__email"))
    assert sides == [("employer", "sato@fuji-care.test"), ("candidate", "hoa@example.test")]


def test_any_member_of_the_employer_sees_the_thread_and_colleagues_are_told(application, recruiter, company):
    candidate_writes(application, "Hello")
    assert PendingNotification.objects.filter(recipient=admin_of(company)).exists()
    assert PendingNotification.objects.filter(recipient=recruiter).exists()
    assert "Hello" in signed_in(admin_of(company)).get(their_page(application)).content.decode()


def test_other_candidates_and_other_employers_cannot_read_or_write(application):
    other = CandidateFactory()
    assert signed_in(other).get(my_page(application)).status_code == 404
    response = signed_in(other).post(reverse("matching:my_application_message", args=[application.pk]), {"body": "x"})
    assert response.status_code == 404
    stranger = recruiter_of(EmployerWithAgreementFactory())
    response = signed_in(stranger).post(
        reverse("matching:employer_application_message", args=[application.pk]), {"body": "x"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.application_message_send(author=stranger, application=application, body="x")
    assert not ApplicationMessage.objects.exists()


# --- Withdrawn or expired: closed for the employer, the data hidden -------------------------------


def withdraw(application):
    share_grant_withdraw(actor=application.candidate, grant=ShareGrant.objects.get(pk=application.grant_id))


def expire(application):
    ShareGrant.objects.filter(pk=application.grant_id).update(
        granted_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(minutes=1)
    )


@pytest.mark.parametrize("end", [withdraw, expire], ids=["withdrawn", "expired"])
def test_after_the_grant_ends_the_thread_is_closed_and_hidden_from_the_employer(application, recruiter, end):
    candidate_writes(application, "My phone is 090-1234-5678")
    recruiter_writes(recruiter, application, "Thank you, we will call.")
    end(application)

    html = signed_in(recruiter).get(their_page(application)).content.decode()
    assert "090-1234-5678" not in html and "Thank you, we will call." not in html
    response = recruiter_writes(recruiter, application, "Are you still there?")
    assert "This conversation is closed" in response.content.decode()
    with pytest.raises(services.ConversationClosed):
        services.application_message_send(author=recruiter, application=application, body="Hello?")
    # The candidate still reads their conversation but cannot write into a closed one.
    html = signed_in(application.candidate).get(my_page(application)).content.decode()
    assert "Thank you, we will call." in html and "This conversation is closed" in html
    with pytest.raises(services.ConversationClosed):
        services.application_message_send(author=application.candidate, application=application, body="Hi")
    assert ApplicationMessage.objects.count() == 2
    # The employer's unread count and conversation list forget the candidate.
    assert selectors.unread_count(recruiter) == Message.objects.filter(recipient=recruiter, read_at=None).count()
    assert list(selectors.conversations_of(recruiter)) == []
    # No digest goes to the employer about a candidate it may no longer see.
    services.conversation_digests_send(now=timezone.now() + timedelta(hours=1))
    assert digests(recruiter) == []


# --- Bad input --------------------------------------------------------------------------------


def test_empty_huge_and_duplicate_messages(application, recruiter):
    assert "Write a message first." in candidate_writes(application, "   ").content.decode()
    candidate_writes(application, "x" * 4001)
    assert not ApplicationMessage.objects.exists()
    candidate_writes(application, "<script>alert(1)</script>")
    candidate_writes(application, "<script>alert(1)</script>")  # a double submit
    assert ApplicationMessage.objects.count() == 1
    html = signed_in(recruiter).get(their_page(application)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_residence_card_number_is_refused(application):
    response = candidate_writes(application, "My card is AB12345678CD, can you check it?")
    assert "residence card number" in response.content.decode()
    assert not ApplicationMessage.objects.exists()
    with pytest.raises(ValidationError):
        services.application_message_send(author=application.candidate, application=application, body="ab 12345678 cd")


# --- Batched notifications ----------------------------------------------------------------------


def test_several_messages_within_minutes_make_one_digest_in_the_recipients_language(application, recruiter):
    application.candidate.language = "ja"
    application.candidate.save(update_fields=["language"])
    for text in ("One", "Two", "Three"):
        services.application_message_send(author=recruiter, application=application, body=text)
    now = timezone.now()
    assert services.conversation_digests_send(now=now) == 0  # not quiet yet
    assert services.conversation_digests_send(now=now + timedelta(minutes=4)) == 1
    assert services.conversation_digests_send(now=now + timedelta(minutes=10)) == 0
    [mail] = digests(application.candidate)
    assert mail.language == "ja"
    assert "Care worker (介護職員)" in mail.subject and "富士ケア株式会社" in mail.subject
    assert "/ja/me/applications/" in mail.body_text and "3" in mail.body_text
    assert "One" not in mail.body_text  # the text stays on the portal


def test_a_busy_conversation_is_still_emailed_at_most_every_few_minutes(application, recruiter):
    start = timezone.now()
    for minute in range(0, 20, 2):  # a message every two minutes: never quiet
        services.application_message_send(author=recruiter, application=application, body=f"m{minute}")
        PendingNotification.objects.update(last_at=start + timedelta(minutes=minute))
        services.conversation_digests_send(now=start + timedelta(minutes=minute, seconds=30))
    assert 1 <= len(digests(application.candidate)) <= 2


def test_reading_the_conversation_cancels_its_digest(application, recruiter):
    services.application_message_send(author=recruiter, application=application, body="Hello")
    signed_in(application.candidate).get(my_page(application))
    assert services.conversation_digests_send(now=timezone.now() + timedelta(hours=1)) == 0


# --- Unread counts -------------------------------------------------------------------------------


def test_unread_counts_in_the_header_for_both_sides(application, recruiter):
    candidate = application.candidate
    notices = Message.objects.filter(recipient=candidate, read_at=None).count()
    services.application_message_send(author=recruiter, application=application, body="One")
    services.application_message_send(author=recruiter, application=application, body="Two")
    assert selectors.unread_count(candidate) == notices + 2
    client = signed_in(candidate)
    html = client.get(reverse("matching:board")).content.decode()
    assert f'class="badge">{notices + 2}<' in html
    client.get(my_page(application))
    assert selectors.unread_count(candidate) == notices

    recruiter_unread = selectors.unread_count(recruiter)
    services.application_message_send(author=candidate, application=application, body="Reply")
    assert selectors.unread_count(recruiter) == recruiter_unread + 1
    [row] = selectors.conversations_of(recruiter)
    assert row.unread == 1
    signed_in(recruiter).get(their_page(application))
    assert selectors.unread_count(recruiter) == recruiter_unread


def test_the_messages_page_lists_conversations_with_their_opening(application, recruiter):
    services.application_message_send(author=recruiter, application=application, body="Hello")
    html = signed_in(application.candidate).get(reverse("matching:messages")).content.decode()
    assert "Care worker (介護職員)" in html and "1 new" in html


def test_notices_name_the_opening_and_the_employer(application):
    notice = Message.objects.filter(recipient=application.candidate).order_by("-pk").first()
    assert "Care worker (介護職員)" in notice.body and "富士ケア株式会社" in notice.body


# --- Reports and moderation ---------------------------------------------------------------------


def test_either_side_reports_and_staff_hide_the_message(application, recruiter):
    bad = services.application_message_send(author=recruiter, application=application, body="Let's go on a date")
    url = reverse("matching:message_report", args=[bad.pk])
    assert signed_in(application.candidate).get(url).status_code == 200
    signed_in(application.candidate).post(url, {"category": "dating", "details": "Not about the job"})
    signed_in(application.candidate).post(url, {"category": "dating"})  # a double submit
    assert MessageReport.objects.count() == 1
    assert signed_in(CandidateFactory()).get(url).status_code == 404

    coordinator = StaffFactory(groups=["coordinator"])
    staff = signed_in(coordinator)
    page = staff.get(reverse("matching:staff_message_reports")).content.decode()
    assert "Let&#x27;s go on a date" in page or "Let's go on a date" in page
    assert AccessRecord.objects.filter(viewer_id=coordinator.pk).exists()
    report = MessageReport.objects.get()
    staff.post(reverse("matching:staff_message_reports"), {"report": report.pk, "decision": "hide"})
    bad.refresh_from_db()
    assert bad.hidden_at is not None
    for user, page_url in ((application.candidate, my_page(application)), (recruiter, their_page(application))):
        html = signed_in(user).get(page_url).content.decode()
        assert "Let&#x27;s go on a date" not in html and "Hidden by Tsunagu staff" in html

    reply = services.application_message_send(author=application.candidate, application=application, body="No.")
    services.message_report_create(actor=recruiter, message=reply, category="discomfort")
    second = MessageReport.objects.get(message=reply)
    staff.post(reverse("matching:staff_message_reports"), {"report": second.pk, "decision": "dismiss"})
    reply.refresh_from_db()
    second.refresh_from_db()
    assert reply.hidden_at is None and second.state == "dismissed"


# --- Personal data: export and erasure -------------------------------------------------------------


def test_the_export_contains_the_conversation_and_erasure_removes_it(application, recruiter):
    services.application_message_send(author=recruiter, application=application, body="Interview on Monday?")
    services.application_message_send(author=application.candidate, application=application, body="はい、大丈夫です。")
    _name, data = exports.section(application.candidate)
    [entry] = data["applications"]
    assert [(m["from"], m["text"]) for m in entry["messages"]] == [
        ("富士ケア株式会社", "Interview on Monday?"),
        ("you", "はい、大丈夫です。"),
    ]
    exports.erase(application.candidate)
    assert not ApplicationMessage.objects.exists()
    assert not PendingNotification.objects.filter(recipient=application.candidate).exists()
