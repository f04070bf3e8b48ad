"""The one rule for the language of an email (and of an on-site notice sent
with it): the recipient's chosen language.

- A person with an account reads mail in the language on their account
  (`language`, set to the language they signed up in and changed at
  /me/language/), whatever page or staff member caused the mail.
- Someone without an account (an invitation, an inquiry or a privacy
  request made without signing in) gets the language they used: the page's
  language when they wrote, stored with what they wrote.
- Anything else, or a code no longer offered, falls back to LANGUAGE_CODE.

Every outbox row gets its language from here (outbox.services.
enqueue_templated, the allauth adapter, campaigns, on-site messages, saved
jobs and job alerts)."""

from django.conf import settings

from outbox.users import UserModel


def supported(code: str | None) -> str | None:
    """The code as settings.LANGUAGES spells it, or None if not offered."""
    if not code:
        return None
    code = code.lower().replace("_", "-")
    offered = {c.lower(): c for c, _name in settings.LANGUAGES}
    return offered.get(code) or offered.get(code.split("-")[0])


def mail_language(recipient: UserModel | None = None, *, used: str | None = None) -> str:
    """The language to write to `recipient` in; `used` is the language the
    person used on the site when there is no account to ask."""
    preferred = getattr(recipient, "language", None) if recipient is not None else None
    return supported(preferred) or supported(used) or settings.LANGUAGE_CODE
