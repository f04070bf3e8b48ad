import logging

import requests
from celery import shared_task

from profiles.models import CandidateProfile
from profiles.photos import PhotoDownloadFailed, PhotoRejected, download_social_photo, profile_photo_store

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=3,
)
def fetch_social_photo(self, profile_id: int, url: str, source: str) -> None:
    """Take the photo Google or Facebook gave at sign-in, if the candidate has none.

    Goes through the same pipeline as an upload. Safe to run twice. On a
    worker, network failures are retried with backoff; after the last try, and
    for anything that trying again will not fix (a refused photo, an HTTP
    error), the task ends quietly: the candidate has no photo and can upload
    one.

    Run eagerly (no broker: the embedded default, and tests) there is no
    "later": with CELERY_TASK_EAGER_PROPAGATES autoretry would raise Celery's
    Retry out of .delay() into the sign-in that queued the task, so a network
    failure ends the task at once instead."""
    profile = CandidateProfile.objects.filter(pk=profile_id).first()
    if profile is None or profile.photo:
        return
    try:
        data = download_social_photo(url)
    except TRANSIENT_ERRORS as exc:
        if not self.request.is_eager and self.request.retries < self.max_retries:
            raise  # autoretry_for: tried again later, with backoff
        logger.warning("sign-in photo for profile %s not fetched after retries: %s", profile_id, exc)
        return
    except (PhotoDownloadFailed, PhotoRejected) as exc:
        logger.info("sign-in photo for profile %s not fetched: %s", profile_id, exc)
        return
    try:
        profile_photo_store(profile=profile, data=data, source=source, only_if_empty=True)
    except PhotoRejected as exc:
        logger.info("sign-in photo for profile %s refused: %s", profile_id, exc)
