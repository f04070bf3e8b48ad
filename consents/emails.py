"""The kinds of message consents sends (outbox.kinds.MessageKind): the
secrets each carries are stored sealed and shown only as labels."""

from django.utils.translation import gettext_lazy as _

from outbox.kinds import MessageKind

POLICY_REVISION = MessageKind("consents.policy_revision", template="consents/email/policy_revision")
GRANT_RECEIPT = MessageKind("consents.grant_receipt", template="consents/email/grant_receipt")
WITHDRAWAL_NOTICE = MessageKind("consents.withdrawal_notice", template="consents/email/withdrawal_notice")
EXPIRY_REMINDER = MessageKind("consents.expiry_reminder", template="consents/email/expiry_reminder")
INACTIVITY_WARNING = MessageKind("consents.inactivity_warning", template="consents/email/inactivity_warning")
EXPORT_READY = MessageKind("consents.export_ready", template="consents/email/export_ready")
ERASURE_CODE = MessageKind(
    "consents.erasure_code", template="consents/email/erasure_code", secrets={"code": _("[erasure code hidden]")}
)
PRIVACY_REQUEST_RECEIVED = MessageKind(
    "consents.privacy_request_received", template="consents/email/privacy_request_received"
)
PRIVACY_REQUEST_RECEIPT = MessageKind(
    "consents.privacy_request_receipt", template="consents/email/privacy_request_receipt"
)
PRIVACY_REQUEST_EXTENDED = MessageKind(
    "consents.privacy_request_extended", template="consents/email/privacy_request_extended"
)
PRIVACY_REQUEST_ANSWER = MessageKind(
    "consents.privacy_request_answer", template="consents/email/privacy_request_answer"
)
# Purpose mail: every copy carries its person's one-click unsubscribe link.
CAMPAIGN = MessageKind("consents.campaign", secrets={"unsubscribe_url": _("[unsubscribe link hidden]")})
CAMPAIGN_TEST = MessageKind("consents.campaign_test")
