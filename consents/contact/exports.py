"""The contact desk's part of "download my data" and of erasure
(consents.privacy.registry)."""

from django.db.models import Q, QuerySet

from accounts.models import User
from consents.contact.models import Inquiry


def _of(user: User) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))


def section(user: User):
    return "contact", {
        "inquiries": [
            {
                "received": i.received_at,
                "topic": i.topic,
                "name": i.name,
                "email": i.email,
                "phone": i.phone,
                "message": i.message,
                "state": i.state,
                "answers": [e.detail for e in i.events.all() if e.kind == "answered"],
            }
            for i in _of(user).prefetch_related("events")
        ]
    }


def erase(user: User) -> None:
    """Inquiries are kept only to answer them: they go with the account."""
    _of(user).delete()
