"""Reads of the privacy desk: the candidate's centre, the staff desk, the
breach register and its PPC deadlines."""

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from consents.privacy.models import AccountErasure, DataExport, Incident, PrivacyRequest


def exports_of(user: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user)


def export_of(user: User, pk: int, *, ready: bool = False) -> DataExport | None:
    """One of the person's own archives (None for anyone else's)."""
    exports = exports_of(user).filter(pk=pk)
    if ready:
        exports = exports.filter(state=DataExport.State.READY)
    return exports.first()


def requests_of(user: User) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(requester=user).order_by("-received_at")


def request_desk(*, open_only: bool) -> QuerySet[PrivacyRequest]:
    """By the date the answer is due now: an extended request by its new date."""
    requests = PrivacyRequest.objects.all()
    if open_only:
        requests = requests.filter(state__in=PrivacyRequest.OPEN_STATES)
    return requests.order_by(Coalesce("extended_due_on", "due_on"), "received_at")


def privacy_request(pk: int) -> PrivacyRequest | None:
    return PrivacyRequest.objects.filter(pk=pk).first()


def incidents() -> QuerySet[Incident]:
    return Incident.objects.all()


def incident(pk: int) -> Incident | None:
    return Incident.objects.prefetch_related("events__actor", "affected_users").filter(pk=pk).first()


def incident_deadlines(incident: Incident) -> dict:
    """PPC: preliminary report in about 3-5 days; final in 30 days, 60 for a
    suspected wrongful purpose (Rules 8-9) [preliminary window per PPC guidance]."""
    discovered = incident.discovered_at
    final_by = discovered + timedelta(days=60 if incident.wrongful_purpose else 30)
    now = timezone.now()
    return {
        "reportable": incident.reportable,
        "preliminary_from": discovered + timedelta(days=3),
        "preliminary_by": discovered + timedelta(days=5),
        "final_by": final_by,
        "overdue_preliminary": incident.reportable
        and not incident.preliminary_reported_at
        and now > discovered + timedelta(days=5),
        "overdue_final": incident.reportable and not incident.final_reported_at and now > final_by,
    }


# --- The privacy officers' dashboard -----------------------------------------------------


def open_request_counts() -> dict[tuple[str, str], int]:
    """Open requests by (state, regime): one grouped query."""
    rows = (
        PrivacyRequest.objects.filter(state__in=PrivacyRequest.OPEN_STATES)
        .order_by()
        .values_list("state", "regime")
        .annotate(n=Count("pk"))
    )
    return {(state, regime): n for state, regime, n in rows}


def open_incidents() -> QuerySet[Incident]:
    """Incidents whose final report to the PPC is not made yet."""
    return Incident.objects.filter(final_reported_at__isnull=True).order_by("discovered_at")


def exports_since(since) -> int:
    return DataExport.objects.filter(created_at__gte=since).count()


def erasures_since(since) -> dict[str, int]:
    rows = AccountErasure.objects.filter(erased_at__gte=since).order_by().values_list("trigger").annotate(n=Count("pk"))
    counts = dict(rows)
    return {trigger: counts.get(trigger, 0) for trigger in AccountErasure.Trigger.values}
