"""The revision banners' memory for visitors without an account: the ids of
the revisions a browser closed or read, in a cookie of its own.

It is set only when the visitor asks for it (closes a banner, or opens the
revision from it), holds nothing but version numbers, and lasts only as long
as a banner can show (TSUNAGU_POLICY_BANNER_DAYS): a strictly necessary
cookie for a function the visitor requested, not a preference or tracking
cookie, so it needs no cookie consent (and is listed as such on the cookie
page). Signed-in people's choices are kept with their account instead."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "tsunagu_banners"
MAX_IDS = 20


def dismissed_in_cookie(request: HttpRequest) -> frozenset[int]:
    raw = request.COOKIES.get(COOKIE, "")[:200]
    return frozenset(int(part) for part in raw.split(".") if part.isdigit() and len(part) < 12)


def remember_in_cookie(request: HttpRequest, response: HttpResponse, version_id: int) -> None:
    ids = sorted(dismissed_in_cookie(request) | {version_id})[-MAX_IDS:]
    response.set_cookie(
        COOKIE,
        ".".join(str(i) for i in ids),
        max_age=settings.TSUNAGU_POLICY_BANNER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
