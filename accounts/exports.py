"""The account's part of "download my data" and of erasure."""

from accounts.models import User
from outbox import services as outbox
from outbox.models import OutboundEmail


def section(user: User):
    emails = OutboundEmail.objects.filter(recipient=user).order_by("created_at")
    return "account", {
        "email": user.email,
        "name": user.full_name,
        "role": user.role,
        "language": user.language,
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        "social_accounts": [{"provider": a.provider, "connected": a.date_joined} for a in user.socialaccount_set.all()],
        "emails_sent_to_you": [
            {
                "written": e.created_at,
                "sent": e.sent_at,
                "state": e.state,
                "stream": e.stream,
                "purpose": e.purpose,
                "subject": e.subject,
                "text": e.body_text,
            }
            for e in emails
        ],
    }


def erase(user: User) -> None:
    """Cancel what is not sent yet, and clear what we wrote to the person:
    the subjects and texts name their applications and the employers, and
    the address would tie them to the applications kept without their name.
    The row (to, when, state) stays as the record of sending."""
    outbox.cancel_pending_for(user)
    OutboundEmail.objects.filter(recipient=user).update(subject="", body_text="", body_html="", template_model={})


def retention_email_content(now, dry_run: bool) -> dict[str, int]:
    """Email texts are cleared after TSUNAGU_RETENTION["email_content"] days;
    the metadata (to, when, state) stays as the record of sending."""
    from datetime import timedelta

    from django.conf import settings

    old = OutboundEmail.objects.filter(
        created_at__lt=now - timedelta(days=settings.TSUNAGU_RETENTION["email_content"])
    ).exclude(body_text="", body_html="")
    count = old.count()
    if not dry_run:
        old.update(body_text="", body_html="", template_model={})
    return {"email_contents_cleared": count}
