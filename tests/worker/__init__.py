"""Tests against a real broker and a real Celery worker (marked `worker`).

They run only when TSUNAGU_TEST_BROKER_URL names a Redis database (the
PostgreSQL run of .ci/run sets it) and the database is PostgreSQL (the worker
is another process: it must see the test database). `use_broker` is shared
with tests that only need the test process to stop running tasks eagerly.
"""

import contextlib
import os

from django.conf import settings
from django.test import override_settings

from config.celery_app import app as celery_app


def _forget_broker_connections() -> None:
    # Celery keeps its connection and producer pools once made; they are made
    # for the broker URL of that moment, so a test that changes the URL must
    # let Celery make them again (what Celery itself does after a fork).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def use_broker(url: str, *, key_prefix: str = ""):
    """Within the block, send tasks to the broker at `url` instead of running
    them eagerly. With a key prefix every Redis key the broker uses is
    prefixed, so test sessions side by side (pytest -n) never take each
    other's tasks."""
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if key_prefix:
        options["global_keyprefix"] = key_prefix
    _forget_broker_connections()
    try:
        with override_settings(
            CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=url, CELERY_BROKER_TRANSPORT_OPTIONS=options
        ):
            yield
    finally:
        with contextlib.suppress(Exception):
            celery_app.pool.force_close_all()
        _forget_broker_connections()


BROKER_URL = os.environ.get("TSUNAGU_TEST_BROKER_URL", "")


def skip_reason() -> str | None:
    """Why tests/worker cannot run here, or None."""
    if not BROKER_URL:
        return (
            "needs a Redis broker for a real Celery worker: set TSUNAGU_TEST_BROKER_URL "
            "(the PostgreSQL run of .ci/run does)"
        )
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "the worker is another process and must share the test database: needs PostgreSQL (DATABASE_URL)"
    return None
