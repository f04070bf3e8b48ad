"""System checks for settings whose values depend on each other."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def outbox_timeouts(app_configs, **kwargs):
    """A claim may be taken for a dead worker's only once no live worker can
    still be sending (outbox.delivery): the sending timeout must outlast the
    delivery task's time limit."""
    if settings.TSUNAGU_OUTBOX_SENDING_TIMEOUT <= settings.TSUNAGU_OUTBOX_TASK_TIME_LIMIT:
        return [
            Warning(
                "TSUNAGU_OUTBOX_SENDING_TIMEOUT must be longer than TSUNAGU_OUTBOX_TASK_TIME_LIMIT, "
                "or an email still being sent could be reconciled and sent again.",
                id="tsunagu.W001",
            )
        ]
    return []
