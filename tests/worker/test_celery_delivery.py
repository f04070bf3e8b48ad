"""The outbox against a real broker and a real Celery worker (PRODUCT §6:
no message lost when the broker or Postmark is down, none sent twice).

The worker is a subprocess (tests/worker/conftest.py); this process writes
the mail in committed transactions, as a web request does, and hands tasks
to the broker as Celery beat would. Waits are bounded polls of the database.
"""

import time
from collections.abc import Callable

import pytest

from accounts.services import invitation_create
from outbox.models import OutboundEmail
from outbox.tasks import requeue_stale_emails
from tests.accounts.factories import EmployerFactory, StaffFactory
from tests.worker import skip_reason, use_broker

REASON = skip_reason()
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    pytest.mark.django_db(transaction=True),
]

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def invite(email: str = "new.admin@employer.test") -> OutboundEmail:
    """An invitation, committed at once (no test transaction here): its email
    is handed to the broker after the commit, as in a web request."""
    invitation_create(actor=StaffFactory(), employer=EmployerFactory(), email=email, member_role="admin", language="en")
    return OutboundEmail.objects.get(to_email=email)


def wait_for(condition: Callable[[], bool], *, timeout: float = 30, tick: Callable[[], object] | None = None) -> None:
    """Poll until `condition()`; `tick` runs between polls (a beat task)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if tick is not None:
            tick()
        time.sleep(0.5 if tick is None else 1)
    raise AssertionError(f"not within {timeout} s")


def state_of(email: OutboundEmail) -> str:
    email.refresh_from_db()
    return email.state


def test_mail_written_while_the_broker_was_down_is_delivered_after_the_requeue(postmark, start_worker):
    with use_broker(UNREACHABLE_BROKER):
        email = invite()
    assert state_of(email) == OutboundEmail.State.QUEUED
    assert postmark.requests == []

    start_worker()
    # The broker is back; beat sends the periodic requeue (every minute in
    # production; this worker hands over rows queued for over a second).
    wait_for(lambda: state_of(email) == OutboundEmail.State.SENT, tick=requeue_stale_emails.delay)
    assert len(postmark.accepted_with_key(email.key)) == 1
    assert len(postmark.accepted()) == 1


def test_a_worker_killed_after_its_send_call_causes_no_second_delivery(postmark, start_worker):
    # Postmark takes the message, then answers slowly; the worker dies meanwhile.
    postmark.hang_next(1, seconds=60, accept=True)
    first = start_worker()
    email = invite()
    postmark.wait_for_messages(1, timeout=30)
    first.kill()
    postmark.release()
    assert state_of(email) == OutboundEmail.State.SENDING

    start_worker()
    # Beat runs the requeue; once the claim is stale (3 s for this worker)
    # the row is reconciled with Postmark's record instead of sent again.
    wait_for(lambda: state_of(email) == OutboundEmail.State.SENT, tick=requeue_stale_emails.delay)

    [message] = postmark.accepted()
    assert message["Metadata"]["outbox_key"] == str(email.key)
    assert len(postmark.send_calls()) == 1
    assert email.provider_message_id == message["MessageID"]
    assert email.events.filter(kind="sent", detail__contains="found at the provider").exists()


def test_postmark_errors_are_retried_by_the_worker_with_backoff(postmark, start_worker):
    postmark.fail_next(2, 500)
    start_worker()
    email = invite()

    wait_for(lambda: state_of(email) == OutboundEmail.State.SENT)

    first, second, third = postmark.send_calls()
    # Retries wait 1 s, then 2 s (TSUNAGU_OUTBOX_RETRY_BASE_SECONDS=1 for this worker).
    assert 0.9 <= second.at - first.at < third.at - second.at
    assert third.at - second.at >= 1.9
    assert len(postmark.accepted()) == 1
    assert email.attempts == 3
    assert list(email.events.values_list("kind", flat=True)) == [
        "queued",
        "attempt",
        "retry",
        "attempt",
        "retry",
        "attempt",
        "sent",
    ]
