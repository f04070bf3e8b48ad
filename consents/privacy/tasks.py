from celery import shared_task

from consents.privacy import retention, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_data_export(export_id: int) -> None:
    services.data_export_build(export_id)


@shared_task
def requeue_stale_exports() -> int:
    return services.data_exports_requeue_stale()


@shared_task
def apply_retention() -> dict[str, int]:
    return retention.apply_retention(dry_run=False)
