"""The API at scale (issue 16; never run in CI, see bench/README.md):

1. an employer's applications list, `GET /api/v1/applications/` with a
   client-credentials token of the employer with the most applications,
   following the cursor through every page (50 a page) and with
   `updated_since` polling;
2. the public board, `GET /api/v1/board/openings/` (no token), the first
   pages with the cache emptied before each sample (the server's work) and
   once kept (what most callers get).

Server time per page through the test client (Django's whole stack, no
network), p95 against the goal (50 ms), and the query count per page at
page sizes 10 and 100 (must be equal).

    .venv/bin/python -m bench.api --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench_api
"""

import argparse
import random
import sys
from urllib.parse import urlsplit

from bench import django_setup, migrate
from bench.run import HEADER, Measure, machine, timed

GOAL_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    django_setup(args.database_url)
    migrate()

    from django.core.cache import cache
    from django.db.models import Count
    from django.test import Client

    from accounts.models import Employer, EmployerMember
    from accounts.oauth import EMPLOYER_SCOPES
    from accounts.services import api_client_register
    from consents.access import employer_has_current_agreement
    from matching.models import Application

    random.seed(args.seed)
    employer = Employer.objects.annotate(n=Count("openings__applications")).order_by("-n").first()
    assert employer is not None, "no data: run bench.generate first"
    admin = EmployerMember.objects.filter(employer=employer, role="admin").select_related("user").first().user
    assert employer_has_current_agreement(employer), "the employer has not accepted the Data Use Agreement"
    issued = api_client_register(actor=admin, name="bench", scopes=list(EMPLOYER_SCOPES), days=30)
    token_response = Client().post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials", "client_id": issued.client.client_id, "client_secret": issued.secret},
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_response.json()['access_token']}")
    public = Client()
    total = Application.objects.filter(opening__employer=employer).count()
    print(machine())
    print(f"employer {employer.pk}: {total:,} applications")

    def page(client: Client, url: str) -> dict:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return response.json()

    def path(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    # Every page of the employer's applications, then polling since a time.
    walk = Measure("API applications: every page (50 a page)", GOAL_MS)
    url = "/api/v1/applications/"
    pages = 0
    while url and pages < max(args.iterations, 200):
        holder: dict = {}

        def fetch(u=url, h=holder) -> int:
            h["data"] = page(api, u)
            return len(h["data"]["results"])

        timed(walk, fetch)
        url = path(holder["data"]["next"]) if holder["data"]["next"] else ""
        pages += 1
    poll = Measure("API applications: updated_since, opening", GOAL_MS)
    openings = list(
        Application.objects.filter(opening__employer=employer).values_list("opening_id", flat=True).distinct()[:200]
    )
    stamps = list(Application.objects.filter(opening__employer=employer).values_list("updated_at", flat=True)[:500])
    for _ in range(args.iterations):
        since = random.choice(stamps).isoformat().replace("+", "%2B")
        timed(poll, lambda s=since: len(page(api, f"/api/v1/applications/?updated_since={s}")["results"]))
        opening = random.choice(openings)
        timed(poll, lambda o=opening: len(page(api, f"/api/v1/applications/?opening={o}")["results"]))

    board = Measure("API board: first pages, cache emptied", GOAL_MS)
    cached = Measure("API board: cached", GOAL_MS, required=False)
    for _ in range(args.iterations):
        cache.clear()
        timed(board, lambda: len(page(public, "/api/v1/board/openings/")["results"]))
        timed(cached, lambda: len(page(public, "/api/v1/board/openings/")["results"]))

    # Query counts do not grow with the page size.
    sizes = Measure("queries at page size 10 vs 100", GOAL_MS, required=False)
    counts = {}
    for size in (10, 100):
        probe = Measure("probe", GOAL_MS)
        # Once unrecorded: pseudonymous keys made for candidates seen the
        # first time, and the client's "last used", are written once.
        timed(probe, lambda s=size: len(page(api, f"/api/v1/applications/?page_size={s}")["results"]), record=False)
        timed(probe, lambda s=size: len(page(api, f"/api/v1/applications/?page_size={s}")["results"]))
        cache.clear()
        timed(probe, lambda s=size: len(page(public, f"/api/v1/board/openings/?page_size={s}")["results"]))
        counts[size] = probe.queries
        sizes.times += probe.times
    print(HEADER)
    for measure in (walk, poll, board, cached):
        print(measure.line())
    print(f"queries per page, applications / board: size 10 {counts[10]}, size 100 {counts[100]}")
    ok = all(m.p95() < GOAL_MS for m in (walk, poll, board)) and counts[10] == counts[100]
    print("all goals met" if ok else "GOAL MISSED")
    issued.client.delete()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
