"""Interviews cancelled when a candidate's profile stops reaching an
employer: matching's answers to consents.signals (a grant withdrawn or
expired, a restriction of use) and accounts.signals (a screening decision).
Connected when the app is ready (MatchingConfig.ready), beside
matching.receivers."""

from django.dispatch import receiver

from accounts.signals import account_screened
from consents.signals import share_grant_ended, use_restricted
from matching.services import SHARING_RESTRICTED, SHARING_SCREENED, interviews_cancel_for_ended_sharing


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
