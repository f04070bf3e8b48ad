"""matching's answers to what consents tells (consents.signals), and the
generations (config.generations) bumped on every change to what cached
things are made of: recommendations (matching.recommended) and the public
pages and board choices (matching.page_cache, selectors.board_taxonomy).
Connected when the app is ready (MatchingConfig.ready).

Bulk writes that send no signal bump themselves
(services.openings_search_rebuild, `manage.py load_taxonomies`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Employer
from config import generations
from consents.models import PolicyText, PolicyVersion
from consents.signals import share_grant_ended
from matching.models import CompanyPage, Opening
from matching.recommended import OPENINGS, RULES
from matching.services import webhook_grant_ended
from profiles.models import Labelled, RuleSource, StatusOfResidence, StatusRule


@receiver(share_grant_ended, dispatch_uid="matching_webhook_grant_ended")
def on_share_grant_ended(sender, grant, reason, **kwargs) -> None:
    """A grant ended: tell the employer's system (webhooks)."""
    webhook_grant_ended(grant=grant, reason=reason)


# Signals rather than calls in the services: openings, companies, work rules
# and taxonomies are also written by the admin, the API, the demo seeding
# and the tests' factories, and a missed bump would show stale
# recommendations or a stale public page.
OPENING_LINKS = {Opening.accepted_statuses.through, Opening.required_qualifications.through}
RULE_LINKS = {
    StatusOfResidence.job_categories.through,
    StatusRule.categories.through,
    StatusRule.employment_types.through,
}
COMPANY_MODELS = (Employer, CompanyPage)
POLICY_MODELS = (PolicyVersion, PolicyText)


@receiver(post_save, dispatch_uid="matching_generations_save")
@receiver(post_delete, dispatch_uid="matching_generations_delete")
def on_row_changed(sender, **kwargs) -> None:
    """An opening, a company, a work rule, a taxonomy entry (words in the
    reasons, labels on the pages) or a policy version changed."""
    if sender is Opening:
        generations.bump(OPENINGS)
    elif issubclass(sender, Labelled):
        generations.bump(RULES, generations.TAXONOMY)
    elif issubclass(sender, RuleSource):
        generations.bump(RULES)
    elif issubclass(sender, COMPANY_MODELS):
        generations.bump(generations.COMPANIES)
    elif issubclass(sender, POLICY_MODELS):
        generations.bump(generations.POLICIES)


@receiver(m2m_changed, dispatch_uid="matching_generations_links")
def on_links_changed(sender, action: str, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if sender in OPENING_LINKS:
        generations.bump(OPENINGS)
    elif sender in RULE_LINKS:
        generations.bump(RULES)
