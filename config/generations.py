"""Generations: one number per topic ("openings", "policies") that changes
whenever what the topic stands for changes. A cached value is stored with
(or under) the generations it was computed at and counts only while they
are still current, so invalidating everything about a topic is one bump,
and nothing has to know which keys were made from it.

The number lives in the default cache (Redis in production, shared by every
process). A lost number (evicted, or Redis emptied) comes back as a new one
from the clock, so it never equals one an old value was stored with.

`bump` changes the number at once and again when the surrounding
transaction commits: a reader between the two can only have stored a value
under the first new number, which the second makes stale, so no value
computed from the old data outlives the commit.
"""

import time

from django.core.cache import cache
from django.db import transaction

PREFIX = "generation:"


def _key(topic: str) -> str:
    return PREFIX + topic


def current(topic: str) -> int:
    """The topic's generation now."""
    key = _key(topic)
    value = cache.get(key)
    if value is None:
        value = time.time_ns()
        if not cache.add(key, value, timeout=None):
            value = cache.get(key, value)
    return value


def _bump_now(topic: str) -> None:
    key = _key(topic)
    try:
        cache.incr(key)
    except ValueError:  # not there (never read, or evicted): a new number
        cache.set(key, time.time_ns(), timeout=None)


def bump(topic: str) -> None:
    """The topic changed: every value cached under its generation is stale,
    now and once more after the commit of the current transaction."""
    _bump_now(topic)
    transaction.on_commit(lambda: _bump_now(topic))
