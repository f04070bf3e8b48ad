"""matching's answers to what the apps below it tell (consents.signals,
accounts.signals): connected when the app is ready (MatchingConfig.ready)."""

from django.dispatch import receiver

from accounts.signals import account_screened
from consents.signals import share_grant_ended, use_restricted
from matching.services import (
    SHARING_RESTRICTED,
    SHARING_SCREENED,
    interviews_cancel_for_ended_sharing,
    webhook_grant_ended,
)


@receiver(share_grant_ended, dispatch_uid="matching_webhook_grant_ended")
def on_share_grant_ended(sender, grant, reason, **kwargs) -> None:
    """A grant ended: tell the employer's system (webhooks)."""
    webhook_grant_ended(grant=grant, reason=reason)


@receiver(share_grant_ended, dispatch_uid="matching_interviews_grant_ended")
def cancel_interviews_when_the_grant_ends(sender, grant, reason, **kwargs) -> None:
    """The employer no longer sees the candidate: their upcoming interviews
    there are cancelled (both sides told, calendars updated)."""
    interviews_cancel_for_ended_sharing(candidate_id=grant.candidate_id, employer_id=grant.employer_id, reason=reason)


@receiver(use_restricted, dispatch_uid="matching_interviews_restricted")
def cancel_interviews_when_use_is_restricted(sender, user, **kwargs) -> None:
    """A restriction hides the candidate from every employer."""
    if user.is_candidate:
        interviews_cancel_for_ended_sharing(candidate_id=user.pk, reason=SHARING_RESTRICTED)


@receiver(account_screened, dispatch_uid="matching_interviews_screened")
def cancel_interviews_when_screened(sender, user, decision, **kwargs) -> None:
    """A screening decision hides the candidate from every employer."""
    if user.is_candidate:
        interviews_cancel_for_ended_sharing(candidate_id=user.pk, reason=SHARING_SCREENED)
