"""The outbox's part of erasure (consents.privacy.registry). The emails
themselves are listed in the account's part of "download my data"
(accounts.exports, through outbox.selectors.emails_to)."""

from outbox import services
from outbox.users import UserModel


def erase(user: UserModel) -> None:
    """Cancel what is not sent yet, and clear what we wrote to the person:
    the subjects and texts name their applications and the employers, and
    the address would tie them to the applications kept without their name.
    The row (to, when, state) stays as the record of sending."""
    services.cancel_pending_for(user)
    services.contents_clear(recipient=user, subjects=True)
