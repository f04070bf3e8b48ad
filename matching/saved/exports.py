"""Saved jobs and job alerts in "download my data", and their erasure."""

from accounts.models import User
from matching.saved import emails
from matching.saved import filters as saved_filters
from matching.saved.models import JobAlert, SavedJob
from outbox import services as outbox


def section(user: User):
    alerts = JobAlert.objects.filter(user=user).prefetch_related("digests")
    return "saved_jobs_and_alerts", {
        "saved_jobs": [
            {
                "opening": s.opening.title,
                "employer": s.opening.employer.legal_name,
                "saved": s.created_at,
                "told_it_closed": s.closed_noticed_at,
            }
            for s in SavedJob.objects.filter(user=user).select_related("opening__employer")
        ],
        "job_alerts": [
            {
                "name": a.name,
                "search": dict(saved_filters.describe(a.filters)),
                "search_as_saved": a.filters,
                "how_often": a.frequency,
                "paused": a.paused,
                "created": a.created_at,
                "digests": [
                    {"period": d.period, "openings": d.openings, "sent": d.created_at} for d in a.digests.all()
                ],
            }
            for a in alerts
        ],
    }


def erase(user: User) -> None:
    """Saved jobs and alerts go with the account (and the record of
    openings sent with them); their digests stay for the staff's figures,
    unlinked from the alert (a period, a date, a number of openings); the
    alert mail in the outbox keeps no address nor links (outbox.exports
    then clears its subjects and texts). The staff's unsubscribe counts
    never named anyone."""
    outbox.addresses_forget(recipient=user, kinds=[emails.ALERT_DIGEST, emails.SAVED_JOB_CLOSED])
    JobAlert.objects.filter(user=user).delete()  # their digests' `alert` is emptied (SET_NULL)
    SavedJob.objects.filter(user=user).delete()
