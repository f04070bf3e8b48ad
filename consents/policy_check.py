"""The policy check of every request (PolicyConsentMiddleware), answered
from a stamp per person instead of the database.

The stamp says "this person had accepted everything required at policy
generation G" (config.generations, POLICIES). Publishing a version
bumps G (services.policy_version_publish, and every migration, which may
seed versions), so the very next request of everyone is checked against the
database again; accepting removes the person's stamp. A version published
ahead of time (published_at in the future) comes into force without a
write: the stamp is kept only until the next such moment.

Only "nothing to accept" is stored: a person with something to accept is
asked the database at every request until they accept. While the cache is
Redis's local stand-in (config.cache: Redis unreachable), another process
could not see a bump, so the database answers.
"""

from datetime import datetime

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from accounts.models import User
from config import generations
from consents.models import PolicyVersion
from consents.selectors import USER_POLICIES, policies_to_accept

# A stamp unused for a day goes; it is rebuilt with the few queries it saves.
STAMP_SECONDS = 24 * 3600


def _key(user_id: int) -> str:
    return f"policy-accepted:{user_id}"


def _next_in_force(now: datetime) -> float | None:
    """When the next version already scheduled comes into force (epoch seconds)."""
    nearest = PolicyVersion.objects.filter(
        kind__in=USER_POLICIES, requires_consent=True, published_at__gt=now
    ).aggregate(nearest=Min("published_at"))["nearest"]
    return nearest.timestamp() if nearest else None


def must_accept_policies(user: User) -> bool:
    """Has this signed-in person a required policy version still to accept?"""
    if getattr(cache, "degraded", False):
        return bool(policies_to_accept(user))
    generation = generations.current(generations.POLICIES)
    now = timezone.now()
    stamp = cache.get(_key(user.pk))
    if stamp is not None:
        stamped_generation, until = stamp
        if stamped_generation == generation and (until is None or now.timestamp() < until):
            return False
    if policies_to_accept(user):
        return True
    cache.set(_key(user.pk), (generation, _next_in_force(now)), timeout=STAMP_SECONDS)
    return False


def policy_published() -> None:
    """A version was published: everyone is checked again at their next request."""
    generations.bump(generations.POLICIES)


def policies_accepted(user: User) -> None:
    """The person accepted: their next request is checked against the database."""
    cache.delete(_key(user.pk))
