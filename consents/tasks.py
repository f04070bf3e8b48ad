from celery import shared_task

from consents import services


@shared_task
def expire_share_grants() -> int:
    """Record the expiry of grants past their date (hourly)."""
    return services.share_grants_expire_due()


@shared_task
def send_grant_expiry_reminders() -> int:
    """Remind candidates before a grant expires (daily)."""
    return services.share_grant_reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_campaign(campaign_id: int) -> int:
    from consents.campaigns import campaign_run

    return campaign_run(campaign_id)


@shared_task
def dispatch_due_campaigns() -> int:
    from consents.campaigns import dispatch_due

    return dispatch_due()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_data_export(export_id: int) -> None:
    from consents.privacy import data_export_build

    data_export_build(export_id)


@shared_task
def apply_retention() -> dict:
    from consents.retention import apply_retention as run

    return run(dry_run=False)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def announce_policy_version(version_id: int) -> int:
    return services.policy_version_announce(version_id)


@shared_task
def announce_pending_policy_versions() -> int:
    return services.policy_versions_announce_pending()


@shared_task
def requeue_stale_exports() -> int:
    from consents.privacy import data_exports_requeue_stale

    return data_exports_requeue_stale()
