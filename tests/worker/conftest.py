"""A real Celery worker for tests/worker: a subprocess on the test settings,
the test database pytest-django created (PostgreSQL: the worker is another
process), the broker in TSUNAGU_TEST_BROKER_URL under a key prefix of its
own, and the Postmark stand-in of the test."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from tests.postmark_standin import serve_postmark
from tests.worker import BROKER_URL, use_broker

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"
# The worker's own clock for the outbox: a row waits 1 s before the periodic
# requeue hands it over again, a claim is stale after 3 s, retries start at 1 s.
WORKER_OUTBOX = {
    "TSUNAGU_OUTBOX_REQUEUE_AFTER": "1",
    "TSUNAGU_OUTBOX_SENDING_TIMEOUT": "3",
    "TSUNAGU_OUTBOX_RETRY_BASE_SECONDS": "1",
}


def database_url() -> str:
    db = settings.DATABASES["default"]  # the test database, once pytest-django made it
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


class Worker:
    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"tsunagu-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.output():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the Celery worker did not start:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, mid-task, with no clean-up."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Cold shutdown (SIGQUIT): at the end of a test nothing is running,
        and a warm one would wait for the broker connection's poll."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


@pytest.fixture
def postmark(settings):
    yield from serve_postmark(settings)


@pytest.fixture
def broker():
    """The test process sends tasks to the real broker (not eagerly), under a
    key prefix no other test session uses; the keys go afterwards."""
    prefix = f"tsunagu-test-{uuid.uuid4().hex[:12]}:"
    with use_broker(BROKER_URL, key_prefix=prefix):
        yield prefix
    client = redis.Redis.from_url(BROKER_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def start_worker(transactional_db, broker, postmark, tmp_path):
    """start_worker() → a running Worker. Every worker is stopped before the
    test database is flushed (this fixture depends on transactional_db)."""
    workers: list[Worker] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "TSUNAGU_TEST_WORKER": "1",
        "CELERY_BROKER_URL": BROKER_URL,
        "TSUNAGU_TEST_BROKER_KEY_PREFIX": broker,
        "DATABASE_URL": database_url(),
        "DJANGO_EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "POSTMARK_SERVER_TOKEN": postmark.token,
        "POSTMARK_API_URL": postmark.url + "/",
        **WORKER_OUTBOX,
    }

    def start() -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()
        print(f"--- {worker.log.name} ---\n{worker.output()[-6000:]}")  # shown when the test failed
