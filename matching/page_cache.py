"""Whole public pages (the job board, an opening, a company page) kept in the
cache for visitors who are not signed in, so that the next visitor with the
same view of the site is answered without running the view.

What a page may depend on is in its key, and nothing else reaches it:
- whose page it is: only visitors who are not signed in are served or
  stored (`request.user` is anonymous), and nothing is served or stored
  while the visitor has flash messages pending or the page added one;
- the language, scheme, host, path and the query string (its parameters
  sorted by name; the order of one name's values is kept, as it counts);
- what the visitor's cookies change on the page: the cookie banner (choice
  known or not, the Global Privacy Control signal), whether analytics load,
  and which policy revision banners this browser closed;
- today's date in Japan (an opening stops being shown after its closing
  date); and the entry holds the generation counters of openings,
  companies, taxonomies and policies it was made at (config.generations):
  it is served only while they are current, so a change to any of them is
  seen on the very next request.

Per-visitor parts are never stored. The CSRF token in a page's forms (the
cookie banner's, the revision banner's) is replaced by a placeholder that
only this entry knows, and each visitor who is served the entry gets their
own token put back in (their CSRF cookie is then set by the middleware, as
for a page rendered for them). A page that used a CSP nonce is not stored
(none of these pages does today). Cookies are never stored: only the
view's status, headers and body are, and everything the middleware adds
(cookies, Vary, Cache-Control for anonymous visitors, CSP) is added again
to every response, cached or not.

TSUNAGU_PUBLIC_PAGE_SECONDS bounds how long an entry lives (what no write
bumps: a policy revision's banner period ending, a scheduled publication);
0 turns the cache off.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.middleware.csrf import CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH, get_token
from django.utils import timezone, translation

from config import generations
from consents.banners import dismissed_in_cookie
from consents.middleware import analytics_configured

TOPICS = (generations.OPENINGS, generations.COMPANIES, generations.TAXONOMY, generations.POLICIES)
_KEY_PREFIX = "public-page:"
# A masked CSRF token: 64 letters and digits, not inside a longer run.
_TOKEN = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{CSRF_TOKEN_LENGTH}}}(?![A-Za-z0-9])")
# Headers the middleware sets on every response: never taken from an entry.
_NOT_STORED = {"content-length", "set-cookie", "vary", "cache-control", "expires", "last-modified", "etag"}


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the cache to visitors who are not signed
    in (see the module's docstring for what the key holds)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        # One round trip: the entry holds the generations it was made at.
        numbers, found = generations.current_with(TOPICS, [key])
        entry = found.get(key)
        if entry is not None and entry["generations"] == numbers:
            return _served(request, entry)
        response = view(request, *args, **kwargs)
        entry = _entry(request, response)
        if entry is not None:
            entry["generations"] = numbers
            cache.set(key, entry, settings.TSUNAGU_PUBLIC_PAGE_SECONDS)
        return response

    return wrapped


def _may_use_cache(request: HttpRequest) -> bool:
    if settings.TSUNAGU_PUBLIC_PAGE_SECONDS <= 0 or request.method != "GET":
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    # Flash messages waiting for this visitor are shown on the next page.
    return not len(messages.get_messages(request))


def page_key(request: HttpRequest) -> str:
    """The cache key of the page this request asks for, as this visitor
    would see it (the entry under it counts only while the generations it
    holds are current)."""
    consent = getattr(request, "cookie_consent", None)
    query = urlencode(sorted(request.GET.lists(), key=lambda item: item[0]), doseq=True)
    parts = [
        translation.get_language() or "",
        request.scheme or "",
        request.get_host(),
        request.path,
        query,
        repr(None if consent is None else (consent.known, consent.analytics and analytics_configured(), consent.gpc)),
        ".".join(str(pk) for pk in sorted(dismissed_in_cookie(request))),
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _KEY_PREFIX + digest


def _entry(request: HttpRequest, response: HttpResponse) -> dict | None:
    """What may be kept of a response for other visitors, or None."""
    if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Vary"):
        return None
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", ""):
        return None
    if len(messages.get_messages(request)) or bool(getattr(request, "csp_nonce", None)):
        return None
    body = response.content
    placeholder = ""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        secret = request.META.get("CSRF_COOKIE", "")
        if len(secret) != CSRF_SECRET_LENGTH:
            return None
        placeholder = f"csrf-placeholder-{secrets.token_hex(16)}"
        text = _TOKEN.sub(
            lambda found: placeholder if _unmask(found.group()) == secret else found.group(),
            body.decode(response.charset),
        )
        # A token asked for but not found, or the secret in some other form:
        # keep nothing rather than risk one visitor's token reaching another.
        if secret in text or placeholder not in text:
            return None
        body = text.encode(response.charset)
    return {
        "status": response.status_code,
        "headers": [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED],
        "body": body,
        "charset": response.charset,
        "csrf": placeholder,
    }


def _unmask(token: str) -> str:
    # Django's own unmasking (private, absent from the type stubs): a copy
    # here could drift from how Django masks and then miss a token.
    return csrf._unmask_cipher_token(token)  # type: ignore[attr-defined]


def _served(request: HttpRequest, entry: dict) -> HttpResponse:
    body: bytes = entry["body"]
    if entry["csrf"]:
        token = get_token(request)  # this visitor's own, and their cookie is set
        body = body.replace(entry["csrf"].encode(), token.encode())
    response = HttpResponse(body, status=entry["status"], charset=entry["charset"])
    for name, value in entry["headers"]:
        response[name] = value
    return response
