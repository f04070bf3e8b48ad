"""The kinds of message matching sends (outbox.kinds.MessageKind)."""

from outbox.kinds import MessageKind

# A notice about an application or a proposal (the same text as on the
# person's Messages page, with a link to the page: no secret).
NOTICE = MessageKind("matching.notice")
