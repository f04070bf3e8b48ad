"""Reads of saved jobs and job alerts: a candidate's own, and the staff's
figures (counts only: no person)."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from matching import engine
from matching.models import Opening
from matching.saved.models import AlertDigest, AlertUnsubscribe, Frequency, JobAlert, SavedJob


def saved_opening_ids(user: User) -> set[int]:
    """The openings a person saved (one query; empty for anyone but a candidate)."""
    if not (user.is_authenticated and user.is_candidate):
        return set()
    return set(SavedJob.objects.filter(user=user).values_list("opening_id", flat=True))


def saved_jobs_of(user: User) -> QuerySet[SavedJob]:
    return SavedJob.objects.filter(user=user).select_related(
        "opening__employer", "opening__prefecture", "opening__category", "opening__employment_type"
    )


def saveable_opening(pk: int) -> Opening | None:
    """An opening a candidate may save: one the board shows."""
    return engine.open_openings().filter(pk=pk).first()


def alerts_of(user: User) -> QuerySet[JobAlert]:
    return JobAlert.objects.filter(user=user).annotate(digest_count=Count("digests"))


def own_alert(user: User, pk: int) -> JobAlert | None:
    return JobAlert.objects.filter(user=user, pk=pk).first()


def alert_by_id(pk: int | None) -> JobAlert | None:
    return JobAlert.objects.filter(pk=pk).first() if pk else None


# --- Staff ----------------------------------------------------------------------------


def alert_counts() -> list[tuple[str, int, int]]:
    """(frequency, active, paused) for each frequency."""
    rows = {
        row["frequency"]: (row["active"], row["paused_n"])
        for row in JobAlert.objects.order_by()
        .values("frequency")
        .annotate(active=Count("pk", filter=Q(paused=False)), paused_n=Count("pk", filter=Q(paused=True)))
    }
    return [(str(f.label), *rows.get(f.value, (0, 0))) for f in Frequency]


def digests_per_day(*, days: int = 14) -> list[tuple[str, int, int]]:
    """(day, digests, openings mailed) for each of the last `days` days."""
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = {
        row["day"]: (row["n"], row["openings_n"])
        for row in AlertDigest.objects.filter(created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"), openings_n=Sum("openings"))
    }
    return [(day.isoformat(), *rows.get(day, (0, 0))) for day in (since + timedelta(days=i) for i in range(days))]


def unsubscribes(*, days: int = 30) -> list[tuple[str, int]]:
    """One-click stops from alert mail in the last `days` days, by scope."""
    since = timezone.now() - timedelta(days=days)
    counts = dict(
        AlertUnsubscribe.objects.filter(created_at__gte=since).order_by().values_list("scope").annotate(n=Count("pk"))
    )
    return [(str(scope.label), counts.get(scope.value, 0)) for scope in AlertUnsubscribe.Scope]
