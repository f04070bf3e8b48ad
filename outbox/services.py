"""Writing to the outbox: every email is a row first, written in the
caller's transaction, then handed to the delivery task after the commit (if
the broker is down the row waits for the periodic requeue).

Callers name the kind of message (outbox.kinds.MessageKind, declared in
their app's `emails.py`); the values the kind declares secret are stored
only sealed."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from outbox.broker import send_task_on_commit
from outbox.kinds import KINDS, MessageKind, hide_secrets, seal, secrets_in
from outbox.languages import mail_language
from outbox.models import OutboundEmail, OutboundEmailEvent, Suppression
from outbox.users import UserModel


def event(
    email: OutboundEmail, kind: "OutboundEmailEvent.Kind", detail: str = "", provider_event_id: str | None = None
) -> None:
    OutboundEmailEvent.objects.create(email=email, kind=kind, detail=detail[:2000], provider_event_id=provider_event_id)


def outbound_row(
    *,
    kind: MessageKind,
    to_email: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient: UserModel | None = None,
    recipient_id: int | None = None,
    language: str = "en",
    stream: str = OutboundEmail.Stream.TRANSACTIONAL,
    purpose: str = "",
    campaign_id: int | None = None,
    headers: dict | None = None,
    template_alias: str = "",
    template_model: dict | None = None,
    secrets: Mapping[str, str] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> OutboundEmail:
    """An unsaved outbox row: the texts as stored (secrets as their labels)
    and the secrets sealed beside them. `enqueue()` saves one; batch writers
    (campaigns) bulk-insert many with `enqueue_rows()`."""
    if kind.name not in KINDS:
        raise ValueError(f"Unknown message kind {kind.name!r}")
    return OutboundEmail(
        kind=kind.name,
        recipient=recipient,
        **({"recipient_id": recipient_id} if recipient is None and recipient_id else {}),
        to_email=to_email,
        language=language,
        stream=stream,
        purpose=purpose,
        campaign_id=campaign_id,
        subject=subject.replace("\n", " ").strip()[:300],
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        template_alias=template_alias,
        template_model=template_model or {},
        sealed_secrets=seal(secrets or {}),
        attachments=[
            {"filename": a["filename"], "mimetype": a["mimetype"], "content": a["content"]} for a in attachments or []
        ],
    )


def enqueue(*, kind: MessageKind, **fields: Any) -> OutboundEmail:
    """Write an email to the outbox, in the caller's transaction; delivered
    after the commit (see `outbound_row` for the fields)."""
    email = outbound_row(kind=kind, **fields)
    email.save()
    event(email, OutboundEmailEvent.Kind.QUEUED)
    send_task_on_commit("outbox.tasks.deliver_email", email.pk)
    return email


def enqueue_rows(rows: list[OutboundEmail]) -> list[int]:
    """Bulk-insert outbox rows (from `outbound_row`) and hand them to the
    batch delivery task after the commit. Returns their ids."""
    with transaction.atomic():
        created = OutboundEmail.objects.bulk_create(rows)
        ids = [row.pk for row in created]
        if ids and ids[0] is None:  # backends that do not return ids on bulk insert
            keys = [row.key for row in rows]
            ids = list(OutboundEmail.objects.filter(key__in=keys).values_list("pk", flat=True))
        send_task_on_commit("outbox.tasks.deliver_email_batch", ids)
    return ids


def enqueue_templated(
    *,
    kind: MessageKind,
    to: UserModel | str,
    context: dict,
    subject: Callable[[], object] | str,
    language: str | None = None,
    **fields: Any,
) -> OutboundEmail:
    """Render the kind's `<template>.txt` (and `.html` if it exists) in the
    recipient's language (outbox.languages.mail_language: their account's
    language; `language`, the one they used, only without an account).
    `subject` may be a callable evaluated in it. The context values the kind
    declares secret are stored only sealed."""
    user = to if isinstance(to, get_user_model()) else None
    language = mail_language(user, used=language)
    with translation.override(language):
        context = hide_secrets(kind, {**context, "LANGUAGE_CODE": language, "SITE_URL": settings.SITE_URL})
        text = render_to_string(f"{kind.template}.txt", context)
        html: str
        try:
            html = render_to_string(f"{kind.template}.html", context)
        except TemplateDoesNotExist:  # a plain-text-only template
            html = ""
        subject_text = str(subject() if callable(subject) else subject)
    return enqueue(
        kind=kind,
        to_email=user.email if user else to,
        recipient=user,
        subject=subject_text,
        body_text=text,
        body_html=html,
        language=language,
        secrets=secrets_in(context),
        **fields,
    )


def cancel_pending_for(user: UserModel) -> int:
    """Cancel mail not yet sent to a person (account erasure)."""
    pending = OutboundEmail.objects.filter(recipient=user, state=OutboundEmail.State.QUEUED)
    count = 0
    for email in pending:
        email.state = OutboundEmail.State.CANCELLED
        email.sealed_secrets = ""
        email.save(update_fields=["state", "sealed_secrets", "updated_at"])
        event(email, OutboundEmailEvent.Kind.CANCELLED)
        count += 1
    return count


# --- The suppression list ---------------------------------------------------------------


def suppression_add(*, email: str, reason: str, detail: str = "") -> Suppression:
    """No more purpose mail to this address (hard bounce, complaint, or staff)."""
    suppression, _created = Suppression.objects.get_or_create(
        email=email.strip().lower(), defaults={"reason": reason, "detail": detail[:500]}
    )
    return suppression


def suppression_remove(*, pk: int) -> None:
    Suppression.objects.filter(pk=pk).delete()


def contents_clear(
    *,
    recipient: UserModel | None = None,
    older_than: datetime | None = None,
    subjects: bool = False,
    dry_run: bool = False,
) -> int:
    """Clear the texts (and with `subjects` the subjects) of the rows sent to
    `recipient` or written before `older_than`; the rows stay as the record
    of sending. Returns how many rows had something to clear."""
    rows = OutboundEmail.objects.all()
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    if older_than is not None:
        rows = rows.filter(created_at__lt=older_than)
    cleared = {"body_text": "", "body_html": "", "template_model": {}, "attachments": []} | (
        {"subject": ""} if subjects else {}
    )
    rows = rows.exclude(body_text="", body_html="", **({"subject": ""} if subjects else {}))
    count = rows.count()
    if not dry_run:
        rows.update(**cleared)
    return count


def addresses_forget(*, recipient: UserModel, kinds: list[MessageKind]) -> int:
    """The rows of these kinds sent to a person whose account is being
    erased keep no address, no headers and no sealed links: what stays
    says which kind of mail went out when, and to nobody. For mail whose
    record needs no addressee (purpose mail the person chose, such as job
    alerts). Returns how many rows were changed."""
    return OutboundEmail.objects.filter(recipient=recipient, kind__in=[k.name for k in kinds]).update(
        to_email="", headers={}, sealed_secrets=""
    )


def cancel_queued(*, campaign_id: int) -> int:
    """Cancel the rows of a purpose campaign not handed to the provider yet
    (staff cancelled the campaign while it was going out)."""
    with transaction.atomic():
        rows = list(
            OutboundEmail.objects.select_for_update()
            .filter(campaign_id=campaign_id, state=OutboundEmail.State.QUEUED)
            .values_list("pk", flat=True)
        )
        OutboundEmail.objects.filter(pk__in=rows).update(state=OutboundEmail.State.CANCELLED, sealed_secrets="")
        OutboundEmailEvent.objects.bulk_create(
            OutboundEmailEvent(email_id=pk, kind=OutboundEmailEvent.Kind.CANCELLED, detail="campaign cancelled")
            for pk in rows
        )
    return len(rows)
