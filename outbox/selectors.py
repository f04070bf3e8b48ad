"""Reads of the outbox for the staff pages."""

from django.db.models import Count, QuerySet

from outbox.models import OutboundEmail, Suppression
from outbox.users import UserModel


def outbox_search(*, state: str = "", stream: str = "", query: str = "", campaign: str = "") -> QuerySet[OutboundEmail]:
    """Newest first, filtered by state, stream, campaign number, and an exact
    address (a query with "@") or words of the subject. Only what a list
    shows is read."""
    emails = OutboundEmail.objects.order_by("-created_at")
    if state in OutboundEmail.State.values:
        emails = emails.filter(state=state)
    if stream in OutboundEmail.Stream.values:
        emails = emails.filter(stream=stream)
    if campaign.isdigit():
        emails = emails.filter(campaign_id=int(campaign))
    query = query.strip()[:200]
    if query:
        emails = emails.filter(to_email__iexact=query) if "@" in query else emails.filter(subject__icontains=query)
    return emails.only("pk", "kind", "to_email", "subject", "state", "stream", "created_at", "attempts")


def outbox_email(pk: int) -> OutboundEmail | None:
    return OutboundEmail.objects.prefetch_related("events").filter(pk=pk).first()


def suppressions() -> QuerySet[Suppression]:
    return Suppression.objects.all()


def emails_to(user: UserModel) -> QuerySet[OutboundEmail]:
    """What we wrote to a person (their data export)."""
    return OutboundEmail.objects.filter(recipient=user).order_by("created_at")


def state_counts(*, since=None) -> dict[str, int]:
    """How many messages are in each state (written since `since`, if given):
    one grouped query."""
    emails = OutboundEmail.objects.all()
    if since is not None:
        emails = emails.filter(created_at__gte=since)
    counts = dict(emails.order_by().values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in OutboundEmail.State.values}


def suppression_counts(*, since=None) -> dict[str, int]:
    """Addresses suppressed, by reason (hard bounce, complaint, staff)."""
    rows = Suppression.objects.all()
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    counts = dict(rows.order_by().values_list("reason").annotate(n=Count("pk")))
    return {reason: counts.get(reason, 0) for reason in Suppression.Reason.values}


def failed_emails(limit: int = 10) -> list[OutboundEmail]:
    """The newest messages that could not be delivered (failed, bounced,
    complained), for support to look into."""
    problems = [OutboundEmail.State.FAILED, OutboundEmail.State.BOUNCED, OutboundEmail.State.COMPLAINED]
    return list(
        OutboundEmail.objects.filter(state__in=problems)
        .order_by("-updated_at")
        .only("pk", "kind", "to_email", "state", "last_error", "updated_at")[:limit]
    )
