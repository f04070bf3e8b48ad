"""Generations: one number per topic ("openings", "policies", ...) that
changes whenever what the topic stands for changes. A cached value is
stored with (or under) the generations it was computed at and counts only
while they are still current, so invalidating everything about a topic is
one bump (O(1)), and nothing has to know which keys were made from it.

The number lives in the default cache (Redis in production, shared by every
process). A lost number (evicted, or Redis emptied) comes back as a new one
from the clock, so it never equals one an old value was stored with.

`bump` changes the number at once and again when the surrounding
transaction commits: a reader between the two can only have stored a value
under the first new number, which the second makes stale, so no value
computed from the old data outlives the commit. (The first bump also makes
a change count within its transaction, and in tests, which never commit.)

Topics used: OPENINGS, COMPANIES (an employer's name, its company page),
TAXONOMY (taxonomy entries: labels, readings, and the work rules, which
matching.recommended's reasons are made of), POLICIES (published policy
versions) below.
"""

import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

PREFIX = "generation:"

OPENINGS = "openings"
COMPANIES = "companies"
TAXONOMY = "taxonomy"
POLICIES = "policies"
TOPICS = (OPENINGS, COMPANIES, TAXONOMY, POLICIES)


def _key(topic: str) -> str:
    if topic not in TOPICS:
        raise ValueError(f"unknown generation topic {topic!r}")
    return PREFIX + topic


def current(topic: str) -> int:
    """The topic's generation now."""
    return current_many([topic])[0]


def current_many(topics: Iterable[str]) -> tuple[int, ...]:
    """The generations of these topics now, in the order given (one cache
    read when they all exist)."""
    return current_with(topics, [])[0]


def current_with(topics: Iterable[str], others: list[str]) -> tuple[tuple[int, ...], dict[str, Any]]:
    """The generations of these topics now, and the values of the `others`
    cache keys (those found), in one cache read when the generations all
    exist: a cached value stored with its generations is checked in one
    round trip."""
    keys = [_key(topic) for topic in topics]
    found = cache.get_many([*keys, *others])
    values = {key: found[key] for key in others if key in found}
    for key in keys:
        if found.get(key) is None:
            value = time.time_ns()
            # add(): of two processes starting the same number, the first wins.
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)
            found[key] = value
    return tuple(int(found[key]) for key in keys), values


def _bump_now(topics: Iterable[str]) -> None:
    for topic in topics:
        key = _key(topic)
        try:
            cache.incr(key)
        except ValueError:  # not there (never read, or evicted): a new number
            cache.set(key, time.time_ns(), timeout=None)


def bump(*topics: str) -> None:
    """The topics changed: every value cached under their generations is
    stale, now and once more after the commit of the current transaction."""
    _bump_now(topics)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(topics), robust=True)
