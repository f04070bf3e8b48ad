"""Reads of the contact desk."""

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from accounts.models import User
from consents.contact.models import Inquiry


def queue(*, show: str, user: User) -> QuerySet[Inquiry]:
    """open: new and assigned, oldest first; mine: assigned to `user`; all."""
    inquiries = Inquiry.objects.select_related("assigned_to")
    if show == "mine":
        return inquiries.filter(assigned_to=user, state__in=Inquiry.OPEN_STATES)
    if show == "all":
        return inquiries.order_by("-received_at")
    return inquiries.filter(state__in=Inquiry.OPEN_STATES)


def inquiry(pk: int) -> Inquiry | None:
    return Inquiry.objects.select_related("assigned_to", "user").filter(pk=pk).first()


def open_count() -> int:
    return Inquiry.objects.filter(state__in=Inquiry.OPEN_STATES).count()


def unassigned_count() -> int:
    return Inquiry.objects.filter(state=Inquiry.State.NEW).count()


def staff_members() -> QuerySet[User]:
    """Who an inquiry can be assigned to: active staff in a staff group."""
    return (
        User.objects.filter(role=User.Role.STAFF, is_active=True, groups__in=Group.objects.all())
        .distinct()
        .order_by("email")
    )
