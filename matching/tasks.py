from celery import shared_task

from matching import services


@shared_task
def send_conversation_digests() -> int:
    """Every minute (Celery beat): the digests of conversations gone quiet."""
    return services.conversation_digests_send()


@shared_task
def send_interview_reminders() -> int:
    """Every hour (Celery beat): reminders of tomorrow's interviews, once each."""
    return services.interview_reminders_send()
