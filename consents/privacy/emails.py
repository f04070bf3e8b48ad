"""The kinds of message the privacy desk sends (outbox.kinds.MessageKind)."""

from django.utils.translation import gettext_lazy as _

from outbox.kinds import MessageKind

INACTIVITY_WARNING = MessageKind("privacy.inactivity_warning", template="privacy/email/inactivity_warning")
EXPORT_READY = MessageKind("privacy.export_ready", template="privacy/email/export_ready")
ERASURE_CODE = MessageKind(
    "privacy.erasure_code", template="privacy/email/erasure_code", secrets={"code": _("[erasure code hidden]")}
)
REQUEST_RECEIVED = MessageKind("privacy.request_received", template="privacy/email/privacy_request_received")
REQUEST_RECEIPT = MessageKind("privacy.request_receipt", template="privacy/email/privacy_request_receipt")
REQUEST_EXTENDED = MessageKind("privacy.request_extended", template="privacy/email/privacy_request_extended")
REQUEST_ANSWER = MessageKind("privacy.request_answer", template="privacy/email/privacy_request_answer")
