"""The kinds of message profiles sends (outbox.kinds.MessageKind)."""

from outbox.kinds import MessageKind

MODERATION_HIDDEN = MessageKind("profiles.moderation_hidden", template="profiles/email/moderation_hidden")
