"""HTTP benchmark: the pages of issue 18 served the way production serves
them, each measured against a bare Django view in the same run.

    .venv/bin/python -m bench.http --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench

Production settings (config.settings.production) with the environment a
local run needs (bench/README.md lists it), gunicorn with 2 sync workers,
and `wrk` (Debian package `wrk`) with 16 connections. The bare view
(/bench/bare/, routed only because this script sets
TSUNAGU_BENCH_BARE_VIEW=1) is a tiny page through the same middleware: it
runs before the first page and after each one, and each page's throughput is
given as a share of the mean of the two bare runs around it, so a machine
that gets busier or quieter during the run shifts both alike.

Anonymous pages are fetched as a first visit (no cookie: the cookie banner
and its CSRF token, a new CSRF cookie each time); signed-in pages with a
session this script creates for a generated person (a candidate with
applications, the recruiter of an opening with about 50 applications, a
coordinator with TOTP it adds to the database once:
bench-staff@tsunagu.example). It prints requests per second, the share of
the bare view, p50/p95/p99 latency, non-2xx answers and socket errors, and
the workers' peak resident memory (VmHWM).
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT

REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d, "
    .. "\\"non2xx\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""
STAFF_EMAIL = "bench-staff@tsunagu.example"
# Issue 18's goals: a share of the bare view's throughput.
PUBLIC_GOAL, SIGNED_IN_GOAL = 0.50, 0.20


@dataclass
class Page:
    name: str
    path: str
    cookie: str = ""
    goal: float = PUBLIC_GOAL


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non2xx: int
    errors: int


def environment(database_url: str, redis_url: str, port: int) -> dict[str, str]:
    """Production settings on this machine: dummy mail and storage secrets
    (as .ci/run's deploy check), plain HTTP on the loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "POSTMARK_SERVER_TOKEN": "dummy",
        "ANYMAIL_WEBHOOK_SECRET": "dummy:dummy",
        "DEFAULT_FROM_EMAIL": "no-reply@tsunagu.example",
        "AWS_STORAGE_BUCKET_NAME": "dummy",
        "AWS_ACCESS_KEY_ID": "dummy",
        "AWS_SECRET_ACCESS_KEY": "dummy",
        "TSUNAGU_BENCH_BARE_VIEW": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def prepare(port: int) -> list[Page]:
    """The pages and the sessions (in this process, on the same settings
    and database as the server)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.test import Client

    from accounts.models import EmployerMember, User
    from matching import engine
    from matching.models import Application

    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()  # this run's Redis database only: start cold, like a deploy

    opening = (
        engine.open_openings().annotate(n=Count("applications")).filter(n__gte=45, n__lte=55).order_by("pk").first()
    )
    if opening is None:
        raise SystemExit("No open opening with about 50 applications: generate the data first (bench.generate).")
    recruiter = (
        EmployerMember.objects.filter(employer_id=opening.employer_id, role=EmployerMember.Role.RECRUITER)
        .select_related("user")
        .first()
    )
    candidate = (
        User.objects.filter(role=User.Role.CANDIDATE, is_active=True)
        .filter(Q(pk__in=Application.objects.values("candidate_id")))
        .order_by("pk")
        .first()
    )
    staff = staff_member()
    search = "?prefecture=13&category=ssw_nursing_care&level=3"

    def cookie(user) -> str:
        client = Client()
        client.force_login(user)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    assert recruiter is not None and candidate is not None
    return [
        Page("job board", "/en/jobs/"),
        Page("board search with filters", "/en/jobs/" + search),
        Page("opening detail", f"/en/jobs/{opening.pk}/"),
        Page("company page", f"/en/companies/{opening.employer_id}/"),
        Page("candidate dashboard /me/", "/en/me/", cookie(candidate), SIGNED_IN_GOAL),
        Page("my applications", "/en/me/applications/", cookie(candidate), SIGNED_IN_GOAL),
        Page(
            f"employer applications ({opening.n})",
            f"/en/employer/openings/{opening.pk}/",
            cookie(recruiter.user),
            SIGNED_IN_GOAL,
        ),
        Page("staff opening ranking", f"/en/staff/openings/{opening.pk}/", cookie(staff), SIGNED_IN_GOAL),
    ]


def staff_member():
    """A coordinator with TOTP (staff reach nothing without MFA) who has
    accepted the policies in force: made once in the bench database."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from accounts.models import StaffGroup, User
    from consents.models import PolicyKind
    from consents.services import current_policy, policy_accept

    user = User.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=STAFF_EMAIL, password=None, role=User.Role.STAFF, is_staff=True, full_name="Bench Staff"
        )
        user.groups.set(Group.objects.filter(name=StaffGroup.COORDINATOR))
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        EmailAddress.objects.create(user=user, email=STAFF_EMAIL, verified=True, primary=True)
    versions = [v for v in (current_policy(PolicyKind.TERMS), current_policy(PolicyKind.PRIVACY)) if v]
    policy_accept(user=user, versions=versions, language="en")
    return user


def drained(base: str) -> None:
    """Wait until the requests wrk left queued at the server are answered:
    the next run must not start behind them."""
    urllib.request.urlopen(base + "/healthz", timeout=300).read()


def wrk(url: str, cookie: str, seconds: int, connections: int, threads: int, script: str) -> Result:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    drained(url.split("/", 3)[0] + "//" + url.split("/", 3)[2])
    line = next(line for line in output.splitlines() if line.startswith("WRK-JSON "))
    data = json.loads(line.removeprefix("WRK-JSON "))
    return Result(
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        non2xx=data["non2xx"],
        errors=data["errors"],
    )


def check(base: str, page: Page) -> None:
    """Each page answers 200 (not a redirect to sign in, MFA or a policy)."""
    request = urllib.request.Request(base + page.path, headers={"Cookie": page.cookie} if page.cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        status = urllib.request.build_opener(NoRedirect).open(request, timeout=60).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{page.name}: {page.path} answered {status}, not 200")


def peak_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """gunicorn with `workers` sync workers on the loopback, once it answers."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not start")


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tsunagu_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--port", type=int, default=8618)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only", default="", help="measure only pages whose name contains one of these words (comma-separated)"
    )
    args = parser.parse_args()

    env = environment(args.database_url, args.redis_url, args.port)
    os.environ.update(env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    words = [word.strip().lower() for word in args.only.split(",") if word.strip()]
    pages = [page for page in prepare(args.port) if not words or any(w in page.name.lower() for w in words)]
    base = f"http://127.0.0.1:{args.port}"

    server = start_server(env, args.port, args.workers)
    try:
        bare = Page("bare view", "/bench/bare/")
        for page in [bare, *pages]:
            check(base, page)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(REPORT)

        def run(page: Page) -> Result:
            return wrk(base + page.path, page.cookie, args.seconds, args.connections, args.threads, script.name)

        print(f"load before: {uptime()}")
        print(
            f"{len(pages)} pages, each between two runs of the bare view; wrk -t{args.threads} "
            f"-c{args.connections} -d{args.seconds}s; gunicorn {args.workers} sync workers; production settings"
        )
        for page in [bare, *pages]:  # warm up: caches, connections, imports
            wrk(base + page.path, page.cookie, 2, args.connections, args.threads, script.name)
        before = run(bare)
        header = (
            f"{'page':<34} {'req/s':>8} {'bare':>8} {'share':>7} {'goal':>5} {'met':>4}"
            f" {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non2xx':>7} {'errors':>6}"
        )
        print(header)
        print(f"{bare.name:<34} {before.requests_per_second:>8.1f}")
        all_met = True
        for page in pages:
            result = run(page)
            after = run(bare)
            yardstick = (before.requests_per_second + after.requests_per_second) / 2
            share = result.requests_per_second / yardstick if yardstick else 0.0
            met = share >= page.goal and not result.non2xx and not result.errors
            all_met &= met
            print(
                f"{page.name:<34} {result.requests_per_second:>8.1f} {yardstick:>8.1f} {share:>7.1%}"
                f" {page.goal:>5.0%} {'yes' if met else 'NO':>4} {result.p50_ms:>8.1f} {result.p95_ms:>8.1f}"
                f" {result.p99_ms:>8.1f} {result.non2xx:>7} {result.errors:>6}",
                flush=True,
            )
            before = after
        peaks = peak_rss_mb(server.pid)
        print("workers' peak RSS (VmHWM): " + ", ".join(f"{mb:.0f} MB" for mb in peaks))
        print(f"load after: {uptime()}")
        return 0 if all_met else 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
