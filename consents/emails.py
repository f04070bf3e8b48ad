"""The kinds of message the consent core sends (outbox.kinds.MessageKind):
the secrets each carries are stored sealed and shown only as labels."""

from outbox.kinds import MessageKind

POLICY_REVISION = MessageKind("consents.policy_revision", template="consents/email/policy_revision")
GRANT_RECEIPT = MessageKind("consents.grant_receipt", template="consents/email/grant_receipt")
WITHDRAWAL_NOTICE = MessageKind("consents.withdrawal_notice", template="consents/email/withdrawal_notice")
EXPIRY_REMINDER = MessageKind("consents.expiry_reminder", template="consents/email/expiry_reminder")
