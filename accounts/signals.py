"""What accounts tells the apps above it, without importing them
(STYLE.md: apps depend downward)."""

from django.dispatch import Signal

# A screening decision (suspension, refusal) took effect on an account,
# inside the transaction that recorded it: `user`, `decision`.
account_screened = Signal()
