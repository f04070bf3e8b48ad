from celery import shared_task

from consents.campaigns import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_campaign(campaign_id: int) -> int:
    return services.campaign_run(campaign_id)


@shared_task
def dispatch_due_campaigns() -> int:
    return services.dispatch_due()
