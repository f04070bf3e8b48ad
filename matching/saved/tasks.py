from celery import shared_task

from matching.saved import services
from matching.saved.models import Frequency


@shared_task(acks_late=True)
def send_job_alerts() -> int:
    """Daily and weekly digests not yet written for the current period
    (Celery beat, hourly: a run finds nothing left to do once done)."""
    return sum(services.job_alerts_run(frequency=frequency) for frequency in Frequency.values)


@shared_task(acks_late=True)
def notify_closed_saved_jobs() -> int:
    return services.saved_jobs_notify_closed()
