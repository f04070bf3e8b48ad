"""matching's answers to what consents tells (consents.signals), and the
generations of cached recommendations (matching.recommended) bumped on every
change to what they are made of: connected when the app is ready
(MatchingConfig.ready)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from config import generations
from consents.signals import share_grant_ended
from matching.models import Opening
from matching.recommended import OPENINGS, RULES
from matching.services import webhook_grant_ended
from profiles.models import Labelled, RuleSource, StatusOfResidence, StatusRule


@receiver(share_grant_ended, dispatch_uid="matching_webhook_grant_ended")
def on_share_grant_ended(sender, grant, reason, **kwargs) -> None:
    """A grant ended: tell the employer's system (webhooks)."""
    webhook_grant_ended(grant=grant, reason=reason)


# Signals rather than calls in the services: openings and work rules are
# also written by the admin, the API, the demo seeding and the tests'
# factories, and a missed bump would show stale recommendations.
OPENING_LINKS = {Opening.accepted_statuses.through, Opening.required_qualifications.through}
RULE_LINKS = {
    StatusOfResidence.job_categories.through,
    StatusRule.categories.through,
    StatusRule.employment_types.through,
}


@receiver(post_save, dispatch_uid="matching_generations_save")
@receiver(post_delete, dispatch_uid="matching_generations_delete")
def on_row_changed(sender, **kwargs) -> None:
    """An opening, a work rule or a taxonomy label (words in the reasons) changed."""
    if sender is Opening:
        generations.bump(OPENINGS)
    elif issubclass(sender, (Labelled, RuleSource)):
        generations.bump(RULES)


@receiver(m2m_changed, dispatch_uid="matching_generations_links")
def on_links_changed(sender, action: str, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if sender in OPENING_LINKS:
        generations.bump(OPENINGS)
    elif sender in RULE_LINKS:
        generations.bump(RULES)
