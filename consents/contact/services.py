"""The contact desk: anyone writes; staff assign, answer by email (through
the outbox) and close."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffGroup, User
from accounts.permissions import in_staff_group
from consents.contact import emails
from consents.contact.models import Inquiry, InquiryEvent, Topic
from consents.models import PolicyKind
from consents.services import current_policy
from outbox import services as outbox

DESK_STAFF = (StaffGroup.SUPPORT, StaffGroup.COORDINATOR, StaffGroup.PRIVACY_OFFICER)


def _check_staff(actor: User) -> None:
    if not in_staff_group(actor, *DESK_STAFF):
        raise PermissionDenied


def _event(inquiry: Inquiry, kind: str, actor: User | None = None, detail: str = "") -> None:
    InquiryEvent.objects.create(inquiry=inquiry, kind=kind, actor=actor, detail=detail[:10000])


@transaction.atomic
def inquiry_submit(
    *,
    user: User | None,
    name: str,
    email: str,
    phone: str,
    topic: str,
    message: str,
    language: str,
) -> Inquiry:
    """Record an inquiry and acknowledge it by email. The privacy policy in
    force (its purpose of use, seed 004 Art. 1(4)) is recorded with it."""
    signed_in = user is not None and user.is_authenticated
    policy = current_policy(PolicyKind.PRIVACY)
    inquiry = Inquiry(
        user=user if signed_in else None,
        name=name.strip()[:150],
        email=(user.email if signed_in and user is not None else email).strip().lower(),
        phone=phone.strip()[:20],
        topic=topic if topic in Topic.values else Topic.OTHER,
        message=message.strip(),
        language=language,
        notice_version_id=policy.pk if policy else None,
    )
    inquiry.full_clean()
    inquiry.save()
    _event(inquiry, InquiryEvent.Kind.RECEIVED, inquiry.user)
    outbox.enqueue_templated(
        to=inquiry.user or inquiry.email,
        language=language,
        kind=emails.INQUIRY_RECEIVED,
        context={"inquiry": inquiry},
        subject=lambda: _("We received your message"),
    )
    return inquiry


@transaction.atomic
def inquiry_assign(*, actor: User, inquiry: Inquiry, assignee: User) -> Inquiry:
    _check_staff(actor)
    if not in_staff_group(assignee, *DESK_STAFF):
        raise ValidationError(_("Inquiries are assigned to staff of the contact desk."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not inquiry.is_open:
        raise ValidationError(_("This inquiry is no longer open."))
    inquiry.assigned_to = assignee
    inquiry.state = Inquiry.State.ASSIGNED
    inquiry.save(update_fields=["assigned_to", "state"])
    _event(inquiry, InquiryEvent.Kind.ASSIGNED, actor, assignee.email)
    return inquiry


@transaction.atomic
def inquiry_answer(*, actor: User, inquiry: Inquiry, text: str) -> Inquiry:
    """Send the answer by email (outbox, in the inquirer's language); the
    text is kept with the inquiry's history."""
    _check_staff(actor)
    if not text.strip():
        raise ValidationError(_("Write the answer: it is sent by email."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.state == Inquiry.State.CLOSED:
        raise ValidationError(_("This inquiry is closed."))
    inquiry.state = Inquiry.State.ANSWERED
    inquiry.answered_at = timezone.now()
    if inquiry.assigned_to_id is None:
        inquiry.assigned_to = actor
    inquiry.save(update_fields=["state", "answered_at", "assigned_to"])
    _event(inquiry, InquiryEvent.Kind.ANSWERED, actor, text.strip())
    outbox.enqueue_templated(
        to=inquiry.user or inquiry.email,
        language=inquiry.language,
        kind=emails.INQUIRY_ANSWER,
        context={"inquiry": inquiry, "answer": text.strip()},
        subject=lambda: _("The answer to your message"),
    )
    return inquiry


@transaction.atomic
def inquiry_close(*, actor: User, inquiry: Inquiry) -> Inquiry:
    _check_staff(actor)
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.state != Inquiry.State.CLOSED:
        inquiry.state = Inquiry.State.CLOSED
        inquiry.closed_at = timezone.now()
        inquiry.save(update_fields=["state", "closed_at"])
        _event(inquiry, InquiryEvent.Kind.CLOSED, actor)
    return inquiry
