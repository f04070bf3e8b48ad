from celery import shared_task

from matching import services


@shared_task
def send_conversation_digests() -> int:
    """Every minute (Celery beat): the digests of conversations gone quiet."""
    return services.conversation_digests_send()
