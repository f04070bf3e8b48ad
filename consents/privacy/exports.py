"""The privacy desk's part of "download my data" and of erasure
(consents.privacy.registry)."""

from accounts.models import User
from consents.privacy.models import DataExport, PrivacyRequest


def section(user: User):
    return "privacy", {
        "requests": [
            {
                "kind": r.kind,
                "regime": r.regime,
                "received": r.received_at,
                "state": r.state,
                "due": r.effective_due_on,
                "details": r.details,
                "answer": r.answer,
            }
            for r in PrivacyRequest.objects.filter(requester=user)
        ],
    }


def erase(user: User) -> None:
    """Delete the archives prepared for the person; their requests stay (the
    record of having answered them, deleted by retention) without the link to
    the account."""
    for export in DataExport.objects.filter(user=user):
        if export.file:
            export.file.delete(save=False)
    PrivacyRequest.objects.filter(requester=user).update(requester=None)
