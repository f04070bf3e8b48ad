"""The 200-user load test of issue 18: production settings under gunicorn
(as bench/http.py), locust (bench/locustfile.py) with 200 users, 1–3 s of
think time, for 60 s; prints the errors and the 95th percentile per page
and overall, against the goal (0 errors, p95 < 300 ms).

    .venv/bin/python -m bench.load --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import ROOT
from bench.http import environment, start_server, uptime

GOAL_P95_MS = 300


def sessions(count: int) -> dict:
    """Sessions for generated candidates (with applications) and for the
    recruiters of openings with 20-100 applications; openings and searches
    to visit."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from accounts.models import EmployerMember, User
    from matching import engine
    from matching.models import Application

    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()

    def cookies(user) -> dict[str, str]:
        client = Client()
        client.force_login(user)
        return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}

    candidates = User.objects.filter(
        role=User.Role.CANDIDATE, is_active=True, pk__in=Application.objects.values("candidate_id")
    ).order_by("pk")[:count]
    busy = list(
        engine.open_openings()
        .annotate(n=Count("applications"))
        .filter(n__gte=20, n__lte=100)
        .order_by("pk")
        .values_list("pk", "employer_id")[:count]
    )
    recruiters = []
    for opening, employer in busy:
        member = EmployerMember.objects.filter(employer_id=employer, role=EmployerMember.Role.RECRUITER).first()
        if member is not None:
            recruiters.append((opening, cookies(member.user)))
    return {
        "candidates": [cookies(user) for user in candidates],
        "recruiters": recruiters,
        "openings": list(engine.open_openings().order_by("-published_at").values_list("pk", flat=True)[:500]),
        "searches": [
            "?prefecture=13",
            "?prefecture=27&category=ssw_food_service",
            "?prefecture=13&category=ssw_nursing_care&level=3",
            "?q=介護",
            "?q=tokyo&sort=salary",
            "?employment_type=part_time&hours_max=28",
            "?prefecture=23&sponsorship=on",
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tsunagu_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--port", type=int, default=8619)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = environment(args.database_url, args.redis_url, args.port)
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    out = Path(tempfile.mkdtemp(prefix="tsunagu-load-"))
    plan = out / "plan.json"
    plan.write_text(json.dumps(sessions(20)), encoding="utf-8")

    server = start_server(env, args.port, args.workers)
    try:
        print(f"load before: {uptime()}")
        subprocess.run(
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(out / "run"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**env, "TSUNAGU_BENCH_LOAD": str(plan)},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        print(f"load after: {uptime()}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    with open(out / "run_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"{args.users} users, 1–3 s think time, {args.seconds} s; gunicorn {args.workers} sync workers")
    print(f"{'page':<30} {'requests':>9} {'failures':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<30} {row['Request Count']:>9} {row['Failure Count']:>9}"
            f" {float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    p95 = float(total["95%"])
    if failures:
        print((out / "run_failures.csv").read_text(encoding="utf-8"))
    met = failures == 0 and p95 < GOAL_P95_MS
    print(
        f"errors {failures}, p95 {p95:.0f} ms (goal: 0 errors, p95 < {GOAL_P95_MS} ms): {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
