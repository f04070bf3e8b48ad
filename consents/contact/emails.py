"""The kinds of message the contact desk sends (outbox.kinds.MessageKind)."""

from outbox.kinds import MessageKind

INQUIRY_RECEIVED = MessageKind("contact.inquiry_received", template="contact/email/inquiry_received")
INQUIRY_ANSWER = MessageKind("contact.inquiry_answer", template="contact/email/inquiry_answer")
