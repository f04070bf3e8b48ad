"""Generation counters: one number per topic in the cache, changed whenever
data of that topic changes, so that everything cached from it can be
dropped at once by leaving it behind (O(1), nothing to find or delete).

A cached thing (a public page, the board's form choices) puts the current
numbers of the topics it was built from into its key; a write bumps the
numbers of the topics it touches; the next read computes a key nobody has
written yet and rebuilds. Old entries are never read again and expire.

A number that went missing (evicted, Redis flushed or restarted) comes back
as a fresh value taken from the clock, never as a small integer an earlier
life of the counter already used: a key from before the loss cannot match
again.

Writes bump twice: at once, and again when their transaction commits. The
first bump makes the change count within the transaction (and in tests,
where the transaction never commits); the second one drops what a
concurrent request may have cached from the old data in between.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

OPENINGS = "openings"
COMPANIES = "companies"
TAXONOMY = "taxonomy"
POLICIES = "policies"
TOPICS = (OPENINGS, COMPANIES, TAXONOMY, POLICIES)

_PREFIX = "generation:"


def _key(topic: str) -> str:
    if topic not in TOPICS:
        raise ValueError(f"unknown generation topic {topic!r}")
    return _PREFIX + topic


def _fresh() -> int:
    return time.time_ns()


def current(topics: Iterable[str]) -> tuple[int, ...]:
    """The numbers of these topics now, in the order given (one cache read)."""
    names = [_key(topic) for topic in topics]
    found = cache.get_many(names)
    missing = [name for name in names if name not in found]
    for name in missing:
        # add(): of two processes starting the same counter, the first wins.
        cache.add(name, _fresh(), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return tuple(int(found.get(name) or 0) for name in names)


def bump(*topics: str) -> None:
    """Leave behind everything cached from these topics, now and again when
    the current transaction commits (at once outside a transaction)."""
    _bump_now(topics)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(topics), robust=True)


def _bump_now(topics: Iterable[str]) -> None:
    for topic in topics:
        name = _key(topic)
        try:
            cache.incr(name)
        except ValueError:  # missing: start again from the clock
            cache.set(name, _fresh(), timeout=None)
