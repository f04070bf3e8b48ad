"""Handing work to Celery without ever making a request wait for the broker.

Work that must not be lost is written to the database first (an outbox row,
a scheduled campaign, a policy announcement) and only then handed to Celery,
after the commit. If the broker is down, the hand-over fails at once (no
retries, a short connection timeout) and the row waits for the periodic job
that hands such rows over again (Celery beat: `requeue_stale_emails`,
`dispatch_due_campaigns`). After a failure this process does not try the
broker again for `BROKER_PAUSE_SECONDS`, so a burst of requests during an
outage costs each of them nothing.

Tasks are named, not imported: the modules that write the rows sit below
the task modules that call them (a service must not import its own task).
"""

import logging
import threading
import time

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)

BROKER_PAUSE_SECONDS = 30.0

_lock = threading.Lock()
_paused_until = 0.0


def broker_paused() -> bool:
    return time.monotonic() < _paused_until


def _pause() -> None:
    global _paused_until
    with _lock:
        _paused_until = time.monotonic() + BROKER_PAUSE_SECONDS


def resume() -> None:
    """Forget an earlier failure (tests; a worker that saw the broker return)."""
    global _paused_until
    with _lock:
        _paused_until = 0.0


def _task(name: str):
    tasks = current_app.tasks
    if name not in tasks:
        # A web process imports task modules only when asked (the worker at
        # start): load every app's tasks.py once.
        current_app.loader.import_default_modules()
    return tasks[name]


def send_task(name: str, *args) -> bool:
    """Run or queue the registered task `name` with `args` now. Returns
    False if the broker could not take it (the caller's row stays queued)."""
    task = _task(name)
    if current_app.conf.task_always_eager:
        # The embedded default runs the task here and now. Its failure is
        # logged, never raised into the request that caused it: the row it
        # worked on records what happened.
        try:
            task.apply_async(args=args)
        except Exception:
            log.exception("Task %s failed when run eagerly", name)
            return False
        return True
    if broker_paused():
        return False
    try:
        task.apply_async(args=args, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker error: the periodic job hands the row over later
        _pause()
        log.warning("Broker unavailable; %s%s waits for the periodic requeue: %s", name, args[:1], exc)
        return False
    return True


def send_task_on_commit(name: str, *args) -> None:
    """`send_task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_task(name, *args))
