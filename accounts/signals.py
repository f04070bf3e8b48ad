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

# What an app may do with a person's data changed other than by their letting
# it in: a token of theirs was deleted, revoked or narrowed (accounts.app_access
# watches django-oauth-toolkit's models), inside the transaction that did it.
# `user`, `client`, `held` (the scopes it still holds, None when it holds no
# live token of theirs: its access ended) and `ended_by` (accounts.oauth.
# AppAccessEnd: they disconnected it, the app gave it up, its registrant
# revoked it or was suspended, it was deleted, their account closed, staff
# removed it, or a reused refresh token ended it).
app_access_changed = Signal()

# Staff were shown these candidates' accounts (their email address) on the
# registration screening pages: `viewer` (the staff member), `user_ids`.
candidates_shown_for_screening = Signal()
