"""matching's answers to what consents tells (consents.signals), and the
generation bumps that drop cached public pages and board choices when what
they show changes (config.generations): connected when the app is ready
(MatchingConfig.ready).

The bumps are on the models' signals rather than in each service because a
page must never outlive its data, whichever path wrote it (services, the
admin, a data migration run by hand). The same generations key the cached
recommendations (matching.recommended): the work rules (RuleSource rows and
their links) count as taxonomy for them. Bulk writes that send no signal bump
themselves (services.openings_search_rebuild, `manage.py load_taxonomies`)."""

from collections.abc import Callable
from typing import cast

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Employer
from config import generations
from consents.models import PolicyText, PolicyVersion
from consents.signals import share_grant_ended
from matching.models import CompanyPage, Opening
from matching.services import webhook_grant_ended
from profiles.models import Labelled, RuleSource


@receiver(share_grant_ended, dispatch_uid="matching_webhook_grant_ended")
def on_share_grant_ended(sender, grant, reason, **kwargs) -> None:
    """A grant ended: tell the employer's system (webhooks)."""
    webhook_grant_ended(grant=grant, reason=reason)


def _bumper(topic: str) -> Callable[..., None]:
    def bump(sender, **kwargs) -> None:
        if kwargs.get("raw"):  # loading fixtures
            return
        if kwargs.get("action", "post_").startswith("pre_"):  # m2m: once, after the change
            return
        generations.bump(topic)

    return bump


_on_opening = _bumper(generations.OPENINGS)
_on_company = _bumper(generations.COMPANIES)
_on_taxonomy = _bumper(generations.TAXONOMY)
_on_policy = _bumper(generations.POLICIES)

_WATCHED: list[tuple[type[Model], Callable[..., None]]] = [
    (Opening, _on_opening),
    (Employer, _on_company),
    (CompanyPage, _on_company),
    (PolicyVersion, _on_policy),
    (PolicyText, _on_policy),
    *(
        (model, _on_taxonomy)
        for model in apps.get_app_config("profiles").get_models()
        if issubclass(model, (Labelled, RuleSource))
    ),
]
for _model, _handler in _WATCHED:
    _uid = f"generations_{_model._meta.label_lower}"
    post_save.connect(_handler, sender=_model, dispatch_uid=f"{_uid}_save")
    post_delete.connect(_handler, sender=_model, dispatch_uid=f"{_uid}_delete")
for _through in (Opening.accepted_statuses.through, Opening.required_qualifications.through):
    m2m_changed.connect(_on_opening, sender=_through, dispatch_uid=f"generations_{_through._meta.label_lower}")
# Every many-to-many link of a taxonomy entry or a work rule (a status's
# kinds of work, a rule's or a sponsorship route's kinds of work and
# employment types): found from the models, so a link added later counts.
_RULE_LINKS: tuple[type[Model], ...] = tuple(
    cast(type[Model], field.remote_field.through)  # always set once the models are loaded
    for model, handler in _WATCHED
    if handler is _on_taxonomy
    for field in model._meta.local_many_to_many
)
for _link in _RULE_LINKS:
    m2m_changed.connect(_on_taxonomy, sender=_link, dispatch_uid=f"generations_{_link._meta.label_lower}")
