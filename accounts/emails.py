"""The kinds of message accounts sends, and the secrets each carries
(outbox.kinds.MessageKind: secrets are stored sealed, shown as labels)."""

from django.utils.translation import gettext_lazy as _

from outbox.kinds import MessageKind

INVITATION = MessageKind(
    "accounts.invitation", template="accounts/email/invitation", secrets={"url": _("[invitation link hidden]")}
)

# allauth's mails (sign-in and verification codes, password resets and the
# notices around them), by allauth's template prefix. Every value allauth
# puts in a mail that lets its holder in is a secret, whatever the mail.
ALLAUTH_SECRETS = {
    "code": _("[code hidden]"),
    "key": _("[key hidden]"),
    "activate_url": _("[verification link hidden]"),
    "password_reset_url": _("[password reset link hidden]"),
}
ALLAUTH_CODE_LABELS = {
    "account/email/login_code": _("[sign-in code hidden]"),
    "account/email/email_confirmation": _("[verification code hidden]"),
    "account/email/email_confirmation_signup": _("[verification code hidden]"),
    "account/email/password_reset_code": _("[password reset code hidden]"),
}
ALLAUTH_PREFIXES = [
    # The frame around every allauth mail (no "Hello from <host>"): our brand
    # and the site's configured address.
    "account/email/base",
    "account/email/login_code",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/password_reset_code",
    "account/email/password_reset_key",
    "account/email/password_reset",
    "account/email/unknown_account",
    "account/email/account_already_exists",
    "account/email/password_changed",
    "account/email/password_set",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_deleted",
    "account/email/candidate_no_password",
    "account/email/password_sign_in_only",
]
ALLAUTH_KINDS = {
    prefix: MessageKind(
        f"allauth.{prefix.rsplit('/', 1)[-1]}",
        template=prefix,
        secrets={**ALLAUTH_SECRETS, "code": ALLAUTH_CODE_LABELS.get(prefix, ALLAUTH_SECRETS["code"])},
        # Links to public pages (sign up, reset by email), not tokens.
        public=("signup_url", "login_url", "site_domain", "email", "to_email", "from_email", "deleted_email"),
    )
    for prefix in ALLAUTH_PREFIXES
}
# A mail allauth adds in a later version: every known secret still hidden.
ALLAUTH_OTHER = MessageKind("allauth.other", secrets=ALLAUTH_SECRETS)


def allauth_kind(template_prefix: str) -> MessageKind:
    return ALLAUTH_KINDS.get(template_prefix, ALLAUTH_OTHER)

# Registration screening: the person is told of the decision, the reason
# and how to appeal; and when it is lifted.
SCREENING_DECISION = MessageKind(
    "accounts.screening_decision", template="accounts/email/screening_decision", public=("appeal_url", "privacy_url")
)
SCREENING_LIFTED = MessageKind("accounts.screening_lifted", template="accounts/email/screening_lifted")
