"""The kinds of message matching sends (outbox.kinds.MessageKind)."""

from outbox.kinds import MessageKind

# A notice about an application or a proposal (the same text as on the
# person's Messages page, with a link to the page: no secret).
NOTICE = MessageKind("matching.notice")

# New messages in the conversation on an application: one digest per
# recipient and conversation (a link to the page, no secret, no message text).
CONVERSATION_DIGEST = MessageKind(
    "matching.conversation_digest", template="matching/email/conversation_digest", public=("url",)
)
