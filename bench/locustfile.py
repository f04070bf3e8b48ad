"""The 200-user mix of issue 18 for locust: run it through bench/load.py,
which serves the production settings, makes the sessions and reads the
result (it passes them in TSUNAGU_BENCH_LOAD, a JSON file):

    .venv/bin/python -m bench.load --database-url postgres://postgres@127.0.0.1:5432/tsunagu_bench

Each virtual user waits 1–3 s between requests. Visitors (most users)
browse the board, search with filters, read openings and open the sign-in
page; candidates look at their dashboard and the board; recruiters at the
applications of their opening.
"""

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["TSUNAGU_BENCH_LOAD"], encoding="utf-8").read())  # noqa: SIM115


class Visitor(HttpUser):
    weight = 7
    wait_time = between(1, 3)

    @task(4)
    def board(self):
        self.client.get("/en/jobs/", name="board")

    @task(3)
    def search(self):
        self.client.get("/en/jobs/" + random.choice(PLAN["searches"]), name="board search")  # noqa: S311

    @task(4)
    def opening(self):
        self.client.get(f"/en/jobs/{random.choice(PLAN['openings'])}/", name="opening detail")  # noqa: S311

    @task(1)
    def sign_in_page(self):
        self.client.get("/en/accounts/login/", name="sign-in page")


class Candidate(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.cookies.update(random.choice(PLAN["candidates"]))  # noqa: S311

    @task(2)
    def dashboard(self):
        self.client.get("/en/me/", name="candidate dashboard")

    @task(1)
    def board(self):
        self.client.get("/en/jobs/", name="board (signed in)")


class Recruiter(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.opening, cookies = random.choice(PLAN["recruiters"])  # noqa: S311
        self.client.cookies.update(cookies)

    @task
    def applications(self):
        self.client.get(f"/en/employer/openings/{self.opening}/", name="employer applications page")
