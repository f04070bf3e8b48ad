"""matching's answers to what consents tells (consents.signals): connected
when the app is ready (MatchingConfig.ready)."""

from django.dispatch import receiver

from consents.signals import share_grant_ended
from matching.services import webhook_grant_ended


@receiver(share_grant_ended, dispatch_uid="matching_webhook_grant_ended")
def on_share_grant_ended(sender, grant, reason, **kwargs) -> None:
    """A grant ended: tell the employer's system (webhooks)."""
    webhook_grant_ended(grant=grant, reason=reason)
