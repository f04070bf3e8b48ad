"""What consents tells the apps above it, without importing them
(STYLE.md: consents does not import matching)."""

from django.dispatch import Signal

# A share grant ended (withdrawn or expired), inside the transaction that
# ended it: `grant`, `reason` (ShareGrant.EndReason).
share_grant_ended = Signal()

# A person restricted the use of their data (PRODUCT §7: hidden from
# employers and matching), inside the transaction that started it: `user`.
use_restricted = Signal()
