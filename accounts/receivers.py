from django.db.models import QuerySet

from accounts.models import ApiClient, User
from accounts.oauth import AppAccessEnd
from accounts.selectors import api_app_people
from accounts.signals import app_access_changed


def on_api_client_deleting(sender, instance: ApiClient, origin=None, **kwargs) -> None:
    """A candidate app deleted (in the admin, or with its registrant's
    account): everyone it held a live token of loses it with the app, inside
    the deleting transaction. People deleted at the same time are skipped:
    their consent history goes with their account."""
    if instance.kind != ApiClient.Kind.CANDIDATE_APP:
        return
    leaving: set[int] = set()
    if isinstance(origin, User):
        leaving = {origin.pk}
    elif isinstance(origin, QuerySet) and origin.model is User:
        leaving = set(origin.values_list("pk", flat=True))
    for person in api_app_people(instance).exclude(pk__in=leaving):
        app_access_changed.send(
            sender=ApiClient, user=person, client=instance, held=None, ended_by=AppAccessEnd.DELETED
        )
