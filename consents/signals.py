"""What consents tells the apps above it, without importing them
(STYLE.md: consents does not import matching)."""

from django.dispatch import Signal

# A share grant ended (withdrawn or expired), inside the transaction that
# ended it: `grant`, `reason` (ShareGrant.EndReason).
share_grant_ended = Signal()
