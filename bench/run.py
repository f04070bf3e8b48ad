"""Time the matching engine and the busiest pages on a generated database.

    .venv/bin/python -m bench.run --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
    .venv/bin/python -m bench.run --database-url ... --iterations 100 --explain

For each measure, N random samples (after a few warm-up ones, not counted)
timed with time.perf_counter; it prints the median and the 95th percentile
(nearest rank), the goal, and for pages the number of SQL queries, then
shows that a page's query count does not depend on how much data is behind
it. Pending migrations (new indexes) are applied first.

It also prints the CPU time each sample used, in this process and in the
PostgreSQL backend serving it (Linux /proc/<pid>/schedstat, when the
database runs on this machine). On a machine busy with other work the
wall-clock time includes waiting for a CPU; the CPU time does not, and is
close to what the same sample takes on an idle machine.
"""

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import django_setup, migrate
from bench.timing import backend_cpu_ns


@dataclass
class Measure:
    name: str
    goal_ms: float
    # Measures the issue sets a goal for; the others are for information.
    required: bool = True
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    def line(self) -> str:
        median, p95 = statistics.median(self.times), self.p95()
        met = ("yes" if p95 < self.goal_ms else "NO") if self.required else "(info)"
        q = f"{min(self.queries)}" + (f"–{max(self.queries)}" if max(self.queries) != min(self.queries) else "")
        rows = f"{statistics.median(self.rows):.0f}"
        cpu = f"{statistics.median(self.cpu):>7.1f} {_p95(self.cpu):>7.1f}" if self.cpu else f"{'-':>7} {'-':>7}"
        return (
            f"{self.name:<44} {len(self.times):>4} {median:>9.1f} {p95:>9.1f} {self.goal_ms:>7.0f}  {met:<6} {cpu}"
            f" {q:>7} {rows:>7}"
        )


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


HEADER = (
    f"{'measure':<44} {'n':>4} {'median ms':>9} {'p95 ms':>9} {'goal ms':>7}  {'met':<6} {'cpu med':>7} {'cpu p95':>7}"
    f" {'queries':>7} {'rows':>7}"
)


def timed(measure: Measure, fn: Callable[[], int], *, record: bool = True) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    server_before = backend_cpu_ns()
    with CaptureQueriesContext(connection) as captured:
        client_before = time.process_time_ns()
        started = time.perf_counter()
        rows = fn()
        elapsed = (time.perf_counter() - started) * 1000
        client = time.process_time_ns() - client_before
    server_after = backend_cpu_ns()
    if record:
        measure.times.append(elapsed)
        measure.queries.append(len(captured.captured_queries))
        measure.rows.append(rows)
        if server_before is not None and server_after is not None:
            measure.cpu.append((client + server_after - server_before) / 1e6)


def machine() -> str:
    from django.db import connection

    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings = []
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"):
            cursor.execute(f"SHOW {name}")
            settings.append(f"{name}={cursor.fetchone()[0]}")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, load average {load}; Python {platform.python_version()}; "
        f"PostgreSQL {version} ({', '.join(settings)}); database {size}"
    )


def data_counts() -> str:
    from consents.models import ShareGrant
    from matching.engine import open_openings
    from matching.models import Application, Opening
    from profiles.models import CandidateProfile

    return (
        f"{CandidateProfile.objects.count():,} candidates "
        f"({CandidateProfile.objects.filter(open_to_proposals=True).count():,} open to proposals), "
        f"{Opening.objects.count():,} openings ({open_openings().count():,} accepting), "
        f"{Application.objects.count():,} applications, {ShareGrant.objects.count():,} share grants"
    )


def explain(queryset) -> str:
    return queryset.explain(analyze=True, buffers=True)


def plan_cost(queryset) -> float:
    """The planner's estimated total cost: above jit_above_cost PostgreSQL
    JIT-compiles the query, which costs far more than it saves here."""
    import json

    return json.loads(queryset.explain(format="json"))[0]["Plan"]["Total Cost"]


def setting(name: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def page_url(board_url: str, page: int, query: str = "", sort: str = "newest") -> str:
    """The board's URL for page `page` (20 a page): keyset pages follow a
    signed cursor holding the sort keys of the row before the page, made
    here as the "Next" links would have made it."""
    from urllib.parse import parse_qsl, urlencode

    from matching import selectors

    filters = dict(parse_qsl(query))
    params = [*parse_qsl(query)]
    if page > 1:
        before = selectors.board_search({**filters, "sort": sort})[(page - 1) * 20 - 1]
        params.append(("cursor", selectors.make_cursor(sort, before)))
    return f"{board_url}?{urlencode(params)}" if params else board_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database made by bench.generate")
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3, help="samples run first and not counted")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of one engine query each")
    parser.add_argument("--engine-only", action="store_true", help="only the engine's measures (no pages)")
    args = parser.parse_args(argv)

    django_setup(args.database_url)
    migrate()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import EmployerMember, User
    from matching import engine
    from matching.models import Application, Opening
    from profiles.models import CandidateProfile, JobCategory, Prefecture

    if not User.objects.filter(email__endswith="@bench.tsunagu.test").exists():
        print("No generated data here: run bench.generate first.", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    n = args.iterations + args.warmup
    print(f"Machine: {machine()}")
    print(f"Data: {data_counts()}")
    print(f"{args.iterations} samples per measure after {args.warmup} warm-up samples (seed {args.seed}).\n")

    # 1. Ranking all candidates for an opening (top 50).
    ranking = Measure("rank_candidates(opening)[:50]", 300)
    open_ids = list(engine.open_openings().values_list("pk", flat=True))
    for k, pk in enumerate(rng.sample(open_ids, n)):
        opening = Opening.objects.select_related("employment_type").get(pk=pk)
        timed(ranking, lambda o=opening: len(list(engine.rank_candidates(o)[:50])), record=k >= args.warmup)
        ranking.costs.append(plan_cost(engine.rank_candidates(opening)[:50]))

    # 1b. The same top 50, narrow then fetch (engine.top_candidates: what the
    # staff page uses), for any opening and for openings with sponsorship
    # (most candidates pass there: the widest sort).
    top = Measure("top_candidates(opening) narrow→fetch", 150)
    sponsoring_ids = list(engine.open_openings().filter(sponsorship_offered=True).values_list("pk", flat=True))
    ranking_sponsoring = Measure("rank_candidates(sponsoring)[:50]", 150, required=False)
    top_sponsoring = Measure("top_candidates(sponsoring) narrow→fetch", 150)
    for k, pk in enumerate(rng.sample(open_ids, n)):
        opening = Opening.objects.select_related("employment_type").get(pk=pk)
        timed(top, lambda o=opening: len(engine.top_candidates(o)), record=k >= args.warmup)
    for k, pk in enumerate(rng.sample(sponsoring_ids, min(n, len(sponsoring_ids)))):
        opening = Opening.objects.select_related("employment_type").get(pk=pk)
        timed(ranking_sponsoring, lambda o=opening: len(list(engine.rank_candidates(o)[:50])), record=k >= args.warmup)
        timed(top_sponsoring, lambda o=opening: len(engine.top_candidates(o)), record=k >= args.warmup)

    # 2. Recommending openings for a candidate (top 20).
    recommending = Measure("rank_openings(profile)[:20]", 150, required=False)
    profile_ids = list(CandidateProfile.objects.values_list("pk", flat=True))
    for k, pk in enumerate(rng.sample(profile_ids, n)):
        profile = CandidateProfile.objects.select_related("status").get(pk=pk)
        timed(recommending, lambda p=profile: len(list(engine.rank_openings(p)[:20])), record=k >= args.warmup)
        recommending.costs.append(plan_cost(engine.rank_openings(profile)[:20]))

    # 2b. The dashboard's recommendations (matching.recommended): ranked and
    # explained when the cache has none (after any change to the openings),
    # then read from the cache with the checks made at every view.
    from config import generations
    from matching import recommended

    recommended_cold = Measure("recommended_for(…, limit=3), cache empty", 150, required=False)
    recommended_warm = Measure("recommended_for(…, limit=3), cache warm", 100)
    for k, pk in enumerate(rng.sample(profile_ids, n)):
        profile = CandidateProfile.objects.select_related("status", "user").get(pk=pk)
        generations.bump(recommended.OPENINGS)
        record = k >= args.warmup
        timed(recommended_cold, lambda p=profile: len(recommended.recommended_for(p.user, p, limit=3)), record=record)
        profile = CandidateProfile.objects.select_related("status", "user").get(pk=pk)
        timed(recommended_warm, lambda p=profile: len(recommended.recommended_for(p.user, p, limit=3)), record=record)

    if args.engine_only:
        print(HEADER)
        for m in (ranking, top, ranking_sponsoring, top_sponsoring, recommending, recommended_cold, recommended_warm):
            print(m.line())
        print(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if args.explain:
            opening = Opening.objects.get(pk=rng.choice(sponsoring_ids))
            ranked = engine.rank_candidates(opening)
            print(f"EXPLAIN rank_candidates(sponsoring opening {opening.pk})[:50]:\n{explain(ranked[:50])}\n")
            narrow = ranked.values("pk", *ranked.query.annotations)[:50]
            print(f"EXPLAIN top_candidates' narrow query (opening {opening.pk}):\n{explain(narrow)}\n")
        return 0

    # 3. The public job board: filtered by prefecture, kind of work and level.
    client = Client()
    board_url = reverse("matching:board")
    prefectures = list(Prefecture.objects.values_list("code", flat=True))
    categories = list(JobCategory.objects.filter(active=True).values_list("code", flat=True))
    busy = ["13"] * 10 + ["27"] * 4 + ["23"] * 4 + ["14"] * 3  # where most openings are

    def get(url: str, measure: Measure, record: bool, client=client) -> None:
        def request() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return len(response.content)

        timed(measure, request, record=record)

    board = Measure("job board: prefecture + kind of work + level", 100)
    for k in range(n):
        prefecture = rng.choice(busy) if rng.random() < 0.6 else rng.choice(prefectures)
        url = f"{board_url}?prefecture={prefecture}&category={rng.choice(categories)}&level={rng.randint(1, 5)}"
        get(url, board, k >= args.warmup)
    board_all = Measure("job board: no filter, pages 1-10", 100)
    for k in range(n):
        get(page_url(board_url, rng.randint(1, 10)), board_all, k >= args.warmup)
    board_deep = Measure("job board: no filter, any page", 100, required=False)
    pages = max(1, len(open_ids) // 20)
    for k in range(n):
        get(page_url(board_url, rng.randint(1, pages)), board_deep, k >= args.warmup)
    board_word = Measure("job board: keyword + prefecture", 100, required=False)
    for k in range(n):
        word = rng.choice(["care", "staff", "Sakura", "IT", "welder", "leader", "Foods", "cleaning"])
        get(f"{board_url}?q={word}&prefecture={rng.choice(busy)}", board_word, k >= args.warmup)

    # 4. An employer's applications list for one opening, as its recruiter
    #    (employer admins must set up MFA first; recruiters need not).
    employer_page = Measure("employer: applications of an opening", 100)
    with_applications = list(Application.objects.values_list("opening_id", flat=True).distinct())
    recruiters = dict(
        EmployerMember.objects.filter(role=EmployerMember.Role.RECRUITER).values_list("employer_id", "user_id")
    )
    users = {}
    for k, pk in enumerate(rng.sample(with_applications, min(n, len(with_applications)))):
        employer_id = Opening.objects.values_list("employer_id", flat=True).get(pk=pk)
        user = users.setdefault(employer_id, User.objects.get(pk=recruiters[employer_id]))
        member_client = Client()
        member_client.force_login(user)
        get(reverse("matching:employer_opening", args=[pk]), employer_page, k >= args.warmup, client=member_client)

    measures = [
        ranking,
        top,
        ranking_sponsoring,
        top_sponsoring,
        recommending,
        recommended_cold,
        recommended_warm,
        board,
        board_all,
        employer_page,
        board_deep,
        board_word,
    ]
    print(HEADER)
    for m in measures:
        print(m.line())
    print(
        "\n(cpu: CPU time of this process plus the database backend per sample; rows: median number of results"
        " for the engine, of response bytes for pages)"
    )
    print(
        f"Planner's estimated cost, max over the samples: ranking {max(ranking.costs):,.0f}, "
        f"recommendations {max(recommending.costs):,.0f} (jit={setting('jit')}, "
        f"jit_above_cost={setting('jit_above_cost')})\n"
    )

    # Query counts do not grow with the data behind a page: counted as a
    # page is built, so with the public page cache emptied first (a cached
    # page runs no query at all).
    print("Query counts against the data behind the page (page cache emptied before each):")
    from django.core.cache import cache
    from django.db.models import Count

    sizes = dict(
        Opening.objects.annotate(n=Count("applications")).filter(n__gt=0).values_list("pk", "n").order_by("pk")
    )

    def nearest(target: int) -> int:
        return min(sizes, key=lambda pk: (abs(sizes[pk] - target), pk))

    same = True
    counts = []
    for target in (5, 200):
        pk = nearest(target)
        employer_id = Opening.objects.values_list("employer_id", flat=True).get(pk=pk)
        member_client = Client()
        member_client.force_login(User.objects.get(pk=recruiters[employer_id]))
        probe = Measure("probe", 0)
        cache.clear()
        get(reverse("matching:employer_opening", args=[pk]), probe, True, client=member_client)
        counts.append(probe.queries[0])
        print(f"  employer page, opening {pk} with {sizes[pk]:>4} applications: {probe.queries[0]} queries")
    same &= counts[0] == counts[1]
    combinations = (
        engine.open_openings()
        .values("prefecture__code", "category__code")
        .annotate(n=Count("pk"))
        .order_by("n", "prefecture__code", "category__code")
    )
    rare, busy = combinations.first(), combinations.last()
    for pairs in (
        [
            (
                f"job board, a filter matching {c['n']}",
                f"{board_url}?prefecture={c['prefecture__code']}&category={c['category__code']}",
            )
            for c in (rare, busy)
        ],
        [
            ("job board, no filter, page 1", board_url),
            ("job board, no filter, page 200", page_url(board_url, min(200, max(1, len(open_ids) // 20)))),
        ],
    ):
        counts = []
        for label, url in pairs:
            probe = Measure("probe", 0)
            cache.clear()
            get(url, probe, True)
            counts.append(probe.queries[0])
            print(f"  {label:<38} ({probe.rows[0]:>6} bytes): {probe.queries[0]} queries")
        same &= len(set(counts)) == 1
    print(f"  → {'the same' if same else 'NOT the same'} whatever the amount of data\n")

    if args.explain:
        opening = Opening.objects.get(pk=rng.choice(open_ids))
        print(f"EXPLAIN rank_candidates(opening {opening.pk})[:50]:\n{explain(engine.rank_candidates(opening)[:50])}\n")
        profile = CandidateProfile.objects.select_related("status").get(pk=rng.choice(profile_ids))
        print(f"EXPLAIN rank_openings(profile {profile.pk})[:20]:\n{explain(engine.rank_openings(profile)[:20])}\n")

    missed = [m.name for m in measures if m.required and m.p95() >= m.goal_ms]
    print(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("All goals met (p95 under the goal)." if not missed else f"Goals missed: {', '.join(missed)}")
    return 0 if not missed and same else 1


if __name__ == "__main__":
    sys.exit(main())
