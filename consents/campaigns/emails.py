"""The kinds of message campaigns send (outbox.kinds.MessageKind)."""

from django.utils.translation import gettext_lazy as _

from outbox.kinds import MessageKind

# Purpose mail: every copy carries its person's one-click unsubscribe link.
CAMPAIGN = MessageKind("campaigns.campaign", secrets={"unsubscribe_url": _("[unsubscribe link hidden]")})
CAMPAIGN_TEST = MessageKind("campaigns.campaign_test")
