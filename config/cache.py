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
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0
_METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class ReusedClients(RedisCacheClient):
    """Django's client builds a new `redis.Redis` on every cache call, and
    with it redis-py's table of response callbacks: about 0.1 ms each time,
    a fifth of a cached page's whole answer (bench/README.md, issue 18). A
    `redis.Redis` only wraps its connection pool and is safe to share
    between threads, so one per pool serves every call."""

    # RedisCacheClient's own attributes (private: not in the type stubs).
    _servers: list[str]
    _pools: dict[int, Any]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients.setdefault(index, self._client(connection_pool=self._pools[index]))
        return client


class ResilientRedisCache(RedisCache):
    # RedisCache's client, a cached property the stubs leave out (it is private).
    _cache: RedisCacheClient

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClients
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
