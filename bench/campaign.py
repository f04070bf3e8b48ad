"""Time a purpose campaign's send: building its audience and queueing it.

    .venv/bin/python -m bench.campaign --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench_mail \\
        --recipients 10000 100000

Creates opted-in candidates quickly (bulk inserts of users and their
EmailPurposeConsent rows), then for each size runs consents.campaigns.
campaign_run on a fresh campaign, in a child process of its own so that its
peak memory is its own: the audience streamed from the database, an outbox
row per person written 500 at a time, each batch handed to Celery. There is
no worker: the broker is kombu's in-memory transport, so a hand-over costs
what serialising and publishing the task costs and nothing is delivered.
(An unreachable Redis is no good here: each failed hand-over blocks for
0.7 s to 6 s in kombu and redis-py's connection retries, which would be all
that got measured.) The mail backend is Django's local-memory one, so no
Postmark template is uploaded.

Each size is run twice: once timed, once under tracemalloc (which slows
Python down, so it is not timed). Goal (issue 18): under 30 s for 100,000
people, and memory that does not grow with the audience. The database is
dropped at the end unless --keep.
"""

import argparse
import json
import platform
import sys
import time

from bench import django_setup, drop_database, ensure_database, migrate
from bench.timing import measure_run, queued_batches, run_child, use_memory_broker

PURPOSE = "living_in_japan"
CHUNK = 5000


def people_count() -> int:
    from consents.models import EmailPurposeConsent

    return EmailPurposeConsent.objects.filter(purpose=PURPOSE, granted=True).count()


def create_people(total: int) -> float:
    """Top up to `total` opted-in candidates; returns the seconds it took."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import User
    from consents.models import EmailPurposeConsent

    started = time.perf_counter()
    have = people_count()
    password = make_password(None)  # unusable, like a candidate's
    for first in range(have, total, CHUNK):
        numbers = range(first, min(first + CHUNK, total))
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    email=f"bench.reader{n:07d}@example.test",
                    password=password,
                    full_name=f"Reader {n}",
                    language="ja" if n % 3 == 0 else "en",
                )
                for n in numbers
            )
            EmailPurposeConsent.objects.bulk_create(
                EmailPurposeConsent(user=user, purpose=PURPOSE, granted=True) for user in users
            )
    return time.perf_counter() - started


def new_campaign() -> int:
    from django.utils import timezone

    from consents.campaigns.models import Campaign

    campaign = Campaign.objects.create(
        purpose=PURPOSE,
        subject_en="Health insurance in Japan, explained",
        body_en="Everyone living in Japan joins a health insurance scheme.\n\nHere is how it works for you.",
        subject_ja="日本の健康保険について",
        body_ja="日本に住む人は健康保険に加入します。\n\nしくみを説明します。",
        state=Campaign.State.SCHEDULED,
        scheduled_for=timezone.now(),
    )
    return campaign.pk


def measure(campaign_id: int, trace: bool) -> dict:
    """In the child process: run the campaign; its time and memory."""
    import logging

    from consents.campaigns.services import campaign_run
    from outbox.models import OutboundEmail

    use_memory_broker()
    warnings = []

    class Keep(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    logging.getLogger("consents.campaigns").addHandler(Keep())
    result = measure_run(lambda: campaign_run(campaign_id), trace=trace)
    return {
        **result,
        "queued": OutboundEmail.objects.filter(campaign_id=campaign_id, state="queued").count(),
        "batches": queued_batches(),
        "broker_warnings": warnings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.campaign", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user@host:port/name (created, then dropped)")
    parser.add_argument("--recipients", type=int, nargs="+", default=[10_000, 100_000], help="audience sizes")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database (and its people) a --keep run left; keep it"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        django_setup(args.database_url)
        print(json.dumps(measure(args.child, args.trace)))
        return 0

    if not args.reuse:
        drop_database(args.database_url)
    ensure_database(args.database_url)
    try:
        django_setup(args.database_url)
        migrate()
        from django.db import connection

        print(f"Python {platform.python_version()}, PostgreSQL {connection.cursor().connection.info.server_version}")
        print(
            f"{'audience':>9} {'create s':>9} {'build+queue s':>14} {'cpu s':>6} {'db cpu s':>9} {'rows/s':>8} "
            f"{'batches':>8} {'tracemalloc peak MiB':>21} {'maxrss MiB':>11}  goal <30 s"
        )
        results = []
        for size in sorted(args.recipients):
            created = create_people(size)
            timed = run_child("bench.campaign", args.database_url, str(new_campaign()))
            traced = run_child("bench.campaign", args.database_url, str(new_campaign()), trace=True)
            assert timed["written"] == timed["queued"] == size, timed
            assert timed["batches"] == -(-size // 500) and not timed["broker_warnings"], timed
            assert traced["written"] == size, traced
            results.append((size, created, timed, traced))
            print(
                f"{size:>9,} {created:>9.1f} {timed['seconds']:>14.1f} {timed['cpu_seconds']:>6.1f}"
                f" {timed['db_cpu_seconds'] or 0:>9.1f} {size / timed['seconds']:>8,.0f}"
                f" {timed['batches']:>8} {traced['tracemalloc_peak_mib']:>21.1f}"
                f" {timed['maxrss_mib']:>11.0f}  {'yes' if timed['seconds'] < 30 else 'NO'}",
                flush=True,
            )
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
