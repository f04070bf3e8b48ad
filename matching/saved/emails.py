"""The kinds of message saved jobs and job alerts send (outbox.kinds)."""

from django.utils.translation import gettext_lazy as _

from outbox.kinds import MessageKind

# Purpose mail ("job openings you can apply for"): each copy carries two
# one-click links, for its alert and for the whole purpose (RFC 8058).
ALERT_DIGEST = MessageKind(
    "saved.alert_digest",
    secrets={
        "alert_unsubscribe_url": _("[alert unsubscribe link hidden]"),
        "unsubscribe_url": _("[unsubscribe link hidden]"),
    },
)
# A saved opening closed (purpose mail too: only to people opted in).
SAVED_JOB_CLOSED = MessageKind("saved.saved_job_closed", secrets={"unsubscribe_url": _("[unsubscribe link hidden]")})
