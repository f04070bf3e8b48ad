from celery import shared_task
from django.conf import settings

from outbox import delivery

# Backoff for transient errors: 30 s, 1 min, 2 min ... capped at 1 h; well
# under the broker's visibility timeout (CELERY_BROKER_TRANSPORT_OPTIONS).
# The base is TSUNAGU_OUTBOX_RETRY_BASE_SECONDS (tests with a real worker use 1).
MAX_RETRIES = 6


@shared_task(
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.TSUNAGU_OUTBOX_TASK_TIME_LIMIT,
)
def deliver_email(self, email_id: int) -> str:
    final = self.request.retries >= MAX_RETRIES
    try:
        return delivery.deliver(email_id, final_attempt=final)
    except delivery.TransientDeliveryError as exc:
        countdown = min(3600, settings.TSUNAGU_OUTBOX_RETRY_BASE_SECONDS * 2**self.request.retries)
        if self.request.is_eager:
            # Run eagerly (no broker: the embedded default, and tests) there is
            # no "later". Celery's Task.apply runs a *returned* Retry again at
            # once; raised, it would escape .delay() (task_eager_propagates)
            # into dispatch(), and the row would wait for requeue_stale().
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def requeue_stale_emails() -> int:
    return delivery.requeue_stale()


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=settings.TSUNAGU_OUTBOX_TASK_TIME_LIMIT)
def deliver_email_batch(email_ids: list[int]) -> dict[str, int]:
    """Up to 500 rows in one provider call; failures go back to the queue."""
    return delivery.deliver_batch(email_ids)
