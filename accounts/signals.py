"""What accounts tells the apps above it, without importing them
(STYLE.md: apps depend downward)."""

from django.dispatch import Signal

# A screening decision (suspension, refusal) took effect on an account,
# inside the transaction that recorded it: `user`, `decision`.
account_screened = Signal()

# A candidate let an app of their own in: the authorization code was
# exchanged for a token, inside the transaction that stored it. `user`,
# `client` (ApiClient), `scopes` (what this token may do) and `held_before`
# (the scopes the app already held for them, None when it held nothing live:
# api_app_scopes_held just before the token was stored), `notice_text` (the
# consent page's words, accounts.oauth.consent_page_text) and `language`
# (the one the page was read in).
app_authorised = Signal()

# An app's access to a person's data ended: their last live token for it was
# revoked, inside the transaction that revoked it. `user`, `client`,
# `ended_by` (accounts.oauth.AppAccessEnd: they disconnected it, the app gave
# it up, its registrant revoked it, it was deleted, or their account closed).
app_access_ended = Signal()
