"""Where a page's server time goes: Python or SQL (issue 18: "server time at
most 2× its SQL time").

    .venv/bin/python -m bench.pages --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench
    .venv/bin/python -m bench.pages --only "dashboard" --profile 25    # and the 25 costliest functions

The pages and sessions of bench.http, on the same production settings and
database, but in this process: each page is requested `--iterations` times
through Django's test client (the whole middleware stack and the view, no
network and no gunicorn) after `--warmup` requests that are not counted. For
each request it records the wall-clock time, the time spent inside database
calls (a `connection.execute_wrapper` around every query) and the query
count, and prints the medians, the server/SQL ratio and the goal (≤ 2). A
cached anonymous page runs no SQL at all: its ratio is "no SQL", and what
counts for it is bench.http's share of the bare view. `--profile N` runs the
same requests once more under cProfile and prints the N functions with the
most cumulative time per page.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from http.cookies import SimpleCookie

from bench import ROOT
from bench.http import Page, environment, prepare


class SqlTimer:
    """A connection.execute_wrapper adding up the time inside queries."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tsunagu_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", default="", help="pages whose name contains one of these words (comma-separated)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions per page")
    args = parser.parse_args()

    os.environ.update(environment(args.database_url, args.redis_url, 8618))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    words = [word.strip().lower() for word in args.only.split(",") if word.strip()]
    pages = [page for page in prepare(8618) if not words or any(w in page.name.lower() for w in words)]
    pages.insert(0, Page("bare view", "/bench/bare/"))

    from django.db import connection
    from django.test import Client

    def client_for(cookie: str) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        for name, morsel in SimpleCookie(cookie).items():
            client.cookies[name] = morsel.value
        return client

    print(f"load before: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{args.iterations} requests per page after {args.warmup}; test client, production settings, no network")
    print(f"{'page':<34} {'server ms':>10} {'SQL ms':>8} {'queries':>8} {'server/SQL':>11} {'goal ≤2':>8}")
    all_met = True
    for page in pages:
        client = client_for(page.cookie)
        for _ in range(args.warmup):
            assert client.get(page.path).status_code == 200, page.path
        totals, sqls, counts = [], [], []
        for _ in range(args.iterations):
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                response = client.get(page.path)
                totals.append(time.perf_counter() - start)
            assert response.status_code == 200, page.path
            sqls.append(timer.seconds)
            counts.append(timer.queries)
        server, sql = statistics.median(totals) * 1000, statistics.median(sqls) * 1000
        if sql > 0:
            ratio = f"{server / sql:.1f}"
            met = server / sql <= 2
            all_met &= met
            verdict = "yes" if met else "NO"
        else:
            ratio, verdict = "no SQL", "—"
        print(
            f"{page.name:<34} {server:>10.2f} {sql:>8.2f} {min(counts)}–{max(counts):<5} {ratio:>11} {verdict:>8}",
            flush=True,
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.iterations):
                client.get(page.path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
            print(out.getvalue())
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
