"""Timing helpers the batch benchmarks share (bench.campaign, bench.alerts;
bench.run reads the database's CPU with backend_cpu_ns).

A batch run is measured in a child process of its own (`run_child`), so that
its peak memory is its own, twice: once timed (`measure_run`), once under
tracemalloc, which slows Python down and is not timed. Celery publishes to
kombu's in-memory transport (`use_memory_broker`): a hand-over costs what
serialising and publishing the task costs, and nothing is delivered.
"""

import json
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

from bench import ROOT

BROKER = "memory://"


def backend_cpu_ns() -> int | None:
    """CPU time used so far by the PostgreSQL backend serving this process
    (Linux /proc/<pid>/schedstat; None when the database runs elsewhere):
    with the process's own CPU time, what a run costs without other work's
    waits."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def use_memory_broker() -> None:
    """Tasks go to the in-memory broker, not run eagerly and not to Redis
    (an unreachable Redis blocks each hand-over for seconds in retries)."""
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER


def queued_batches() -> int:
    """How many tasks were handed to the broker."""
    from config.celery_app import app as celery_app

    with celery_app.connection_for_write() as connection:
        return connection.default_channel.queue_declare("celery", passive=True).message_count


def measure_run(run: Callable[[], int], *, trace: bool) -> dict:
    """Run `run` (it returns how many rows it wrote): its result, wall and
    CPU seconds (this process's and the database's), and memory."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    server_before = backend_cpu_ns()
    cpu_before = time.process_time()
    started = time.perf_counter()
    written = run()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    server_after = backend_cpu_ns()
    server = (server_after - server_before) / 1e9 if server_before is not None and server_after is not None else None
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    if trace:
        tracemalloc.stop()
    return {
        "written": written,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "db_cpu_seconds": server,
        "tracemalloc_peak_mib": peak / 2**20 if peak is not None else None,
        "maxrss_before_mib": rss_before / 1024,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(module: str, database_url: str, *args: str, trace: bool = False) -> dict:
    """Run `python -m <module> --database-url … --child <args>` and read the
    JSON it prints last."""
    command = [sys.executable, "-m", module, "--database-url", database_url, "--child", *args]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"the measuring process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
