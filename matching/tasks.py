from celery import shared_task
from django.conf import settings

from matching import services, webhook_delivery

# Retries with backoff (base × 2^n, capped at 1 h): six attempts in all.
WEBHOOK_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=WEBHOOK_MAX_RETRIES, acks_late=True, reject_on_worker_lost=True, time_limit=60)
def deliver_webhook(self, delivery_id: int) -> str:
    final = self.request.retries >= WEBHOOK_MAX_RETRIES
    try:
        return webhook_delivery.deliver(delivery_id, final_attempt=final)
    except webhook_delivery.TransientWebhookError as exc:
        countdown = min(3600, settings.TSUNAGU_WEBHOOK_RETRY_BASE_SECONDS * 2**self.request.retries)
        if self.request.is_eager:
            # As outbox.tasks.deliver_email: eagerly, a returned Retry runs again at once.
            return self.retry(exc=exc, countdown=countdown, throw=False)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task
def send_conversation_digests() -> int:
    """Every minute (Celery beat): the digests of conversations gone quiet."""
    return services.conversation_digests_send()


@shared_task
def send_interview_reminders() -> int:
    """Every hour (Celery beat): reminders of tomorrow's interviews, once each."""
    return services.interview_reminders_send()


@shared_task
def drop_expired_webhook_secrets() -> int:
    """Every hour (Celery beat): previous signing secrets past their overlap."""
    return services.webhook_previous_secrets_drop()
