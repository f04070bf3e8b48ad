"""The cache backend for production: Redis, and a local stand-in while Redis
cannot be reached.

What the cache holds here can be rebuilt or lost without harm (rate-limit
counters, used TOTP codes, cached pages), but sign-in must not stop because
of it: allauth's rate limits take a lock in the cache on every sign-in
attempt, and a plain RedisCache raises ConnectionError into the request (a
500) while Redis is down.

The decision: while Redis is unreachable each process falls back to its own
local-memory cache, logs one warning, and tries Redis again after
`RETRY_SECONDS`. Rate limits keep working per process (weaker across
processes for the length of the outage: an attacker gets at most the limit
once per web process), nothing fails open entirely, and no request waits
longer than the short connection timeout set in the settings.
"""

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0
_METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class ResilientRedisCache(RedisCache):
    # RedisCache's client, a cached property the stubs leave out (it is private).
    _cache: RedisCacheClient

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}}
        )
        self._lock = threading.Lock()
        self._down_until = 0.0

    @property
    def degraded(self) -> bool:
        """True while this process uses its local stand-in."""
        return time.monotonic() < self._down_until

    def ping(self) -> bool:
        """Does Redis itself answer now? (for /readyz)"""
        try:
            return bool(self._cache.get_client(write=False).ping())
        except (RedisError, OSError):
            return False

    def _went_down(self, method: str, exc: Exception) -> None:
        with self._lock:
            first = not self.degraded
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            log.warning("Redis cache unreachable (%s in %s): using a local cache in this process for now", exc, method)


def _resilient(name: str):
    redis_method = getattr(RedisCache, name)
    local_method = getattr(LocMemCache, name)

    def method(self, *args, **kwargs):
        if not self.degraded:
            try:
                return redis_method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                self._went_down(name, exc)
        return local_method(self._fallback, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in _METHODS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
