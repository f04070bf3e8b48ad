"""The outbox (PRODUCT §6): every email is a row written in the same
transaction as its cause, then delivered through django-anymail's Postmark
backend — here pointed at a local Postmark stand-in — with retries and
backoff, so that no message is lost when the broker or Postmark is down and
none is sent twice.

Celery runs eagerly in these tests (config.settings.test): a task runs in the
process as soon as its row is committed, and a retry runs at once instead of
after its backoff (the backoff itself is timed by tests/worker against a
real worker).
"""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import EmployerInvitation
from accounts.services import invitation_create
from outbox import delivery
from outbox.models import OutboundEmail
from outbox.tasks import MAX_RETRIES, deliver_email
from tests.accounts.factories import CandidateFactory, EmployerFactory, StaffFactory
from tests.consents.factories import EmployerWithAgreementFactory, give
from tests.postmark_standin import serve_postmark
from tests.worker import use_broker

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def postmark(settings):
    # Half a second is "Postmark did not answer" for the timeout tests.
    yield from serve_postmark(settings, REQUESTS_TIMEOUT=0.5)


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff.member@tsunagu.test")


def invite(staff, *, email="new.admin@employer.test", language="en"):
    return invitation_create(
        actor=staff,
        employer=EmployerFactory(legal_name="Sakura Foods K.K."),
        email=email,
        member_role="admin",
        language=language,
    )


def only_row() -> OutboundEmail:
    rows = list(OutboundEmail.objects.all())
    assert len(rows) == 1, rows
    return rows[0]


def kinds(email: OutboundEmail) -> list[str]:
    return list(email.events.values_list("kind", flat=True))


def later(seconds: int):
    return timezone.now() + timedelta(seconds=seconds + 1)


def worker_died_long_ago(email: OutboundEmail) -> None:
    """Time passes: the claim is older than a send can take."""
    ago = timezone.now() - timedelta(seconds=settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT + 1)
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=ago, updated_at=ago)


# --- Written with its cause, sent after the commit ---------------------------------------


def test_an_invitation_email_is_written_with_the_invitation_and_sent_to_postmark_after_the_commit(
    postmark, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        issued = invite(staff)
        # Before the commit: the row exists, nothing has left the machine.
        assert only_row().state == OutboundEmail.State.QUEUED
        assert postmark.send_calls() == []
    assert callbacks, "the delivery is handed over only after the commit"

    email = only_row()
    [call] = postmark.send_calls()
    assert call.path == "/email"
    assert call.headers["X-Postmark-Server-Token"] == "test-token"
    [message] = postmark.accepted()
    assert message["To"] == "new.admin@employer.test"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["MessageStream"] == "outbound"
    assert message["Metadata"] == {"outbox_key": str(email.key)}
    assert "Sakura Foods K.K." in message["Subject"]
    # The template has a text and an HTML version: both go, both carry the link.
    assert issued.url in message["TextBody"]
    assert f'href="{issued.url}"' in message["HtmlBody"]
    assert email.state == OutboundEmail.State.SENT
    assert email.provider_message_id == message["MessageID"]
    assert kinds(email) == ["queued", "attempt", "sent"]


def test_an_invitation_that_is_rolled_back_leaves_no_email_and_sends_nothing(
    postmark, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        invite(staff)
        raise RuntimeError("something later in the same request failed")
    assert not EmployerInvitation.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert postmark.requests == []


def test_mail_is_in_the_language_of_its_recipient(postmark, django_capture_on_commit_callbacks):
    if not (Path(settings.LOCALE_PATHS[0]) / "ja" / "LC_MESSAGES" / "django.mo").exists():
        pytest.skip("locale/ja is not compiled (make messages): Japanese text cannot be checked")
    employer = EmployerWithAgreementFactory(legal_name="Sakura Foods K.K.")
    lan = CandidateFactory(email="lan@example.test", language="ja")
    mai = CandidateFactory(email="mai@example.test", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        give(lan, employer)
        give(mai, employer)
    [to_lan] = postmark.accepted_for("lan@example.test")
    [to_mai] = postmark.accepted_for("mai@example.test")
    assert to_lan["Subject"] == "Sakura Foods K.K.とプロフィールを共有しました"
    assert "Sakura Foods K.K." in to_lan["TextBody"] and "共有" in to_lan["TextBody"]
    assert to_mai["Subject"] == "You shared your profile with Sakura Foods K.K."
    assert "HtmlBody" not in to_mai  # this template is text only: no empty HTML part
    assert OutboundEmail.objects.get(to_email="lan@example.test").language == "ja"


# --- Postmark errors -----------------------------------------------------------------------


def test_postmark_server_errors_are_retried_and_the_email_arrives_once(
    postmark, staff, django_capture_on_commit_callbacks
):
    postmark.fail_next(2, 500)
    with django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    assert len(postmark.send_calls()) == 3
    assert len(postmark.accepted()) == 1
    assert email.state == OutboundEmail.State.SENT
    assert email.attempts == 3
    assert kinds(email) == ["queued", "attempt", "retry", "attempt", "retry", "attempt", "sent"]
    assert "500" in email.events.filter(kind="retry").first().detail


def test_a_request_postmark_refuses_fails_at_once_with_the_reason(postmark, staff, django_capture_on_commit_callbacks):
    postmark.fail_next(1, 422)
    with django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    assert email.state == OutboundEmail.State.FAILED
    assert "Invalid 'From' address" in email.last_error
    assert "retry" not in kinds(email)
    # A refused email is not picked up again later either.
    assert delivery.requeue_stale(now=later(settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT)) == 0
    assert len(postmark.send_calls()) == 1
    assert postmark.accepted() == []


def test_a_postmark_timeout_is_retried(postmark, staff, django_capture_on_commit_callbacks):
    postmark.hang_next(1, seconds=5)
    with django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    assert email.state == OutboundEmail.State.SENT
    assert len(postmark.send_calls()) == 2
    assert len(postmark.accepted()) == 1
    assert "timed out" in email.events.get(kind="retry").detail.lower()


def test_a_timeout_after_postmark_took_the_email_does_not_send_it_twice(
    postmark, staff, django_capture_on_commit_callbacks
):
    """Postmark accepted the message but its answer never arrived: the retry
    finds the message at Postmark (search by the outbox key) instead of
    sending it again."""
    postmark.hang_next(1, seconds=5, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    [message] = postmark.accepted()
    assert email.state == OutboundEmail.State.SENT
    assert email.provider_message_id == message["MessageID"]
    assert len(postmark.send_calls()) == 1


def test_after_the_allowed_tries_the_email_fails_with_the_reason(postmark, staff, django_capture_on_commit_callbacks):
    tries = MAX_RETRIES + 1
    postmark.fail_next(tries + 5, 500)
    with django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    assert len(postmark.send_calls()) == tries
    assert email.state == OutboundEmail.State.FAILED
    assert email.attempts == tries
    assert "500" in email.last_error
    assert kinds(email)[-1] == "failed"
    assert postmark.accepted() == []


# --- A worker that died, a broker that was down ------------------------------------------------


def test_an_email_a_dead_worker_sent_but_never_marked_is_not_sent_again(postmark, staff):
    """The worker claimed the row, called Postmark, and died before marking it
    sent. The periodic requeue finds the row stale; Postmark's record of the
    message (its metadata carries the outbox key) settles it."""
    invite(staff)  # the test's transaction never commits: no task ran yet
    email = only_row()
    claimed = delivery._claim(email.pk)  # the worker's first step...
    delivery.build_message(claimed).send()  # ...and its send call; then it died.
    [message] = postmark.accepted_with_key(email.key)

    # Still within the time a send may take: left alone.
    assert delivery.requeue_stale() == 0
    worker_died_long_ago(email)
    assert delivery.requeue_stale() == 1

    email.refresh_from_db()
    assert len(postmark.accepted()) == 1
    assert len(postmark.send_calls()) == 1
    assert email.state == OutboundEmail.State.SENT
    assert email.provider_message_id == message["MessageID"]
    assert "found at the provider" in email.events.get(kind="sent").detail
    assert delivery.requeue_stale(now=later(settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT)) == 0


def test_a_stale_claimed_email_postmark_never_got_is_sent_once(postmark, staff):
    invite(staff)
    email = only_row()
    delivery._claim(email.pk)  # the worker died before its send call
    worker_died_long_ago(email)
    assert delivery.requeue_stale() == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert len(postmark.accepted_with_key(email.key)) == 1
    assert len(postmark.accepted()) == 1


def test_a_second_task_for_an_email_another_worker_is_sending_sends_nothing(postmark, staff):
    """Two tasks for one row (a redelivered task message, a requeue): the one
    that finds the row claimed moments ago must not send a second copy."""
    invite(staff)
    email = only_row()
    claimed = delivery._claim(email.pk)  # worker A is sending now

    deliver_email.delay(email.pk)  # worker B

    assert postmark.send_calls() == []
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENDING
    message = delivery.build_message(claimed)
    message.send()  # worker A's call goes through
    delivery._mark_sent(claimed, provider_message_id=message.anymail_status.message_id)
    assert len(postmark.accepted()) == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT


def test_emails_written_while_the_broker_was_down_are_sent_when_requeued(
    postmark, staff, settings, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="outbox.broker")
    with use_broker(UNREACHABLE_BROKER), django_capture_on_commit_callbacks(execute=True):
        invite(staff)
    email = only_row()
    assert email.state == OutboundEmail.State.QUEUED
    assert "waits for the periodic requeue" in caplog.text
    assert postmark.requests == []

    # The broker is back (eager again). The periodic task waits a little
    # (the row may just be on its way), then hands it over.
    assert delivery.requeue_stale() == 0
    assert delivery.requeue_stale(now=later(settings.TSUNAGU_OUTBOX_REQUEUE_AFTER)) == 1
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    assert len(postmark.accepted_with_key(email.key)) == 1
