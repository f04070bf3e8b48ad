"""Time a daily job-alert run: digests built and queued in the outbox.

    .venv/bin/python -m bench.alerts --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench_saved

Creates (bulk inserts) 100,000 candidates — 85 % agree to "job openings you
can apply for", 0.5 % have restricted the use of their data —, 300
employers, 8,000 openings published before the last run and 2,000 since,
then for each size of --alerts makes that many daily alerts on distinct
candidates, with board filters drawn the way people search (prefecture
weighted towards Tokyo, Osaka and Aichi; a kind of work most of the time; a
Japanese level or visa sponsorship sometimes), and times
matching.saved.services.job_alerts_run in a child process of its own (so
its peak memory is its own): the consent checked for everyone at the run,
each distinct search run once, a digest per alert with new matches written
500 at a time with its sent-openings and digest rows, each batch handed to
Celery. The broker is kombu's in-memory transport (no worker: a hand-over
costs serialising and publishing it). Each size runs twice from the same
state: once timed, once under tracemalloc (not timed).

Goal (issue 13): under 60 s for 100,000 candidates and 20,000 saved
searches, memory flat. The database is dropped at the end unless --keep.
"""

import argparse
import json
import platform
import random
import sys
import time
from datetime import timedelta

from bench import django_setup, drop_database, ensure_database, migrate
from bench.timing import measure_run, queued_batches, run_child, use_memory_broker

CHUNK = 5000
LANGUAGES = (
    ["en"] * 30 + ["ja"] * 15 + ["vi"] * 20 + ["zh_Hans"] * 10 + ["id"] * 8 + ["ne"] * 7 + ["my"] * 5 + ["tl"] * 5
)
PREFECTURE_WEIGHTS = {"13": 30, "27": 12, "23": 10, "14": 9, "11": 5, "40": 5, "12": 4, "28": 4, "22": 3, "26": 3}


def create_people(total: int, rng: random.Random) -> float:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import User
    from consents.models import EmailPurposeConsent, ProcessingRestriction

    started = time.perf_counter()
    password = make_password(None)
    for first in range(0, total, CHUNK):
        numbers = range(first, min(first + CHUNK, total))
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    email=f"bench.seeker{n:07d}@example.test",
                    password=password,
                    full_name=f"Seeker {n}",
                    language=rng.choice(LANGUAGES),
                )
                for n in numbers
            )
            EmailPurposeConsent.objects.bulk_create(
                EmailPurposeConsent(user=user, purpose="job_openings", granted=rng.random() < 0.85) for user in users
            )
            ProcessingRestriction.objects.bulk_create(
                ProcessingRestriction(user=user) for user in users if rng.random() < 0.005
            )
    return time.perf_counter() - started


def create_openings(old: int, new: int, rng: random.Random) -> float:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Employer
    from bench.generate import corporate_number
    from matching.models import Opening
    from profiles.models import EmploymentType, JapaneseLevel, JobCategory, Prefecture

    started = time.perf_counter()
    taken: set[str] = set()
    employers = Employer.objects.bulk_create(
        Employer(
            legal_name=f"Bench Employer {n} 株式会社",
            corporate_number=corporate_number(rng, taken),
            industry="care",
            address="東京都千代田区1-1",
            contact_name="担当者",
            contact_email=f"hr{n}@employer.test",
        )
        for n in range(300)
    )
    categories = list(JobCategory.objects.filter(active=True))
    prefectures = list(Prefecture.objects.all())
    weights = [PREFECTURE_WEIGHTS.get(p.code, 1) for p in prefectures]
    full_time = EmploymentType.objects.get(code="full_time")
    levels = list(JapaneseLevel.objects.filter(active=True))
    now = timezone.now()
    with transaction.atomic():
        rows = []
        for n in range(old + new):
            level = rng.choice(levels) if rng.random() < 0.6 else None
            published = (
                now - timedelta(days=1, hours=rng.uniform(1, 60 * 24))
                if n < old
                else now - timedelta(hours=rng.uniform(0.1, 23.5))
            )
            rows.append(
                Opening(
                    employer=rng.choice(employers),
                    title=f"Opening {n} 介護スタッフ",
                    description="Work with a friendly team. 研修あり。",
                    category=rng.choice(categories),
                    employment_type=full_time,
                    prefecture=rng.choices(prefectures, weights)[0],
                    city="新宿区",
                    salary_min=220_000,
                    salary_max=300_000,
                    salary_period="month",
                    weekly_hours=40,
                    required_level=level,
                    required_scale=getattr(level, "scale", 0) or 0,
                    sponsorship_offered=rng.random() < 0.2,
                    start_date=now.date() + timedelta(days=60),
                    state="open",
                    published_at=published,
                )
            )
        Opening.objects.bulk_create(rows, batch_size=2000)
    return time.perf_counter() - started


def create_alerts(total: int, candidates: int, rng: random.Random) -> tuple[float, int]:
    """`total` daily alerts on distinct candidates, last run a day ago.
    Returns the seconds and the number of distinct searches."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from matching.saved import filters as saved_filters
    from matching.saved.models import JobAlert
    from matching.saved.services import period_of
    from profiles.models import JobCategory, Prefecture

    started = time.perf_counter()
    JobAlert.objects.all().delete()
    codes = list(Prefecture.objects.values_list("code", flat=True))
    weights = [PREFECTURE_WEIGHTS.get(code, 1) for code in codes]
    categories = list(JobCategory.objects.filter(active=True).values_list("code", flat=True))
    popular = categories[:8]
    user_ids = list(User.objects.filter(email__startswith="bench.seeker").values_list("pk", flat=True))
    chosen = rng.sample(user_ids, total)
    yesterday = timezone.now() - timedelta(days=1)
    keys = set()
    for first in range(0, total, CHUNK):
        alerts = []
        for user_id in chosen[first : first + CHUNK]:
            filters: dict = {}
            if rng.random() < 0.9:
                filters["prefecture"] = rng.choices(codes, weights)[0]
            if rng.random() < 0.75:
                filters["category"] = rng.choice(popular) if rng.random() < 0.6 else rng.choice(categories)
            if rng.random() < 0.2:
                filters["level"] = str(rng.randint(1, 5))
            if rng.random() < 0.1:
                filters["sponsorship"] = "on"
            key = saved_filters.filters_key(filters)
            keys.add(key)
            alerts.append(
                JobAlert(
                    user_id=user_id,
                    name="毎日の求人",
                    filters=filters,
                    filters_key=key,
                    frequency="daily",
                    created_at=yesterday - timedelta(days=7),
                    checked_until=yesterday,
                    last_period=period_of("daily", yesterday),
                )
            )
        with transaction.atomic():
            JobAlert.objects.bulk_create(alerts)
    return time.perf_counter() - started, len(keys)


def reset_run() -> None:
    """Back to the state before the run (for the second, traced run)."""
    from django.utils import timezone

    from matching.saved.models import AlertDigest, AlertSentOpening, JobAlert
    from matching.saved.services import period_of
    from outbox.models import OutboundEmail

    yesterday = timezone.now() - timedelta(days=1)
    OutboundEmail.objects.all().delete()
    AlertSentOpening.objects.all().delete()
    AlertDigest.objects.all().delete()
    JobAlert.objects.update(checked_until=yesterday, last_period=period_of("daily", yesterday))


def measure(trace: bool) -> dict:
    """In the child process: run today's daily alerts; time and memory."""
    from matching.saved.models import AlertSentOpening
    from matching.saved.services import job_alerts_run
    from outbox.models import OutboundEmail

    use_memory_broker()
    result = measure_run(lambda: job_alerts_run(frequency="daily"), trace=trace)
    return {
        **result,
        "outbox_rows": OutboundEmail.objects.filter(kind="saved.alert_digest", state="queued").count(),
        "sent_openings": AlertSentOpening.objects.count(),
        "batches": queued_batches(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.alerts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/name (created, then dropped)")
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--alerts", type=int, nargs="+", default=[2_000, 20_000], help="saved searches, per run")
    parser.add_argument("--old-openings", type=int, default=8_000)
    parser.add_argument("--new-openings", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        django_setup(args.database_url)
        print(json.dumps(measure(args.trace)))
        return 0

    rng = random.Random(args.seed)
    drop_database(args.database_url)
    ensure_database(args.database_url)
    try:
        django_setup(args.database_url)
        migrate()
        from django.db import connection

        print(f"Python {platform.python_version()}, PostgreSQL {connection.cursor().connection.info.server_version}")
        people = create_people(args.candidates, rng)
        openings = create_openings(args.old_openings, args.new_openings, rng)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        total_openings = args.old_openings + args.new_openings
        print(f"{args.candidates:,} candidates in {people:.1f} s; {total_openings:,} openings in {openings:.1f} s")
        print(
            f"{'alerts':>7} {'searches':>9} {'run s':>7} {'cpu s':>6} {'db cpu s':>9} {'digests':>8}"
            f" {'outbox rows':>12} {'sent rows':>10} "
            f"{'batches':>8} {'tracemalloc peak MiB':>21} {'max RSS MiB':>12}  goal <60 s"
        )
        for size in sorted(args.alerts):
            _seconds, searches = create_alerts(size, args.candidates, rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            timed = run_child("bench.alerts", args.database_url)
            reset_run()
            traced = run_child("bench.alerts", args.database_url, trace=True)
            assert timed["written"] == timed["outbox_rows"], timed
            assert traced["written"] == timed["written"], (timed, traced)
            print(
                f"{size:>7,} {searches:>9,} {timed['seconds']:>7.1f} {timed['cpu_seconds']:>6.1f}"
                f" {timed['db_cpu_seconds'] or 0:>9.1f} {timed['written']:>8,} {timed['outbox_rows']:>12,}"
                f" {timed['sent_openings']:>10,} {timed['batches']:>8} {traced['tracemalloc_peak_mib']:>21.1f}"
                f" {timed['maxrss_mib']:>12.0f}  {'yes' if timed['seconds'] < 60 else 'NO'}",
                flush=True,
            )
            reset_run()
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
