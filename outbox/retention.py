"""The outbox's retention rule (run by consents.privacy.retention)."""

from datetime import timedelta

from django.conf import settings

from outbox import services


def email_content(now, dry_run: bool) -> dict[str, int]:
    """Email texts are cleared after TSUNAGU_RETENTION["email_content"] days;
    the metadata (to, when, state) stays as the record of sending."""
    return {
        "email_contents_cleared": services.contents_clear(
            older_than=now - timedelta(days=settings.TSUNAGU_RETENTION["email_content"]), dry_run=dry_run
        )
    }


RULES = [email_content]
