from celery import shared_task

from consents import services


@shared_task
def expire_share_grants() -> int:
    """Record the expiry of grants past their date (hourly)."""
    return services.share_grants_expire_due()


@shared_task
def expire_app_authorisations() -> int:
    """Record the end of apps' access that lapsed with their tokens (hourly)."""
    return services.app_authorisations_expire_due()


@shared_task
def send_grant_expiry_reminders() -> int:
    """Remind candidates before a grant expires (daily)."""
    return services.share_grant_reminders_send()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def announce_policy_version(version_id: int) -> int:
    return services.policy_version_announce(version_id)


@shared_task
def announce_pending_policy_versions() -> int:
    return services.policy_versions_announce_pending()
