"""Two submits at once: what the double-submit tests share."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def at_once(action: Callable[[], T], times: int = 2, *, timeout: float = 60) -> list[T]:
    """Run `action` in `times` threads released together (a barrier), each
    on its own database connection, closed after; their results in the order
    they finished. An error in a thread is raised here, in the test's."""
    barrier = threading.Barrier(times)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=timeout)
            results.append(action())
        except BaseException as exc:  # noqa: BLE001 - raised below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    if errors:
        raise errors[0]
    return results
