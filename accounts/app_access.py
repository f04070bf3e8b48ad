"""What a candidate app may do for a person, watched at the token models.

Whatever deletes or changes a token of a candidate app (the person
disconnecting it, the app giving a token up or refreshing it with fewer
scopes, its registrant revoking it or being suspended, staff deleting a
token in the Django admin, django-oauth-toolkit ending a reused refresh
chain) goes through django-oauth-toolkit's models: their pre/post signals
compare what the app held of the person before and after, and when that
changed, `accounts.signals.app_access_changed` tells the consent ledger
(consents.receivers), in the same transaction. A new path cannot forget it.

A service that ends access for a reason wraps its token work in
`app_access_changes(ended_by)`: the change is settled once, at the end,
with that reason (a refresh deletes the old token before it stores the new
one: the app never lost its access in between). Outside one, each change
is settled as it happens and the reason is "Tsunagu staff" (the admin).
Tokens that had already lapsed change nothing here: the hourly check
records their expiry (consents.services.app_authorisations_expire_due)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import ApiClient, User
from accounts.oauth import AppAccessEnd
from accounts.selectors import api_app_scopes_held
from accounts.signals import app_access_changed

Held = frozenset[str] | None
Pair = tuple[int, int]  # (person, app)
EndedBy = str | Callable[[User], str]

_BEFORE = "_tsunagu_app_access_before"


@dataclass
class _Watch:
    ended_by: EndedBy
    before: dict[Pair, Held] = field(default_factory=dict)


_watch: ContextVar[_Watch | None] = ContextVar("tsunagu_app_access_watch", default=None)


@contextmanager
def app_access_changes(ended_by: EndedBy) -> Iterator[None]:
    """Token work inside is settled once when it is done, and an access that
    ended is recorded as ended by `ended_by` (an AppAccessEnd, or a function
    of the person giving one). Nothing is settled if the block raises."""
    watch = _Watch(ended_by=ended_by)
    reset = _watch.set(watch)
    try:
        yield
    finally:
        _watch.reset(reset)
    for pair, before in watch.before.items():
        _settle(pair, before, ended_by)


def _pair(token) -> Pair | None:
    """(person, app) for a candidate app's token of someone; None otherwise
    (employer systems' tokens are not consents)."""
    if token.user_id is None or token.application_id is None:
        return None
    if not ApiClient.objects.filter(pk=token.application_id, kind=ApiClient.Kind.CANDIDATE_APP).exists():
        return None
    return token.user_id, token.application_id


def _leaving(origin, user_id: int) -> bool:
    """The person's account is being deleted: their consent history goes with it."""
    if isinstance(origin, User):
        return origin.pk == user_id
    if isinstance(origin, QuerySet) and origin.model is User:
        return origin.filter(pk=user_id).exists()
    return False


def _held(pair: Pair) -> Held:
    return api_app_scopes_held(pair[0], pair[1])


def _settle(pair: Pair, before: Held, ended_by: EndedBy) -> None:
    after = _held(pair)
    if after == before:
        return
    user = User.objects.filter(pk=pair[0]).first()
    client = ApiClient.objects.filter(pk=pair[1]).first()
    if user is None or client is None:
        return
    reason = ended_by(user) if callable(ended_by) else ended_by
    app_access_changed.send(sender=ApiClient, user=user, client=client, held=after, ended_by=reason)


def _remember(instance, origin) -> None:
    pair = _pair(instance)
    if pair is None or _leaving(origin, pair[0]):
        return
    watch = _watch.get()
    if watch is None:
        setattr(instance, _BEFORE, (pair, _held(pair)))
    elif pair not in watch.before:
        watch.before[pair] = _held(pair)


def _dead(token) -> bool:
    """A token that reached nothing any more (an access token past its
    expiry, a spent or orphaned refresh token): deleting it changes nothing,
    and django-oauth-toolkit's cleartokens deletes many of them."""
    if isinstance(token, get_access_token_model()):
        return token.expires <= timezone.now()
    return token.revoked is not None or token.access_token_id is None


def on_token_deleting(sender, instance, origin=None, **kwargs) -> None:
    """pre_delete: remember what the app held of the person before."""
    if not _dead(instance):
        _remember(instance, origin)


def on_token_saving(sender, instance, **kwargs) -> None:
    """pre_save of a token changed (its scopes, expiry, revocation); a new
    token lets an app in, which accounts.oauth_validator records."""
    if not instance._state.adding:
        _remember(instance, None)


def on_token_changed(sender, instance, created=False, **kwargs) -> None:
    """post_delete, post_save: outside app_access_changes, settle now."""
    remembered = instance.__dict__.pop(_BEFORE, None)
    if created or remembered is None or _watch.get() is not None:
        return
    pair, before = remembered
    _settle(pair, before, AppAccessEnd.STAFF)
